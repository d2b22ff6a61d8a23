"""Switzerland, the controller's establishment combined with the user's residence, and the
requests that take effect at once. Expected dates worked out by hand (weekdays checked)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from privbot.adapters.holiday_calendar import holiday_checker
from privbot.cli.deadline import deadline
from privbot.config import load_settings
from privbot.core.deadlines import (
    ACK_DUE,
    DUE,
    EXTENDED_DUE,
    ExtensionNotAllowed,
    Law,
    applicable_laws,
    compute,
    extend,
    gdpr_applies,
)
from privbot.core.model import Establishment, Jurisdiction, RequestType
from privbot.errors import ConfigError

D = date.fromisoformat
FR = holiday_checker("FR")
J, E = Jurisdiction, Establishment
ACCESS = RequestType.ACCESS


# --- Switzerland alone: nFADP art. 25(7), OPDo art. 18 ---------------------------------------


@pytest.mark.parametrize(
    ("received", "due", "extended"),
    [
        ("2025-01-31", "2025-03-02", "2025-04-01"),  # a Sunday: calendar days, not rolled
        ("2024-01-31", "2024-03-01", "2024-03-31"),  # leap February
        ("2025-07-15", "2025-08-14", "2025-09-13"),
    ],
)
def test_switzerland_30_days_extension_on_notice(received: str, due: str, extended: str) -> None:
    dates = compute(J.SWITZERLAND, ACCESS, D(received), FR, E.OTHER)
    assert (dates.due, dates.ack_due, dates.extended_due) == (D(due), None, D(extended))
    assert "nFADP art. 25(7) and OPDo art. 18(1)" in dates.explanation[DUE]
    assert "+ 30 calendar days" in dates.explanation[DUE]
    ext = dates.explanation[EXTENDED_DUE]
    assert "OPDo art. 18(2)" in ext and "no maximum" in ext and "privbot states" in ext
    assert f"the notice goes out by {due}" in ext


def test_switzerland_other_rights_on_the_access_timetable() -> None:
    dates = compute(J.SWITZERLAND, RequestType.ERASURE, D("2025-07-15"), FR, E.OTHER)
    assert dates.due == D("2025-08-14")
    assert "no period of its own" in dates.explanation[DUE]


def test_switzerland_extension_only_before_the_due_date() -> None:
    dates = compute(J.SWITZERLAND, ACCESS, D("2025-07-15"), FR, E.OTHER)
    assert extend(dates, already_extended=False, today=D("2025-08-14")) == D("2025-09-13")
    with pytest.raises(ExtensionNotAllowed, match="too late"):
        extend(dates, already_extended=False, today=D("2025-08-15"))


# --- which laws apply ---------------------------------------------------------------------

EU_, UK_, CH_, CCPA, QC_, POLICY = (
    Law.EU_GDPR, Law.UK_GDPR, Law.CH_FADP, Law.CCPA, Law.QUEBEC, Law.POLICY,
)  # fmt: skip

MATRIX = {
    # residence: (eu, uk, switzerland, other) establishments
    J.EU: ((EU_,), (EU_, UK_), (EU_, CH_), (EU_,)),
    J.UK: ((UK_, EU_), (UK_,), (UK_, CH_), (UK_,)),
    J.SWITZERLAND: ((CH_, EU_), (CH_, UK_), (CH_,), (CH_,)),
    J.CALIFORNIA: ((CCPA, EU_), (CCPA, UK_), (CCPA, CH_), (CCPA,)),
    J.QUEBEC: ((QC_, EU_), (QC_, UK_), (QC_, CH_), (QC_,)),
    J.OTHER: ((EU_,), (UK_,), (CH_,), (POLICY,)),
}
ESTABLISHMENTS = (E.EU, E.UK, E.SWITZERLAND, E.OTHER)


@pytest.mark.parametrize("residence", list(Jurisdiction))
def test_every_residence_and_establishment_has_its_laws(residence: Jurisdiction) -> None:
    for establishment, expected in zip(ESTABLISHMENTS, MATRIX[residence], strict=True):
        laws = applicable_laws(residence, establishment)
        assert tuple(a.law for a in laws) == expected, (residence, establishment)
        assert all(a.why for a in laws)


def test_the_reason_names_the_article() -> None:
    (eu,) = applicable_laws(J.EU, E.EU)
    assert "Art. 3(1)" in eu.why  # established in the EU: 3(1), not 3(2)
    (eu_abroad,) = applicable_laws(J.EU, E.OTHER)
    assert "Art. 3(2)(a)" in eu_abroad.why
    ccpa, gdpr = applicable_laws(J.CALIFORNIA, E.EU)
    assert "California resident" in ccpa.why and "Art. 3(1)" in gdpr.why


def test_complaint_right_follows_the_gdpr() -> None:
    assert gdpr_applies(J.CALIFORNIA, E.EU)
    assert not gdpr_applies(J.CALIFORNIA, E.OTHER)
    assert gdpr_applies(J.SWITZERLAND, E.EU)
    assert not gdpr_applies(J.SWITZERLAND, E.SWITZERLAND)
    assert gdpr_applies(J.OTHER, E.OTHER)  # the policy's GDPR promise


# --- combined: the earliest date of each kind binds -----------------------------------------


def test_california_user_of_an_eu_controller_gets_the_earlier_gdpr_date() -> None:
    # GDPR: 20 Dec 2025 is a Saturday -> Monday 22; CCPA: + 45 days = 4 Jan 2026.
    alone = compute(J.CALIFORNIA, ACCESS, D("2025-11-20"), FR, E.OTHER)
    assert alone.due == D("2026-01-04")
    dates = compute(J.CALIFORNIA, ACCESS, D("2025-11-20"), FR, E.EU)
    assert dates.due == D("2025-12-22")
    assert dates.ack_due == D("2025-12-04")  # the CCPA's 10 business days still bind
    # Extended: GDPR 20 Feb 2026, CCPA 90 days = 18 Feb 2026: the earlier.
    assert dates.extended_due == D("2026-02-18")
    due = dates.explanation[DUE]
    assert due.startswith(
        "2 laws apply (CCPA and EU GDPR), the earliest date binds: due 2025-12-22"
    )
    assert "[CCPA (the user lives in California" in due and "due 2026-01-04" in due
    assert "[EU GDPR (Art. 3(1): the controller is established in the EU)]" in due
    assert "EU GDPR Art. 12(3)" in due
    assert "CCPA regs §7021(a)" in dates.explanation[ACK_DUE]
    assert "notice going out by 2025-12-22" in dates.explanation[EXTENDED_DUE]
    # The extension notice is due by the combined (earlier) date.
    with pytest.raises(ExtensionNotAllowed, match="too late"):
        extend(dates, already_extended=False, today=D("2025-12-23"))


def test_swiss_user_of_an_eu_controller() -> None:
    # 31 Jan: GDPR 28 Feb (clipped) beats nFADP 2 Mar.
    early = compute(J.SWITZERLAND, ACCESS, D("2025-01-31"), FR, E.EU)
    assert early.due == D("2025-02-28")
    # 1 Mar: nFADP 31 Mar beats GDPR 1 Apr; extended: nFADP's 30 Apr beats GDPR's 2 Jun.
    late = compute(J.SWITZERLAND, ACCESS, D("2025-03-01"), FR, E.EU)
    assert (late.due, late.extended_due) == (D("2025-03-31"), D("2025-04-30"))
    assert "Swiss nFADP" in late.explanation[DUE] and "EU GDPR" in late.explanation[DUE]


def test_no_extension_when_one_law_allows_none() -> None:
    quebec = compute(J.QUEBEC, ACCESS, D("2025-01-31"), FR, E.EU)
    assert (quebec.due, quebec.extended_due) == (D("2025-02-28"), None)
    assert "no extension, as Quebec Law 25 allows none" in quebec.explanation[EXTENDED_DUE]
    opt_out = compute(J.CALIFORNIA, RequestType.OPT_OUT_SALE, D("2025-11-20"), FR, E.EU)
    assert opt_out.due == D("2025-12-11")  # 15 business days beat one month
    assert opt_out.extended_due is None


# --- withdrawal of consent and objection to direct marketing: at once -------------------------


@pytest.mark.parametrize("residence", list(Jurisdiction))
@pytest.mark.parametrize("establishment", list(Establishment))
def test_withdrawal_of_consent_takes_effect_at_once(
    residence: Jurisdiction, establishment: Establishment
) -> None:
    dates = compute(residence, RequestType.WITHDRAW_CONSENT, D("2025-11-20"), FR, establishment)
    assert (dates.due, dates.ack_due, dates.extended_due) == (D("2025-11-20"), None, None)
    assert "takes effect at once" in dates.explanation[DUE] and "act now" in dates.explanation[DUE]
    with pytest.raises(ExtensionNotAllowed):
        extend(dates, already_extended=False, today=D("2025-11-20"))


def test_at_once_cites_the_gdpr_where_it_applies() -> None:
    eu = compute(J.EU, RequestType.WITHDRAW_CONSENT, D("2025-11-20"), FR, E.EU)
    assert "EU GDPR Art. 7(3)" in eu.explanation[DUE]
    marketing = compute(
        J.UK, RequestType.OBJECTION, D("2025-11-20"), FR, E.EU, marketing_objection=True
    )
    assert marketing.due == D("2025-11-20")
    assert "UK GDPR Art. 21(3)" in marketing.explanation[DUE]
    assert "EU GDPR Art. 21(3)" in marketing.explanation[DUE]
    ccpa = compute(J.CALIFORNIA, RequestType.WITHDRAW_CONSENT, D("2025-11-20"), FR, E.OTHER)
    assert "privbot applies the GDPR rule (Art. 7(3)" in ccpa.explanation[DUE]


def test_other_objections_keep_their_month() -> None:
    dates = compute(J.EU, RequestType.OBJECTION, D("2025-04-01"), FR, E.EU)
    assert dates.due == D("2025-05-02")


# --- privbot deadline and the setting -------------------------------------------------------


def test_cli_california_user_under_the_default_eu_controller() -> None:
    result = CliRunner().invoke(
        deadline,
        ["-j", "california", "--received", "2025-11-20", "--json"],
        env={"PRIVBOT_HOLIDAYS_COUNTRY": None, "PRIVBOT_CONTROLLER_ESTABLISHMENT": None},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["establishment"] == "eu"
    assert [law["law"] for law in data["laws"]] == ["CCPA", "EU GDPR"]
    assert (data["due"], data["ack_due"], data["extended_due"]) == (
        "2025-12-22",
        "2025-12-04",
        "2026-02-18",
    )
    assert "CCPA regs §7021(b)" in data["explanation"]["due"]
    assert "EU GDPR Art. 12(3)" in data["explanation"]["due"]


def test_cli_plain_text_names_each_law() -> None:
    result = CliRunner().invoke(
        deadline,
        ["-j", "california", "--received", "2025-11-20"],
        env={"PRIVBOT_CONTROLLER_ESTABLISHMENT": "EU"},
    )
    assert result.exit_code == 0, result.output
    assert "controller established in eu" in result.output
    assert "laws:         CCPA (the user lives in California" in result.output
    assert "due:          2025-12-22 (Monday)" in result.output


def test_cli_switzerland_and_the_establishment_flag() -> None:
    result = CliRunner().invoke(
        deadline,
        ["-j", "switzerland", "--received", "2025-07-15", "-e", "switzerland", "--json"],
        env={"PRIVBOT_CONTROLLER_ESTABLISHMENT": "eu"},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["due"], data["extended_due"]) == ("2025-08-14", "2025-09-13")
    assert [law["law"] for law in data["laws"]] == ["Swiss nFADP"]


def test_cli_marketing_objection_is_due_at_once() -> None:
    args = ["-j", "eu", "--received", "2025-07-15", "--type", "objection", "--json"]
    data = json.loads(CliRunner().invoke(deadline, [*args, "--marketing"]).output)
    assert (data["due"], data["extended_due"]) == ("2025-07-15", None)


def test_a_bad_establishment_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PRIVBOT_CONTROLLER_ESTABLISHMENT", "mars")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("PRIVBOT_CONTROLLER_ESTABLISHMENT:") and "\n" not in message
    assert "eu, uk, switzerland, other" in message
    result = CliRunner().invoke(deadline, ["-j", "eu", "--received", "2025-07-15"])
    assert result.exit_code == 1 and "PRIVBOT_CONTROLLER_ESTABLISHMENT" in result.output
