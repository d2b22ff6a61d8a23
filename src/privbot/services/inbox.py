"""The weekly inbox digest: the week's top unanswered groups, the fallback rate and the 👍 / 👎
per intent, posted to
the admins' Slack channel once a week, across restarts and instances (a claim per week,
`services.claims.run_once`), from `hour` on Monday (local time) or the first run after it.

Nothing in it but counts, intent ids and the redacted examples of `core.inbox`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from privbot.core.feedback import FeedbackCount
from privbot.core.inbox import Entry, Group, Outcome, TermsOf, group
from privbot.core.model import ReplyKind
from privbot.core.reminders import ClaimKey
from privbot.services.claims import Claims, run_once
from privbot.services.reminders import FeedbackCounts

INBOX_REFERENCE = "_inbox"  # its weekly claims live beside the reminders'
TOP_GROUPS = 5
STALE_CLAIM = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class InboxDigest:
    """One week of the inbox: from `since` (included) to `until` (excluded)."""

    since: date
    until: date
    questions: int  # every question the matcher read, whatever its outcome
    outcomes: dict[Outcome, int]
    groups: tuple[Group, ...]  # the first TOP_GROUPS
    total_groups: int
    feedback: tuple[FeedbackCount, ...] = ()  # votes since `since`, per intent, most 👎 first

    @property
    def empty(self) -> bool:
        """Nothing asked, kept or rated that week: nothing is posted."""
        return not (self.questions or self.total_groups or self.feedback)

    @property
    def fallbacks(self) -> int:
        return self.outcomes.get(Outcome.FALLBACK, 0)

    @property
    def fallback_rate(self) -> float:
        return self.fallbacks / self.questions if self.questions else 0.0


class InboxStore(Protocol):
    """The inbox side of `adapters.persistence.repository.SqlRepository`."""

    def inbox_entries(self, since: date | None = None) -> list[Entry]: ...
    def question_counts(self, since: date, until: date | None = None) -> dict[str, int]: ...


class AdminChannel(Protocol):
    """Where admins read the digest (Slack); a failed post raises DeliveryError."""

    async def send_inbox_digest(self, digest: InboxDigest) -> str: ...


def week_of(now: datetime, tz: tzinfo) -> date:
    """The Monday of `now`'s week, in `tz`."""
    day = now.astimezone(tz).date()
    return day - timedelta(days=day.weekday())


class WeeklyInbox:
    """`post(now)`: this week's digest, once, from Monday `hour` (local)."""

    def __init__(
        self,
        store: InboxStore,
        claims: Claims,
        channel: AdminChannel,
        terms: Callable[[], TermsOf],
        timezone: tzinfo,
        hour: int = 9,
        stale: timedelta = STALE_CLAIM,
        feedback: FeedbackCounts | None = None,
    ) -> None:
        self.feedback = feedback
        self.store = store
        self.claims = claims
        self.channel = channel
        self.terms = terms
        self.timezone = timezone
        self.hour = hour
        self.stale = stale

    def build(self, now: datetime) -> InboxDigest:
        """The digest of the seven days before `now`'s day."""
        until = now.astimezone(self.timezone).date()
        since = until - timedelta(days=7)
        entries = [e for e in self.store.inbox_entries(since) if e.day < until]
        counts = self.store.question_counts(since, until)
        questions = sum(counts.values())
        outcomes: dict[Outcome, int] = {o: 0 for o in Outcome}
        for e in entries:
            outcomes[e.outcome] += 1
        # The exact count: `intents inbox --add` deletes the entries of a group it taught, and
        # an entry is kept only while the inbox is on; the matcher counts every fallback.
        outcomes[Outcome.FALLBACK] = counts.get(str(ReplyKind.FALLBACK), 0)
        groups = group(entries, self.terms())
        votes: list[FeedbackCount] = []
        if self.feedback is not None:
            start = datetime.combine(since, time(), self.timezone)
            votes = self.feedback.feedback_counts(start)
        top = tuple(groups[:TOP_GROUPS])
        return InboxDigest(since, until, questions, outcomes, top, len(groups), tuple(votes))

    async def post(self, now: datetime) -> InboxDigest | None:
        """Post this week's digest if it is due, not empty, and no instance has; None
        otherwise. An empty week is claimed all the same: it is not looked at again."""
        monday = week_of(now, self.timezone)
        local = now.astimezone(self.timezone)
        if local.date() == monday and local.hour < self.hour:
            return None  # this week's is not due yet (last week's went last week)
        posted: list[InboxDigest] = []

        async def send() -> str | None:
            digest = await asyncio.to_thread(self.build, now)
            if digest.empty:
                return None
            posted.append(digest)
            return await self.channel.send_inbox_digest(digest)

        key = ClaimKey(INBOX_REFERENCE, "weekly", monday)
        await run_once(self.claims, key, now, self.stale, send)
        return posted[0] if posted else None
