"""The weekly inbox digest through `privbot run`'s own wiring (build_app + build_service), on a
real database (SQLite, and PostgreSQL when configured) and a loopback Slack Web API server:
posted to the admin channel once per week, whatever the number of instances and restarts; a
failed post is retried by the next run; an empty week posts nothing; nothing in it but counts
and redacted examples."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fakes.slack_server import FakeSlack
from fakes.slack_world import settings_for

from privbot.bootstrap import App, ServiceWiring, build_app, build_service
from privbot.content.knowledge import Knowledge
from privbot.core import choices as ch
from privbot.core.model import Incoming, UserKey

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 3, 9, tzinfo=PARIS)  # a Monday
ADMIN = "CADMIN"


class Instance:
    """One `privbot run` process's wiring, its clock set by the test."""

    def __init__(self, settings: Any, knowledge: Knowledge) -> None:
        self.now = MONDAY
        self.app: App = build_app(settings, knowledge=knowledge)
        self.wiring: ServiceWiring = build_service(self.app, lambda: self.now)

    async def run_job(self, at: datetime) -> None:
        self.now = at
        await self.wiring.scheduler.inbox_job()

    def close(self) -> None:
        self.app.engine.dispose()


def digests(slack: FakeSlack) -> list[dict[str, Any]]:
    return [p for p in slack.posts() if str(p.get("text", "")).startswith("Weekly inbox")]


async def test_weekly_digest_once_across_instances_and_restarts(
    tmp_path: Path, slack: FakeSlack, knowledge: Knowledge, db_overrides: dict[str, Any]
) -> None:
    settings = settings_for(tmp_path, slack.url, slack_admin_channel=ADMIN, **db_overrides)
    a, b = Instance(settings, knowledge), Instance(settings, knowledge)
    user = UserKey("telegram", "4242")
    last_week = MONDAY - timedelta(days=3)
    for text in (
        "my name is Ann Lee, what is the weather in Paris",
        "what's the weather in Paris today",
        "quel temps fait-il à Paris",
        "combien de temps gardez-vous mes données",  # answered: counted, not kept
    ):
        a.app.conversation.handle(Incoming(user, text), last_week)
    down = ch.feedback("t1", False, "5", "retention")  # on the last answer
    a.app.conversation.handle(Incoming(user, "", choice=down), last_week)
    a.wiring.scheduler.counts_now()  # the minute job: counts reach the database

    await a.run_job(MONDAY.replace(hour=8))  # before the digest hour: not due
    assert digests(slack) == []
    await asyncio.gather(a.run_job(MONDAY.replace(hour=10)), b.run_job(MONDAY.replace(hour=10)))
    await b.run_job(MONDAY.replace(hour=11))
    [posted] = digests(slack)
    assert posted["channel"] == ADMIN
    text = posted["text"]
    assert "4 question(s), 3 fallback(s) (75.0%)" in text and "1 answer(s) marked 👎" in text
    assert "(3 of 3 group(s))" in text and "oos_weather" in text
    assert "1. `" in text and "2x (en 2)" in text and "2. `" in text and "1x (fr 1)" in text
    assert "combien de temps gardez-vous mes données" in text  # the 👎'd question
    assert "👍/👎 per intent: retention 0/1" in text
    assert "my name is &lt;name&gt;, what is the weather in Paris" in text  # redacted, escaped
    assert "Ann" not in text and "Lee" not in text and "http" not in text

    restarted = Instance(settings, knowledge)  # a restart on Wednesday: already posted
    await restarted.run_job(MONDAY + timedelta(days=2, hours=12))
    assert len(digests(slack)) == 1

    a.app.conversation.handle(Incoming(user, "what is the weather in Lyon"), MONDAY)
    a.wiring.scheduler.stop()  # counts are written at stop too
    slack.fail_next("chat.postMessage", 500)  # next week's first attempt fails...
    next_week = MONDAY + timedelta(days=7, hours=10)
    await a.run_job(next_week)
    assert len(digests(slack)) == 1
    await asyncio.gather(b.run_job(next_week + timedelta(hours=1)),
                         restarted.run_job(next_week + timedelta(hours=1)))  # fmt: skip
    assert len(digests(slack)) == 2  # ...and the next run posts it, once
    assert "1 question(s), 1 fallback(s)" in digests(slack)[1]["text"]
    await a.run_job(next_week + timedelta(days=7))  # a week with nothing: nothing posted
    assert len(digests(slack)) == 2
    for instance in (a, b, restarted):
        instance.close()


async def test_fallback_rate_survives_a_taught_group(
    tmp_path: Path, slack: FakeSlack, knowledge: Knowledge, db_overrides: dict[str, Any]
) -> None:
    """`intents inbox --add` forgets the entries of the group it taught; the week's fallback
    figure is the matcher's own count, so it still says how often the bot fell back."""
    settings = settings_for(tmp_path, slack.url, slack_admin_channel=ADMIN, **db_overrides)
    a = Instance(settings, knowledge)
    user = UserKey("telegram", "4243")
    last_week = MONDAY - timedelta(days=3)
    for text in ("what's the weather in Paris today", "quel temps fait-il à Paris"):
        a.app.conversation.handle(Incoming(user, text), last_week)
    a.wiring.scheduler.counts_now()
    repo = a.app.repo
    taught = [e.id for e in repo.inbox_entries() if e.language == "en" and e.id is not None]
    assert len(taught) == 1 and repo.forget_inbox_entries(taught) == 1  # what --add does
    await a.run_job(MONDAY.replace(hour=10))
    [posted] = digests(slack)
    assert "2 question(s), 2 fallback(s) (100.0%)" in posted["text"]
    a.close()
