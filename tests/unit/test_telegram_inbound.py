"""The per-user inbound limit of the Telegram adapter (a token bucket per user)."""

from __future__ import annotations

from privbot.adapters.telegram.inbound import FairUpdates, InboundLimit


async def _never(update: object) -> None:
    raise AssertionError("not called by admit()")


def test_a_burst_then_a_steady_rate_and_one_warning_per_flood() -> None:
    now = [0.0]
    fair = FairUpdates(4, _never, InboundLimit(burst=3, per_second=0.5), clock=lambda: now[0])
    assert [fair.admit(1) for _ in range(3)] == [(True, False)] * 3
    assert fair.admit(1) == (False, True)  # the first drop warns
    assert fair.admit(1) == (False, False)  # the next ones do not
    assert fair.admit(2) == (True, False)  # another user is not affected
    now[0] += 2.0  # one token back
    assert fair.admit(1) == (True, False)
    assert fair.admit(1) == (False, False)  # still the same flood: no second warning
    now[0] += 100.0  # refills up to the burst, no more
    assert [fair.admit(1)[0] for _ in range(4)] == [True, True, True, False]
    assert fair.admit(1) == (False, False)  # that last drop was the new flood's warning
