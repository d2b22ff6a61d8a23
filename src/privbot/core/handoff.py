"""A person when needed: a conversation handed to the privacy team.

The user agrees to it (a button), then what they write goes to a Slack thread of the staff
channel, and what verified staff write in that thread goes back to them, each side labelled
as a person. Pure records; the use cases are in `services.handoff`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from privbot.core.model import Language, UserKey


class HandoffStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Sender(StrEnum):
    USER = "user"
    STAFF = "staff"


def handoff_reference(handoff_id: int) -> str:
    """`HUM-000042`: the handoff's name in the audit log, the outbox and the Slack thread."""
    return f"HUM-{handoff_id:06d}"


@dataclass(frozen=True, slots=True)
class Handoff:
    id: int
    user: UserKey
    language: Language
    status: HandoffStatus
    opened_at: datetime
    thread_ts: str | None = None
    closed_at: datetime | None = None

    @property
    def reference(self) -> str:
        return handoff_reference(self.id)

    @property
    def is_open(self) -> bool:
        return self.status is HandoffStatus.OPEN


@dataclass(frozen=True, slots=True)
class HandoffMessage:
    """One message of a handoff; `text` is the person's own words (stored encrypted)."""

    id: int
    handoff_id: int
    sender: Sender
    text: str
    at: datetime
