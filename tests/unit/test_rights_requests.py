"""Request statuses, the transition table, extension and references (pure core)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from privbot.core import deadlines
from privbot.core import requests as rq
from privbot.core.model import Jurisdiction, Language, RequestType, UserKey
from privbot.core.requests import Details, RequestStatus, RightsRequest
from privbot.errors import InvalidTransition

S = RequestStatus
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def make(status: S = S.VERIFIED, jur: Jurisdiction = Jurisdiction.EU) -> RightsRequest:
    dates = deadlines.compute(jur, RequestType.ACCESS, NOW.date(), set())
    return RightsRequest(
        "DSR-2026-000001", UserKey("t", "1"), RequestType.ACCESS, jur,
        Details.of({"format": "json"}), status, NOW, dates, Language.EN,
    )  # fmt: skip


def test_reference_format() -> None:
    assert rq.make_reference(2026, 42) == "DSR-2026-000042"
    assert rq.parse_reference(" dsr-2026-000042 ") == (2026, 42)
    assert rq.parse_reference("DSR-26-42") is None
    with pytest.raises(ValueError):
        rq.make_reference(2026, 1_000_000)


@pytest.mark.parametrize(
    ("start", "to", "ok"),
    [
        (S.RECEIVED, S.VERIFIED, True),
        (S.RECEIVED, S.ACKNOWLEDGED, False),
        (S.RECEIVED, S.CANCELLED, True),
        (S.VERIFIED, S.ACKNOWLEDGED, True),
        (S.ACKNOWLEDGED, S.IN_PROGRESS, True),
        (S.IN_PROGRESS, S.COMPLETED, True),
        (S.IN_PROGRESS, S.ACKNOWLEDGED, False),
        (S.COMPLETED, S.CANCELLED, False),
        (S.DENIED, S.COMPLETED, False),
        (S.CANCELLED, S.VERIFIED, False),
        (S.ACKNOWLEDGED, S.CANCELLED, True),
    ],
)
def test_transition_table(start: S, to: S, ok: bool) -> None:
    req = make(start)
    if ok:
        new, event = rq.transition(req, to, "staff", NOW)
        assert new.status is to and event.event == str(to) and event.actor == "staff"
        assert req.status is start  # the original is untouched
    else:
        with pytest.raises(InvalidTransition):
            rq.transition(req, to, "staff", NOW)


def test_every_open_status_can_be_cancelled_and_closed_ones_are_final() -> None:
    for status in rq.OPEN_STATUSES:
        assert S.CANCELLED in rq.TRANSITIONS[status]
    for status in rq.CLOSED_STATUSES:
        assert not rq.TRANSITIONS[status]


def test_denial_needs_a_reason_and_keeps_it_out_of_the_audit() -> None:
    with pytest.raises(InvalidTransition):
        rq.transition(make(), S.DENIED, "staff", NOW, "  ")
    new, event = rq.transition(make(), S.DENIED, "staff", NOW, "Manifestly unfounded")
    assert new.closing_reason == "Manifestly unfounded" and new.closed_at == NOW
    assert "unfounded" not in event.detail


def test_assign_moves_to_in_progress() -> None:
    new, event = rq.assign(make(S.ACKNOWLEDGED), "U123", NOW)
    assert new.status is S.IN_PROGRESS and new.assignee == "U123" and event.event == "assigned"
    with pytest.raises(InvalidTransition):
        rq.assign(make(S.COMPLETED), "U123", NOW)


def test_extension_once_with_reason_before_due() -> None:
    req = make()
    with pytest.raises(InvalidTransition):
        rq.extend(req, "staff", "", NOW)
    new, event = rq.extend(req, "staff", "Complex request", NOW)
    assert new.extended and new.extension_reason == "Complex request"
    assert new.due == req.dates.extended_due and event.event == "extended"
    with pytest.raises(InvalidTransition):
        rq.extend(new, "staff", "again", NOW)
    after_due = datetime.combine(req.dates.due, datetime.min.time(), UTC) + timedelta(days=1)
    with pytest.raises(InvalidTransition):
        rq.extend(req, "staff", "late", after_due)


def test_quebec_has_no_extension() -> None:
    with pytest.raises(InvalidTransition):
        rq.extend(make(jur=Jurisdiction.QUEBEC), "staff", "reason", NOW)


def test_details_are_frozen_and_ordered() -> None:
    d = Details.of([("a", "1"), ("b", "2")]).with_value("a", "3")
    assert d.as_dict() == {"b": "2", "a": "3"} and d.get("a") == "3"
    assert d.without("a").get("a") is None
    assert make().due == date(2026, 4, 2)
