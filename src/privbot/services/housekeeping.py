"""Daily upkeep that the scheduler runs (hourly, so downtime at any fixed hour skips nothing):

- retention (`services.retention.run_retention`): once a day across instances, claimed in
  the database like the digest; a failed run gives the claim back and a later run retries;
- pruning the ids of Slack events already handled (kept `events_kept`, long past Slack's
  retries): an idempotent DELETE, run every time;
- the inbox sweep: a "did you mean" left unanswered in topic memory becomes an unresolved
  inbox entry, an expired question is forgotten (each row changed once, whoever runs it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from privbot.core.reminders import ClaimKey, local_day
from privbot.services.claims import Claims, run_once

log = logging.getLogger(__name__)

RETENTION_REFERENCE = "_retention"  # its daily claims live beside the reminders'
EVENTS_KEPT = timedelta(days=1)  # Slack retries an event for a few minutes only
STALE_CLAIM = timedelta(hours=1)  # a retention run that died is retried after this


class ClaimStore(Claims, Protocol):
    """The claims and the seen Slack events of `adapters.persistence.slack_store.SlackStore`."""

    def forget_events(self, before: datetime) -> int: ...


@dataclass(frozen=True, slots=True)
class UpkeepResult:
    retention_ran: bool  # False: already done today (here or on another instance)
    events_pruned: int


class Housekeeping:
    """`run(now)`: retention once a day, seen events pruned."""

    def __init__(
        self,
        store: ClaimStore,
        timezone: tzinfo,
        retention: Callable[[datetime], object] | None,
        *,
        events_kept: timedelta = EVENTS_KEPT,
        stale: timedelta = STALE_CLAIM,
        sweep: Callable[[datetime], int] | None = None,
    ) -> None:
        self.sweep = sweep
        self.store = store
        self.timezone = timezone
        self.retention = retention
        self.events_kept = events_kept
        self.stale = stale

    async def run(self, now: datetime) -> UpkeepResult:
        pruned = await asyncio.to_thread(self.store.forget_events, now - self.events_kept)
        if self.sweep is not None:  # unanswered "did you mean"s moved to the inbox
            await asyncio.to_thread(self.sweep, now)
        ran = await self.retention_once(now)
        return UpkeepResult(ran, pruned)

    async def retention_once(self, now: datetime) -> bool:
        """Run retention if no instance has today; errors are raised after the claim is
        given back (so the next run retries)."""
        if self.retention is None:
            return False
        key = ClaimKey(RETENTION_REFERENCE, "retention", local_day(now, self.timezone))
        retention = self.retention

        async def run() -> None:
            await asyncio.to_thread(retention, now)

        if not await run_once(self.store, key, now, self.stale, run):
            return False
        log.info("retention ran for %s", key.for_due.isoformat())
        return True
