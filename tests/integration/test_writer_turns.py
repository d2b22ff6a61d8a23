"""SQLite writers of one process take turns (`database_file.WriterTurns`): a transaction's
first write waits for the one writing before it to commit or roll back, instead of trying
SQLite's lock again and sleeping in between; each turn ends with its transaction, however it
ends; and a thread that would wait for its own other transaction still gets SQLite's
"database is locked" rather than waiting for ever."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError

from privbot.adapters.persistence import database_file
from privbot.adapters.persistence.database_file import WRITE_FIRST, WriterTurns, write_ahead_log
from privbot.bootstrap import build_repository
from privbot.config import load_settings


def _engine(path: Path, turns: WriterTurns, timeout: float = 5.0) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"factory": turns.connection_class(), "timeout": timeout},
    )
    write_ahead_log(engine)
    turns.watch(engine)
    with engine.begin() as c:
        c.execute(text("CREATE TABLE t (n INTEGER)"))
    return engine


def test_a_second_writer_waits_for_the_first_to_commit(tmp_path: Path) -> None:
    turns = WriterTurns()
    engine = _engine(tmp_path / "db.sqlite3", turns)
    tried: list[str] = []  # the statements the second writer's SQLite was asked to run

    def second() -> None:
        with engine.begin() as c:
            raw = c.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            raw.set_trace_callback(tried.append)
            c.execute(text("INSERT INTO t VALUES (2)"))
            raw.set_trace_callback(None)

    with engine.connect() as first:
        first.execute(text("INSERT INTO t VALUES (1)"))
        assert turns.taken()
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.3)
        # Waiting for its turn: SQLite never saw its INSERT, so never slept on the lock.
        assert thread.is_alive() and not any("INSERT" in s for s in tried)
        first.commit()
    thread.join(10)
    assert not thread.is_alive() and not turns.taken()
    with engine.connect() as c:
        assert sorted(c.execute(text("SELECT n FROM t")).scalars()) == [1, 2]
    engine.dispose()


def test_a_turn_ends_with_its_transaction(tmp_path: Path) -> None:
    turns = WriterTurns()
    engine = _engine(tmp_path / "db.sqlite3", turns)
    with engine.connect() as c:
        c.execute(text("SELECT count(*) FROM t"))
        assert not turns.taken()  # a read takes no turn
        c.execute(text("INSERT INTO t VALUES (1)"))
        assert turns.taken()
        c.rollback()
        assert not turns.taken()
        c.execute(text("UPDATE t SET n = 2"))
        assert turns.taken()
    assert not turns.taken()  # given back to the pool: rolled back
    with pytest.raises(OperationalError), engine.begin() as c:
        c.execute(text("INSERT INTO missing VALUES (1)"))
    assert not turns.taken()
    engine.dispose()


def test_a_thread_writing_twice_at_once_gets_database_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_file, "_TURN_WAIT", 0.1)
    turns = WriterTurns()
    engine = _engine(tmp_path / "db.sqlite3", turns, timeout=0.1)
    with engine.connect() as first, engine.connect() as second:
        first.execute(text("INSERT INTO t VALUES (1)"))
        with pytest.raises(OperationalError, match="locked"):
            second.execute(text("INSERT INTO t VALUES (2)"))
        first.commit()
    assert not turns.taken()
    engine.dispose()


def test_a_write_marked_first_goes_before_those_waiting_longer(tmp_path: Path) -> None:
    """The record of Telegram updates taken in (`WRITE_FIRST`, which every message waits for)
    takes the next turn before a writer that was waiting already."""
    turns = WriterTurns()
    engine = _engine(tmp_path / "db.sqlite3", turns)

    def write(n: int, **options: bool) -> threading.Thread:
        def run() -> None:
            with engine.connect().execution_options(**options) as c:
                c.execute(text(f"INSERT INTO t VALUES ({n})"))
                c.commit()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(0.15)
        assert thread.is_alive()  # waiting for its turn
        return thread

    with engine.connect() as holder:
        holder.execute(text("INSERT INTO t VALUES (1)"))
        waiting = [write(2), write(3, **{WRITE_FIRST: True}), write(4)]
        deadline = time.monotonic() + 5
        while not turns.first_waiting() and time.monotonic() < deadline:
            time.sleep(0.01)  # the first-marked writer is waiting before the turn is given back
        holder.commit()
    for thread in waiting:
        thread.join(10)
    with engine.connect() as c:
        order = list(c.execute(text("SELECT n FROM t ORDER BY rowid")).scalars())
    engine.dispose()
    assert order[:2] == [1, 3] and sorted(order[2:]) == [2, 4]


def test_updates_taken_in_are_recorded_first(db_overrides: dict[str, Any]) -> None:
    """A poll's record and a webhook's ask for their turn first (ignored but for SQLite)."""
    repo = build_repository(load_settings(**db_overrides))
    first: list[bool] = []

    def hook(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO telegram_updates"):
            first.append(conn.get_execution_options().get(WRITE_FIRST, False))

    event.listen(repo.engine, "before_cursor_execute", hook)
    now = datetime.now(UTC)
    assert repo.claim_updates([(1, "{}"), (2, "{}")], now) == [1, 2]
    assert repo.claim_update(3, now, "{}")
    assert first == [True, True]
    repo.engine.dispose()
