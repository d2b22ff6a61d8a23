"""A yes/no question the bot asked outside a request flow, waiting for its answer.

Such a question owns the next message: a typed "yes" / « oui » answers it, it is never sent
to the question matcher. It is stored beside the user's flow state (so any instance of the
bot reads it) and is forgotten after `PENDING_MINUTES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from privbot.core.model import Language

PENDING_MINUTES = 10
JSON_KEY = "pending"  # where it sits in the stored flow state


class Asked(StrEnum):
    ERASE = "erase"  # /privacy: erase what the bot holds about you?


@dataclass(frozen=True, slots=True)
class PendingQuestion:
    asked: Asked
    language: Language
    asked_at: datetime

    def expired(self, now: datetime) -> bool:
        return now - self.asked_at > timedelta(minutes=PENDING_MINUTES)

    def to_json(self) -> dict[str, Any]:
        return {
            "asked": str(self.asked),
            "language": str(self.language),
            "asked_at": self.asked_at.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PendingQuestion:
        return cls(
            Asked(data["asked"]),
            Language(data["language"]),
            datetime.fromisoformat(data["asked_at"]),
        )
