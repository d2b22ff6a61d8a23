"""Verification codes: seeded RNG, hashing, expiry, attempts (the resend cooldown and the
other limits: tests/unit/test_verification_limits.py)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from privbot.core import verification as vf
from privbot.core.verification import CheckOutcome

SECRET = b"k" * 32
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
EMAIL = "Ann@Example.com"


def issue(seed: int = 1) -> tuple[str, vf.CodeRecord]:
    return vf.issue(SECRET, random.Random(seed), EMAIL, NOW)


def test_six_digits_stored_hashed_only() -> None:
    code, record = issue()
    assert len(code) == 6 and code.isdigit()
    assert code not in record.digest and code not in record.salt
    assert issue()[0] == code and issue(2)[0] != code  # deterministic with a seed


def test_right_code_once_case_insensitive_address() -> None:
    code, record = issue()
    outcome, used = vf.check(record, f"{code[:3]} {code[3:]}", "ann@example.com", SECRET, NOW)
    assert outcome is CheckOutcome.OK and used is not None and used.used
    assert vf.check(used, code, EMAIL, SECRET, NOW)[0] is CheckOutcome.NO_CODE


def test_code_is_bound_to_its_address_and_secret() -> None:
    code, record = issue()
    assert vf.check(record, code, "other@example.com", SECRET, NOW)[0] is CheckOutcome.WRONG
    assert vf.check(record, code, EMAIL, b"other", NOW)[0] is CheckOutcome.WRONG


def test_expires_after_ten_minutes() -> None:
    code, record = issue()
    later = NOW + timedelta(minutes=9, seconds=59)
    assert vf.check(record, code, EMAIL, SECRET, later)[0] is CheckOutcome.OK
    expired = NOW + timedelta(minutes=10)
    assert vf.check(record, code, EMAIL, SECRET, expired)[0] is CheckOutcome.EXPIRED


def test_void_after_five_wrong_attempts() -> None:
    code, record = issue()
    wrong = "000000" if code != "000000" else "111111"
    current: vf.CodeRecord | None = record
    outcomes = []
    for _ in range(5):
        outcome, current = vf.check(current, wrong, EMAIL, SECRET, NOW)
        outcomes.append(outcome)
    assert outcomes == [CheckOutcome.WRONG] * 4 + [CheckOutcome.EXHAUSTED]
    assert current is not None and current.attempts_left() == 0
    assert vf.check(current, code, EMAIL, SECRET, NOW)[0] is CheckOutcome.EXHAUSTED


def test_code_typed_in_other_digit_scripts() -> None:
    code, record = issue()
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in code)
    full_width = "".join(chr(0xFF10 + int(d)) for d in code)
    persian = "".join(chr(0x06F0 + int(d)) for d in code)
    for typed in (arabic_indic, full_width, persian, f"{full_width[:3]} {code[3:]}"):
        assert vf.looks_like_code(typed), typed
        assert vf.check(record, typed, EMAIL, SECRET, NOW)[0] is CheckOutcome.OK, typed


def test_superscripts_are_not_code_digits() -> None:
    assert vf.normalise_code("¹²³456") == "456"
