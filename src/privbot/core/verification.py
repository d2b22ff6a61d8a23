"""One-time e-mail codes that prove a user controls an address.

Six digits from an injected random source (`secrets.SystemRandom()` in production, a seeded
`random.Random` in tests), stored only as HMAC-SHA256(server secret, salt:address:code). A code
is valid 10 minutes, dies after 5 wrong attempts, and a resend replaces it. How many codes may
be sent and guessed, and how often, is `core.abuse`'s business.
Time is passed in; comparisons are constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

CODE_DIGITS = 6
VALIDITY = timedelta(minutes=10)
VALIDITY_MINUTES = int(VALIDITY.total_seconds()) // 60  # as users are told
MAX_ATTEMPTS = 5


class RandomSource(Protocol):
    """What the codes need from a random generator (`secrets.SystemRandom`, `random.Random`)."""

    def randrange(self, stop: int, /) -> int: ...


class CheckOutcome(StrEnum):
    """The result of checking one entered code."""

    OK = "ok"
    WRONG = "wrong"  # attempts remain
    EXPIRED = "expired"
    EXHAUSTED = "exhausted"  # too many wrong attempts: the code is void
    NO_CODE = "no_code"  # nothing issued, or already used
    LOCKED = "locked"  # too many guesses lately (`core.abuse`): nothing was checked


@dataclass(frozen=True, slots=True)
class CodeRecord:
    """What is stored about an issued code: never the code itself."""

    digest: str
    salt: str
    issued_at: datetime
    expires_at: datetime
    attempts: int = 0
    used: bool = False
    mailed: bool = False  # its mail went (set after the mail, never before)

    def live(self, now: datetime) -> bool:
        """A code an entered code would be compared with (so the guess counts)."""
        return not self.used and self.attempts < MAX_ATTEMPTS and now < self.expires_at

    def attempts_left(self) -> int:
        return max(0, MAX_ATTEMPTS - self.attempts)


def _digest(secret: bytes, salt: str, email: str, code: str) -> str:
    # The address is part of the MAC so a code only proves the address it was sent to.
    message = f"{salt}:{email.strip().lower()}:{code}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def issue(secret: bytes, rng: RandomSource, email: str, now: datetime) -> tuple[str, CodeRecord]:
    """A fresh code for `email` (to send once, never store) and its record (to store)."""
    code = f"{rng.randrange(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = f"{rng.randrange(2**128):032x}"
    record = CodeRecord(_digest(secret, salt, email, code), salt, now, now + VALIDITY)
    return code, record


def normalise_code(text: str) -> str:
    """Keep the digits the user typed, as ASCII ("123 456", "123-456" -> "123456"); digits of
    any script count (Arabic-Indic "١٢٣", full-width "１２３"), superscripts do not."""
    return "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal())


def looks_like_code(text: str) -> bool:
    return len(normalise_code(text)) == CODE_DIGITS and len(text.strip()) <= CODE_DIGITS + 4


def check(
    record: CodeRecord | None, entered: str, email: str, secret: bytes, now: datetime
) -> tuple[CheckOutcome, CodeRecord | None]:
    """Check `entered` for `email` against `record`; returns the outcome and the record to store."""
    if record is None or record.used:
        return CheckOutcome.NO_CODE, record
    if record.attempts >= MAX_ATTEMPTS:
        return CheckOutcome.EXHAUSTED, record
    if now >= record.expires_at:
        return CheckOutcome.EXPIRED, record
    candidate = _digest(secret, record.salt, email, normalise_code(entered))
    if hmac.compare_digest(candidate, record.digest):
        return CheckOutcome.OK, replace(record, used=True)
    spent = replace(record, attempts=record.attempts + 1)
    if spent.attempts >= MAX_ATTEMPTS:
        return CheckOutcome.EXHAUSTED, spent
    return CheckOutcome.WRONG, spent
