"""What the Slack adapter keeps in the database, as the port it needs (the persistence
adapter's Slack store implements it): which request was posted where, what its message shows
now, and which Events API deliveries were already handled."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Protocol

from privbot.core.reminders import Candidate


class SlackRecords(Protocol):
    # posted messages: claimed once across instances, then their (channel, ts)
    def unposted(self, limit: int = 50) -> list[str]: ...
    def claim_post(
        self, reference: str, channel: str, owner: str, now: datetime, stale: timedelta
    ) -> bool: ...
    def posted(self, reference: str, owner: str, ts: str, now: datetime) -> None: ...
    def release_post(self, reference: str, owner: str) -> None: ...
    def thread_of(self, reference: str) -> tuple[str, str] | None: ...

    # what each message shows, to update only the ones that changed
    def stale_messages(self, today: date, limit: int = 50) -> list[tuple[str, Any]]: ...
    def render_digest(self, reference: str) -> str | None: ...
    def rendered(
        self, reference: str, digest: str, on: date, request_updated_at: Any, now: datetime
    ) -> None: ...

    # the staff tools' list, and retried events
    def open_by_due(
        self, limit: int = 50, overdue_on: date | None = None
    ) -> tuple[list[Candidate], int]: ...
    def first_delivery(self, event_id: str, now: datetime) -> bool: ...
