"""Rights requests: statuses, the one transition table, references and the audit trail.

Pure: time and actors are passed in, and every change returns a new `RightsRequest` plus the
`AuditEvent` that records it. An invalid change raises `InvalidTransition` and changes nothing.

    received ──> verified ──> acknowledged ──> in_progress ──> completed
        │            │  └──────────┴────────────────┴────────> denied
        └────────────┴──────────┴────────────────┴──────────> cancelled
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from privbot.core import deadlines
from privbot.core.deadlines import LegalDates
from privbot.core.model import Jurisdiction, Language, RequestType, UserKey
from privbot.errors import InvalidTransition


class RequestStatus(StrEnum):
    """Where a rights request is in its life."""

    RECEIVED = "received"
    VERIFIED = "verified"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DENIED = "denied"
    CANCELLED = "cancelled"


S = RequestStatus

# The one table of allowed status changes. Staff may skip ahead (complete straight after
# verification); nothing leaves a closed status.
TRANSITIONS: Mapping[RequestStatus, frozenset[RequestStatus]] = {
    S.RECEIVED: frozenset({S.VERIFIED, S.CANCELLED}),
    S.VERIFIED: frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS, S.COMPLETED, S.DENIED, S.CANCELLED}),
    S.ACKNOWLEDGED: frozenset({S.IN_PROGRESS, S.COMPLETED, S.DENIED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.DENIED, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.DENIED: frozenset(),
    S.CANCELLED: frozenset(),
}

OPEN_STATUSES: frozenset[RequestStatus] = frozenset(s for s, nxt in TRANSITIONS.items() if nxt)
CLOSED_STATUSES: frozenset[RequestStatus] = frozenset(RequestStatus) - OPEN_STATUSES

REFERENCE_RE = re.compile(r"^DSR-(\d{4})-(\d{6})$")

# CCPA regs §7026(d): a business may not require identity verification for an opt-out, so
# these requests are received, never verified, and say so to the user and to staff.
NO_VERIFICATION_BY_LAW: frozenset[RequestType] = frozenset({RequestType.OPT_OUT_SALE})
MARKETING = "marketing"  # the objection's `processing` option for direct marketing


def make_reference(year: int, number: int) -> str:
    """`DSR-2026-000042`: the year of receipt and a counter that restarts each year."""
    if not 0 < number < 1_000_000:
        raise ValueError(f"reference number out of range: {number}")
    return f"DSR-{year:04d}-{number:06d}"


def parse_reference(text: str) -> tuple[int, int] | None:
    """(year, number) of a well-formed reference (case-insensitive), else None."""
    m = REFERENCE_RE.match(text.strip().upper())
    return (int(m.group(1)), int(m.group(2))) if m else None


@dataclass(frozen=True, slots=True)
class Details:
    """What the user told us for their request type, as ordered (key, value) pairs.

    Keys are stable identifiers (`format`, `processing`, `wrong`, `correct`...); values are
    option ids or the user's own words.
    """

    items: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, pairs: Mapping[str, str] | Iterable[tuple[str, str]]) -> Details:
        seq = pairs.items() if isinstance(pairs, Mapping) else pairs
        return cls(tuple((str(k), str(v)) for k, v in seq))

    def get(self, key: str) -> str | None:
        for k, v in self.items:
            if k == key:
                return v
        return None

    def with_value(self, key: str, value: str) -> Details:
        kept = tuple((k, v) for k, v in self.items if k != key)
        return Details((*kept, (key, value)))

    def without(self, key: str) -> Details:
        return Details(tuple((k, v) for k, v in self.items if k != key))

    def as_dict(self) -> dict[str, str]:
        return dict(self.items)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One line of the append-only audit log. `detail` never holds personal data."""

    reference: str
    event: str
    actor: str
    at: datetime
    detail: str = ""


@dataclass(frozen=True, slots=True)
class RightsRequest:
    """One data-rights request and its legal dates (with how they were computed)."""

    reference: str
    user: UserKey
    type: RequestType
    jurisdiction: Jurisdiction
    details: Details
    status: RequestStatus
    received_at: datetime
    dates: LegalDates
    language: Language
    email: str | None = None
    extended: bool = False
    extension_reason: str | None = None
    assignee: str | None = None
    closing_reason: str | None = None
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def takes_effect_at_once(self) -> bool:
        """A withdrawal of consent or an objection to direct marketing: in effect from
        receipt, for staff to act on now (`core.deadlines.takes_effect_at_once`)."""
        return takes_effect_at_once(self.type, self.details)

    @property
    def verification_skipped(self) -> bool:
        """Verified by no one because the law forbids asking (shown as such, never as
        "verified")."""
        return self.status is RequestStatus.VERIFIED and self.type in NO_VERIFICATION_BY_LAW

    @property
    def due(self) -> date:
        """The date that binds now: the extended one once extended."""
        if self.extended and self.dates.extended_due is not None:
            return self.dates.extended_due
        return self.dates.due


def is_marketing_objection(request_type: RequestType, details: Details) -> bool:
    return request_type is RequestType.OBJECTION and details.get("processing") == MARKETING


def takes_effect_at_once(request_type: RequestType, details: Details) -> bool:
    marketing = is_marketing_objection(request_type, details)
    return deadlines.takes_effect_at_once(request_type, marketing)


def may_take_effect_at_once(request_type: RequestType, details: Details) -> bool:
    """`takes_effect_at_once`, or may once filled in: an objection whose processing is not
    chosen yet (to direct marketing, it binds from receipt)."""
    undecided = request_type is RequestType.OBJECTION and not details.get("processing")
    return undecided or takes_effect_at_once(request_type, details)


def can_transition(current: RequestStatus, to: RequestStatus) -> bool:
    return to in TRANSITIONS[current]


def transition(
    req: RightsRequest,
    to: RequestStatus,
    actor: str,
    now: datetime,
    reason: str | None = None,
) -> tuple[RightsRequest, AuditEvent]:
    """Move `req` to `to`; a denial needs a reason. Raises InvalidTransition otherwise."""
    if not can_transition(req.status, to):
        raise InvalidTransition(f"{req.reference}: cannot go from {req.status} to {to}")
    reason = (reason or "").strip() or None
    if to is S.DENIED and reason is None:
        raise InvalidTransition(f"{req.reference}: a denial needs a reason")
    closing = to in CLOSED_STATUSES
    new = replace(
        req,
        status=to,
        closing_reason=reason if closing else req.closing_reason,
        closed_at=now if closing else None,
    )
    # The reason is the user's or staff's words: the audit line only says one was given.
    detail = f"{req.status}->{to}" + (" (reason given)" if reason else "")
    return new, AuditEvent(req.reference, str(to), actor, now, detail)


def assign(req: RightsRequest, actor: str, now: datetime) -> tuple[RightsRequest, AuditEvent]:
    """Give `req` to `actor`; a verified or acknowledged request goes in progress."""
    if not req.is_open or req.status is S.RECEIVED:
        raise InvalidTransition(f"{req.reference}: cannot assign a {req.status} request")
    status = S.IN_PROGRESS if req.status in (S.VERIFIED, S.ACKNOWLEDGED) else req.status
    new = replace(req, assignee=actor, status=status)
    return new, AuditEvent(req.reference, "assigned", actor, now, f"{req.status}->{status}")


def extend(
    req: RightsRequest, actor: str, reason: str, now: datetime
) -> tuple[RightsRequest, AuditEvent]:
    """Extend once, with a reason, before the original due date, where the law allows it."""
    reason = reason.strip()
    if not req.is_open or req.status is S.RECEIVED:
        raise InvalidTransition(f"{req.reference}: cannot extend a {req.status} request")
    if not reason:
        raise InvalidTransition(f"{req.reference}: an extension needs a reason")
    new_due = deadlines.extend(req.dates, req.extended, now.date())
    new = replace(req, extended=True, extension_reason=reason)
    return new, AuditEvent(req.reference, "extended", actor, now, f"due {new_due.isoformat()}")


def created_events(req: RightsRequest, actor: str) -> tuple[AuditEvent, ...]:
    """The audit line of a newly stored request (and whether it took effect at once)."""
    detail = f"type {req.type}" + ("; effective at once" if req.takes_effect_at_once else "")
    return (AuditEvent(req.reference, "received", actor, req.received_at, detail),)
