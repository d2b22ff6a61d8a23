"""Staff hear of a sustained attack on e-mail verification: alerts counted in the database by
`LimitStore`, posted once to the staff channel (loopback Slack Web API server) by the
scheduler's post job, with nothing identifying the account or the address; stale counters
are forgotten by retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakes.slack_server import FakeSlack
from fakes.slack_world import CHANNEL, PARIS, World
from sqlalchemy import func, select

from privbot.adapters.persistence.limits import LimitStore
from privbot.adapters.persistence.tables import verification_limits
from privbot.adapters.scheduler import JobScheduler
from privbot.adapters.slack.alerts import AlertPoster
from privbot.core import abuse
from privbot.core.abuse import Action

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADDRESS = "victim@example.org"
ACCOUNT = "telegram:31337"


def hammer(store: LimitStore, start: datetime, days: int) -> datetime:
    """Guess codes for one address as fast as the limits allow, for `days`."""
    keys = abuse.scope_keys(b"k" * 32, ACCOUNT, ADDRESS)
    at = start
    while at < start + timedelta(days=days):
        verdict = store.judge(Action.GUESS, keys, at)
        at = verdict.retry_at or at + timedelta(seconds=20)
    return at


def rows(world: World) -> int:
    with world.engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(verification_limits)).scalar_one())


async def test_sustained_attack_is_posted_once_to_staff(world: World, slack: FakeSlack) -> None:
    store = LimitStore(world.engine)
    hammer(store, NOW, 2)
    alerts = store.alerts()
    assert {a.kind for a in alerts} >= {"guess:address"}
    clock = [NOW + timedelta(days=2)]
    poster = AlertPoster(world.poster.client, store, CHANNEL, PARIS)
    scheduler = JobScheduler(world.reminders, world.poster, PARIS, interval_minutes=15,
                             digest_hour=9, clock=lambda: clock[0],
                             alerts=poster)  # fmt: skip
    await scheduler.post_job()
    await scheduler.post_job()
    posts = [p for p in slack.posts() if "verification" in p.get("text", "")]
    assert len(posts) == len(alerts)
    text = posts[0]["text"]
    assert "one e-mail address" in text and "locked until" in text
    assert "victim" not in slack.payload_text() and "31337" not in slack.payload_text()
    for key in abuse.scope_keys(b"k" * 32, ACCOUNT, ADDRESS).values():
        assert key[:12] not in slack.payload_text()


async def test_a_failed_post_is_retried(world: World, slack: FakeSlack) -> None:
    store = LimitStore(world.engine)
    hammer(store, NOW, 2)
    poster = AlertPoster(world.poster.client, store, CHANNEL, PARIS)
    slack.fail_next("chat.postMessage", 500)
    assert await poster.post_new(NOW + timedelta(days=2)) == []
    posted = await poster.post_new(NOW + timedelta(days=2, minutes=1))
    assert posted and len(posted) == len(store.alerts())


def test_retention_forgets_counters_that_are_as_good_as_new(world: World) -> None:
    store = LimitStore(world.engine)
    hammer(store, NOW, 2)
    assert rows(world) == 3  # account, address, global
    world.repo.purge(NOW + timedelta(days=2), NOW - timedelta(days=700))
    assert rows(world) == 3  # still locked or recent
    later = NOW + timedelta(days=30)
    world.repo.purge(later, later - timedelta(days=700))
    assert rows(world) == 0
