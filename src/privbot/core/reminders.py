"""Deadline reminders for staff: which reminder points a request has, and which one is due.

Pure: the request's dates, its status and "today" (the local date of `now` in the controller's
time zone, see `local_day`) are passed in.

Points of one request, in order (each one is sent once; `for_due` is the binding due date, so
an extension starts a fresh series for the new date):

    ack_due        ACK_LEAD_DAYS before the acknowledgement date, while still unacknowledged
                   (only where the law sets one: CCPA's 10 business days)
    due_minus_7    7 days before the due date
    due_minus_3    3 days before
    due_minus_1    the day before
    due_today      on the day
    overdue:<day>  every day after it (one a day, with the date in the key)

After downtime only the latest point that has been reached is sent (`due_point`): one
catch-up per request, not a burst of every missed point.

A point is sent on its day from the reminder hour on (`PRIVBOT_REMINDER_HOUR`, local time;
see `reminder_day`), never in the night: a sweep before that hour sends nothing, and one at
or after it sends the latest point reached by today (so a point missed yesterday is not sent
at 8 o'clock only to be followed by today's at 9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from privbot.core.requests import RequestStatus

ACK_LEAD_DAYS = 2
BEFORE_DUE: tuple[tuple[str, int], ...] = (
    ("due_minus_7", 7),
    ("due_minus_3", 3),
    ("due_minus_1", 1),
    ("due_today", 0),
)
ACK_KEY = "ack_due"
OVERDUE_PREFIX = "overdue:"
WINDOW_DAYS = max(days for _, days in BEFORE_DUE)  # no point before due - WINDOW_DAYS

# Reminders concern requests staff can act on: verified and not closed.
REMINDER_STATUSES: frozenset[RequestStatus] = frozenset(
    {RequestStatus.VERIFIED, RequestStatus.ACKNOWLEDGED, RequestStatus.IN_PROGRESS}
)


@dataclass(frozen=True, slots=True)
class Timeline:
    """What the schedule depends on: status, binding due date, acknowledgement date."""

    status: RequestStatus
    due: date  # the binding one: the extended date once extended
    ack_due: date | None = None
    received: date | None = None


@dataclass(frozen=True, slots=True)
class ReminderPoint:
    """One reminder: `key` (unique per request and due date), the day it is due on."""

    key: str
    on: date
    for_due: date

    @property
    def kind(self) -> str:
        """`overdue` for every daily overdue key, else the key itself."""
        return "overdue" if self.key.startswith(OVERDUE_PREFIX) else self.key

    @property
    def days_left(self) -> int:
        return (self.for_due - self.on).days


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the sweep and the staff lists need of one open request (no personal data)."""

    reference: str
    status: RequestStatus
    due: date  # binding: extended when extended
    ack_due: date | None
    received: date
    assignee: str | None
    next_on: date | None = None
    type: str = ""
    jurisdiction: str = ""


@dataclass(frozen=True, slots=True)
class ClaimKey:
    reference: str
    key: str
    for_due: date


def local_day(now: datetime, tz: tzinfo) -> date:
    """The controller's calendar date at `now` (an aware datetime)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(tz).date()


def reminder_day(now: datetime, tz: tzinfo, hour: int = 0) -> date | None:
    """The day whose reminder points may go out at `now`: the local date from `hour` o'clock
    on, None before it (nothing is sent in the night, overdue and due-today included)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(tz)
    return local.date() if local.hour >= hour else None


def _ack_point(t: Timeline) -> ReminderPoint | None:
    if t.ack_due is None or t.status is not RequestStatus.VERIFIED:
        return None  # acknowledged (or later): the acknowledgement reminder is moot
    on = t.ack_due - timedelta(days=ACK_LEAD_DAYS)
    if t.received is not None:
        on = max(on, t.received)
    return ReminderPoint(ACK_KEY, on, t.due)


def fixed_points(t: Timeline) -> list[ReminderPoint]:
    """The points before the overdue series, in the order they fall (ties: due ones last)."""
    if t.status not in REMINDER_STATUSES:
        return []
    points = [ReminderPoint(key, t.due - timedelta(days=days), t.due) for key, days in BEFORE_DUE]
    ack = _ack_point(t)
    if ack is not None:
        points.append(ack)
    # Stable sort: an ack point on the same day as a due point sorts before it, so the
    # more urgent due reminder is the "latest" one.
    order = {p.key: i for i, p in enumerate(points)}
    return sorted(points, key=lambda p: (p.on, 0 if p.key == ACK_KEY else 1, order[p.key]))


def overdue_point(t: Timeline, today: date) -> ReminderPoint | None:
    if t.status not in REMINDER_STATUSES or today <= t.due:
        return None
    return ReminderPoint(f"{OVERDUE_PREFIX}{today.isoformat()}", today, t.due)


def due_point(t: Timeline, today: date) -> ReminderPoint | None:
    """The latest point reached by `today`, or None. This is the only one to send now."""
    overdue = overdue_point(t, today)
    if overdue is not None:
        return overdue
    reached = [p for p in fixed_points(t) if p.on <= today]
    return reached[-1] if reached else None


def next_day(t: Timeline, today: date) -> date | None:
    """The first day after `today` on which a new point is reached (None: never, closed)."""
    if t.status not in REMINDER_STATUSES:
        return None
    later = [p.on for p in fixed_points(t) if p.on > today]
    if later:
        return min(later)
    return max(today, t.due) + timedelta(days=1)  # the next daily overdue reminder


def points_between(t: Timeline, start: date, end: date) -> list[ReminderPoint]:
    """Every point on a day in [start, end], overdue days included (for tests and previews)."""
    found = [p for p in fixed_points(t) if start <= p.on <= end]
    day = max(start, t.due + timedelta(days=1))
    while t.status in REMINDER_STATUSES and day <= end:
        found.append(ReminderPoint(f"{OVERDUE_PREFIX}{day.isoformat()}", day, t.due))
        day += timedelta(days=1)
    return found


def window(today: date) -> tuple[date, date]:
    """(due bound, ack bound): a request has a point reached by `today` only if its binding
    due date is on or before the first, or (still unacknowledged) its ack date on or before
    the second. Lets the database select the few candidates with indexed date columns."""
    return today + timedelta(days=WINDOW_DAYS), today + timedelta(days=ACK_LEAD_DAYS)
