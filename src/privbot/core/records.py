"""What the bot stores about a user besides their requests: profile and pending notifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from privbot.core.model import Attachment, Jurisdiction, Language, UserKey


@dataclass(frozen=True, slots=True)
class UserProfile:
    """A user's remembered settings. `language_chosen`: set by /language (it then wins)."""

    key: UserKey
    language: Language | None = None
    language_chosen: bool = False
    jurisdiction: Jurisdiction | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Notification:
    """A message for a user, queued in the outbox until their channel delivers it.

    `id` is None until stored; the channel adapter (Telegram) sends pending ones and marks
    them sent, so nothing is lost while the channel is down.
    """

    user: UserKey
    language: Language
    text: str
    created_at: datetime
    reference: str | None = None
    id: int | None = None
    sent_at: datetime | None = None
    attempts: int = 0
    attachment: Attachment | None = None  # a file (a reply's /privacy export), until delivered
