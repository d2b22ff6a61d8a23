"""The policy's last-updated date: read from free text, written back in each language.

Reads "Dernière mise à jour : 4 janvier 2025", "Last updated: January 4, 2025",
"Updated on 4 Jan 2025", "Effective date: 2025-01-04"... A date is only taken from a
line that says it is the last-updated date, so dates elsewhere in the policy are ignored.
"""

from __future__ import annotations

import re
from datetime import date

from privbot.core.catalogue import format_date
from privbot.core.model import Language
from privbot.core.text import fold_accents

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("janvier", "janv", "january", "jan"),
        ("fevrier", "fevr", "fev", "february", "feb"),
        ("mars", "march", "mar"),
        ("avril", "avr", "april", "apr"),
        ("mai", "may"),
        ("juin", "june", "jun"),
        ("juillet", "juil", "july", "jul"),
        ("aout", "august", "aug"),
        ("septembre", "sept", "september", "sep"),
        ("octobre", "oct", "october"),
        ("novembre", "nov", "november"),
        ("decembre", "dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# Matched against accent-folded, lower-cased text.
_KEYWORDS = re.compile(
    r"(derniere mise a jour|mis[e]? a jour|date de mise a jour|date d.effet|en vigueur"
    r"|last updated|last update|last modified|last revised|updated|revised|effective)"
)
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:er|st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_date(text: str, language: Language) -> date | None:
    """The first date written in `text` (ISO, '4 janvier 2025', 'January 4, 2025', 4/1/2025)."""
    folded = fold_accents(text).lower()
    if m := _ISO.search(folded):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DAY_MONTH_YEAR.search(folded):
        return _safe_date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    if m := _MONTH_DAY_YEAR.search(folded):
        return _safe_date(int(m[3]), _MONTHS[m[1]], int(m[2]))
    if m := _NUMERIC.search(folded):
        first, second = int(m[1]), int(m[2])
        # Day first in French; month first in English unless that cannot be a month.
        if language is Language.EN and first <= 12:
            first, second = second, first
        return _safe_date(int(m[3]), second, first)
    return None


def last_updated_in(text: str, language: Language) -> date | None:
    """The date of a 'last updated' statement in `text`, or None if it makes none."""
    folded = fold_accents(text).lower()
    for m in _KEYWORDS.finditer(folded):
        # Look at what follows the keyword on the same line only.
        rest = text[m.end() :].split("\n", 1)[0]
        found = find_date(rest[:60], language)
        if found:
            return found
    return None


def is_date_line(text: str, language: Language) -> bool:
    """True for a paragraph that only states the last-updated date (dropped from sections)."""
    if "\n" in text.strip() or len(text) > 90:
        return False
    folded = fold_accents(text).lower().strip()
    m = _KEYWORDS.match(folded)
    return bool(m) and last_updated_in(text, language) is not None


def format_date_line(value: date, language: Language) -> str:
    """'Dernière mise à jour : 4 janvier 2025' / 'Last updated: January 4, 2025'."""
    label = "Dernière mise à jour :" if language is Language.FR else "Last updated:"
    return f"{label} {format_date(value, language)}"
