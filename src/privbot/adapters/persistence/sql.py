"""Small SQL helpers shared by the repositories (nothing here is tied to one table)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session


def dialect_of(bind: Engine | Connection | Session) -> str:
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return engine.dialect.name


def insert(bind: Engine | Connection | Session, model: Any) -> Any:
    """An INSERT with `on_conflict_do_*` (SQLite and PostgreSQL both have them)."""
    dialect = postgresql if dialect_of(bind) == "postgresql" else sqlite
    return dialect.insert(model)


def rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class EngineStore:
    """Base of the stores whose every call is its own short transaction on `engine`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _insert(self, model: Any) -> Any:
        return insert(self.engine, model)
