"""Legal deadlines of rights requests, with how each date was computed.

Pure: the day of receipt, "today" and the controller's public holidays are passed in. The
holiday calendar is any `Callable[[date], bool]` (or a set of dates); one that also has
`name(day) -> str | None` (see `NamedHolidays`) gets the holiday's name into the explanations.

| law                            | due                       | ack_due    | extended_due        |
|--------------------------------|---------------------------|------------|---------------------|
| EU / UK GDPR Art. 12(3)        | 1 month (Reg. 1182/71),   | none: at   | receipt + 3 months  |
|   (also the "other" promise)   |   rolled                  |   once     |                     |
| CCPA regs §7021                | 45 calendar days          | 10 bus. d. | 90 calendar days    |
| CCPA opt-out, regs §7026       | 15 business days          | none       | none                |
| Quebec Law 25 (s. 32)          | 30 calendar days          | none       | none                |
| Swiss nFADP art. 25(7),        | 30 calendar days          | none       | on notice, no legal |
|   OPDo art. 18                 |                           |            |   maximum: privbot  |
|                                |                           |            |   states receipt+60d|
| withdrawal of consent; object- | the day of receipt: takes | none       | none                |
|   ion to direct marketing      |   effect at once          |            |                     |
|   (GDPR Art. 7(3), 21(3))      |                           |            |                     |

"Rolled": a GDPR date that falls on a Saturday, Sunday or public holiday moves to the next
working day (Reg. 1182/71 Art. 3(4)). Calendar-day periods are not moved: answering on the
computed day is never late.

Several laws can apply to one request: the law of the user's residence and the law of the
controller's establishment (`Establishment`). Each applicable law is computed and the earliest
date of each kind binds; an extension exists only if every applicable law allows one, up to
the earliest extended date. `applicable_laws` says which laws apply and why:

| residence \\ est.  | eu                 | uk                 | switzerland       | other        |
|---------------------|--------------------|--------------------|-------------------|--------------|
| eu                  | EU GDPR 3(1)       | EU 3(2) + UK 3(1)  | EU 3(2) + nFADP   | EU GDPR 3(2) |
| uk                  | UK 3(2) + EU 3(1)  | UK GDPR 3(1)       | UK 3(2) + nFADP   | UK GDPR 3(2) |
| switzerland         | nFADP + EU 3(1)    | nFADP + UK 3(1)    | nFADP             | nFADP 3(1)   |
| california          | CCPA + EU 3(1)     | CCPA + UK 3(1)     | CCPA + nFADP      | CCPA         |
| quebec              | Law 25 + EU 3(1)   | Law 25 + UK 3(1)   | Law 25 + nFADP    | Law 25       |
| other               | EU GDPR 3(1)       | UK GDPR 3(1)       | nFADP             | GDPR timing  |

(The GDPR's Art. 3(1) covers processing in the context of an establishment in the Union
"regardless of whether the processing takes place in the Union", whoever the person is; Art.
3(2)(a) covers people in the Union offered services from outside it; the UK GDPR copies both.
The nFADP applies to what has an effect in Switzerland (art. 3(1)); a controller established
there is held to it for every user, conservatively. The CCPA protects California residents and
Law 25 Quebec's, wherever the controller is. "GDPR timing": no law sets a period, the policy's
general commitment does.)
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol, runtime_checkable

from privbot.core.model import Establishment, Jurisdiction, RequestType
from privbot.errors import InvalidTransition

IsHoliday = Callable[[date], bool]
HolidaySource = IsHoliday | AbstractSet[date]

DUE, ACK_DUE, EXTENDED_DUE = "due", "ack_due", "extended_due"
DATE_KEYS: tuple[str, ...] = (DUE, ACK_DUE, EXTENDED_DUE)

_CCPA_KIND = {
    RequestType.ACCESS: "a request to know",
    RequestType.ERASURE: "a request to delete",
    RequestType.RECTIFICATION: "a request to correct",
    RequestType.PORTABILITY: "a request to know (the CCPA gives portable copies through it)",
}
_NO_ACK = "none set by law; acknowledged at once"


class Law(StrEnum):
    """A law that can set the dates of a request (see `applicable_laws`)."""

    EU_GDPR = "EU GDPR"
    UK_GDPR = "UK GDPR"
    CH_FADP = "Swiss nFADP"
    CCPA = "CCPA"
    QUEBEC = "Quebec Law 25"
    POLICY = "GDPR timing"  # no law sets a period: the policy's general commitment


@dataclass(frozen=True, slots=True)
class ApplicableLaw:
    """One law that applies to a request, and why (said in the explanations)."""

    law: Law
    why: str


_GDPR_ARTICLE = {
    Law.EU_GDPR: "EU GDPR Art. 12(3)",
    Law.UK_GDPR: "UK GDPR Art. 12(3)",
    Law.POLICY: "GDPR Art. 12(3) timing (the policy's general commitment)",
}


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
    establishment: Establishment = Establishment.OTHER,
    *,
    marketing_objection: bool = False,
) -> LegalDates:
    """The legal dates of a request of `request_type` received on `received` from a user
    living in `jurisdiction`, every applicable law combined (the module docstring).

    `establishment` is the controller's (services pass `PRIVBOT_CONTROLLER_ESTABLISHMENT`,
    default EU); its default here, OTHER, means the laws of the residence alone.
    `marketing_objection`: an objection to direct marketing, which takes effect at once.
    """
    laws = applicable_laws(jurisdiction, establishment)
    if takes_effect_at_once(request_type, marketing_objection):
        return _at_once(jurisdiction, request_type, received, laws)
    per_law = [
        (law, _by_law(law, jurisdiction, request_type, received, is_holiday)) for law in laws
    ]
    if len(per_law) == 1:
        return per_law[0][1]
    return _combine(jurisdiction, request_type, received, per_law)


def takes_effect_at_once(request_type: RequestType, marketing_objection: bool) -> bool:
    """Withdrawal of consent (GDPR Art. 7(3)) and objection to direct marketing (Art. 21(3))
    bind from the moment they are received: staff act now, nothing waits for a deadline."""
    return request_type is RequestType.WITHDRAW_CONSENT or (
        request_type is RequestType.OBJECTION and marketing_objection
    )


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
    law: str,
    jurisdiction: Jurisdiction,
    request_type: RequestType,
    received: date,
    is_holiday: HolidaySource,
) -> LegalDates:
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


def _ccpa(
    jurisdiction: Jurisdiction, request_type: RequestType, received: date, is_holiday: HolidaySource
) -> LegalDates:
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
        jurisdiction,
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
    jurisdiction: Jurisdiction, request_type: RequestType, received: date, is_holiday: HolidaySource
) -> LegalDates:
    due, text = _business_days_text(received, 15, is_holiday)
    return _dates(
        jurisdiction,
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


def _quebec(jurisdiction: Jurisdiction, request_type: RequestType, received: date) -> LegalDates:
    due = received + timedelta(days=30)
    return _dates(
        jurisdiction,
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


def _switzerland(
    jurisdiction: Jurisdiction, request_type: RequestType, received: date
) -> LegalDates:
    # nFADP art. 25(7): access is answered, as a rule, within 30 days; OPDo art. 18(1): within
    # 30 days of receipt; art. 18(2): if that cannot be done, the controller tells the person
    # and states the period within which the answer will come. No maximum is set, so the 30
    # more days below are privbot's own choice, announced to the user in the extension notice.
    if request_type is RequestType.ACCESS:
        kind = "a request for access"
    else:
        kind = (
            f"{request_type}: the Act sets no period of its own, so handled on the 30-day "
            "timetable of access"
        )
    due = received + timedelta(days=30)
    extended = received + timedelta(days=60)
    not_moved = "calendar days, not moved off weekends or holidays"
    return _dates(
        jurisdiction,
        request_type,
        received,
        due=(
            due,
            f"Swiss nFADP art. 25(7) and OPDo art. 18(1), {kind}: received {received}; "
            f"+ 30 {not_moved}; due {due} ({_weekday(due)})",
        ),
        ack_due=(None, _NO_ACK),
        extended_due=(
            extended,
            "OPDo art. 18(2): if the answer cannot be given within 30 days, the person must "
            "be told so and of the period within which it will be given; the law sets no "
            f"maximum, privbot states 30 more days: received {received}; + 60 {not_moved}; "
            f"extended due {extended} ({_weekday(extended)}); the notice goes out by {due}",
        ),
    )


# --- which laws apply, and their combination ------------------------------------------------

_ESTABLISHMENT_LAW = {
    Establishment.EU: (Law.EU_GDPR, "Art. 3(1): the controller is established in the EU"),
    Establishment.UK: (Law.UK_GDPR, "Art. 3(1): the controller is established in the UK"),
    Establishment.SWITZERLAND: (
        Law.CH_FADP,
        "the controller is established in Switzerland (applied to every user, conservatively)",
    ),
}
_RESIDENCE_LAW = {
    Jurisdiction.EU: (Law.EU_GDPR, "Art. 3(2)(a): services offered to people in the EU"),
    Jurisdiction.UK: (Law.UK_GDPR, "Art. 3(2)(a): services offered to people in the UK"),
    Jurisdiction.SWITZERLAND: (
        Law.CH_FADP,
        "art. 3(1): the processing has an effect in Switzerland, where the user lives",
    ),
    Jurisdiction.CALIFORNIA: (
        Law.CCPA,
        "the user lives in California (Civ. Code §1798.140: a consumer is a California resident)",
    ),
    Jurisdiction.QUEBEC: (Law.QUEBEC, "the user lives in Quebec"),
}


def applicable_laws(
    jurisdiction: Jurisdiction, establishment: Establishment
) -> tuple[ApplicableLaw, ...]:
    """The laws that set the dates of a request from a user living in `jurisdiction` to a
    controller established in `establishment`: the residence's, then the establishment's
    (the table of the module docstring). Never empty."""
    laws: list[ApplicableLaw] = []
    by_establishment = _ESTABLISHMENT_LAW.get(establishment)
    by_residence = _RESIDENCE_LAW.get(jurisdiction)
    if by_residence is not None:
        law, why = by_residence
        if by_establishment is not None and by_establishment[0] is law:
            why = by_establishment[1]  # the same law, and for the stronger reason
        laws.append(ApplicableLaw(law, why))
    if by_establishment is not None and all(a.law is not by_establishment[0] for a in laws):
        laws.append(ApplicableLaw(*by_establishment))
    if not laws:
        laws.append(
            ApplicableLaw(Law.POLICY, "no law of the residence or the establishment sets a period")
        )
    return tuple(laws)


def gdpr_applies(jurisdiction: Jurisdiction, establishment: Establishment) -> bool:
    """Whether the EU or UK GDPR (or the policy's GDPR promise) covers the request: then a
    denial names the right to complain (Art. 12(4))."""
    gdprs = {Law.EU_GDPR, Law.UK_GDPR, Law.POLICY}
    return any(a.law in gdprs for a in applicable_laws(jurisdiction, establishment))


def _by_law(
    applicable: ApplicableLaw,
    jurisdiction: Jurisdiction,
    request_type: RequestType,
    received: date,
    is_holiday: HolidaySource,
) -> LegalDates:
    law = applicable.law
    if law is Law.CCPA:
        if request_type is RequestType.OPT_OUT_SALE:
            return _ccpa_opt_out(jurisdiction, request_type, received, is_holiday)
        return _ccpa(jurisdiction, request_type, received, is_holiday)
    if law is Law.QUEBEC:
        return _quebec(jurisdiction, request_type, received)
    if law is Law.CH_FADP:
        return _switzerland(jurisdiction, request_type, received)
    return _gdpr(_GDPR_ARTICLE[law], jurisdiction, request_type, received, is_holiday)


def _combine(
    jurisdiction: Jurisdiction,
    request_type: RequestType,
    received: date,
    per_law: Sequence[tuple[ApplicableLaw, LegalDates]],
) -> LegalDates:
    """Every law binds: the earliest date of each kind; an extension only where every law
    allows one, and then no later than the earliest extended date."""
    due = min(d.due for _, d in per_law)
    acks = [d.ack_due for _, d in per_law if d.ack_due is not None]
    ack = min(acks) if acks else None
    extended_dates = [d.extended_due for _, d in per_law]
    no_extension = [a.law.value for a, d in per_law if d.extended_due is None]
    extended = None if no_extension else min(e for e in extended_dates if e is not None)
    names = " and ".join(a.law.value for a, _ in per_law)

    def each(key: str) -> str:
        return "; ".join(f"[{a.law} ({a.why})] {d.explanation[key]}" for a, d in per_law)

    applies = f"{len(per_law)} laws apply ({names}), the earliest date binds"
    if ack is None:
        ack_head = f"{applies}: none set by any of them; acknowledged at once"
    else:
        ack_head = f"{applies}: ack due {ack}"
    if extended is None:
        ext_head = f"{applies}: no extension, as {' and '.join(no_extension)} allows none"
    else:
        ext_head = f"{applies}: extended due {extended}, the notice going out by {due}"
    return _dates(
        jurisdiction,
        request_type,
        received,
        due=(due, f"{applies}: due {due}. {each(DUE)}"),
        ack_due=(ack, f"{ack_head}. {each(ACK_DUE)}"),
        extended_due=(extended, f"{ext_head}. {each(EXTENDED_DUE)}"),
    )


def _at_once(
    jurisdiction: Jurisdiction,
    request_type: RequestType,
    received: date,
    laws: Sequence[ApplicableLaw],
) -> LegalDates:
    consent = request_type is RequestType.WITHDRAW_CONSENT
    what = "withdrawal of consent" if consent else "objection to direct marketing"
    article = "Art. 7(3)" if consent else "Art. 21(3)"
    rule = (
        "consent may be withdrawn at any time, as easily as it was given, and processing "
        "based on it stops"
        if consent
        else "once a person objects to direct marketing, their data are no longer processed "
        "for that purpose"
    )
    gdprs = [a for a in laws if a.law in (Law.EU_GDPR, Law.UK_GDPR)]
    names = " and ".join(a.law.value for a in laws)
    if gdprs:
        source = "; ".join(f"{a.law} {article} ({a.why})" for a in gdprs) + f": {rule}"
    else:
        source = (
            f"privbot applies the GDPR rule ({article}: {rule}) to every user; it is never "
            f"later than what {names} allows"
        )
    return _dates(
        jurisdiction,
        request_type,
        received,
        due=(
            received,
            f"{what}: takes effect at once, recorded as effective on {received}; act now. {source}",
        ),
        ack_due=(None, f"none: the {what} takes effect at once and the user is told so"),
        extended_due=(None, f"none: a {what} cannot be postponed"),
    )
