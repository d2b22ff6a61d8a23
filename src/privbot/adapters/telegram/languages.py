"""Telegram's language codes -> the bot's languages."""

from __future__ import annotations

from privbot.core.model import Language


def language_of(code: str | None) -> Language | None:
    """Telegram's IETF `language_code` ("fr", "fr-CA", "en-GB") -> a bot language, or None."""
    if not code:
        return None
    prefix = code.split("-", 1)[0].lower()
    for lang in Language:
        if prefix == lang.value:
            return lang
    return None
