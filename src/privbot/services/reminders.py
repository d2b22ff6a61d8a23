"""Reminder sweep and daily digest: the use cases the scheduler (and `privbot reminders run`)
call. Each reminder is claimed in the database before it is posted, so it goes out once even
with two instances; a failed post gives the claim back and is retried by a later sweep.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from privbot.core.feedback import FeedbackCount
from privbot.core.reminders import (
    Candidate,
    ClaimKey,
    ReminderPoint,
    Timeline,
    due_point,
    local_day,
    next_day,
    reminder_day,
)
from privbot.errors import DeliveryError
from privbot.services.claims import run_once

log = logging.getLogger(__name__)

DIGEST_REFERENCE = "_digest"  # the digest's claims live beside the reminders'
STALE_CLAIM = timedelta(minutes=10)
# Posts per sweep: the rest wait for the next sweep (most urgent first), so one sweep never
# runs for long; Slack allows about one message per second per channel anyway.
MAX_PER_SWEEP = 300
# Requests read per sweep (most urgent first), so a backlog (after downtime, or a first sweep
# over many requests) is worked through sweep by sweep in bounded memory.
CANDIDATES_PER_SWEEP = 20 * MAX_PER_SWEEP
FEEDBACK_PERIOD = timedelta(days=1)  # the digest shows the votes of the day before it


@dataclass(frozen=True, slots=True)
class ReminderNotice:
    """One reminder to post: which request, which point, who to mention when overdue."""

    reference: str
    point: ReminderPoint
    today: date
    assignee: str | None


@dataclass(frozen=True, slots=True)
class Digest:
    """Open requests by due date (the first ones) and how many are open in all; the 👍 / 👎
    given to answers over the last day, per intent (most 👎 first)."""

    today: date
    requests: tuple[Candidate, ...]
    total: int
    feedback: tuple[FeedbackCount, ...] = ()


class ReminderStore(Protocol):
    """The claims and schedule (adapters.persistence.slack_store.SlackStore)."""

    def candidates(self, today: date, limit: int | None = None) -> list[Candidate]: ...
    def claim(
        self, keys: Sequence[ClaimKey], owner: str, now: datetime, stale: timedelta
    ) -> tuple[set[ClaimKey], set[ClaimKey]]: ...
    def threads_of(self, references: Iterable[str]) -> dict[str, tuple[str, str]]: ...
    def posts_in_flight(self, references: Iterable[str]) -> set[str]: ...
    def release(self, key: ClaimKey, owner: str) -> None: ...
    def mark_sent(self, key: ClaimKey, owner: str, ts: str | None, now: datetime) -> None: ...
    def set_next(self, nexts: dict[str, date]) -> None: ...
    def open_by_due(
        self, limit: int = 50, overdue_on: date | None = None
    ) -> tuple[list[Candidate], int]: ...


class FeedbackCounts(Protocol):
    """The votes on answers (adapters.persistence.feedback.FeedbackStore)."""

    def feedback_counts(self, since: datetime | None = None) -> list[FeedbackCount]: ...


class StaffChannel(Protocol):
    """Where staff read reminders (Slack). Posts raise DeliveryError when they fail."""

    async def send_reminder(self, notice: ReminderNotice, thread: tuple[str, str] | None) -> str:
        """Post the reminder (threaded under `thread` when given); return the message id."""
        ...

    async def send_digest(self, digest: Digest) -> str:
        """Post the daily digest; return the message id."""
        ...


@dataclass(frozen=True, slots=True)
class SweepResult:
    sent: tuple[ReminderNotice, ...]
    failed: tuple[ReminderNotice, ...]
    candidates: int


class ReminderService:
    """`sweep(now)`: send each request's latest reached reminder point once."""

    def __init__(
        self,
        store: ReminderStore,
        channel: StaffChannel,
        timezone: tzinfo,
        *,
        stale: timedelta = STALE_CLAIM,
        max_per_sweep: int | None = MAX_PER_SWEEP,
        reminder_hour: int = 0,
        feedback: FeedbackCounts | None = None,
    ) -> None:
        self.store = store
        self.feedback = feedback
        self.channel = channel
        self.timezone = timezone
        self.stale = stale
        self.max_per_sweep = max_per_sweep
        self.reminder_hour = reminder_hour  # local hour from which a day's points go out

    async def sweep(self, now: datetime) -> SweepResult:
        today = reminder_day(now, self.timezone, self.reminder_hour)
        if today is None:  # before the reminder hour: the day's points wait (nothing is lost)
            return SweepResult((), (), 0)
        owner = f"sweep-{uuid.uuid4().hex}"  # unique per sweep: claims are never confused
        limit = None if self.max_per_sweep is None else CANDIDATES_PER_SWEEP
        candidates = await asyncio.to_thread(self.store.candidates, today, limit)
        wanted: dict[ClaimKey, ReminderNotice] = {}
        nexts: dict[str, date] = {}
        later: dict[str, date] = {}
        for c in candidates:
            timeline = Timeline(c.status, c.due, c.ack_due, c.received)
            point, following = due_point(timeline, today), next_day(timeline, today)
            if following is not None:
                later[c.reference] = following
            if point is None:
                if following is not None:
                    nexts[c.reference] = following
                continue
            key = ClaimKey(c.reference, point.key, point.for_due)
            wanted[key] = ReminderNotice(c.reference, point, today, c.assignee)
        batch = sorted(wanted, key=lambda k: (k.for_due, k.reference))
        if self.max_per_sweep is not None:
            batch = batch[: self.max_per_sweep]  # the rest: next sweep (next_on not moved)
        # A request whose message another instance is posting right now waits for the next
        # sweep, so that its reminder goes in that message's thread, not beside it.
        posting = await asyncio.to_thread(self.store.posts_in_flight, {k.reference for k in batch})
        batch = [k for k in batch if k.reference not in posting]
        mine, done = await asyncio.to_thread(self.store.claim, batch, owner, now, self.stale)
        for k in done:  # already sent (by us earlier or another instance): look again later
            if k.reference in later:
                nexts[k.reference] = later[k.reference]
        threads = await asyncio.to_thread(self.store.threads_of, {k.reference for k in mine})
        sent: list[ReminderNotice] = []
        failed: list[ReminderNotice] = []
        for k in sorted(mine, key=lambda k: (k.reference, k.key)):
            notice = wanted[k]
            try:
                ts = await self.channel.send_reminder(notice, threads.get(k.reference))
            except DeliveryError as exc:
                log.warning("reminder %s %s not sent: %s", k.reference, k.key, exc)
                await asyncio.to_thread(self.store.release, k, owner)
                failed.append(notice)
                continue  # next_on stays: the next sweep retries it
            await asyncio.to_thread(self.store.mark_sent, k, owner, ts, now)
            log.info("reminder %s %s sent", k.reference, k.key)
            sent.append(notice)
            if k.reference in later:
                nexts[k.reference] = later[k.reference]
        await asyncio.to_thread(self.store.set_next, nexts)
        return SweepResult(tuple(sent), tuple(failed), len(candidates))

    async def digest(self, now: datetime, limit: int = 40) -> Digest | None:
        """Post today's digest once (the first instance to claim it); None if not ours."""
        today = local_day(now, self.timezone)
        key = ClaimKey(DIGEST_REFERENCE, "digest", today)
        posted: list[Digest] = []

        async def post() -> str:
            found, total = await asyncio.to_thread(self.store.open_by_due, limit)
            votes: list[FeedbackCount] = []
            if self.feedback is not None:
                since = now - FEEDBACK_PERIOD
                votes = await asyncio.to_thread(self.feedback.feedback_counts, since)
            posted.append(Digest(today, tuple(found), total, tuple(votes)))
            return await self.channel.send_digest(posted[0])

        await run_once(self.store, key, now, self.stale, post)
        return posted[0] if posted else None
