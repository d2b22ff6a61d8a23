"""Legal deadlines of rights requests, with how each date was computed.

Pure: the day of receipt, "today" and the controller's public holidays are passed in. The
holiday calendar is any `Callable[[date], bool]` (or a set of dates); one that also has
`name(day) -> str | None` (see `NamedHolidays`) gets the holiday's name into the explanations.

| jurisdiction             | due                          | ack_due          | extended_due      |
|--------------------------|------------------------------|------------------|-------------------|
| eu, uk, other (GDPR)     | 1 month (Reg. 1182/71), roll | none: at once    | receipt + 3 months|
| california (§7021)       | 45 calendar days             | 10 business days | 90 calendar days  |
| california opt-out §7026 | 15 business days             | none             | none              |
| quebec (Law 25)          | 30 calendar days             | none             | none              |

"Rolled": a GDPR date that falls on a Saturday, Sunday or public holiday moves to the next
working day (Reg. 1182/71 Art. 3(4)). Calendar-day periods are not moved: answering on the
computed day is never late.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Protocol, runtime_checkable

from privbot.core.model import Jurisdiction, RequestType
from privbot.errors import InvalidTransition

IsHoliday = Callable[[date], bool]
HolidaySource = IsHoliday | AbstractSet[date]

DUE, ACK_DUE, EXTENDED_DUE = "due", "ack_due", "extended_due"
DATE_KEYS: tuple[str, ...] = (DUE, ACK_DUE, EXTENDED_DUE)

_GDPR_LAW = {
    Jurisdiction.EU: "EU GDPR Art. 12(3)",
    Jurisdiction.UK: "UK GDPR Art. 12(3)",
    Jurisdiction.OTHER: "GDPR Art. 12(3) timing (the policy's general commitment)",
}
_CCPA_KIND = {
    RequestType.ACCESS: "a request to know",
    RequestType.ERASURE: "a request to delete",
    RequestType.RECTIFICATION: "a request to correct",
    RequestType.PORTABILITY: "a request to know (the CCPA gives portable copies through it)",
}
_NO_ACK = "none set by law; acknowledged at once"


@runtime_checkable
class NamedHolidays(Protocol):
    """A holiday calendar that can also name its holidays (for the explanations)."""

    def __call__(self, day: date) -> bool: ...

    def name(self, day: date) -> str | None: ...


class ExtensionNotAllowed(InvalidTransition):
    """The request cannot be extended: no extension in its law, already extended, or too late."""


@dataclass(frozen=True, slots=True)
class LegalDates:
    """The legal dates of one request and, per date key, how it was computed.

    `explanation` has the keys of `DATE_KEYS` (also for a date that is None: it says why).
    """

    jurisdiction: Jurisdiction
    request_type: RequestType
    received: date
    due: date
    ack_due: date | None
    extended_due: date | None
    explanation: Mapping[str, str]

    def as_json(self) -> dict[str, object]:
        """The `privbot deadline --json` object: ISO dates or None, explanation per key."""
        return {
            "jurisdiction": str(self.jurisdiction),
            "type": str(self.request_type),
            "received": self.received.isoformat(),
            DUE: self.due.isoformat(),
            ACK_DUE: self.ack_due.isoformat() if self.ack_due else None,
            EXTENDED_DUE: self.extended_due.isoformat() if self.extended_due else None,
            "explanation": {key: self.explanation[key] for key in DATE_KEYS},
        }


# --- calendar arithmetic ----------------------------------------------------------------


def as_checker(holidays: HolidaySource) -> IsHoliday:
    """Accept a callable or a set of dates as the holiday calendar."""
    if isinstance(holidays, AbstractSet):
        return holidays.__contains__
    return holidays


def is_working_day(day: date, is_holiday: HolidaySource) -> bool:
    """Monday to Friday and not a public holiday (also the CCPA's "business day")."""
    return day.weekday() < 5 and not as_checker(is_holiday)(day)


def add_months(start: date, months: int) -> tuple[date, bool]:
    """Same day-of-month `months` later, or that month's last day; True when clipped."""
    years, month0 = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month0 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last)), start.day > last


def add_business_days(start: date, count: int, is_holiday: HolidaySource) -> date:
    """The `count`-th working day after `start` (the day after `start` is the first candidate)."""
    day, found = start, 0
    while found < count:
        day += timedelta(days=1)
        if is_working_day(day, is_holiday):
            found += 1
    return day


def next_working_day(day: date, is_holiday: HolidaySource) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, is_holiday):
        day += timedelta(days=1)
    return day


def days_left(due: date, today: date) -> int:
    """Calendar days from `today` to `due`: 0 on the day itself, negative once overdue."""
    return (due - today).days


# --- explanations -------------------------------------------------------------------------


def _weekday(day: date) -> str:
    return calendar.day_name[day.weekday()]


def _holiday_label(day: date, is_holiday: HolidaySource) -> str | None:
    if not as_checker(is_holiday)(day):
        return None
    name = is_holiday.name(day) if isinstance(is_holiday, NamedHolidays) else None
    return f"public holiday ({name})" if name else "public holiday"


def _roll(day: date, is_holiday: HolidaySource) -> tuple[date, str]:
    """Move to the next working day; say which days were skipped and why."""
    steps: list[str] = []
    while not is_working_day(day, is_holiday):
        holiday = _holiday_label(day, is_holiday)
        what = f"a {_weekday(day)}" + (f" and a {holiday}" if holiday else "")
        steps.append(f"{day} is {what}")
        day += timedelta(days=1)
    if steps:
        steps.append(f"next working day {day} ({_weekday(day)})")
    else:
        steps.append(f"{day} is a {_weekday(day)}, a working day")
    return day, "; ".join(steps)


def _months_text(received: date, months: int) -> tuple[date, str]:
    target, clipped = add_months(received, months)
    word = "one month" if months == 1 else f"{months} months"
    why = (
        f"no {received.day} {calendar.month_name[target.month]}: last day of the month"
        if clipped
        else "same date"
    )
    return target, f"{word} -> {target} ({why})"


def _business_days_text(received: date, count: int, is_holiday: HolidaySource) -> tuple[date, str]:
    end = add_business_days(received, count, is_holiday)
    weekend = 0
    names: list[str] = []
    day = received + timedelta(days=1)
    while day <= end:
        if day.weekday() >= 5:
            weekend += 1
        elif (label := _holiday_label(day, is_holiday)) is not None:
            names.append(f"{day} {label}")
        day += timedelta(days=1)
    skipped = f"skipped {weekend} weekend day(s)"
    if names:
        skipped += " and " + ", ".join(names)
    text = (
        f"{count} business days (Monday to Friday, public holidays excluded) after {received}: "
        f"{skipped} -> {end} ({_weekday(end)})"
    )
    return end, text


# --- the rules ----------------------------------------------------------------------------


def compute(
    jurisdiction: Jurisdiction,
    request_type: RequestType,
    received: date,
    is_holiday: HolidaySource,
) -> LegalDates:
    """The legal dates of a request of `request_type` received on `received`."""
    if jurisdiction is Jurisdiction.CALIFORNIA:
        if request_type is RequestType.OPT_OUT_SALE:
            return _ccpa_opt_out(request_type, received, is_holiday)
        return _ccpa(request_type, received, is_holiday)
    if jurisdiction is Jurisdiction.QUEBEC:
        return _quebec(request_type, received)
    return _gdpr(jurisdiction, request_type, received, is_holiday)


def extend(dates: LegalDates, already_extended: bool, today: date) -> date:
    """The extended due date, if this request may still be extended today.

    One extension per request, notified to the user no later than the original due date.
    """
    if dates.extended_due is None:
        raise ExtensionNotAllowed(
            f"no extension for a {dates.request_type} request in {dates.jurisdiction}"
        )
    if already_extended:
        raise ExtensionNotAllowed("this request has already been extended once")
    if today > dates.due:
        raise ExtensionNotAllowed(
            f"too late to extend: the notice was due by the original deadline {dates.due}"
        )
    return dates.extended_due


def _dates(
    jurisdiction: Jurisdiction,
    request_type: RequestType,
    received: date,
    due: tuple[date, str],
    ack_due: tuple[date | None, str],
    extended_due: tuple[date | None, str],
) -> LegalDates:
    """Each date comes with its explanation, so one cannot be set without the other."""
    return LegalDates(
        jurisdiction, request_type, received, due[0], ack_due[0], extended_due[0],
        MappingProxyType({DUE: due[1], ACK_DUE: ack_due[1], EXTENDED_DUE: extended_due[1]}),
    )  # fmt: skip


def _gdpr(
    jurisdiction: Jurisdiction, request_type: RequestType, received: date, is_holiday: HolidaySource
) -> LegalDates:
    law = _GDPR_LAW[jurisdiction]
    month, month_text = _months_text(received, 1)
    due, due_roll = _roll(month, is_holiday)
    # The extension is "two further months" of the same period, so it is counted like the
    # period itself: receipt + 3 months with the end-of-month rule, then rolled. Adding two
    # months to the rolled or clipped due date instead would lose days (31 Jan -> 28 Feb ->
    # 28 Apr instead of 30 Apr) or drift with the roll; Reg. 1182/71 rolls only a period's end.
    three, three_text = _months_text(received, 3)
    extended, ext_roll = _roll(three, is_holiday)
    return _dates(
        jurisdiction,
        request_type,
        received,
        due=(
            due,
            f"{law}, counted per Reg. 1182/71: received {received}; {month_text}; "
            f"{due_roll}; due {due}",
        ),
        ack_due=(None, _NO_ACK),
        extended_due=(
            extended,
            f"{law} allows two further months where needed (once), counted from receipt: "
            f"received {received}; {three_text}; {ext_roll}; extended due {extended}; "
            f"the user must be told, with reasons, by {due}",
        ),
    )


def _ccpa(request_type: RequestType, received: date, is_holiday: HolidaySource) -> LegalDates:
    kind = _CCPA_KIND.get(request_type)
    if kind is None:
        kind = (
            f"{request_type}: no CCPA period of its own, so handled on the 45-day timetable "
            "of a request to know"
        )
    due = received + timedelta(days=45)
    extended = received + timedelta(days=90)
    ack, ack_text = _business_days_text(received, 10, is_holiday)
    not_moved = "calendar days, not moved off weekends or holidays"
    return _dates(
        Jurisdiction.CALIFORNIA,
        request_type,
        received,
        due=(
            due,
            f"CCPA regs §7021(b), {kind}: received {received}; + 45 {not_moved}; "
            f"verification does not stop the clock; due {due} ({_weekday(due)})",
        ),
        ack_due=(ack, f"CCPA regs §7021(a): confirm receipt within {ack_text}; ack due {ack}"),
        extended_due=(
            extended,
            f"CCPA regs §7021(b): 45 more days where needed (90 in all, once): "
            f"received {received}; + 90 {not_moved}; extended due {extended} "
            f"({_weekday(extended)}); notice with the reason by {due}",
        ),
    )


def _ccpa_opt_out(
    request_type: RequestType, received: date, is_holiday: HolidaySource
) -> LegalDates:
    due, text = _business_days_text(received, 15, is_holiday)
    return _dates(
        Jurisdiction.CALIFORNIA,
        request_type,
        received,
        due=(
            due,
            f"CCPA regs §7026, opt-out of sale/sharing: comply within {text}; due {due}; "
            "no identity verification may be required",
        ),
        ack_due=(None, f"{_NO_ACK} (§7026 sets no confirmation date)"),
        extended_due=(None, "none: §7026 allows no extension"),
    )


def _quebec(request_type: RequestType, received: date) -> LegalDates:
    due = received + timedelta(days=30)
    return _dates(
        Jurisdiction.QUEBEC,
        request_type,
        received,
        due=(
            due,
            f"Quebec Law 25 (private sector act s. 32): received {received}; + 30 calendar "
            f"days, not moved off weekends or holidays; due {due} ({_weekday(due)})",
        ),
        ack_due=(None, _NO_ACK),
        extended_due=(None, "none: Law 25 allows no extension"),
    )
