"""Legal deadlines against dates computed by hand.

Every expected date below was worked out on paper (weekdays checked against a calendar);
the holiday calendar is the controller's: France unless a row says otherwise.
"""

from __future__ import annotations

import ast
import json
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import privbot.core.deadlines as deadlines_module
from privbot.adapters.holiday_calendar import HolidayCalendar, holiday_checker
from privbot.cli.deadline import deadline
from privbot.core.deadlines import (
    ACK_DUE,
    DATE_KEYS,
    DUE,
    EXTENDED_DUE,
    ExtensionNotAllowed,
    HolidaySource,
    LegalDates,
    add_business_days,
    add_months,
    compute,
    days_left,
    extend,
    is_working_day,
    next_working_day,
)
from privbot.core.model import Jurisdiction, RequestType
from privbot.errors import InvalidTransition, PrivbotError

D = date.fromisoformat
FR = holiday_checker("FR")
US = holiday_checker("US")
GB = holiday_checker("GB")
NO_HOLIDAYS: frozenset[date] = frozenset()

EU, UK, CA, QC, OTHER = (
    Jurisdiction.EU,
    Jurisdiction.UK,
    Jurisdiction.CALIFORNIA,
    Jurisdiction.QUEBEC,
    Jurisdiction.OTHER,
)
ACCESS = RequestType.ACCESS


# --- GDPR: one month (Reg. 1182/71), roll to the next working day; extension = receipt + 3 months


GDPR_CASES = [
    # received, due, extended_due, why
    ("2025-01-31", "2025-02-28", "2025-04-30", "no 31 Feb -> 28 Feb (Fri); no 31 Apr -> 30 Apr"),
    ("2024-01-31", "2024-02-29", "2024-04-30", "leap year: 29 Feb 2024 (Thu)"),
    ("2025-10-30", "2025-12-01", "2026-01-30", "30 Nov 2025 is a Sunday -> Mon 1 Dec"),
    ("2025-08-31", "2025-09-30", "2025-12-01", "31 Aug -> 30 Sep; ext 30 Nov (Sun) -> 1 Dec"),
    ("2024-11-30", "2024-12-30", "2025-02-28", "ext: no 30 Feb 2025 -> 28 Feb (Fri)"),
    ("2025-11-30", "2025-12-30", "2026-03-02", "ext: no 30 Feb -> 28 Feb 2026 (Sat) -> Mon 2 Mar"),
    ("2023-11-30", "2024-01-02", "2024-02-29", "Sat 30 Dec, Sun, 1 Jan holiday -> Tue; ext leap"),
    ("2025-02-15", "2025-03-17", "2025-05-15", "15 Mar 2025 is a Saturday -> Monday 17"),
    ("2025-12-31", "2026-02-02", "2026-03-31", "31 Jan 2026 is a Saturday -> Mon 2 Feb"),
    ("2025-04-01", "2025-05-02", "2025-07-01", "1 May (Thu, Labour Day) -> Fri 2 May"),
    ("2025-04-08", "2025-05-09", "2025-07-08", "8 May 2025 (Thu, Victory Day) -> Fri 9"),
    ("2026-04-08", "2026-05-11", "2026-07-08", "8 May 2026 is a Friday holiday, then weekend"),
    ("2025-06-12", "2025-07-15", "2025-09-12", "Sat 12, Sun 13, Mon 14 July holiday -> Tue 15"),
    ("2025-07-15", "2025-08-18", "2025-10-15", "15 Aug 2025 (Fri, Assumption) -> Mon 18"),
    ("2025-10-01", "2025-11-03", "2026-01-02", "1 Nov (Sat + holiday), Sun -> Mon; 1 Jan -> 2"),
    ("2025-10-11", "2025-11-12", "2026-01-12", "11 Nov (Tue) -> Wed 12; ext 11 Jan (Sun) -> 12"),
    ("2025-11-25", "2025-12-26", "2026-02-25", "25 Dec (Thu) -> Fri 26 (not a holiday in FR)"),
    ("2025-03-19", "2025-04-22", "2025-06-19", "Sat 19, Sun 20, Easter Monday 21 -> Tue 22 Apr"),
    ("2025-04-29", "2025-05-30", "2025-07-29", "Ascension Thu 29 May -> Fri 30"),
    ("2025-05-07", "2025-06-10", "2025-08-07", "Sat 7, Sun 8, Whit Monday 9 June -> Tue 10"),
]


@pytest.mark.parametrize("jurisdiction", [EU, UK, OTHER])
@pytest.mark.parametrize(("received", "due", "extended", "why"), GDPR_CASES)
def test_gdpr_month_rule_and_roll(
    jurisdiction: Jurisdiction, received: str, due: str, extended: str, why: str
) -> None:
    dates = compute(jurisdiction, ACCESS, D(received), FR)
    assert (dates.due, dates.extended_due) == (D(due), D(extended)), why
    assert dates.ack_due is None


@pytest.mark.parametrize(
    "request_type", [t for t in RequestType if t is not RequestType.WITHDRAW_CONSENT]
)
def test_gdpr_applies_to_every_request_type(request_type: RequestType) -> None:
    dates = compute(EU, request_type, D("2025-04-01"), FR)
    assert (dates.due, dates.ack_due, dates.extended_due) == (
        D("2025-05-02"),
        None,
        D("2025-07-01"),
    )


@pytest.mark.parametrize(
    ("calendar", "due", "extended"),
    [
        # 26 May 2025 is the Spring Bank Holiday in the UK but a working Monday in France.
        (GB, "2025-05-27", "2025-07-28"),
        (FR, "2025-05-26", "2025-07-28"),
        (frozenset({D("2025-05-26")}), "2025-05-27", "2025-07-28"),
    ],
)
def test_the_holiday_calendar_is_passed_in(
    calendar: HolidaySource, due: str, extended: str
) -> None:
    dates = compute(UK, ACCESS, D("2025-04-26"), calendar)
    assert (dates.due, dates.extended_due) == (D(due), D(extended))


def test_gdpr_explanation_says_how() -> None:
    dates = compute(EU, ACCESS, D("2025-01-31"), FR)
    assert set(dates.explanation) == set(DATE_KEYS)
    assert "received 2025-01-31; one month -> 2025-02-28" in dates.explanation[DUE]
    assert "no 31 February: last day of the month" in dates.explanation[DUE]
    assert "2025-02-28 is a Friday" in dates.explanation[DUE]
    assert dates.explanation[DUE].endswith("due 2025-02-28")
    assert dates.explanation[ACK_DUE] == "none set by law; acknowledged at once"
    assert "3 months -> 2025-04-30" in dates.explanation[EXTENDED_DUE]
    assert "told, with reasons, by 2025-02-28" in dates.explanation[EXTENDED_DUE]


def test_gdpr_explanation_names_the_holidays_skipped() -> None:
    text = compute(EU, ACCESS, D("2026-04-08"), FR).explanation[DUE]
    assert "2026-05-08 is a Friday and a public holiday (Victory Day)" in text
    assert "2026-05-09 is a Saturday" in text
    assert "2026-05-10 is a Sunday" in text
    assert "next working day 2026-05-11 (Monday)" in text
    # A bare set of dates still works; it just cannot name the holiday.
    plain = compute(EU, ACCESS, D("2026-04-08"), frozenset({D("2026-05-08")})).explanation[DUE]
    assert "2026-05-08 is a Friday and a public holiday;" in plain


# --- California: §7021 45 calendar days / 10 business days, §7026 15 business days


CCPA_CASES = [
    # received, calendar, due (+45), ack_due (10 business days), extended_due (+90), why
    ("2025-11-20", US, "2026-01-04", "2025-12-05", "2026-02-18", "Thanksgiving 27 Nov skipped"),
    ("2025-11-20", FR, "2026-01-04", "2025-12-04", "2026-02-18", "no holiday in FR that week"),
    ("2025-04-30", FR, "2025-06-14", "2025-05-16", "2025-07-29", "FR: 1 and 8 May skipped"),
    ("2025-04-30", US, "2025-06-14", "2025-05-14", "2025-07-29", "US: no holiday in May before"),
    ("2024-01-31", FR, "2024-03-16", "2024-02-14", "2024-04-30", "leap February; Sat due kept"),
]


@pytest.mark.parametrize(
    "request_type",
    [RequestType.ACCESS, RequestType.ERASURE, RequestType.RECTIFICATION, RequestType.PORTABILITY,
     RequestType.OBJECTION, RequestType.RESTRICTION],
)  # fmt: skip
@pytest.mark.parametrize(("received", "calendar", "due", "ack", "extended", "why"), CCPA_CASES)
def test_ccpa_45_days_and_10_business_days(
    request_type: RequestType,
    received: str,
    calendar: HolidayCalendar,
    due: str,
    ack: str,
    extended: str,
    why: str,
) -> None:
    dates = compute(CA, request_type, D(received), calendar)
    assert (dates.due, dates.ack_due, dates.extended_due) == (D(due), D(ack), D(extended)), why


def test_ccpa_explanations() -> None:
    dates = compute(CA, ACCESS, D("2025-11-20"), US)
    assert "+ 45 calendar days" in dates.explanation[DUE]
    assert "due 2026-01-04 (Sunday)" in dates.explanation[DUE]  # calendar days: not rolled
    assert "2025-11-27 public holiday (Thanksgiving Day)" in dates.explanation[ACK_DUE]
    assert "10 business days" in dates.explanation[ACK_DUE]
    assert "90 in all" in dates.explanation[EXTENDED_DUE]
    objection = compute(CA, RequestType.OBJECTION, D("2025-11-20"), US)
    assert "no CCPA period of its own" in objection.explanation[DUE]
    portability = compute(CA, RequestType.PORTABILITY, D("2025-11-20"), US)
    assert "request to know" in portability.explanation[DUE]


OPT_OUT_CASES = [
    ("2025-11-20", US, "2025-12-12", "Thanksgiving skipped: 15th business day is Fri 12 Dec"),
    ("2025-11-20", FR, "2025-12-11", "FR: no holiday, Thu 11 Dec"),
    ("2025-12-19", FR, "2026-01-13", "25 Dec and 1 Jan skipped"),
    ("2025-12-19", US, "2026-01-13", "25 Dec and 1 Jan skipped too"),
]


@pytest.mark.parametrize(("received", "calendar", "due", "why"), OPT_OUT_CASES)
def test_ccpa_opt_out_15_business_days(
    received: str, calendar: HolidayCalendar, due: str, why: str
) -> None:
    dates = compute(CA, RequestType.OPT_OUT_SALE, D(received), calendar)
    assert (dates.due, dates.ack_due, dates.extended_due) == (D(due), None, None), why
    assert "no identity verification may be required" in dates.explanation[DUE]
    assert "15 business days" in dates.explanation[DUE]
    assert "no extension" in dates.explanation[EXTENDED_DUE]


# --- Quebec: 30 calendar days, nothing else


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2025-01-31", "2025-03-02"),  # a Sunday: calendar days are not rolled
        ("2024-01-31", "2024-03-01"),  # leap February has 29 days
        ("2025-12-10", "2026-01-09"),
        ("2025-06-14", "2025-07-14"),  # a French holiday: not rolled either
    ],
)
@pytest.mark.parametrize("request_type", [RequestType.ACCESS, RequestType.OPT_OUT_SALE])
def test_quebec_30_calendar_days(received: str, due: str, request_type: RequestType) -> None:
    dates = compute(QC, request_type, D(received), FR)
    assert (dates.due, dates.ack_due, dates.extended_due) == (D(due), None, None)
    assert "30 calendar days" in dates.explanation[DUE]
    assert "no extension" in dates.explanation[EXTENDED_DUE]


# --- one extension per request, notified by the original due date


def test_extension_allowed_up_to_the_original_due_date() -> None:
    dates = compute(EU, ACCESS, D("2025-01-31"), FR)
    assert extend(dates, already_extended=False, today=D("2025-02-01")) == D("2025-04-30")
    assert extend(dates, already_extended=False, today=D("2025-02-28")) == D("2025-04-30")
    ccpa = compute(CA, ACCESS, D("2025-11-20"), US)
    assert extend(ccpa, already_extended=False, today=D("2026-01-04")) == D("2026-02-18")


@pytest.mark.parametrize(
    ("dates", "already", "today", "message"),
    [
        (compute(EU, ACCESS, D("2025-01-31"), FR), True, D("2025-02-01"), "already been extended"),
        (compute(EU, ACCESS, D("2025-01-31"), FR), False, D("2025-03-01"), "too late"),
        (compute(CA, ACCESS, D("2025-11-20"), US), False, D("2026-01-05"), "too late"),
        (compute(QC, ACCESS, D("2025-01-31"), FR), False, D("2025-02-01"), "no extension"),
        (
            compute(CA, RequestType.OPT_OUT_SALE, D("2025-11-20"), US),
            False,
            D("2025-11-21"),
            "no extension",
        ),
    ],
)
def test_extension_refused(dates: LegalDates, already: bool, today: date, message: str) -> None:
    with pytest.raises(ExtensionNotAllowed, match=message) as caught:
        extend(dates, already_extended=already, today=today)
    assert isinstance(caught.value, InvalidTransition)
    assert isinstance(caught.value, PrivbotError)


# --- helpers


@pytest.mark.parametrize(
    ("start", "months", "expected", "clipped"),
    [
        ("2025-01-31", 1, "2025-02-28", True),
        ("2024-01-31", 1, "2024-02-29", True),
        ("2025-10-31", 1, "2025-11-30", True),
        ("2025-12-15", 1, "2026-01-15", False),
        ("2025-11-30", 3, "2026-02-28", True),
        ("2025-01-28", 1, "2025-02-28", False),
    ],
)
def test_add_months(start: str, months: int, expected: str, clipped: bool) -> None:
    assert add_months(D(start), months) == (D(expected), clipped)


def test_business_day_helpers() -> None:
    assert add_business_days(D("2025-05-02"), 1, NO_HOLIDAYS) == D("2025-05-05")  # Fri -> Mon
    assert add_business_days(D("2025-04-30"), 1, FR) == D("2025-05-02")  # over 1 May
    assert add_business_days(D("2025-04-30"), 0, FR) == D("2025-04-30")
    assert next_working_day(D("2025-05-01"), FR) == D("2025-05-02")
    assert next_working_day(D("2025-05-02"), FR) == D("2025-05-02")
    assert not is_working_day(D("2025-05-03"), NO_HOLIDAYS)
    assert is_working_day(D("2025-11-27"), FR) and not is_working_day(D("2025-11-27"), US)


def test_days_left() -> None:
    assert days_left(D("2025-02-28"), D("2025-02-20")) == 8
    assert days_left(D("2025-02-28"), D("2025-02-28")) == 0
    assert days_left(D("2025-02-28"), D("2025-03-02")) == -2


def test_core_module_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(deadlines_module.__file__).read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    assert roots - {"privbot"} <= set(sys.stdlib_module_names)


# --- privbot deadline


def test_cli_json() -> None:
    result = CliRunner().invoke(
        deadline,
        ["--jurisdiction", "california", "--received", "2025-11-20", "--json", "-e", "other"],
        env={"PRIVBOT_HOLIDAYS_COUNTRY": "US"},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {
        "jurisdiction", "type", "received", "due", "ack_due", "extended_due", "explanation",
        "establishment", "laws",
    }  # fmt: skip
    assert data["jurisdiction"] == "california" and data["type"] == "access"
    assert data["received"] == "2025-11-20"
    assert (data["due"], data["ack_due"], data["extended_due"]) == (
        "2026-01-04",
        "2025-12-05",
        "2026-02-18",
    )
    assert set(data["explanation"]) == {"due", "ack_due", "extended_due"}
    assert "Thanksgiving" in data["explanation"]["ack_due"]


def test_cli_json_nulls_and_default_french_calendar() -> None:
    result = CliRunner().invoke(
        deadline,
        ["-j", "eu", "--received", "2025-04-01", "--type", "erasure", "--json"],
        env={"PRIVBOT_HOLIDAYS_COUNTRY": None},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["type"], data["due"], data["ack_due"]) == ("erasure", "2025-05-02", None)
    assert data["explanation"]["ack_due"] == "none set by law; acknowledged at once"


def test_cli_plain_text() -> None:
    result = CliRunner().invoke(
        deadline, ["-j", "quebec", "--received", "2025-01-31", "--establishment", "other"]
    )
    assert result.exit_code == 0, result.output
    assert "due:          2025-03-02 (Sunday)" in result.output
    assert "ack_due:      none" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-j", "mars", "--received", "2025-01-31"], "'mars' is not one of"),
        (["-j", "eu", "--received", "2025-02-30"], "day is out of range for month"),
        (["-j", "eu", "--received", "31/01/2025"], "expected YYYY-MM-DD"),
        (["-j", "eu", "--received", "2025-01-31", "--type", "nap"], "'nap' is not one of"),
        (["-j", "eu", "--received", "9999-12-20"], "the legal dates would fall after 9999-12-31"),
        (["-j", "california", "--received", "9999-12-01"], "would fall after 9999-12-31"),
    ],
)
def test_cli_bad_input_exits_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(deadline, args)
    assert result.exit_code == 2
    assert message in result.output
