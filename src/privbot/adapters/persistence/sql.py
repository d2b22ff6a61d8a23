"""Small SQL helpers shared by the repositories (nothing here is tied to one table)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, Table, bindparam, update
from sqlalchemy.engine import Connection, Engine

from privbot.adapters.persistence.orm import Session, col, select


def dialect_of(bind: Engine | Connection | Session) -> str:
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return engine.dialect.name


def insert(bind: Engine | Connection | Session, model: Any) -> Any:
    """An INSERT with `on_conflict_do_*` (SQLite and PostgreSQL both have them); the
    dialect's module loads with the first (an engine loads its own anyway)."""
    if dialect_of(bind) == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(model)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(model)


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
    stmt: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        stmt = postgresql_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table)
    stmt = stmt.values({c: bindparam(c) for c in (*keys, *changed, *inserted)})
    return stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c: stmt.excluded[c] for c in changed}
    )


def claim_rows(
    s: Session, model: Any, key: Any, pick: Select[Any], guard: Any, values: dict[str, Any]
) -> list[Any]:
    """Claim the rows of `model` whose `key` the `pick` query selects and which still match
    `guard`, setting `values` on them; the claimed rows, by `key`. One UPDATE ... WHERE ...
    RETURNING: atomic on SQLite (one writer at a time) and on PostgreSQL (the WHERE is
    re-checked on rows another transaction just claimed; SKIP LOCKED spares the wait)."""
    if dialect_of(s) == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(
        s.execute(
            update(model)
            .where(col(key).in_(pick.scalar_subquery()), guard)
            .values(**values)
            .returning(col(key))
        ).scalars()
    )
    if not ids:
        return []
    return list(
        s.exec(
            select(model)
            .where(col(key).in_(ids))
            .order_by(col(key))
            .execution_options(populate_existing=True)
        ).all()
    )


def rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class EngineStore:
    """Base of the stores whose every call is its own short transaction on `engine`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _insert(self, model: Any) -> Any:
        return insert(self.engine, model)
