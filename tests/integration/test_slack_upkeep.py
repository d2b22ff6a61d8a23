"""Keeping Slack current and the scheduler's upkeep, against a real SQLite file and a loopback
Slack Web API server, with a clock passed in: request messages re-rendered when the request
changes elsewhere (a user's cancellation) and once a day (days left), only when what they show
changed; the reminder hour; a stalled claim taken over after its lease; daily retention once
across instances; seen Slack event ids pruned."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.slack_server import FakeSlack
from fakes.slack_world import (
    ALICE,
    CHANNEL,
    DUE,
    PARIS,
    RECEIVED,
    World,
    add_request,
    at,
    make_world,
    settings_for,
)

from privbot.adapters.scheduler import JobScheduler
from privbot.adapters.slack.poster import STALE_POST
from privbot.bootstrap import build_app, retention_policy
from privbot.config import load_settings
from privbot.content.knowledge import load_knowledge
from privbot.core.model import UserKey
from privbot.core.reminders import ClaimKey
from privbot.errors import ConfigError
from privbot.runtime import Service
from privbot.services.housekeeping import Housekeeping
from privbot.services.reminders import STALE_CLAIM
from privbot.services.retention import purge

ROOT = Path(__file__).resolve().parents[2]


def updates(slack: FakeSlack) -> list[dict[str, Any]]:
    return slack.of("chat.update")


def shown(params: dict[str, Any]) -> str:
    blocks = params["blocks"]
    return json.dumps(blocks if isinstance(blocks, list) else json.loads(blocks))


def keys(world: World, reference: str) -> list[str]:
    return [k for _, k, _ in world.store.sent_claims(reference)]


# --- request messages kept current -----------------------------------------------------------
async def test_cancellation_by_the_user_reaches_the_message(world: World, slack: FakeSlack) -> None:
    req = add_request(world.repo, RECEIVED)
    await world.poster.post_new(RECEIVED)
    assert await world.poster.refresh(RECEIVED + timedelta(seconds=10)) == []  # nothing new
    later = RECEIVED + timedelta(hours=2)
    world.requests.cancel_by_user(req.reference, ALICE, later)  # what /cancel REF does
    assert await world.poster.refresh(later + timedelta(seconds=10)) == [req.reference]
    (upd,) = updates(slack)
    assert (upd["channel"], upd["ts"]) == world.store.thread_of(req.reference)
    assert "cancelled by the user" in shown(upd) and "cancelled by the user" in upd["text"]
    assert "privbot_actions" not in shown(upd)  # the buttons are gone
    # Once: not again, not the next day (a closed message shows no days left).
    assert await world.poster.refresh(later + timedelta(seconds=20)) == []
    assert await world.poster.refresh(at(RECEIVED.date() + timedelta(days=1), 0, 5)) == []
    assert len(updates(slack)) == 1


async def test_daily_rerender_only_when_the_message_changed(world: World, slack: FakeSlack) -> None:
    req = add_request(world.repo, RECEIVED)
    other = add_request(world.repo, RECEIVED, user=UserKey("telegram", "2002"))
    await world.poster.post_new(RECEIVED)
    world.requests.complete(other.reference, "slack:U1", None, RECEIVED + timedelta(hours=1))
    assert await world.poster.refresh(RECEIVED + timedelta(hours=1)) == [other.reference]
    day2 = RECEIVED.date() + timedelta(days=1)
    # Saved again with nothing visible changed: rendered, compared, not updated.
    world.repo.save_request(world.requests.get(req.reference), now=RECEIVED + timedelta(hours=2))
    assert await world.poster.refresh(RECEIVED + timedelta(hours=3)) == []
    # Next day: the open one shows one day less; the completed one is left alone.
    assert await world.poster.refresh(at(day2, 0, 5)) == [req.reference]
    assert await world.poster.refresh(at(day2, 0, 6)) == []
    assert await world.poster.refresh(at(day2, 15)) == []
    upd = updates(slack)
    assert [u["ts"] for u in upd] == [
        world.store.thread_of(other.reference)[1],  # type: ignore[index]
        world.store.thread_of(req.reference)[1],  # type: ignore[index]
    ]
    left = (DUE - day2).days
    assert f"{left} days left" in shown(upd[1]) and f"{left + 1} days left" not in shown(upd[1])


async def test_refresh_runs_in_the_post_job_and_spreads_updates(
    world: World, slack: FakeSlack
) -> None:
    refs = [
        add_request(world.repo, RECEIVED, user=UserKey("telegram", str(5000 + i))).reference
        for i in range(10)
    ]
    await world.poster.post_new(RECEIVED)
    clock = [at(RECEIVED.date() + timedelta(days=1), 0, 5)]
    scheduler = JobScheduler(world.reminders, world.poster, PARIS, interval_minutes=15,
                                  digest_hour=9, clock=lambda: clock[0])  # fmt: skip
    await scheduler.post_job()
    assert len(updates(slack)) == 8  # REFRESH_PER_RUN: the rest at the next run
    await scheduler.post_job()
    await scheduler.post_job()
    assert sorted(u["ts"] for u in updates(slack)) == sorted(
        world.store.thread_of(r)[1]
        for r in refs  # type: ignore[index]
    )


async def test_post_job_and_sweep_started_together_post_once_and_update_nothing(
    world: World, slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At start the posting job and the sweep (which posts first) run at once: the sweep's
    refresh must not find the message posted but not yet recorded as rendered, and
    chat.update it."""
    add_request(world.repo, RECEIVED)
    record = world.poster.store.rendered

    def slow_record(*args: Any, **kw: Any) -> None:
        time.sleep(0.5)  # the window between 'posted' and 'rendered', widened
        record(*args, **kw)

    monkeypatch.setattr(world.poster.store, "rendered", slow_record)
    scheduler = JobScheduler(world.reminders, world.poster, PARIS, interval_minutes=15,
                             digest_hour=9, clock=lambda: RECEIVED)  # fmt: skip

    async def sweep_a_little_later() -> None:
        await asyncio.sleep(0.2)
        await scheduler.sweep_job()

    await asyncio.gather(scheduler.post_job(), sweep_a_little_later())
    assert len(slack.posts()) == 1
    assert updates(slack) == []


async def test_failed_update_is_retried(world: World, slack: FakeSlack) -> None:
    req = add_request(world.repo, RECEIVED)
    await world.poster.post_new(RECEIVED)
    world.requests.cancel_by_user(req.reference, ALICE, RECEIVED + timedelta(minutes=5))
    slack.fail_next("chat.update", 500)
    assert await world.poster.refresh(RECEIVED + timedelta(minutes=6)) == [req.reference]
    assert updates(slack) == []
    assert await world.poster.refresh(RECEIVED + timedelta(minutes=7)) == [req.reference]
    assert await world.poster.refresh(RECEIVED + timedelta(minutes=8)) == []
    assert len(updates(slack)) == 1


# --- the reminder hour -----------------------------------------------------------------------
async def test_no_reminder_before_the_reminder_hour(world: World, slack: FakeSlack) -> None:
    req = add_request(world.repo, RECEIVED)
    await world.poster.post_new(RECEIVED)
    await world.reminders.sweep(at(DUE, 0, 5))
    await world.reminders.sweep(at(DUE, 8, 59))
    assert keys(world, req.reference) == []  # due today, but not in the night
    await world.reminders.sweep(at(DUE, 9, 0))
    assert keys(world, req.reference) == ["due_today"]
    after = DUE + timedelta(days=1)
    await world.reminders.sweep(at(after, 0, 5))
    await world.reminders.sweep(at(after, 8, 45))
    assert keys(world, req.reference) == ["due_today"]  # overdue waits too
    await world.reminders.sweep(at(after, 9, 15))
    assert keys(world, req.reference) == ["due_today", f"overdue:{after.isoformat()}"]


async def test_catch_up_waits_for_the_hour_and_sends_only_the_latest(
    world: World, slack: FakeSlack
) -> None:
    req = add_request(world.repo, RECEIVED)
    await world.poster.post_new(RECEIVED)
    # Down from the receipt to 08:00 three days after the deadline: nothing at 08:00 (not
    # yesterday's point either), one reminder for today's point at 09:00.
    back = DUE + timedelta(days=3)
    assert (await world.reminders.sweep(at(back, 8))).sent == ()
    assert [n.point.key for n in (await world.reminders.sweep(at(back, 9))).sent] == [
        f"overdue:{back.isoformat()}"
    ]
    # Back at 16:00 after missing 09:00: sent then, still once.
    late = back + timedelta(days=1)
    await world.reminders.sweep(at(late, 16))
    await world.reminders.sweep(at(late, 16, 15))
    assert keys(world, req.reference) == [f"overdue:{back}", f"overdue:{late}"]
    assert len(slack.replies()) == 2


async def test_reminder_hour_setting(tmp_path: Path, slack: FakeSlack) -> None:
    w = make_world(settings_for(tmp_path, slack.url, reminder_hour=14))
    req = add_request(w.repo, RECEIVED)
    await w.reminders.sweep(at(DUE, 13, 59))
    assert keys(w, req.reference) == []
    await w.reminders.sweep(at(DUE, 14))
    assert keys(w, req.reference) == ["due_today"]
    with pytest.raises(ConfigError, match="PRIVBOT_REMINDER_HOUR"):
        load_settings(reminder_hour=24)


# --- a stalled claim -------------------------------------------------------------------------
async def test_stalled_reminder_claim_is_taken_over_after_the_lease(
    world: World, slack: FakeSlack
) -> None:
    req = add_request(world.repo, RECEIVED)
    await world.poster.post_new(RECEIVED)
    start = at(DUE - timedelta(days=7))
    key = ClaimKey(req.reference, "due_minus_7", DUE)
    # An instance claims the reminder and dies before posting it.
    mine, _ = world.store.claim([key], "sweep-dead", start, STALE_CLAIM)
    assert mine == {key}
    during = await world.reminders.sweep(start + STALE_CLAIM - timedelta(minutes=1))
    assert during.sent == () and during.failed == ()  # in flight elsewhere: left alone
    assert slack.replies() == []
    after = await world.reminders.sweep(start + STALE_CLAIM + timedelta(minutes=1))
    assert [n.point.key for n in after.sent] == ["due_minus_7"]
    await world.reminders.sweep(start + STALE_CLAIM + timedelta(minutes=20))
    # The dead instance cannot mark it sent any more: the claim is no longer its own.
    world.store.mark_sent(key, "sweep-dead", "1.1", start + timedelta(hours=1))
    assert keys(world, req.reference) == ["due_minus_7"] and len(slack.replies()) == 1


async def test_stalled_post_claim_is_taken_over_after_the_lease(
    world: World, slack: FakeSlack
) -> None:
    req = add_request(world.repo, RECEIVED)
    assert world.store.claim_post(req.reference, CHANNEL, "poster-dead", RECEIVED, STALE_POST)
    assert await world.poster.post_new(RECEIVED + STALE_POST - timedelta(seconds=30)) == []
    assert await world.poster.post_new(RECEIVED + STALE_POST + timedelta(seconds=30)) == [
        req.reference
    ]
    assert await world.poster.post_new(RECEIVED + STALE_POST + timedelta(minutes=5)) == []
    assert len(slack.posts()) == 1


# --- housekeeping: retention and seen events ---------------------------------------------------
async def test_retention_once_a_day_across_instances(tmp_path: Path, slack: FakeSlack) -> None:
    settings = settings_for(tmp_path, slack.url)
    a, b = make_world(settings), make_world(settings)
    runs: list[datetime] = []

    def retention(now: datetime) -> None:
        runs.append(now)

    ha, hb = Housekeeping(a.store, PARIS, retention), Housekeeping(b.store, PARIS, retention)
    day = date(2026, 3, 1)
    first = await asyncio.gather(ha.run(at(day, 0, 30)), hb.run(at(day, 0, 30)))
    assert sorted(r.retention_ran for r in first) == [False, True] and len(runs) == 1
    for hour in (1, 2, 23):
        await asyncio.gather(ha.run(at(day, hour)), hb.run(at(day, hour)))
    assert len(runs) == 1
    await asyncio.gather(ha.run(at(day + timedelta(days=1), 0, 5)),
                         hb.run(at(day + timedelta(days=1), 0, 5)))  # fmt: skip
    assert len(runs) == 2


async def test_failed_retention_is_retried(world: World) -> None:
    calls: list[datetime] = []

    def flaky(now: datetime) -> None:
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database went away")

    hk = Housekeeping(world.store, PARIS, flaky)
    with pytest.raises(RuntimeError):
        await hk.run(at(date(2026, 3, 1), 3))
    assert (await hk.run(at(date(2026, 3, 1), 4))).retention_ran
    assert not (await hk.run(at(date(2026, 3, 1), 5))).retention_ran
    assert len(calls) == 2


async def test_scheduler_runs_retention_on_the_app(world: World, slack: FakeSlack) -> None:
    """The hourly housekeeping job runs retention: a request closed longer
    ago than PRIVBOT_RECORD_RETENTION_MONTHS goes, and its message is no longer refreshed."""
    old = add_request(world.repo, RECEIVED)
    await world.poster.post_new(RECEIVED)
    world.requests.complete(old.reference, "slack:U1", None, RECEIVED + timedelta(days=1))
    clock = [RECEIVED + timedelta(days=2)]
    policy = retention_policy(world.settings)
    hk = Housekeeping(world.store, PARIS, lambda now: purge(world.repo, policy, now))
    scheduler = JobScheduler(
        world.reminders, world.poster, PARIS,
        interval_minutes=15, digest_hour=9, clock=lambda: clock[0], housekeeping=hk,
    )  # fmt: skip
    await scheduler.housekeeping_job()
    assert world.repo.get_request(old.reference) is not None  # not old enough yet
    months = world.settings.record_retention_months
    clock[0] = RECEIVED + timedelta(days=31 * months + 40)
    await scheduler.housekeeping_job()
    assert world.repo.get_request(old.reference) is None
    assert await world.poster.refresh(clock[0]) == []  # nothing to show for a purged request


async def test_seen_event_ids_are_pruned(world: World) -> None:
    now = at(date(2026, 3, 1), 12)
    assert world.store.first_delivery("Ev-old", now - timedelta(days=2))
    assert world.store.first_delivery("Ev-new", now - timedelta(hours=1))
    clock = [now]
    scheduler = JobScheduler(world.reminders, None, PARIS, interval_minutes=15,
                                  digest_hour=9, clock=lambda: clock[0],
                                  housekeeping=Housekeeping(world.store, PARIS, None))  # fmt: skip
    await scheduler.housekeeping_job()
    assert world.store.seen_events() == 1
    assert not world.store.first_delivery("Ev-new", now)  # still deduplicated
    assert world.store.first_delivery("Ev-old", now)  # forgotten: a day is far past retries


async def test_without_slack_a_scheduler_still_runs_retention(world: World) -> None:
    """`privbot run` with Telegram only starts this part: retention at start, then daily."""
    old = add_request(world.repo, RECEIVED)
    world.requests.complete(old.reference, "slack:U1", None, RECEIVED + timedelta(days=1))
    months = world.settings.record_retention_months
    later = RECEIVED + timedelta(days=31 * months + 40)
    settings = world.settings.model_copy(update={"slack_bot_token": None})
    knowledge = load_knowledge(contact_email="dpo@example.test", corpus_dir=ROOT / "policy_corpus")
    service = Service(settings, app=build_app(settings, knowledge=knowledge), clock=lambda: later)
    try:
        lines = await service.start()
        assert lines[0] == "daily retention" and list(service.parts) == ["housekeeping", "content"]
        for _ in range(100):
            if world.repo.get_request(old.reference) is None:
                break
            await asyncio.sleep(0.05)
        assert world.repo.get_request(old.reference) is None
    finally:
        await service.stop()
