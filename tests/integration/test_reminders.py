"""Reminders against a real SQLite file and a loopback Slack Web API server: the schedule over
a request's life with a clock passed in, catch-up after downtime, exactly once with two
schedulers on one database, Slack 500 then 200, mentions, extension, closing, the CLI."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from fakes.slack_server import FakeSlack
from fakes.slack_world import (
    CHANNEL,
    DUE,
    RECEIVED,
    STAFF,
    World,
    add_request,
    at,
    make_world,
    settings_for,
)

from privbot.core.model import Jurisdiction, RequestType, UserKey


def keys(world: World, reference: str) -> list[str]:
    return [k for _, k, _ in world.store.sent_claims(reference)]


async def test_each_point_once_over_a_life(world: World, slack: FakeSlack) -> None:
    req = add_request(world.repo, RECEIVED)
    assert await world.poster.post_new(at(RECEIVED.date())) == [req.reference]
    parent = slack.posts()[0]
    assert parent["channel"] == CHANNEL
    day = RECEIVED.date()
    while day <= DUE + timedelta(days=2):
        for hour, minute in ((0, 5), (9, 0), (9, 15), (18, 30)):
            await world.reminders.sweep(at(day, hour, minute))
        day += timedelta(days=1)
    assert keys(world, req.reference) == [
        "due_minus_7", "due_minus_3", "due_minus_1", "due_today",
        "overdue:2026-03-17", "overdue:2026-03-18",
    ]  # fmt: skip
    replies = slack.replies()
    assert len(replies) == 6
    assert {r["channel"] for r in replies} == {CHANNEL}
    ts = slack.of("chat.postMessage")[0]
    assert all(r["thread_ts"] for r in replies)
    assert ts["text"].startswith(req.reference)
    assert "7 days left" in replies[0]["text"] and "due today" not in replies[0]["text"]
    assert "overdue" in replies[4]["text"] and f"<@{STAFF}>" in replies[4]["text"]


async def test_catch_up_after_downtime_sends_only_the_latest(
    world: World, slack: FakeSlack
) -> None:
    req = add_request(world.repo, RECEIVED)
    await world.poster.post_new(at(RECEIVED.date()))
    # Down from the receipt until the day before the deadline: -7 and -3 were missed.
    result = await world.reminders.sweep(at(DUE - timedelta(days=1), 11))
    assert [n.point.key for n in result.sent] == ["due_minus_1"]
    await world.reminders.sweep(at(DUE - timedelta(days=1), 12))
    # Down again for three overdue days: one reminder for the latest day only.
    await world.reminders.sweep(at(DUE + timedelta(days=4), 10))  # after PRIVBOT_REMINDER_HOUR
    assert keys(world, req.reference) == ["due_minus_1", "overdue:2026-03-20"]
    assert len(slack.replies()) == 2


async def test_two_schedulers_on_one_database_send_each_once(
    tmp_path: Path, slack: FakeSlack
) -> None:
    settings = settings_for(tmp_path, slack.url)
    a, b = make_world(settings), make_world(settings)  # two engines, two Slack clients
    refs = [add_request(a.repo, RECEIVED + timedelta(days=i)).reference for i in range(5)]
    await asyncio.gather(a.poster.post_new(at(date(2026, 2, 21))),
                         b.poster.post_new(at(date(2026, 2, 21))))  # fmt: skip
    assert len(slack.posts()) == 5  # each request posted once
    day = date(2026, 3, 8)
    while day <= date(2026, 3, 25):
        for hour in (0, 9, 17):
            await asyncio.gather(a.reminders.sweep(at(day, hour)), b.reminders.sweep(at(day, hour)))
        day += timedelta(days=1)
    sent = a.store.sent_claims()
    assert len(sent) == len(set(sent))
    assert len(slack.replies()) == len(sent)
    for ref in refs:
        ks = keys(a, ref)
        assert ks[:4] == ["due_minus_7", "due_minus_3", "due_minus_1", "due_today"]
        assert all(k.startswith("overdue:") for k in ks[4:])
        assert len(ks) == len(set(ks))


async def test_slack_500_then_200_sends_once(world: World, slack: FakeSlack) -> None:
    req = add_request(world.repo, RECEIVED)
    await world.poster.post_new(at(RECEIVED.date()))
    slack.fail_next("chat.postMessage", 500)
    first = await world.reminders.sweep(at(date(2026, 3, 9), 9))
    assert first.sent == () and [n.point.key for n in first.failed] == ["due_minus_7"]
    assert keys(world, req.reference) == []  # not marked sent
    second = await world.reminders.sweep(at(date(2026, 3, 9), 9, 15))
    assert [n.point.key for n in second.sent] == ["due_minus_7"]
    await world.reminders.sweep(at(date(2026, 3, 9), 9, 30))
    assert keys(world, req.reference) == ["due_minus_7"]
    assert len(slack.replies()) == 1
    assert [c.status for c in slack.calls if c.method == "chat.postMessage"] == [200, 500, 200]


async def test_request_posting_retried_after_500(world: World, slack: FakeSlack) -> None:
    req = add_request(world.repo, RECEIVED)
    slack.fail_next("chat.postMessage", 500)
    assert await world.poster.post_new(at(RECEIVED.date())) == []
    assert world.store.thread_of(req.reference) is None
    assert await world.poster.post_new(at(RECEIVED.date())) == [req.reference]
    assert await world.poster.post_new(at(RECEIVED.date())) == []
    assert world.store.thread_of(req.reference) is not None


async def test_overdue_mentions_the_assignee(world: World, slack: FakeSlack) -> None:
    req = add_request(world.repo, RECEIVED)
    await world.poster.post_new(at(RECEIVED.date()))
    world.requests.assign(req.reference, "slack:UASSIGNEE", at(RECEIVED.date()))
    await world.reminders.sweep(at(DUE + timedelta(days=1)))
    (reply,) = slack.replies()
    assert "<@UASSIGNEE>" in reply["text"] and reply.get("reply_broadcast") in (True, "true", 1)


async def test_staff_group_is_mentioned(tmp_path: Path, slack: FakeSlack) -> None:
    w = make_world(settings_for(tmp_path, slack.url, slack_staff="S0PRIVACY"))
    add_request(w.repo, RECEIVED)
    await w.reminders.sweep(at(DUE + timedelta(days=2)))
    (post,) = slack.posts()  # never posted as a request: the reminder goes to the channel
    assert "<!subteam^S0PRIVACY>" in post["text"]


async def test_closed_and_extended_requests(world: World, slack: FakeSlack) -> None:
    done = add_request(world.repo, RECEIVED)
    ext = add_request(world.repo, RECEIVED, user=_user("2002"))
    await world.poster.post_new(at(RECEIVED.date()))
    await world.reminders.sweep(at(date(2026, 3, 9)))
    assert len(slack.replies()) == 2
    world.requests.complete(done.reference, "slack:U1", None, at(date(2026, 3, 10)))
    extended = world.requests.extend(ext.reference, "slack:U1", "volume", at(date(2026, 3, 10)))
    new_due = extended.due
    assert new_due > DUE
    day = date(2026, 3, 10)
    while day <= new_due:
        await world.reminders.sweep(at(day))
        day += timedelta(days=1)
    assert keys(world, done.reference) == ["due_minus_7"]
    assert keys(world, ext.reference) == [
        "due_minus_7",
        "due_minus_7",
        "due_minus_3",
        "due_minus_1",
        "due_today",
    ]  # the first for 16 March, then a fresh series for the extended date
    assert [d for _, _, d in world.store.sent_claims(ext.reference)][1:] == [new_due] * 4


async def test_ccpa_acknowledgement_reminder(world: World, slack: FakeSlack) -> None:
    req = add_request(world.repo, RECEIVED, Jurisdiction.CALIFORNIA, RequestType.ERASURE,
                      details={"close_account": "yes"})  # fmt: skip
    ack_due = req.dates.ack_due
    assert ack_due is not None
    await world.reminders.sweep(at(ack_due - timedelta(days=3)))
    assert keys(world, req.reference) == []
    await world.reminders.sweep(at(ack_due - timedelta(days=2)))
    assert keys(world, req.reference) == ["ack_due"]
    world.requests.acknowledge(req.reference, "slack:U1", at(ack_due - timedelta(days=1)))
    await world.reminders.sweep(at(ack_due))
    assert keys(world, req.reference) == ["ack_due"]


async def test_digest_once_a_day(tmp_path: Path, slack: FakeSlack) -> None:
    settings = settings_for(tmp_path, slack.url)
    a, b = make_world(settings), make_world(settings)
    for i in range(3):
        add_request(a.repo, RECEIVED + timedelta(days=i), user=_user(str(3000 + i)))
    results = await asyncio.gather(a.reminders.digest(at(date(2026, 3, 1))),
                                   b.reminders.digest(at(date(2026, 3, 1))))  # fmt: skip
    assert sum(r is not None for r in results) == 1
    (post,) = slack.posts()
    assert "3 open request" in post["text"]


async def test_reminder_waits_for_its_request_message_posted_elsewhere(
    world: World, slack: FakeSlack
) -> None:
    """Another instance has claimed the request's Slack post and not posted it yet: the sweep
    leaves the reminder for later, so that it goes in the message's thread, not beside it."""
    req = add_request(world.repo, RECEIVED)
    now = at(date(2026, 3, 13))
    assert world.store.claim_post(req.reference, CHANNEL, "other-instance", now, timedelta(1))
    first = await world.reminders.sweep(now)
    assert first.sent == () and slack.posts() == []
    world.store.posted(req.reference, "other-instance", "1700000000.000100", now)
    second = await world.reminders.sweep(now + timedelta(minutes=15))
    assert [n.point.key for n in second.sent] == ["due_minus_3"]
    assert len(slack.replies("1700000000.000100")) == 1


def test_cli_two_processes_send_once(tmp_path: Path) -> None:
    """`privbot reminders run --now` twice at once on one SQLite file: one set of reminders."""

    async def scenario() -> tuple[list[str], list[dict[str, object]]]:
        server = FakeSlack()
        await server.start()
        try:
            settings = settings_for(tmp_path, server.url)
            w = make_world(settings)
            for i in range(3):
                add_request(w.repo, RECEIVED, user=_user(str(4000 + i)))
            env = {**os.environ, "PRIVBOT_DATABASE_URL": settings.database_url,
                   "PRIVBOT_SLACK_BOT_TOKEN": "xoxb-test", "PRIVBOT_SLACK_API_URL": server.url,
                   "PRIVBOT_SLACK_STAFF_CHANNEL": CHANNEL,
                   "PRIVBOT_SLACK_STAFF": STAFF}  # fmt: skip
            cmd = [sys.executable, "-m", "privbot", "reminders", "run",
                   "--now", "2026-03-13T09:00:00+01:00"]  # fmt: skip
            procs = [
                await asyncio.create_subprocess_exec(
                    *cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
                )
                for _ in range(2)
            ]
            outs = [await p.communicate() for p in procs]
            for p, (_, err) in zip(procs, outs, strict=True):
                assert p.returncode == 0, err.decode()
            lines = [ln for out, _ in outs for ln in out.decode().splitlines()]
            return lines, server.replies()
        finally:
            await server.stop()

    lines, replies = asyncio.run(scenario())
    sent = sorted(ln for ln in lines if ln.startswith("sent "))
    assert len(sent) == 3 and all(" due_minus_3 due 2026-03-16" in ln for ln in sent)
    assert len([ln for ln in lines if ln.startswith("posted ")]) == 3
    assert len(replies) == 3


def _user(external_id: str) -> UserKey:
    return UserKey("telegram", external_id)
