"""Abstract ports the core depends on; adapters and test fakes implement them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from privbot.core.model import Incoming, Language, Outgoing, Understanding


class Understander(Protocol):
    """Turns one free-text question into an Understanding (the matcher implements it)."""

    def understand(
        self,
        text: str,
        *,
        forced_language: Language | None = None,
        previous_language: Language | None = None,
        channel_language: Language | None = None,
    ) -> Understanding: ...


class Conversation(Protocol):
    """The channel-independent engine every adapter calls: one message in, replies out.

    Implemented by `privbot.services`; Telegram, the console and tests all go through it.
    `now` is passed in so flows, codes and deadlines are testable at any date.
    """

    def handle(self, incoming: Incoming, now: datetime) -> Outgoing: ...
