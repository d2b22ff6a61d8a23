"""Benchmark: reminder sweeps over N open requests (default 100,000; `-n 1000000` for the
million) on SQLite, or on the database of `--database-url` (e.g. postgresql+psycopg://...;
its tables are dropped first only with --reset). The requests are inserted in chunks, so the
bench itself stays small at any N.

Requests are GDPR ones received over the last `--spread-days` days (default 30), so at "now"
about a quarter of them have a reminder point reached. Posting goes to an in-memory channel
(the Slack round trip is not what is measured). Prints, with the process's RSS:

  state of a full sweep  every point reached at "now" recorded as sent and each request's
                         next reminder day set, in bulk (prepares the state; not a figure)
  nothing due            15 and 30 minutes later: what every sweep costs (target <= 50 ms
                         at 1,000,000: index range queries, whatever N)
  backlog                the next morning, the points reached overnight, and the sweeps
                         after it: at most MAX_PER_SWEEP posts each (each post one durable
                         commit), reading at most CANDIDATES_PER_SWEEP requests, so memory
                         stays flat while the backlog drains at a steady rate

Usage: python bench/reminder_sweep.py [-n 100000] [--database-url URL] [--reset]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import Engine

from privbot.adapters.holiday_calendar import holiday_checker
from privbot.adapters.migrate import upgrade
from privbot.adapters.persistence.slack_store import SlackStore
from privbot.adapters.persistence.tables import metadata, reminder_claims, requests
from privbot.core import deadlines
from privbot.core.model import Jurisdiction, RequestType
from privbot.core.reminders import Timeline, due_point, local_day, next_day
from privbot.services.reminders import Digest, ReminderNotice, ReminderService

PARIS = ZoneInfo("Europe/Paris")
CHUNK = 5000
STATUSES = ("verified", "acknowledged", "in_progress")


class NullChannel:
    """Accepts every post at once (counts them)."""

    def __init__(self) -> None:
        self.posts = 0

    async def send_reminder(self, notice: ReminderNotice, thread: tuple[str, str] | None) -> str:
        self.posts += 1
        return f"{self.posts}.000"

    async def send_digest(self, digest: Digest) -> str:
        return "0.0"


def rows(n: int, now: datetime, spread_days: int) -> Iterator[list[dict[str, Any]]]:
    """The requests, generated in chunks of CHUNK (memory stays flat at any -n)."""
    is_holiday = holiday_checker("FR")
    cache: dict[date, deadlines.LegalDates] = {}
    rng = random.Random(42)
    chunk: list[dict[str, Any]] = []
    for i in range(n):
        received_at = now - timedelta(seconds=rng.randrange(spread_days * 86400))
        day = received_at.astimezone(PARIS).date()
        d = cache.get(day) or cache.setdefault(
            day, deadlines.compute(Jurisdiction.EU, RequestType.ACCESS, day, is_holiday)
        )
        chunk.append({
            "reference": f"DSR-{2026 + i // 999_999}-{i % 999_999 + 1:06d}",
            "year": 2026 + i // 999_999, "number": i % 999_999 + 1,
            "channel": "telegram", "external_id": str(100000 + i), "type": "access",
            "jurisdiction": "eu", "details_json": "[]", "email": None,
            "status": STATUSES[i % 3], "language": "fr",
            "received_at": received_at, "received_on": day, "due": d.due, "ack_due": None,
            "extended_due": d.extended_due, "due_explanation": "", "ack_due_explanation": "",
            "extended_due_explanation": "", "extended": False, "updated_at": received_at,
        })  # fmt: skip
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def settle(store: SlackStore, engine: Engine, now: datetime) -> int:
    """The state a sweep at `now` that posted everything leaves: each point reached recorded
    as sent, each request's next reminder day set (in bulk: one sweep posting 250,000
    reminders one commit each would take minutes, and is not what is measured)."""
    today = local_day(now, PARIS)
    candidates = store.candidates(today)
    claims: list[dict[str, Any]] = []
    nexts: dict[str, date] = {}
    for c in candidates:
        timeline = Timeline(c.status, c.due, c.ack_due, c.received)
        point, following = due_point(timeline, today), next_day(timeline, today)
        if point is not None:
            claims.append({
                "reference": c.reference, "key": point.key, "for_due": point.for_due,
                "claimed_by": "bench", "claimed_at": now, "sent_at": now, "ts": "0",
            })  # fmt: skip
        if following is not None:
            nexts[c.reference] = following
    with engine.begin() as conn:
        for i in range(0, len(claims), CHUNK):
            conn.execute(insert(reminder_claims), claims[i : i + CHUNK])
    store.set_next(nexts)
    if engine.dialect.name == "postgresql":  # as autovacuum would after so many changes
        with engine.begin() as conn:
            conn.execute(text("ANALYZE requests"))
    return len(candidates)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--spread-days", type=int, default=30)
    ap.add_argument("--reset", action="store_true", help="drop privbot's tables first")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(tmp.name) / 'bench.sqlite3'}"
    engine = create_engine(url)
    if args.reset:
        metadata.drop_all(engine)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(engine)
    store = SlackStore(engine)

    now = datetime(2026, 6, 15, 9, 0, tzinfo=PARIS)
    t0 = time.perf_counter()
    for chunk in rows(args.n, now.astimezone(UTC), args.spread_days):
        with engine.begin() as conn:
            conn.execute(insert(requests), chunk)
    print(
        f"{engine.dialect.name}: {args.n} open requests inserted "
        f"in {time.perf_counter() - t0:.1f} s"
    )

    t = time.perf_counter()
    settled = settle(store, engine, now)
    print(f"{'state of a full sweep':24s} {(time.perf_counter() - t) * 1000:8.0f} ms  "
          f"candidates {settled:7d}  (prepared in bulk, not a figure)")  # fmt: skip
    channel = NullChannel()
    service = ReminderService(store, channel, PARIS)
    night = datetime(2026, 6, 16, 0, 5, tzinfo=PARIS)
    for label, at in (
        ("nothing due (+15 min)", now + timedelta(minutes=15)),
        ("nothing due (+30 min)", now + timedelta(minutes=30)),
        ("next day: backlog", night),
        *((f"backlog, sweep {i + 2}", night + timedelta(minutes=15 * (i + 1))) for i in range(4)),
        ("later that day", datetime(2026, 6, 16, 11, 0, tzinfo=PARIS)),
    ):
        before = channel.posts
        t = time.perf_counter()
        result = await service.sweep(at)
        took = time.perf_counter() - t
        print(
            f"{label:24s} {took * 1000:8.0f} ms  candidates {result.candidates:7d}  "
            f"sent {channel.posts - before:6d}  RSS {_rss_mb():.0f} MB"
        )
    tmp.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
