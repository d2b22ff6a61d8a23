"""Small SQL helpers shared by the repositories (nothing here is tied to one table).

Every store function takes a Core `Connection` in the transaction of its caller
(`repository.SqlRepository` or `UnitOfWork`): there is no ORM session."""

from __future__ import annotations

import contextlib
from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Column, Numeric, Row, Select, Table, bindparam, select, update
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, ReturnsRows


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


Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Plan:
    """A statement compiled for one dialect: its SQL, how each placeholder gets its value (the
    caller's parameter of that name, or the statement's own constant) and the type processing
    of values in and out."""

    sql: str
    # Per placeholder, in order: (its name, the caller's parameter (None: the constant), the
    # constant, the dialect's bind processor or None).
    binds: tuple[tuple[str, str | None, Any, Processor | None], ...]
    positional: bool
    results: tuple[tuple[int, Processor], ...]  # result columns with a processor
    row: Callable[..., Any] | None  # the named tuple of a result row (None: no rows)


def _plan(stmt: ClauseElement, dialect: Dialect) -> _Plan:
    compiled = stmt.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)
    # What `execute` does beside running the SQL, and a plan would silently skip: refused
    # here, at the first use of the statement, rather than storing a NULL or sending SQL
    # with a placeholder left in it.
    if compiled.insert_prefetch or compiled.update_prefetch:
        raise NotImplementedError(f"Prepared: a column default computed in Python: {stmt}")
    if compiled.literal_execute_params or compiled.post_compile_params:
        raise NotImplementedError(f"Prepared: an expanding or literal parameter: {stmt}")
    escaped = compiled.escaped_bind_names
    by_name: dict[str, tuple[str, str | None, Any, Processor | None]] = {}
    for bind, name in compiled.bind_names.items():
        if (shown := escaped.get(name, name)) in by_name:
            continue  # a name used again: its first bind's (typed by its column, if any)
        param = bind.key if bind.required else None
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        by_name[shown] = (shown, param, bind.effective_value, processor)
    binds = list(by_name.values())
    if compiled.positional:  # placeholders in the order of the SQL, a name repeated as used
        binds = [by_name[escaped.get(name, name)] for name in compiled.positiontup or ()]
    columns = list(stmt.exported_columns) if isinstance(stmt, ReturnsRows) else []
    results = []
    for i, column in enumerate(columns):
        if isinstance(column.type, Numeric):  # its processor needs the cursor's type code
            raise NotImplementedError(f"Prepared: a numeric result column: {stmt}")
        processor = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if processor is not None:
            results.append((i, processor))
    row = namedtuple("row", [column.key for column in columns]) if columns else None
    return _Plan(compiled.string, tuple(binds), compiled.positional, tuple(results), row)


class Prepared:
    """A Core statement run on the DBAPI cursor of a `Connection`, in its transaction, for
    the statements every message runs: compiled once per dialect, its values put through the
    dialect's type processing as SQLAlchemy's `execute` does, without the execution context
    and result object `execute` makes for each statement (about 25 µs of CPU on SQLite, where
    sqlite3 runs a user's read in 5). The connection's `before_cursor_execute` listeners are
    called as by `execute` (a SQLite file's writer turns listen there), without an execution
    context, and no other event is (`after_cursor_execute`, `handle_error`); a DBAPI error,
    also one met reading a row, is raised as SQLAlchemy's (`IntegrityError`...), and a
    connection found lost is invalidated (the pool's other connections are left to its
    pre-ping). A statement needing more of `execute` (a default computed in Python, an
    expanding IN, a numeric result) is refused at its first use.
    `build` makes the statement for a dialect's name (or is the statement)."""

    def __init__(self, build: ClauseElement | Callable[[str], ClauseElement]) -> None:
        self._build = build
        self._plans: dict[str, _Plan] = {}

    def _plan_for(self, dialect: Dialect) -> _Plan:
        plan = self._plans.get(dialect.name)
        if plan is None:
            build = self._build
            stmt = build if isinstance(build, ClauseElement) else build(dialect.name)
            plan = self._plans[dialect.name] = _plan(stmt, dialect)
        return plan

    def execute(self, c: Connection, params: Mapping[str, Any]) -> Any:
        """Run with `params` (by the statements' `bindparam` names); the DBAPI cursor."""
        plan = self._plan_for(c.dialect)
        return self._run(c, plan, _values(plan, params), False)

    def execute_many(self, c: Connection, params: Sequence[Mapping[str, Any]]) -> None:
        """Run once per set of `params` (the DBAPI's `executemany`)."""
        plan = self._plan_for(c.dialect)
        self._run(c, plan, [_values(plan, p) for p in params], True)

    def first(self, c: Connection, params: Mapping[str, Any]) -> Any:
        """The first row (a named tuple, values processed as SQLAlchemy's), or None."""
        plan, found = self._fetched(c, params, lambda cursor: cursor.fetchone())
        if found is None or plan.row is None:
            return None
        if plan.results:
            found = list(found)
            for i, processor in plan.results:
                found[i] = processor(found[i])
        return plan.row(*found)

    def scalars(self, c: Connection, params: Mapping[str, Any]) -> list[Any]:
        """The first value of every row (processed as SQLAlchemy's)."""
        plan, found = self._fetched(c, params, lambda cursor: cursor.fetchall())
        first = next((processor for i, processor in plan.results if i == 0), None)
        return [row[0] if first is None else first(row[0]) for row in found]

    def rowcount(self, c: Connection, params: Mapping[str, Any]) -> int:
        return int(self._fetched(c, params, lambda cursor: cursor.rowcount)[1])

    def _fetched(
        self, c: Connection, params: Mapping[str, Any], fetch: Callable[[Any], Any]
    ) -> tuple[_Plan, Any]:
        """Run with `params`; what `fetch` takes from the cursor, which is closed then."""
        plan = self._plan_for(c.dialect)
        cursor = self._run(c, plan, _values(plan, params), False)
        try:
            return plan, fetch(cursor)
        except c.dialect.loaded_dbapi.Error as exc:  # a row the driver cannot read
            raise _raised(c, plan.sql, cursor, exc) from exc
        finally:
            cursor.close()

    @staticmethod
    def _run(c: Connection, plan: _Plan, values: Any, many: bool) -> Any:
        if not c.in_transaction():
            c.begin()  # as `execute` would: the connection's `commit` commits this
        sql = plan.sql
        dbapi = c.connection.driver_connection
        assert dbapi is not None  # checked out: open
        cursor = dbapi.cursor()
        try:
            for listener in c.dispatch.before_cursor_execute:
                sql, values = listener(c, cursor, sql, values, None, many)
            if many:
                cursor.executemany(sql, values)
            else:
                cursor.execute(sql, values)
        except c.dialect.loaded_dbapi.Error as exc:
            cursor.close()
            raise _raised(c, sql, cursor, exc) from exc
        return cursor


def _raised(c: Connection, sql: str, cursor: Any, exc: Any) -> StatementError:
    """The driver's error `exc` as SQLAlchemy raises it (`IntegrityError`...), parameters
    hidden; a connection found lost is invalidated first."""
    lost = c.dialect.is_disconnect(exc, c.connection.driver_connection, cursor)
    if lost:
        c.invalidate(exc)
    error: StatementError = DBAPIError.instance(
        sql,
        None,
        exc,
        c.dialect.loaded_dbapi.Error,
        hide_parameters=True,
        connection_invalidated=lost,
        dialect=c.dialect,
    )
    return error


def _values(plan: _Plan, params: Mapping[str, Any]) -> Any:
    """The DBAPI's parameters: a tuple for a positional style (sqlite3), else a dict."""
    values = []
    for _name, param, constant, processor in plan.binds:
        value = constant if param is None else params[param]
        values.append(value if processor is None else processor(value))  # None too, as Core
    if plan.positional:
        return tuple(values)
    return {b[0]: v for b, v in zip(plan.binds, values, strict=True)}
