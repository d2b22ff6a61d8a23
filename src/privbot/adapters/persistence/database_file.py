"""The SQLite database file, created private (0600) before SQLite opens it, and used in
write-ahead-log mode.

Without PRIVBOT_ENCRYPTION_KEY the file holds the code and button HMAC keys in clear, so it
is readable by its owner only; SQLite gives its rollback journal and write-ahead log the
database file's permissions, so they are private too. An existing file is left as it is.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
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


class WriterTurns:
    """SQLite lets one transaction write at a time; one that finds the file locked sleeps and
    tries again (1, 2, 5, 10... up to 100 ms apart), so under load a write's time went in
    those sleeps while the lock was long free. Within this process, a transaction about to
    write takes its turn on a lock instead, and is woken as soon as the one before it has
    committed or rolled back (other processes still meet SQLite's own wait).

    A transaction run with the execution option `WRITE_FIRST` (the record of Telegram updates
    taken in, which every message waits for before it is handled) takes the next turn before
    those waiting without it.

    `connection_class` is the connection factory for `sqlite3.connect` (it ends a turn once
    the commit or rollback is done); `watch(engine)` starts a turn at a transaction's first
    write."""

    def __init__(self) -> None:
        self._turn = _Turn()

    def taken(self) -> bool:
        """A transaction of this process is writing."""
        return self._turn.held

    def first_waiting(self) -> bool:
        """A transaction marked `WRITE_FIRST` is waiting for its turn."""
        return self._turn.first_waiting > 0

    def connection_class(self) -> type[sqlite3.Connection]:
        turn = self._turn

        class TurnTakingConnection(sqlite3.Connection):
            writing = False

            def take_turn(self, first: bool = False) -> None:
                # A thread already writing on another connection would wait for itself: past
                # SQLite's own wait it goes on without a turn and meets "database is locked",
                # as it would have without turns.
                if not self.writing and turn.acquire(_TURN_WAIT, first):
                    self.writing = True

            def _end_turn(self) -> None:
                if self.writing:
                    self.writing = False
                    turn.release()

            def _ending(self, end: Callable[[], None]) -> None:
                try:
                    end()
                finally:
                    self._end_turn()

            def commit(self) -> None:
                self._ending(super().commit)

            def rollback(self) -> None:
                self._ending(super().rollback)

            def close(self) -> None:
                self._ending(super().close)

        return TurnTakingConnection

    @staticmethod
    def watch(engine: Engine) -> None:
        @event.listens_for(engine, "before_cursor_execute")
        def _first_write(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
            take_turn = getattr(cursor.connection, "take_turn", None)
            if take_turn is not None and statement.lstrip()[:7].upper().startswith(_WRITES):
                take_turn(conn.get_execution_options().get(WRITE_FIRST, False))


WRITE_FIRST = "privbot_write_first"  # execution option: this transaction's turn comes first
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_TURN_WAIT = 5.0  # seconds: sqlite3's default wait for a lock


class _Turn:
    """A lock whose waiters asking `first` take it before the others waiting."""

    def __init__(self) -> None:
        self._free = threading.Condition(threading.Lock())
        self.held = False
        self.first_waiting = 0  # waiters asking first

    def acquire(self, timeout: float, first: bool) -> bool:
        with self._free:
            self.first_waiting += first
            try:
                if self._free.wait_for(
                    lambda: not self.held and (first or not self.first_waiting), timeout
                ):
                    self.held = True
                    return True
                return False
            finally:
                self.first_waiting -= first

    def release(self) -> None:
        with self._free:
            self.held = False
            self._free.notify_all()
