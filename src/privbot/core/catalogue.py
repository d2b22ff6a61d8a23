"""The message catalogue: what the bot says, in each language, given to the code as data.

Texts are content (`intents/messages.yaml`, loaded by `content.messages`); the code names them
with the keys of `core.messages`. In a text, `{name}` is replaced by the value `name`, written
in the text's language (a date as `format_date` writes it, a moment as `format_moment`), and
`{name|one|many}` is the word for the number `name`: `one` or `many` by the plural rule of
`is_singular`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from privbot.core.messages import Key
from privbot.core.model import Language

# `{name}` or `{name|one|many}`; any other brace is a mistake `privbot intents check` reports.
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?:\|([^{}|]*)\|([^{}|]*))?\}")

_MONTHS = {
    Language.FR: (
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
        "septembre", "octobre", "novembre", "décembre",
    ),
    Language.EN: (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ),
}  # fmt: skip


def format_date(day: date, language: Language) -> str:
    """'1er mars 2026', '12 mars 2026' / 'March 12, 2026'."""
    month = _MONTHS[language][day.month - 1]
    if language is Language.FR:
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{month} {day.day}, {day.year}"


def format_moment(moment: datetime, language: Language) -> str:
    """'le 12 mars 2026 à 14 h 05 (heure de Paris)' / 'at 14:05 on March 12, 2026 (Paris
    time)', in the time zone `moment` carries (UTC when it names none)."""
    zone = getattr(moment.tzinfo, "key", None) or moment.tzname() or "UTC"
    place = zone.rsplit("/", 1)[-1].replace("_", " ")
    day = format_date(moment.date(), language)
    if language is Language.FR:
        where = "UTC" if place == "UTC" else f"heure de {place}"
        return f"le {day} à {moment.hour} h {moment.minute:02d} ({where})"
    where = "UTC" if place == "UTC" else f"{place} time"
    return f"at {moment.hour:02d}:{moment.minute:02d} on {day} ({where})"


def is_singular(count: int, language: Language) -> bool:
    """French counts 0 and 1 as singular ("0 essai", "1 essai"); English only 1."""
    if language is Language.FR:
        return abs(count) < 2
    return abs(count) == 1


def placeholders(template: str) -> frozenset[str]:
    """The value names a text uses."""
    return frozenset(m[1] for m in PLACEHOLDER.finditer(template))


def stray_braces(template: str) -> bool:
    """True when a brace is not part of a placeholder (a typo the text would show)."""
    rest = PLACEHOLDER.sub("", template)
    return "{" in rest or "}" in rest


def fill(template: str, values: Mapping[str, object], language: Language) -> str:
    """`template` with its placeholders replaced (see the module docstring)."""

    def one(m: re.Match[str]) -> str:
        value = values[m[1]]
        if m[2] is not None:
            singular = isinstance(value, int) and is_singular(value, language)
            return m[2] if singular else m[3]
        if isinstance(value, datetime):
            return format_moment(value, language)
        if isinstance(value, date):
            return format_date(value, language)
        return str(value)

    return PLACEHOLDER.sub(one, template)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Every text by key and language (checked complete when loaded)."""

    texts: Mapping[str, Mapping[Language, str]]

    def text(self, language: Language, key: Key, **values: object) -> str:
        """The text of `key` in `language`, filled with `values` (exactly the key's values)."""
        if values.keys() != key.values:
            given, wanted = sorted(values), sorted(key.values)
            raise ValueError(f"message {key.name!r} takes {wanted}, was given {given}")
        return fill(self.texts[key.name][language], values, language)
