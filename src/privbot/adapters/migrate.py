"""Schema migrations (Alembic, scripts in `privbot/migrations/`) run on a given engine.

- `upgrade(engine)`: bring the database to the newest revision (`privbot db upgrade`, and at
  start-up with PRIVBOT_AUTO_MIGRATE=1 or a SQLite database).
- `ensure_schema(engine, auto)`: what start-up calls: upgrade when allowed, else refuse to run
  on a database that is not at the newest revision (one line naming the command to run).
- A database made by `create_all` before migrations existed (tables, no `alembic_version`)
  is stamped with the first revision, which created exactly those tables, then upgraded; one
  whose tables already equal the models is stamped with the newest.

Start-up on a current database reads one row and imports no Alembic (`HEAD`, kept equal to
the newest script's revision by a test): a new migration must update `HEAD`. Several
instances starting together migrate once: on PostgreSQL under an advisory lock, on a SQLite
file under a file lock beside it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine

from privbot.adapters.persistence.tables import metadata
from privbot.errors import ConfigError

if TYPE_CHECKING:
    from alembic.config import Config

BASELINE = "0001"
HEAD = "0015"  # the newest revision in migrations/versions (test_migrations_head_constant)
_LOCK_ID = 7_246_690_001  # PostgreSQL advisory lock key for migrations ("privbot" + 1)
SCRIPTS = Path(__file__).resolve().parents[1] / "migrations"


def target_metadata() -> MetaData:
    """The metadata holding every privbot table (`persistence.tables`)."""
    return metadata


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision of the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's revision (one SELECT; None for a database never migrated)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return str(rows[0]) if len(rows) == 1 else None


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """An exclusive lock on `<database file>.migrate-lock` while a SQLite file is migrated.

    SQLite runs DDL outside a transaction (pysqlite), so two instances starting together on a
    fresh file would both create the tables; the lock makes the second wait, and it then finds
    the schema current. Other databases (PostgreSQL: an advisory lock) pass straight through.
    """
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Windows: one instance at a time there
        yield
        return
    with open(f"{path}.migrate-lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Upgrade to `revision`; returns (revision before, revision after)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with _sqlite_file_lock(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})
        before = MigrationContext.configure(conn).get_current_revision()
        cfg = _config(conn)
        if before is None and inspect(conn).has_table("requests"):
            command.stamp(cfg, _create_all_revision(conn))  # made by create_all
        command.upgrade(cfg, revision)
        after = MigrationContext.configure(conn).get_current_revision()
    return before, after


def _create_all_revision(conn: Connection) -> str:
    """The revision a database made by `create_all` is at: the newest when its tables equal
    the models (a throwaway database made by today's code), else the first (made before
    migrations existed, when create_all made exactly the first revision's tables)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    ctx = MigrationContext.configure(conn, opts={"compare_type": True})
    return "head" if not compare_metadata(ctx, target_metadata()) else BASELINE


def ensure_schema(engine: Engine, auto: bool) -> None:
    """Upgrade when `auto`; otherwise raise ConfigError unless the schema is current."""
    current = current_revision(engine)
    if current == HEAD:
        return
    if auto:
        upgrade(engine)
        return
    head = head_revision()
    if current != head:
        raise ConfigError(
            f"PRIVBOT_AUTO_MIGRATE: the database schema is at {current or 'nothing'}, "
            f"privbot needs {head}: run `privbot db upgrade` or set PRIVBOT_AUTO_MIGRATE=1"
        )
