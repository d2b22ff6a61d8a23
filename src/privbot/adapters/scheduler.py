"""The jobs of `privbot run` (APScheduler 3, AsyncIOScheduler in the service's loop):

- post newly verified requests to the staff channel and bring stale request messages up to
  date (a user's cancellation, days left), and post verification abuse alerts (every
  POST_INTERVAL seconds);
- the reminder sweep (every `PRIVBOT_REMINDER_INTERVAL_MINUTES`, first run at start; nothing
  goes out before `PRIVBOT_REMINDER_HOUR`);
- the daily digest (at `PRIVBOT_DIGEST_HOUR` in `PRIVBOT_TIMEZONE`);
- housekeeping (hourly, first run at start): retention once a day, seen Slack events pruned,
  the inbox sweep;
- the weekly inbox digest (hourly, first run at start: posted once a week from Monday's
  `PRIVBOT_DIGEST_HOUR`);
- the questions counted by the conversation written to the database (every minute, and at
  stop).

The schedule itself lives in memory, but nothing it decides does: each post, reminder, digest
and retention run is claimed in the database first, so a restart or a second instance does
nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from privbot.services.housekeeping import Housekeeping
from privbot.services.inbox import WeeklyInbox
from privbot.services.reminders import ReminderService

log = logging.getLogger(__name__)

POST_INTERVAL_SECONDS = 10.0
DIGEST_GRACE_SECONDS = 3600  # a digest missed by up to an hour (busy, restarting) still goes
HOUSEKEEPING_INTERVAL_MINUTES = 60.0
COUNTS_INTERVAL_SECONDS = 60.0


class RequestPoster(Protocol):
    """Posts newly verified requests to the staff channel and keeps their messages current
    (the Slack adapter's `RequestPoster`)."""

    async def post_new(self, now: datetime, limit: int = 50) -> list[str]: ...
    async def refresh(self, now: datetime, limit: int = ...) -> list[str]: ...


class AlertPoster(Protocol):
    """Posts verification abuse alerts to the staff channel (the Slack adapter's
    `AlertPoster`)."""

    async def post_new(self, now: datetime) -> list[int]: ...


class HandoffPoster(Protocol):
    """Posts what users wrote to a person into the staff channel's handoff threads (the
    Slack adapter's `HandoffPoster`)."""

    async def post_new(self, now: datetime, limit: int = 20) -> list[str]: ...


class JobScheduler:
    """Every periodic job of the service (posting, reminders, digest, housekeeping); owns the
    AsyncIOScheduler: `start()` inside the running loop, `stop()` to end."""

    def __init__(
        self,
        reminders: ReminderService | None,
        poster: RequestPoster | None,
        timezone: tzinfo,
        *,
        interval_minutes: float,
        digest_hour: int,
        clock: Callable[[], datetime],
        housekeeping: Housekeeping | None = None,
        alerts: AlertPoster | None = None,
        handoffs: HandoffPoster | None = None,
        inbox: WeeklyInbox | None = None,
        flush_counts: Callable[[], int] | None = None,
    ) -> None:
        self.flush_counts = flush_counts
        self.handoffs = handoffs
        self.inbox = inbox
        self.reminders = reminders
        self.alerts = alerts
        self.housekeeping = housekeeping
        self.poster = poster
        self.timezone = timezone
        self.interval_minutes = interval_minutes
        self.digest_hour = digest_hour
        self.clock = clock
        self.scheduler = AsyncIOScheduler(timezone=timezone)
        # The posting job and the sweep (which posts first) run as separate jobs: one at a
        # time, or two refreshes of one message would both call chat.update.
        self._posting = asyncio.Lock()

    def start(self) -> None:
        now = datetime.now(self.timezone)
        common = {"max_instances": 1, "coalesce": True}
        if self.poster is not None:
            self.scheduler.add_job(
                self.post_job, IntervalTrigger(seconds=POST_INTERVAL_SECONDS),
                id="slack_post", next_run_time=now, **common,
            )  # fmt: skip
        if self.reminders is not None:
            self.scheduler.add_job(
                self.sweep_job, IntervalTrigger(minutes=self.interval_minutes),
                id="reminder_sweep", next_run_time=now, **common,
            )  # fmt: skip
            self.scheduler.add_job(
                self.digest_job,
                CronTrigger(hour=self.digest_hour, minute=0, timezone=self.timezone),
                id="daily_digest", misfire_grace_time=DIGEST_GRACE_SECONDS, **common,
            )  # fmt: skip
        if self.housekeeping is not None:
            self.scheduler.add_job(
                self.housekeeping_job, IntervalTrigger(minutes=HOUSEKEEPING_INTERVAL_MINUTES),
                id="housekeeping", next_run_time=now, **common,
            )  # fmt: skip
        if self.flush_counts is not None:
            self.scheduler.add_job(
                self.counts_job, IntervalTrigger(seconds=COUNTS_INTERVAL_SECONDS),
                id="question_counts", **common,
            )  # fmt: skip
        if self.inbox is not None:
            self.scheduler.add_job(
                self.inbox_job, IntervalTrigger(minutes=HOUSEKEEPING_INTERVAL_MINUTES),
                id="inbox_digest", next_run_time=now, **common,
            )  # fmt: skip
        self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.counts_now()

    def counts_now(self) -> None:
        """Write the questions counted so far (a failure is logged; they wait for the next)."""
        if self.flush_counts is None:
            return
        try:
            self.flush_counts()
        except Exception as exc:
            log.warning("writing question counts failed: %s", type(exc).__name__)

    async def counts_job(self) -> None:
        await asyncio.to_thread(self.counts_now)

    async def post_job(self) -> None:
        """Post newly verified requests, then refresh stale messages, then post verification
        alerts (a failure is logged; the next run retries)."""
        if self.poster is None:
            return
        async with self._posting:
            await self._post_all(self.poster)

    async def _post_all(self, poster: RequestPoster) -> None:
        try:
            await poster.post_new(self.clock())
        except Exception as exc:  # one bad run must not stop the job
            log.warning("posting requests failed: %s", type(exc).__name__)
        if self.handoffs is not None:
            try:
                await self.handoffs.post_new(self.clock())
            except Exception as exc:
                log.warning("posting handoff messages failed: %s", type(exc).__name__)
        try:
            await poster.refresh(self.clock())
        except Exception as exc:
            log.warning("refreshing request messages failed: %s", type(exc).__name__)
        if self.alerts is not None:
            try:
                await self.alerts.post_new(self.clock())
            except Exception as exc:
                log.warning("posting verification alerts failed: %s", type(exc).__name__)

    async def sweep_job(self) -> None:
        """One reminder sweep (after posting new requests, so reminders can thread)."""
        await self.post_job()
        if self.reminders is None:
            return
        try:
            result = await self.reminders.sweep(self.clock())
        except Exception as exc:
            log.warning("reminder sweep failed: %s", type(exc).__name__)
            return
        if result.sent or result.failed:
            log.info("reminder sweep: %d sent, %d to retry", len(result.sent), len(result.failed))

    async def housekeeping_job(self) -> None:
        """Retention once a day (claimed), seen Slack events pruned."""
        if self.housekeeping is None:
            return
        try:
            result = await self.housekeeping.run(self.clock())
        except Exception as exc:
            log.warning("housekeeping failed: %s", type(exc).__name__)
            return
        if result.events_pruned:
            log.info("pruned %d seen Slack event id(s)", result.events_pruned)

    async def inbox_job(self) -> None:
        """The weekly inbox digest, if it is due and not posted yet (claimed)."""
        if self.inbox is None:
            return
        try:
            if await self.inbox.post(self.clock()) is not None:
                log.info("weekly inbox digest posted")
        except Exception as exc:
            log.warning("weekly inbox digest failed: %s", type(exc).__name__)

    async def digest_job(self) -> None:
        if self.reminders is None:
            return
        try:
            await self.reminders.digest(self.clock())
        except Exception as exc:
            log.warning("daily digest failed: %s", type(exc).__name__)
