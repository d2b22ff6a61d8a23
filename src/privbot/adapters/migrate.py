"""Schema migrations (Alembic, scripts in `privbot/migrations/`) run on a given engine.

- `upgrade(engine)`: bring the database to the newest revision (`privbot db upgrade`, and at
  start-up with PRIVBOT_AUTO_MIGRATE=1 or a SQLite database). On PostgreSQL the upgrade holds
  an advisory lock, so several instances starting together migrate once.
- `ensure_schema(engine, auto)`: what start-up calls: upgrade when allowed, else refuse to run
  on a database that is not at the newest revision (one line naming the command to run).
- A database made by `create_all` before migrations existed (tables, no `alembic_version`)
  is stamped with the first revision, which created exactly those tables, then upgraded.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from privbot.errors import ConfigError

# Every module that defines tables; env.py and the schema test import them all.
MODEL_MODULES = ("privbot.adapters.db_models", "privbot.adapters.reminder_store")
BASELINE = "0001"
_LOCK_ID = 7_246_690_001  # PostgreSQL advisory lock key for migrations ("privbot" + 1)
SCRIPTS = Path(__file__).resolve().parents[1] / "migrations"


def target_metadata() -> MetaData:
    """The metadata holding every privbot table (all model modules imported)."""
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a part not built yet
            if exc.name != name:
                raise
    return SQLModel.metadata


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Upgrade to `revision`; returns (revision before, revision after)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})
        before = MigrationContext.configure(conn).get_current_revision()
        cfg = _config(conn)
        if before is None and inspect(conn).has_table("requests"):
            command.stamp(cfg, BASELINE)  # made by create_all before migrations existed
        command.upgrade(cfg, revision)
        after = MigrationContext.configure(conn).get_current_revision()
    return before, after


def ensure_schema(engine: Engine, auto: bool) -> None:
    """Upgrade when `auto`; otherwise raise ConfigError unless the schema is current."""
    if auto:
        if current_revision(engine) != head_revision():
            upgrade(engine)
        return
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise ConfigError(
            f"PRIVBOT_AUTO_MIGRATE: the database schema is at {current or 'nothing'}, "
            f"privbot needs {head}: run `privbot db upgrade` or set PRIVBOT_AUTO_MIGRATE=1"
        )
