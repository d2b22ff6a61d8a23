"""Text normalisation shared by matching and language detection.

Everything the matcher compares goes through `normalise` once: examples at load time,
questions once per query.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|c|m|t|jusqu|lorsqu|puisqu)['’`´](?=\w)", re.IGNORECASE)
_NON_WORD = re.compile(r"[^a-z0-9@.\s]+")
_SPACES = re.compile(r"\s+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
# Invisible format characters (soft hyphen, zero-width space/joiners, word joiner, bidi
# marks, embeddings, overrides and isolates, byte-order mark): removed, never made spaces,
# so "coo<ZWSP>kies" is still the word "cookies".
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def fold_accents(text: str) -> str:
    """Remove diacritics: 'sécurité' -> 'securite'."""
    if text.isascii():
        return text  # nothing to decompose nor to drop
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    combining = unicodedata.combining
    return "".join([c for c in decomposed if not combining(c)])


@lru_cache(maxsize=32)
def normalise(text: str) -> str:
    """Drop invisible characters, lower-case, fold accents, drop French elisions and
    punctuation, squeeze spaces. The last texts are kept: a question is read for its
    language, its terms and its words, each normalising it (`forget_texts` drops them)."""
    lowered = _INVISIBLE.sub("", text).lower()
    lowered = _ELISION.sub(" ", lowered)
    folded = fold_accents(lowered)
    # Keep dots/@ only inside words (e-mail addresses); everything else becomes a space.
    cleaned = _NON_WORD.sub(" ", folded.replace("'", " ").replace("’", " "))
    cleaned = re.sub(r"(?<!\w)[.@]|[.@](?!\w)", " ", cleaned)
    return _SPACES.sub(" ", cleaned).strip()


def tokens(text: str) -> list[str]:
    """The words of an already normalised text."""
    return [t for t in text.split(" ") if t]


def forget_texts() -> None:
    """Drop the texts `normalise` keeps. Called once a message is handled: a user's whole
    message stays in memory only while it is (the repeats `normalise` saves are within one
    message). The matcher's stemmer still keeps single words (`core.terms`)."""
    normalise.cache_clear()
