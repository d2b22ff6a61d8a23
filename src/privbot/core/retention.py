"""How long the bot keeps what it holds (policy section 5), as pure rules over a given `now`.

| what                                          | kept                                          |
|-----------------------------------------------|-----------------------------------------------|
| an unfinished flow (what the user typed)      | `flow_hours` after its last change            |
| a verification code                           | `flow_hours` after it was issued (it only     |
|                                               | works 10 minutes)                             |
| a request never verified (status `received`)  | `flow_hours` after it was received            |
| an open request                               | while it is open                              |
| a closed request, its audit lines and         | `record_months` after it was closed: the      |
|   notifications                               | record of the request, then deleted           |
| a message outside any request (a reply sent   | `flow_hours` after it was sent or given up    |
|   late, a /privacy export)                    |                                               |
| the profile (language, jurisdiction)          | until the user erases it with /privacy        |
| an unanswered question in the inbox (redacted,| `inbox_days` after the day it was asked       |
|   no user), the daily question counts         |                                               |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from privbot.core.deadlines import add_months


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    flow_hours: float = 72.0
    record_months: int = 24
    inbox_days: int = 30

    def inbox_cutoff(self, now: datetime) -> date:
        """Inbox entries and counts of days before this go (UTC days)."""
        now = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
        return now.date() - timedelta(days=self.inbox_days)

    def flow_cutoff(self, now: datetime) -> datetime:
        """Flows changed, codes issued and unverified requests received before this go."""
        return now - timedelta(hours=self.flow_hours)

    def record_cutoff(self, now: datetime) -> datetime:
        """Requests closed before this go: the same time `record_months` calendar months
        earlier (the month's last day when it has no such day)."""
        now = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
        day, _ = add_months(now.date(), -self.record_months)
        return datetime.combine(day, now.timetz())

    def keeps_record_until(self, closed_at: datetime) -> datetime:
        """When a request closed at `closed_at` stops being kept."""
        day, _ = add_months(closed_at.date(), self.record_months)
        return datetime.combine(day, closed_at.timetz())


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    """What one retention run deleted."""

    flows: int = 0
    codes: int = 0
    unverified_requests: int = 0
    closed_requests: int = 0
    audit_lines: int = 0
    notifications: int = 0
    inbox: int = 0

    @property
    def total(self) -> int:
        return (
            self.flows
            + self.codes
            + self.unverified_requests
            + self.closed_requests
            + self.audit_lines
            + self.notifications
            + self.inbox
        )
