"""Benchmark: one reminder sweep over N open requests (default 100,000) on SQLite, or on the
database of `--database-url` (e.g. postgresql+psycopg://...; its tables are dropped first only
with --reset).

Requests are GDPR ones received over the last `--spread-days` days (default 30), so at "now"
about a quarter of them have a reminder point reached. Posting goes to an in-memory channel
(the Slack round trip is not what is measured). Prints:

  warm-up         every point reached at "now" claimed and "posted" with no cap (on SQLite
                  with synchronous=OFF: it only prepares the state, it is not the figure)
  steady sweep    15 minutes later: nothing new is due (what every sweep costs; target <= 1 s)
  next-day sweep  the next morning: the points reached overnight (capped at MAX_PER_SWEEP
                  posts per sweep; each post is one durable commit, so this one is bounded by
                  the disk's fsync, and in real life by Slack's one message per second)

Usage: python bench/reminder_sweep.py [-n 100000] [--database-url URL] [--reset]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, event, insert, text

from privbot.adapters.holiday_calendar import holiday_checker
from privbot.adapters.migrate import upgrade
from privbot.adapters.persistence.slack_store import SlackStore
from privbot.adapters.persistence.tables import RequestRow, metadata
from privbot.core import deadlines
from privbot.core.model import Jurisdiction, RequestType
from privbot.services.reminders import Digest, ReminderNotice, ReminderService

PARIS = ZoneInfo("Europe/Paris")
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


def rows(n: int, now: datetime, spread_days: int) -> list[dict[str, Any]]:
    is_holiday = holiday_checker("FR")
    cache: dict[date, deadlines.LegalDates] = {}
    rng = random.Random(42)
    out = []
    for i in range(n):
        received_at = now - timedelta(seconds=rng.randrange(spread_days * 86400))
        day = received_at.astimezone(PARIS).date()
        d = cache.get(day) or cache.setdefault(
            day, deadlines.compute(Jurisdiction.EU, RequestType.ACCESS, day, is_holiday)
        )
        out.append({
            "reference": f"DSR-2026-{i + 1:06d}" if i < 999_999 else f"DSR-2027-{i:06d}",
            "year": 2026 if i < 999_999 else 2027, "number": i + 1,
            "channel": "telegram", "external_id": str(100000 + i), "type": "access",
            "jurisdiction": "eu", "details_json": "[]", "email": None,
            "status": STATUSES[i % 3], "language": "fr",
            "received_at": received_at, "received_on": day, "due": d.due, "ack_due": None,
            "extended_due": d.extended_due, "due_explanation": "", "ack_due_explanation": "",
            "extended_due_explanation": "", "extended": False, "updated_at": received_at,
        })  # fmt: skip
    return out


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
    data = rows(args.n, now.astimezone(UTC), args.spread_days)
    with engine.begin() as conn:
        for i in range(0, len(data), 5000):
            conn.execute(insert(RequestRow.__table__), data[i : i + 5000])  # type: ignore[attr-defined]
    print(
        f"{engine.dialect.name}: {args.n} open requests inserted "
        f"in {time.perf_counter() - t0:.1f} s"
    )

    channel = NullChannel()
    warm_engine = create_engine(url)
    if warm_engine.dialect.name == "sqlite":

        @event.listens_for(warm_engine, "connect")
        def _fast(conn: Any, _: Any) -> None:
            conn.execute("PRAGMA synchronous=OFF")

    warm = ReminderService(SlackStore(warm_engine), channel, PARIS, max_per_sweep=None)
    t = time.perf_counter()
    result = await warm.sweep(now)
    print(f"{'warm-up (uncapped)':24s} {(time.perf_counter() - t) * 1000:8.0f} ms  "
          f"candidates {result.candidates:6d}  sent {channel.posts:6d}")  # fmt: skip
    service = ReminderService(store, channel, PARIS)
    for label, at in (
        ("steady sweep (+15 min)", now + timedelta(minutes=15)),
        ("next-day sweep (00:05)", datetime(2026, 6, 16, 0, 5, tzinfo=PARIS)),
        ("next sweep (+15 min)", datetime(2026, 6, 16, 0, 20, tzinfo=PARIS)),
        ("steady, later that day", datetime(2026, 6, 16, 11, 0, tzinfo=PARIS)),
    ):
        before = channel.posts
        t = time.perf_counter()
        result = await service.sweep(at)
        took = time.perf_counter() - t
        print(
            f"{label:24s} {took * 1000:8.0f} ms  candidates {result.candidates:6d}  "
            f"sent {channel.posts - before:6d}"
        )
    tmp.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
