"""Limits on e-mail verification: codes sent and codes guessed, per account, per address and
overall, with growing waits. Pure: counters and `now` in, a verdict and the counters to store
out. The counters live in the database (`adapters.persistence.limits`), so restarting a flow,
/cancel, a second account or a second instance starts from the same counts.

Designed bound: at most 20 code guesses per e-mail address in each day (10 an hour; a lockout
lasts at least an hour; an account's is twice as long as its previous one while they follow
each other, up to a week). A code is 6 random digits, so guessing one takes a million tries on
average: at 20 a day, more than 130 years. Codes sent: at most 3 an hour and 6 a day to one
address, whoever asks, 60 s apart; a global budget bounds what every account together can send
or guess.

Each event (a send, a guess) is counted in fixed windows that start at its scope's first
event: an hour and a day. The event that reaches a limit is allowed and locks its scope until
the window ends, or, for an account, longer when it has been locked recently (`strikes`). An
address's wait never grows: anyone can fill its limits by typing it, so growth would let a
stranger lock its owner out for a week with a few codes; its lockout ends with its window.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
RESEND_COOLDOWN = timedelta(seconds=60)  # between two codes to one account or one address
FIRST_WAIT = HOUR  # the shortest lockout; each later one in a row doubles it...
LONGEST_WAIT = timedelta(days=7)  # ...up to a week (`Rule.longest`)
STRIKE_MEMORY = DAY  # a day without lockout after the last one forgets the earlier ones
ALERT_STRIKES = 3  # the third lockout in a row of one account or address alerts staff


class Action(StrEnum):
    SEND = "send"  # a code e-mailed
    GUESS = "guess"  # a code typed and checked


class Scope(StrEnum):
    ACCOUNT = "account"  # one chat user (channel and id)
    ADDRESS = "address"  # one mailbox (see `mailbox`)
    GLOBAL = "global"  # everyone together


@dataclass(frozen=True, slots=True)
class Rule:
    per_hour: int
    per_day: int
    grows: bool = True  # lockouts in a row get longer (not for the global budget)...
    longest: timedelta = LONGEST_WAIT  # ...up to this (plus what is left of the window)


RULES: Mapping[tuple[Action, Scope], Rule] = {
    (Action.SEND, Scope.ACCOUNT): Rule(5, 10),
    (Action.SEND, Scope.ADDRESS): Rule(3, 6, longest=FIRST_WAIT),
    (Action.SEND, Scope.GLOBAL): Rule(200, 1000, grows=False),
    (Action.GUESS, Scope.ACCOUNT): Rule(15, 30),
    (Action.GUESS, Scope.ADDRESS): Rule(10, 20, longest=FIRST_WAIT),
    (Action.GUESS, Scope.GLOBAL): Rule(1000, 5000, grows=False),
}


@dataclass(frozen=True, slots=True)
class Counter:
    """What is stored for one action in one scope (one account, one address, or all)."""

    hour_start: datetime | None = None
    hour_count: int = 0
    day_start: datetime | None = None
    day_count: int = 0
    strikes: int = 0  # lockouts in a row (see STRIKE_MEMORY)
    blocked_until: datetime | None = None
    last_at: datetime | None = None  # the last event counted


@dataclass(frozen=True, slots=True)
class Alert:
    """Something staff should hear about: a scope locked out again and again (no identity)."""

    action: Action
    scope: Scope
    strikes: int
    until: datetime

    @property
    def kind(self) -> str:
        return f"{self.action}:{self.scope}"


@dataclass(frozen=True, slots=True)
class StaffAlert:
    """A stored alert as the staff channel shows it: how many lockouts of one kind on one day
    (UTC), the latest one's strikes and end."""

    id: int
    kind: str
    day: date
    strikes: int
    until: datetime
    occurrences: int


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether one event may happen now, and the counters to store either way."""

    allowed: bool
    counters: Mapping[Scope, Counter]
    retry_at: datetime | None = None  # refused by a limit: the earliest time to come back
    wait_seconds: int = 0  # refused by the resend cooldown only: seconds to wait
    alerts: tuple[Alert, ...] = ()


def judge(
    action: Action,
    counters: Mapping[Scope, Counter],
    now: datetime,
    rules: Mapping[tuple[Action, Scope], Rule] = RULES,
) -> Verdict:
    """Allow and count one `action` in every scope of `counters`, or refuse it (nothing is
    counted) while any scope is locked or, for a send, its cooldown runs."""
    locked = [
        c.blocked_until for c in counters.values() if c.blocked_until and now < c.blocked_until
    ]
    if locked:
        return Verdict(False, counters, retry_at=max(locked))
    if action is Action.SEND:
        wait = max((_cooldown(c, now) for s, c in counters.items() if s is not Scope.GLOBAL),
                   default=0)  # fmt: skip
        if wait:
            return Verdict(False, counters, wait_seconds=wait)
    updated: dict[Scope, Counter] = {}
    alerts: list[Alert] = []
    for scope, counter in counters.items():
        rule = rules[(action, scope)]
        new = _count(counter, rule, now)
        updated[scope] = new
        locked_now = new.blocked_until is not None and new.blocked_until != counter.blocked_until
        if locked_now and new.blocked_until and (not rule.grows or new.strikes >= ALERT_STRIKES):
            alerts.append(Alert(action, scope, new.strikes, new.blocked_until))
    return Verdict(True, updated, alerts=tuple(alerts))


def _cooldown(counter: Counter, now: datetime) -> int:
    if counter.last_at is None:
        return 0
    remaining = counter.last_at + RESEND_COOLDOWN - now
    return max(0, int(remaining.total_seconds() + 0.999))


def _count(c: Counter, rule: Rule, now: datetime) -> Counter:
    """`c` with one more event at `now`, locked if that event reaches a limit."""
    if c.hour_start is None or now >= c.hour_start + HOUR:
        c = replace(c, hour_start=now, hour_count=0)
    if c.day_start is None or now >= c.day_start + DAY:
        c = replace(c, day_start=now, day_count=0)
    c = replace(c, hour_count=c.hour_count + 1, day_count=c.day_count + 1, last_at=now)
    assert c.hour_start is not None and c.day_start is not None
    ends = []
    if c.hour_count >= rule.per_hour:
        ends.append(c.hour_start + HOUR)
    if c.day_count >= rule.per_day:
        ends.append(c.day_start + DAY)
    if not ends:
        return c
    until = max(ends)
    if not rule.grows:
        return replace(c, blocked_until=until)
    recent = c.blocked_until is not None and now - c.blocked_until < STRIKE_MEMORY
    strikes = (c.strikes if recent else 0) + 1
    wait = min(FIRST_WAIT * 2 ** (strikes - 1), rule.longest)
    return replace(c, strikes=strikes, blocked_until=max(until, now + wait))


def forgettable_before(now: datetime) -> datetime:
    """Counters whose last event and lockout both ended before this are as good as new."""
    return now - DAY - STRIKE_MEMORY


# --- keys: never an address or an account in clear ---------------------------------------
def mailbox(email: str) -> str:
    """The mailbox an address reaches, for counting: case-folded, without a `+tag`
    (`ann+1@x` reaches `ann@x`), and without dots for Gmail (which ignores them)."""
    local, _, domain = email.strip().casefold().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def scope_keys(secret: bytes, account: str, email: str) -> dict[Scope, str]:
    """The stored key of each scope: an HMAC of the account and of the mailbox."""
    key = hmac.new(secret, b"privbot verification limits", hashlib.sha256).digest()

    def mac(kind: str, value: str) -> str:
        return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    return {
        Scope.ACCOUNT: mac("account", account),
        Scope.ADDRESS: mac("address", mailbox(email)),
        Scope.GLOBAL: "global",
    }
