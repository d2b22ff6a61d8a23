"""What staff see in Slack of a request that takes effect at once, or skips verification by law."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from privbot.adapters.slack.blocks import candidate_line, request_message
from privbot.core import deadlines
from privbot.core.model import Establishment, Jurisdiction, Language, RequestType, UserKey
from privbot.core.reminders import Candidate
from privbot.core.requests import Details, RequestStatus, RightsRequest

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def request(
    rtype: RequestType, details: dict[str, str] | None = None, jur: Jurisdiction = Jurisdiction.EU
) -> RightsRequest:
    info = Details.of(details or {})
    dates = deadlines.compute(
        jur, rtype, NOW.date(), set(), Establishment.EU,
        marketing_objection=info.get("processing") == "marketing",
    )  # fmt: skip
    return RightsRequest(
        "DSR-2026-000001", UserKey("test", "1"), rtype, jur, info, RequestStatus.VERIFIED, NOW,
        dates, Language.EN,
    )  # fmt: skip


def shown(req: RightsRequest) -> tuple[str, str]:
    text, blocks = request_message(req, NOW.date())
    return text, json.dumps(blocks, ensure_ascii=False)


def test_a_withdrawal_of_consent_is_flagged_act_now() -> None:
    text, blocks = shown(request(RequestType.WITHDRAW_CONSENT, {"consent": "location"}))
    assert text.startswith("ACT NOW: DSR-2026-000001")
    assert "*Act now:* this takes effect at once" in blocks and "Art. 7(3)" in blocks
    assert "due today" in blocks and "privbot_extend" not in blocks


def test_an_objection_to_direct_marketing_is_flagged_act_now() -> None:
    text, blocks = shown(request(RequestType.OBJECTION, {"processing": "marketing"}))
    assert text.startswith("ACT NOW:") and "Art. 21(3)" in blocks
    text, blocks = shown(request(RequestType.OBJECTION, {"processing": "analytics"}))
    assert "ACT NOW" not in text and "Act now" not in blocks


def test_the_flag_goes_once_the_request_is_closed() -> None:
    req = request(RequestType.WITHDRAW_CONSENT, {"consent": "location"})
    text, blocks = shown(replace(req, status=RequestStatus.COMPLETED, closed_at=NOW))
    assert "ACT NOW" not in text and "Act now" not in blocks


def test_an_opt_out_is_received_without_verification_not_verified() -> None:
    text, blocks = shown(request(RequestType.OPT_OUT_SALE, jur=Jurisdiction.CALIFORNIA))
    assert text.endswith("received, no verification needed")
    assert ":new: received, no verification needed" in blocks
    assert "verified" not in text.replace("no verification", "")
    access_text, _ = shown(request(RequestType.ACCESS))
    assert access_text.endswith(", verified")


def test_staff_lists_show_an_opt_out_as_received_without_verification() -> None:
    def line(rtype: str) -> str:
        c = Candidate("DSR-2026-000001", RequestStatus.VERIFIED, NOW.date(), None, NOW.date(),
                      None, type=rtype, jurisdiction="california")  # fmt: skip
        return candidate_line(c, NOW.date())

    assert "· received, no verification needed ·" in line("opt_out_sale")
    assert "· verified ·" in line("access")
