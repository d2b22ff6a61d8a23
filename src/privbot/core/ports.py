"""Abstract ports the core depends on; adapters and test fakes implement them."""

from __future__ import annotations

from typing import Protocol

from privbot.core.model import Language, Understanding


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
