"""The SQLite database file, created private (0600) before SQLite opens it, and used in
write-ahead-log mode.

Without PRIVBOT_ENCRYPTION_KEY the file holds the code and button HMAC keys in clear, so it
is readable by its owner only; SQLite gives its rollback journal and write-ahead log the
database file's permissions, so they are private too. An existing file is left as it is.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from privbot.errors import ConfigError


def create_private(path: Path) -> None:
    """Create `path` (and its folder) with mode 0600 if it does not exist yet."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError as exc:  # no such folder, read-only: a setting to fix, not a trace
        raise ConfigError(f"PRIVBOT_DATABASE_URL: cannot create {path}: {exc.strerror}") from exc


def write_ahead_log(engine: Engine) -> None:
    """Every connection of `engine` (a SQLite file) in write-ahead-log mode: readers and the
    one writer no longer block each other, and a commit appends to the log instead of
    rewriting pages through a rollback journal (`synchronous` stays FULL: a commit is on
    disk when it returns). The mode is kept in the file; setting it again is a no-op."""

    @event.listens_for(engine, "connect")
    def _wal(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            _set_wal(cursor)
        finally:
            cursor.close()


_WAL_TRIES = 100  # 0.05 s apart: up to 5 s, as long as SQLite's own wait for a lock


def _set_wal(cursor: Any) -> None:
    """Switching a file to WAL takes an exclusive lock, and SQLite does not wait for it: an
    instance starting while another holds a lock on a fresh file (migrating it, or switching it
    itself) got "database is locked". Once the file is in WAL, nothing is to be switched."""
    for attempt in range(_WAL_TRIES):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == _WAL_TRIES - 1:
                raise
            time.sleep(0.05)
