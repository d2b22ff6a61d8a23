"""The commands that belong to a private chat, and Telegram's language codes.

The command menu is `core.messages.COMMANDS`; what it says is in the message catalogue."""

from __future__ import annotations

from privbot.core.model import Language

# Commands that belong to a private chat (they open or show a rights request).
PRIVATE_ONLY = frozenset({"language", "request", "status", "cancel", "privacy"})


def language_of(code: str | None) -> Language | None:
    """Telegram's IETF `language_code` ("fr", "fr-CA", "en-GB") -> a bot language, or None."""
    if not code:
        return None
    prefix = code.split("-", 1)[0].lower()
    for lang in Language:
        if prefix == lang.value:
            return lang
    return None
