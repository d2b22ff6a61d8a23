"""Small SQL helpers shared by the repositories (nothing here is tied to one table).

Every store function takes a Core `Connection` in the transaction of its caller
(`repository.SqlRepository` or `UnitOfWork`): there is no ORM session."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cache
from typing import Any

from sqlalchemy import Column, Row, Select, Table, bindparam, select, update
from sqlalchemy.engine import Connection, Engine


def dialect_of(bind: Engine | Connection) -> str:
    return bind.dialect.name


def insert(bind: Engine | Connection, table: Table) -> Any:
    """An INSERT with `on_conflict_do_*` (SQLite and PostgreSQL both have them); the
    dialect's module loads with the first (an engine loads its own anyway)."""
    return insert_of(dialect_of(bind), table)


def insert_of(dialect: str, table: Table) -> Any:
    """`insert` for the dialect named `dialect`."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


@cache
def upsert(
    dialect: str,
    table: Table,
    keys: tuple[str, ...],
    changed: tuple[str, ...],
    inserted: tuple[str, ...] = (),
) -> Any:
    """INSERT of the columns `keys` + `changed` + `inserted` from bound parameters of the
    same names, ON CONFLICT (keys) DO UPDATE SET the `changed` ones: one statement (two
    instances may write the same row at once), built once per dialect and table."""
    stmt = insert_of(dialect, table).values({c: bindparam(c) for c in (*keys, *changed, *inserted)})
    return stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c: stmt.excluded[c] for c in changed}
    )


def claim_rows(
    c: Connection,
    table: Table,
    key: Column[Any],
    pick: Select[Any],
    guard: Any,
    values: dict[str, Any],
) -> list[Row[Any]]:
    """Claim the rows of `table` whose `key` the `pick` query selects and which still match
    `guard`, setting `values` on them; the claimed rows, by `key`. One UPDATE ... WHERE ...
    RETURNING: atomic on SQLite (one writer at a time) and on PostgreSQL (the WHERE is
    re-checked on rows another transaction just claimed; SKIP LOCKED spares the wait)."""
    if dialect_of(c) == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(
        c.execute(
            update(table)
            .where(key.in_(pick.scalar_subquery()), guard)
            .values(**values)
            .returning(key)
        ).scalars()
    )
    if not ids:
        return []
    return list(c.execute(select(table).where(key.in_(ids)).order_by(key)))


@contextlib.contextmanager
def undo_alone_on_error(c: Connection) -> Iterator[None]:
    """Run a statement that may fail (a unique key taken) so that its failure undoes it
    alone: a savepoint on PostgreSQL, where an error aborts the whole transaction; SQLite
    undoes just the failed statement and keeps its transaction."""
    if dialect_of(c) == "postgresql":
        with c.begin_nested():
            yield
    else:
        yield


def rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class EngineStore:
    """Base of the stores whose every call is its own short transaction on `engine`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _insert(self, table: Table) -> Any:
        return insert(self.engine, table)
