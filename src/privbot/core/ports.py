"""Abstract ports the core depends on; adapters and test fakes implement them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from privbot.core.model import Incoming, Language, Outgoing, Understanding

Save = Callable[[], None]  # writes left to commit (`Conversation.answer`)


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

    def answer(self, incoming: Incoming, now: datetime) -> tuple[Outgoing, Save | None]:
        """`handle` for a channel that records each message before answering it and, if
        it stops before it is done, answers it again (Telegram's update ledger): when all
        the message has to write is its topic and the language seen last, which the replies
        do not depend on, that commit comes back to be run once the replies are sent (a stop
        before it is a stop before the message is done: the message is answered again, and
        written then). None when everything was committed."""
        ...
