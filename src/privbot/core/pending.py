"""A choice the bot offered outside a request flow, still waiting for its answer.

A yes/no question (erase everything? write to a person?) owns the next message: a typed
"yes" / « oui » answers it, it is never sent to the question matcher. A menu (the rights of
`/request`, the requests `/cancel` may cancel, a "did you mean") does not: it waits for one
of its buttons (the menu of rights also for its label typed). `/cancel` closes any of them,
and a closed menu's buttons are answered as expired. It is stored beside the user's flow
state (so any instance of the bot reads it) and is forgotten after its lifetime.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from privbot.core.model import Language

PENDING_MINUTES = 10  # a question waiting for a yes or a no, a "did you mean"
MENU_HOURS = 24  # a menu (its buttons carry a nonce): as long as a Telegram button is honoured
JSON_KEY = "pending"  # where it sits in the stored flow state


class Asked(StrEnum):
    ERASE = "erase"  # /privacy: erase what the bot holds about you? (yes/no)
    HANDOFF = "handoff"  # write to a person of the privacy team? (yes/no)
    RIGHTS = "rights"  # /request: which right? (its buttons carry `nonce`)
    CANCEL_MENU = "cancel_menu"  # /cancel: which request to cancel? (the same)
    CLARIFY = "clarify"  # did you mean...? (settled by the next message)


YES_NO = frozenset({Asked.ERASE, Asked.HANDOFF})
MENUS = frozenset({Asked.RIGHTS, Asked.CANCEL_MENU})


@dataclass(frozen=True, slots=True)
class PendingQuestion:
    asked: Asked
    language: Language
    asked_at: datetime
    nonce: str = ""  # in the values of the menu's buttons: a closed menu's are recognised

    @property
    def yes_no(self) -> bool:
        """A yes/no question: it owns the next message."""
        return self.asked in YES_NO

    def expired(self, now: datetime) -> bool:
        if self.asked in MENUS:
            return now - self.asked_at > timedelta(hours=MENU_HOURS)
        return now - self.asked_at > timedelta(minutes=PENDING_MINUTES)

    def to_json(self) -> dict[str, Any]:
        data = {
            "asked": str(self.asked),
            "language": str(self.language),
            "asked_at": self.asked_at.isoformat(),
        }
        return data | {"nonce": self.nonce} if self.nonce else data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PendingQuestion:
        return cls(
            Asked(data["asked"]),
            Language(data["language"]),
            datetime.fromisoformat(data["asked_at"]),
            str(data.get("nonce", "")),
        )
