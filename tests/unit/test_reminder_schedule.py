"""The reminder schedule of one request (core.reminders): points, catch-up, next day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from privbot.core.reminders import (
    Timeline,
    due_point,
    local_day,
    next_day,
    points_between,
    reminder_day,
    window,
)
from privbot.core.requests import RequestStatus as S

DUE = date(2026, 3, 16)
GDPR = Timeline(S.VERIFIED, DUE, None, date(2026, 2, 16))
CCPA = Timeline(S.VERIFIED, date(2026, 4, 2), date(2026, 3, 2), date(2026, 2, 16))


def key_on(t: Timeline, day: date) -> str | None:
    p = due_point(t, day)
    return p.key if p else None


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2026, 3, 8), None),
        (date(2026, 3, 9), "due_minus_7"),
        (date(2026, 3, 12), "due_minus_7"),
        (date(2026, 3, 13), "due_minus_3"),
        (date(2026, 3, 15), "due_minus_1"),
        (date(2026, 3, 16), "due_today"),
        (date(2026, 3, 17), "overdue:2026-03-17"),
        (date(2026, 4, 30), "overdue:2026-04-30"),
    ],
)
def test_latest_point_reached(day: date, key: str | None) -> None:
    assert key_on(GDPR, day) == key


def test_catch_up_after_downtime_is_only_the_latest() -> None:
    # Down from 1 March to 15 March: -7 and -3 were missed; only -1 is due now.
    assert key_on(GDPR, date(2026, 3, 15)) == "due_minus_1"


def test_ack_reminder_only_while_unacknowledged() -> None:
    assert key_on(CCPA, date(2026, 2, 27)) is None
    assert key_on(CCPA, date(2026, 2, 28)) == "ack_due"  # two days before 2 March
    acked = Timeline(S.ACKNOWLEDGED, CCPA.due, CCPA.ack_due, CCPA.received)
    assert key_on(acked, date(2026, 2, 28)) is None
    assert key_on(Timeline(S.VERIFIED, DUE), date(2026, 2, 28)) is None  # GDPR: no ack date


def test_closed_requests_have_no_points() -> None:
    for st in (S.COMPLETED, S.DENIED, S.CANCELLED, S.RECEIVED):
        t = Timeline(st, DUE, None, GDPR.received)
        assert due_point(t, date(2026, 3, 20)) is None
        assert next_day(t, date(2026, 3, 20)) is None


def test_each_point_over_a_life_once() -> None:
    keys = [p.key for p in points_between(CCPA, date(2026, 2, 16), date(2026, 4, 4))]
    assert keys == [
        "ack_due", "due_minus_7", "due_minus_3", "due_minus_1", "due_today",
        "overdue:2026-04-03", "overdue:2026-04-04",
    ]  # fmt: skip


def test_next_day_walks_the_points() -> None:
    seen: list[date] = []
    day = GDPR.received
    while day <= date(2026, 3, 18):
        nxt = next_day(GDPR, day)
        assert nxt is not None and nxt > day
        seen.append(nxt)
        day = nxt
    assert seen == [
        date(2026, 3, 9), date(2026, 3, 13), date(2026, 3, 15), date(2026, 3, 16),
        date(2026, 3, 17), date(2026, 3, 18), date(2026, 3, 19),
    ]  # fmt: skip


def test_extension_starts_a_series_for_the_new_date() -> None:
    ext = Timeline(S.IN_PROGRESS, date(2026, 5, 18), None, GDPR.received)
    p = due_point(ext, date(2026, 5, 11))
    assert p is not None and (p.key, p.for_due) == ("due_minus_7", date(2026, 5, 18))
    assert due_point(ext, date(2026, 3, 17)) is None  # no longer overdue on the old date


def test_window_matches_points() -> None:
    for offset in range(-40, 10):
        today = DUE + timedelta(days=offset)
        due_bound, _ = window(today)
        assert (due_point(Timeline(S.IN_PROGRESS, DUE), today) is not None) == (due_bound >= DUE)


def test_local_day_uses_the_time_zone() -> None:
    late = datetime(2026, 3, 15, 23, 30, tzinfo=UTC)
    assert local_day(late, ZoneInfo("Europe/Paris")) == date(2026, 3, 16)
    with pytest.raises(ValueError):
        local_day(datetime(2026, 3, 15), ZoneInfo("UTC"))


def test_reminder_day_starts_at_the_reminder_hour() -> None:
    paris = ZoneInfo("Europe/Paris")
    day = date(2026, 3, 29)  # clocks go forward at 02:00 in Paris
    assert reminder_day(datetime(2026, 3, 29, 8, 59, tzinfo=paris), paris, 9) is None
    assert reminder_day(datetime(2026, 3, 29, 9, 0, tzinfo=paris), paris, 9) == day
    assert reminder_day(datetime(2026, 3, 29, 7, 0, tzinfo=UTC), paris, 9) == day  # 09:00 CEST
    assert reminder_day(datetime(2026, 3, 28, 23, 30, tzinfo=UTC), paris, 0) == day
    with pytest.raises(ValueError):
        reminder_day(datetime(2026, 3, 29, 9), paris, 9)
