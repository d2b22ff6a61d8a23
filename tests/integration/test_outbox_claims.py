"""Several instances on one database (SQLite file and PostgreSQL): the outbox is claimed before
it is sent, so two notifiers deliver each notification once; a failure is retried later with a
backoff, then given up; a Telegram update id is taken in once; two instances migrating a fresh
SQLite file together migrate it once."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from privbot.adapters import migrate
from privbot.adapters.persistence.repository import SqlRepository
from privbot.adapters.telegram.notifier import OutboxNotifier, backoff
from privbot.bootstrap import build_repository
from privbot.config import load_settings
from privbot.core.model import Language, UserKey
from privbot.core.records import Notification

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _repo(overrides: dict[str, Any]) -> SqlRepository:
    return build_repository(load_settings(**overrides))


def _notes(n: int, text: str = "note") -> list[Notification]:
    return [
        Notification(UserKey("telegram", str(1000 + i)), Language.FR, f"{text} {i}", NOW)
        for i in range(n)
    ]


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class RecordingNotifier(OutboxNotifier):
    """The real claim/mark/release logic; sending is recorded (and can fail) instead."""

    def __init__(self, repo: SqlRepository, clock: Clock, sent: list[tuple[str, int]], **kw: Any):
        super().__init__(repo, application=None, clock=clock, **kw)  # type: ignore[arg-type]
        self.sent = sent
        self.fail_ids: set[int] = set()

    async def _deliver(self, n: Notification) -> bool:
        await asyncio.sleep(0.001)  # let the other notifier run meanwhile
        assert n.id is not None
        if n.id in self.fail_ids:
            return False
        self.sent.append((self.worker_id, n.id))
        return True


async def test_two_notifiers_deliver_each_notification_once(db_overrides: dict[str, Any]) -> None:
    repo_a, repo_b = _repo(db_overrides), _repo(db_overrides)  # two engines: two instances
    repo_a.enqueue(_notes(60))
    clock, sent = Clock(), list[tuple[str, int]]()
    a = RecordingNotifier(repo_a, clock, sent, worker_id="a")
    b = RecordingNotifier(repo_b, clock, sent, worker_id="b")
    while repo_a.pending_notifications("telegram"):
        await asyncio.gather(a.deliver_pending(), b.deliver_pending(), b.deliver_pending())
    ids = [i for _, i in sent]
    assert len(ids) == 60 and len(set(ids)) == 60
    assert {w for w, _ in sent} == {"a", "b"}  # both took part
    assert await a.deliver_pending() == 0 and await b.deliver_pending() == 0


def test_concurrent_claims_never_overlap(db_overrides: dict[str, Any]) -> None:
    repos = [_repo(db_overrides) for _ in range(4)]
    repos[0].enqueue(_notes(200))
    claimed: dict[str, list[int]] = {}
    start = threading.Barrier(len(repos))

    def worker(i: int) -> None:
        name = f"w{i}"
        start.wait()
        while batch := repos[i].claim_notifications("telegram", name, NOW, 7, timedelta(minutes=2)):
            claimed.setdefault(name, []).extend(n.id for n in batch if n.id is not None)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(repos))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    every = [i for ids in claimed.values() for i in ids]
    assert len(every) == 200 and len(set(every)) == 200


async def test_a_failure_is_retried_later_not_lost(db_overrides: dict[str, Any]) -> None:
    repo_a, repo_b = _repo(db_overrides), _repo(db_overrides)
    repo_a.enqueue(_notes(1))
    (note,) = repo_a.pending_notifications("telegram")
    assert note.id is not None
    clock, sent = Clock(), list[tuple[str, int]]()
    a = RecordingNotifier(repo_a, clock, sent, worker_id="a")
    b = RecordingNotifier(repo_b, clock, sent, worker_id="b")
    a.fail_ids.add(note.id)
    assert await a.deliver_pending() == 0  # failed: released with a backoff
    assert await b.deliver_pending() == 0  # not due yet, on either instance
    clock.now += backoff(1) + timedelta(seconds=1)
    assert await b.deliver_pending() == 1  # the other instance retries it
    assert sent == [("b", note.id)]
    assert repo_a.pending_notifications("telegram") == []
    (done,) = repo_a.notifications_for(note.user)
    assert done.attempts == 2 and done.sent_at is not None


async def test_given_up_after_max_attempts_logs_only_the_id(
    db_overrides: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    repo = _repo(db_overrides)
    repo.enqueue(_notes(1, text="very private words"))
    (note,) = repo.pending_notifications("telegram")
    assert note.id is not None
    clock, sent = Clock(), list[tuple[str, int]]()
    n = RecordingNotifier(repo, clock, sent, worker_id="a", max_attempts=3)
    n.fail_ids.add(note.id)
    caplog.set_level(logging.INFO)
    for attempt in range(1, 4):
        await n.deliver_pending()
        clock.now += backoff(attempt) + timedelta(seconds=1)
    assert repo.pending_notifications("telegram") == []  # given up
    n.fail_ids.clear()
    clock.now += timedelta(days=1)
    assert await n.deliver_pending() == 0 and sent == []
    assert f"notification {note.id} outbox.given_up" in caplog.text
    assert "private" not in caplog.text and "1000" not in caplog.text


def test_a_claim_left_by_a_dead_instance_is_taken_over_after_the_lease(
    db_overrides: dict[str, Any],
) -> None:
    repo = _repo(db_overrides)
    repo.enqueue(_notes(1))
    lease = timedelta(minutes=2)
    assert len(repo.claim_notifications("telegram", "dead", NOW, 10, lease)) == 1
    assert repo.claim_notifications("telegram", "alive", NOW + lease / 2, 10, lease) == []
    later = NOW + lease + timedelta(seconds=1)
    assert len(repo.claim_notifications("telegram", "alive", later, 10, lease)) == 1
    repo.release_notification(1, "dead", later, None)  # the dead one's late release: ignored
    assert len(repo.pending_notifications("telegram")) == 1


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff(i).total_seconds() for i in (1, 2, 3)] == [2, 4, 8]
    assert backoff(30) == timedelta(minutes=10)


def test_a_telegram_update_is_taken_in_once(db_overrides: dict[str, Any]) -> None:
    repo_a, repo_b = _repo(db_overrides), _repo(db_overrides)
    assert repo_a.claim_update(5_000_000_001, NOW)
    assert not repo_b.claim_update(5_000_000_001, NOW + timedelta(seconds=1))
    assert not repo_a.claim_update(5_000_000_001, NOW + timedelta(seconds=2))
    assert repo_b.claim_update(5_000_000_002, NOW + timedelta(hours=30))
    assert repo_a.purge_updates(NOW + timedelta(hours=24)) == 1  # the old id only
    assert repo_a.claim_update(5_000_000_001, NOW + timedelta(hours=31))  # forgotten
    assert not repo_a.claim_update(5_000_000_002, NOW + timedelta(hours=31))


def test_an_update_recorded_meanwhile_by_another_instance_leaves_the_batch(
    db_overrides: dict[str, Any],
) -> None:
    """Another instance records one of the batch's updates in a transaction still open when
    the batch is written: the batch waits for it, then takes in the others only."""
    repo_a, repo_b = _repo(db_overrides), _repo(db_overrides)
    batch = [(7_000_000_001, "{}"), (7_000_000_002, "{}"), (7_000_000_003, "{}")]
    taken: list[list[int]] = []
    with repo_b.engine.connect() as other:
        other.execute(
            text("INSERT INTO telegram_updates (update_id, seen_at) VALUES (7000000002, :at)"),
            {"at": NOW.replace(tzinfo=None)},
        )
        writer = threading.Thread(target=lambda: taken.append(repo_a.claim_updates(batch, NOW)))
        writer.start()
        writer.join(0.5)
        assert writer.is_alive()  # waiting for the other instance's transaction
        other.commit()
    writer.join(10)
    assert taken == [[7_000_000_001, 7_000_000_003]]
    assert repo_a.claim_updates(batch, NOW) == []
    assert repo_b.claim_updates([*batch, (7_000_000_004, "{}")], NOW) == [7_000_000_004]


def test_an_update_left_unhandled_is_taken_over_once_after_its_lease(
    db_overrides: dict[str, Any],
) -> None:
    repo_a, repo_b = _repo(db_overrides), _repo(db_overrides)
    batch = [(6_000_000_001, '{"update_id": 6000000001}'), (6_000_000_002, '{"x": "secret"}')]
    assert repo_a.claim_updates(batch, NOW) == [6_000_000_001, 6_000_000_002]
    assert repo_b.claim_updates([*batch, (6_000_000_003, "{}")], NOW) == [6_000_000_003]
    repo_a.mark_updates_handled([6_000_000_001], NOW)
    lease = timedelta(minutes=5)
    assert repo_b.take_over_updates(NOW + timedelta(minutes=1), NOW, 10) == []  # not stale yet
    later = NOW + timedelta(minutes=10)
    taken = repo_b.take_over_updates(later, later - lease, 10)
    assert taken == [(6_000_000_002, '{"x": "secret"}'), (6_000_000_003, "{}")]
    assert repo_a.take_over_updates(later, later - lease, 10) == []  # taken over once
    with repo_a.engine.connect() as conn:  # the content is stored encrypted
        stored = conn.execute(
            text("SELECT payload FROM telegram_updates WHERE update_id = 6000000002")
        ).scalar_one()
    assert "secret" not in stored
    repo_b.mark_updates_handled([6_000_000_002], later)
    with repo_a.engine.connect() as conn:  # and forgotten once handled
        assert (
            conn.execute(
                text("SELECT payload FROM telegram_updates WHERE update_id = 6000000002")
            ).scalar_one()
            is None
        )


def test_upgrade_from_the_first_revision_keeps_the_outbox(db_overrides: dict[str, Any]) -> None:
    engine = create_engine(db_overrides["database_url"])
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO outbox (channel, external_id, language, text, created_at, attempts)"
                " VALUES ('telegram', '7', 'fr', 'x', :at, 3)"
            ),
            {"at": NOW},
        )
    assert migrate.upgrade(engine) == ("0001", migrate.HEAD)
    engine.dispose()
    with engine.connect() as conn:
        row = conn.execute(text("SELECT attempts, claimed_by, given_up_at FROM outbox")).one()
    assert tuple(row) == (3, None, None)


def _start_up(url: str, key: str, go: Any, out: Any) -> None:
    go.wait()
    try:
        build_repository(load_settings(database_url=url, encryption_key=key))
        out.put("ok")
    except Exception as exc:  # reported to the test
        out.put(f"{type(exc).__name__}: {exc}")


def test_instances_starting_together_on_a_fresh_sqlite_file_migrate_once(tmp_path: Path) -> None:
    from tests.dbfixtures import TEST_KEY

    ctx = multiprocessing.get_context("fork")  # imports done: all start at once
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    go, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_start_up, args=(url, TEST_KEY, go, out)) for _ in range(3)]
    for p in procs:
        p.start()
    go.set()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(30)
    assert results == ["ok"] * 3
    engine = create_engine(url)
    assert migrate.current_revision(engine) == migrate.HEAD
