"""The ORM base of the tables, and the session and `select` the repositories use, on plain
SQLAlchemy (no pydantic: a start imports neither pydantic nor sqlmodel).

- `Base`: declarative dataclasses, keyword-only (`UserRow(channel=..., ...)`, defaults set
  on the object at once), compared by identity like any mapped object
- `UTCDateTime`: datetimes stored as given in UTC and read back aware, in UTC
- `select(x)` of one entity or column is a `SelectOfScalar`, which `Session.exec` turns into
  its values; a `select` of several gives rows, any other statement its cursor result
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, TypeVarTuple, overload

from sqlalchemy import Select, types
from sqlalchemy.engine import CursorResult, Dialect, Result, ScalarResult
from sqlalchemy.orm import DeclarativeBase, MappedAsDataclass
from sqlalchemy.orm import Session as _Session
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlalchemy.sql.operators import OperatorType
from sqlalchemy.sql.roles import TypedColumnsClauseRole

_T = TypeVar("_T")
_T0 = TypeVar("_T0")
_T1 = TypeVar("_T1")
_Ts = TypeVarTuple("_Ts")
_Params = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


class Base(MappedAsDataclass, DeclarativeBase, kw_only=True, eq=False):
    """Every table's base: one metadata, dataclass constructors."""


class UTCDateTime(types.TypeDecorator[datetime]):
    """An aware datetime, stored in UTC (a naive one is refused) and read back in UTC."""

    impl = types.DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def __repr__(self) -> str:
        return "UTCDateTime()"

    def coerce_compared_value(self, op: OperatorType | None, value: Any) -> Any:
        if isinstance(value, timedelta):
            return types.Interval()
        return self

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("a datetime stored must carry its time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:  # SQLite keeps no offset: the value is UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class SelectOfScalar(Select[_T]):
    """A SELECT of one entity or column: `Session.exec` gives its values, not rows."""

    inherit_cache = True


_Column = TypedColumnsClauseRole[_T] | SQLCoreOperations[_T] | type[_T]


@overload
def select(ent0: _Column[_T0], /) -> SelectOfScalar[_T0]: ...
@overload
def select(ent0: _Column[_T0], ent1: _Column[_T1], /) -> Select[_T0, _T1]: ...
@overload
def select(*entities: Any) -> Select[*tuple[Any, ...]]: ...
def select(*entities: Any) -> Any:
    """A SELECT; of one entity or column, its values come out of `Session.exec` as is."""
    if len(entities) == 1:
        return SelectOfScalar(*entities)
    return Select(*entities)


def col(column: _T) -> _T:
    """`column` itself (a mapped attribute or column), checked to be one."""
    if not isinstance(column, SQLCoreOperations):
        raise TypeError(f"not a SQL column: {column!r}")
    return column


class Session(_Session):
    """A session whose `exec` gives a one-column SELECT's values directly."""

    @overload
    def exec(  # type: ignore[overload-overlap]
        self, statement: SelectOfScalar[_T], params: _Params = None
    ) -> ScalarResult[_T]: ...
    @overload
    def exec(  # type: ignore[overload-overlap]
        self, statement: Select[*_Ts], params: _Params = None
    ) -> Result[*_Ts]: ...
    @overload
    def exec(self, statement: Executable, params: _Params = None) -> CursorResult[Any]: ...
    def exec(self, statement: Executable, params: _Params = None) -> Any:
        result = self.execute(statement, params)
        return result.scalars() if isinstance(statement, SelectOfScalar) else result
