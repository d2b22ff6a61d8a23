"""The verification limits (`core.abuse`): windows, cooldown, growing waits, alerts, keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from privbot.core import abuse
from privbot.core.abuse import Action, Counter, Scope

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ALL = (Scope.ACCOUNT, Scope.ADDRESS, Scope.GLOBAL)


class Counters:
    """The stored counters of one account and one address, as a store would keep them."""

    def __init__(self) -> None:
        self.by: dict[tuple[Action, Scope], Counter] = {}

    def judge(self, action: Action, now: datetime) -> abuse.Verdict:
        counters = {s: self.by.get((action, s), Counter()) for s in ALL}
        verdict = abuse.judge(action, counters, now)
        if verdict.allowed:
            self.by.update({(action, s): c for s, c in verdict.counters.items()})
        return verdict


def test_resend_cooldown() -> None:
    c = Counters()
    assert c.judge(Action.SEND, NOW).allowed
    assert c.judge(Action.SEND, NOW + timedelta(seconds=15)).wait_seconds == 45
    assert c.judge(Action.SEND, NOW + timedelta(seconds=60)).allowed


def test_three_codes_an_hour_to_one_address_then_a_time_to_come_back() -> None:
    c = Counters()
    at = NOW
    for _ in range(3):
        assert c.judge(Action.SEND, at).allowed
        at += timedelta(minutes=2)
    refused = c.judge(Action.SEND, at)
    assert not refused.allowed and refused.wait_seconds == 0
    third = NOW + timedelta(minutes=4)  # the send that reached the limit: an hour from it
    assert refused.retry_at == third + timedelta(hours=1)
    assert not c.judge(Action.SEND, third + timedelta(minutes=59)).allowed
    assert c.judge(Action.SEND, third + timedelta(hours=1)).allowed


def test_guesses_hourly_daily_and_growing_waits() -> None:
    c = Counters()
    at, allowed, lockouts = NOW, 0, []
    end = NOW + timedelta(days=3)
    while at < end:
        verdict = c.judge(Action.GUESS, at)
        if verdict.allowed:
            allowed += 1
            at += timedelta(seconds=30)
        else:
            assert verdict.retry_at is not None and verdict.retry_at > at
            lockouts.append(verdict.retry_at - at)
            at = verdict.retry_at
    # Address: 10 an hour, 20 a day; waits double after each lockout in a row.
    assert allowed <= 20 * 3
    waits = [round(w / timedelta(hours=1), 1) for w in lockouts]
    assert waits[0] <= 1 and max(waits) >= 4, waits


def test_a_clean_day_forgets_earlier_lockouts() -> None:
    c = Counters()
    for i in range(10):
        c.judge(Action.GUESS, NOW + timedelta(seconds=i))
    first = c.by[(Action.GUESS, Scope.ADDRESS)]
    assert first.strikes == 1 and first.blocked_until == NOW + timedelta(hours=1, seconds=9)
    later = NOW + timedelta(days=3)
    for i in range(10):
        c.judge(Action.GUESS, later + timedelta(seconds=i))
    assert c.by[(Action.GUESS, Scope.ADDRESS)].strikes == 1


def test_third_lockout_in_a_row_alerts_staff() -> None:
    c = Counters()
    at, alerts = NOW, []
    while not alerts and at < NOW + timedelta(days=5):
        verdict = c.judge(Action.GUESS, at)
        alerts = list(verdict.alerts)
        at = verdict.retry_at or at + timedelta(seconds=10)
    assert alerts and alerts[0].strikes >= abuse.ALERT_STRIKES
    assert {a.kind for a in alerts} <= {"guess:address", "guess:account"}


def test_global_budget_locks_everyone_until_its_window_ends() -> None:
    rules = dict(abuse.RULES)
    rules[(Action.SEND, Scope.GLOBAL)] = abuse.Rule(2, 5, grows=False)
    g = Counter()
    for i in range(2):
        verdict = abuse.judge(Action.SEND, {Scope.GLOBAL: g}, NOW + timedelta(minutes=i), rules)
        g = verdict.counters[Scope.GLOBAL]
    assert [a.kind for a in verdict.alerts] == ["send:global"]
    refused = abuse.judge(Action.SEND, {Scope.GLOBAL: g}, NOW + timedelta(minutes=5), rules)
    assert not refused.allowed and refused.retry_at == NOW + timedelta(hours=1)


def test_others_cannot_lock_an_address_for_more_than_a_day() -> None:
    """An address's limits are filled by whoever types it: an attacker who fills them again
    each time they lift (fresh accounts, a few codes each) must not make the owner's wait
    double up to a week. Staff still hear of the repeated lockouts."""
    for action in Action:
        address, at, waits, alerts = Counter(), NOW, [], []
        fresh = Counter()  # a new account each time: only the address is shared
        while at < NOW + timedelta(days=7):
            verdict = abuse.judge(action, {Scope.ACCOUNT: fresh, Scope.ADDRESS: address}, at)
            if verdict.allowed:
                address = verdict.counters[Scope.ADDRESS]
                alerts.extend(verdict.alerts)
                at += abuse.RESEND_COOLDOWN
            else:
                assert verdict.retry_at is not None
                waits.append(verdict.retry_at - at)
                at = verdict.retry_at
        assert waits and max(waits) <= abuse.DAY, (action, max(waits))
        assert any(a.scope is Scope.ADDRESS for a in alerts), action


def test_refused_events_are_not_counted() -> None:
    c = Counters()
    for i in range(10):
        c.judge(Action.GUESS, NOW + timedelta(seconds=i))
    before = dict(c.by)
    assert not c.judge(Action.GUESS, NOW + timedelta(minutes=5)).allowed
    assert c.by == before


def test_keys_hold_no_address_and_one_mailbox_is_one_key() -> None:
    keys = abuse.scope_keys(b"k" * 32, "telegram:42", "Ann.Lee@Example.com")
    assert "ann" not in keys[Scope.ADDRESS].lower() and "42" not in keys[Scope.ACCOUNT]
    same = ["ann.lee@example.com", " ANN.LEE+x@example.com ", "Ann.Lee+a+b@EXAMPLE.COM"]
    assert {abuse.scope_keys(b"k" * 32, "a", e)[Scope.ADDRESS] for e in same} == {
        keys[Scope.ADDRESS]
    }
    gmail = {abuse.mailbox(e) for e in ["a.nn@gmail.com", "ann+1@googlemail.com", "ANN@gmail.com"]}
    assert gmail == {"ann@gmail.com"}
    assert abuse.mailbox("a.nn@example.com") == "a.nn@example.com"  # dots matter elsewhere
    other = abuse.scope_keys(b"other-secret" * 3, "telegram:42", "ann.lee@example.com")
    assert other[Scope.ADDRESS] != keys[Scope.ADDRESS]
