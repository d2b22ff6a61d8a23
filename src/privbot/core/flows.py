"""What each request type asks for, and the serialisable state of an unfinished flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from privbot.core.model import Jurisdiction, Language, Option, RequestType
from privbot.core.requests import NO_VERIFICATION_BY_LAW, Details


@dataclass(frozen=True, slots=True)
class Field:
    """One thing a request type needs: a choice among `options` (ids) or free text.

    `group` names the option labels (`option.<group>.<id>` in the message catalogue); a
    choice of `other` asks a follow-up text stored under `<key>_other` when `other_text` is set.
    """

    key: str
    options: tuple[str, ...] = ()
    group: str = ""
    other_text: bool = False

    @property
    def is_choice(self) -> bool:
        return bool(self.options)

    @property
    def other_key(self) -> str:
        return f"{self.key}_other"


FIELDS: dict[RequestType, tuple[Field, ...]] = {
    RequestType.ACCESS: (Field("format", ("pdf", "json"), "format_access"),),
    RequestType.PORTABILITY: (Field("format", ("json", "csv"), "format_portability"),),
    RequestType.RECTIFICATION: (Field("wrong"), Field("correct")),
    RequestType.OBJECTION: (
        Field("processing", ("analytics", "personalisation", "marketing", "other"),
              "processing", other_text=True),
    ),
    RequestType.RESTRICTION: (
        Field("ground", ("accuracy", "unlawful", "legal_claim", "objection_pending"), "ground"),
    ),
    RequestType.ERASURE: (Field("close_account", ("yes", "no"), "close_account"),),
    RequestType.WITHDRAW_CONSENT: (
        Field("consent", ("location", "marketing_emails", "analytics_cookies", "other"),
              "consent", other_text=True),
    ),
    RequestType.OPT_OUT_SALE: (),
}  # fmt: skip

NEEDS_VERIFICATION: frozenset[RequestType] = frozenset(RequestType) - NO_VERIFICATION_BY_LAW

JURISDICTIONS: tuple[Jurisdiction, ...] = (
    Jurisdiction.EU,
    Jurisdiction.UK,
    Jurisdiction.CALIFORNIA,
    Jurisdiction.QUEBEC,
    Jurisdiction.SWITZERLAND,  # after the others, so the buttons before it keep their numbers
    Jurisdiction.OTHER,
)

MAX_TEXT_FIELD = 500  # longest free-text detail kept (the message limit is 2000)


def field_of(request_type: RequestType, key: str) -> Field | None:
    for f in FIELDS[request_type]:
        if key in (f.key, f.other_key):
            return f
    return None


@dataclass(frozen=True, slots=True)
class FlowState:
    """Where one user is in one request flow. JSON round-trips through `to_json`/`from_json`.

    `step` is `jurisdiction`, `field:<key>`, `other:<key>`, `email`, `code`, `summary`,
    `edit` or `submitting`. `options` are the buttons currently offered: their values carry
    `nonce`, which changes at every prompt, so an old or forged button is recognised.
    """

    request_type: RequestType
    language: Language
    step: str
    started_at: datetime
    jurisdiction: Jurisdiction | None = None
    details: Details = field(default_factory=Details)
    email: str | None = None
    verified: bool = False
    # An address typed while the resend wait ran, for the next resend: `email` stays the one
    # the stored code went to (the only one a code typed is checked for).
    held: str | None = None
    options: tuple[Option, ...] = ()
    nonce: str = ""
    seq: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "request_type": str(self.request_type),
            "language": str(self.language),
            "step": self.step,
            "started_at": self.started_at.isoformat(),
            "jurisdiction": str(self.jurisdiction) if self.jurisdiction else None,
            "details": [list(p) for p in self.details.items],
            "email": self.email,
            "verified": self.verified,
            "held": self.held,
            "options": [[o.label, o.value] for o in self.options],
            "nonce": self.nonce,
            "seq": self.seq,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FlowState:
        jur = data.get("jurisdiction")
        return cls(
            request_type=RequestType(data["request_type"]),
            language=Language(data["language"]),
            step=str(data["step"]),
            started_at=datetime.fromisoformat(data["started_at"]),
            jurisdiction=Jurisdiction(jur) if jur else None,
            details=Details(tuple((str(k), str(v)) for k, v in data.get("details", []))),
            # `code_sent: false` (a row of 2b3c5dc): its address was held, not sent a code
            email=None if data.get("code_sent") is False else data.get("email"),
            verified=bool(data.get("verified", False)),
            held=data.get("held")
            or (data.get("email") if data.get("code_sent") is False else None),
            options=tuple(Option(str(lb), str(v)) for lb, v in data.get("options", [])),
            nonce=str(data.get("nonce", "")),
            seq=int(data.get("seq", 0)),
        )


def next_step(state: FlowState) -> str:
    """The first thing still missing; `summary` once everything is there."""
    if state.jurisdiction is None:
        return "jurisdiction"
    for f in FIELDS[state.request_type]:
        value = state.details.get(f.key)
        if value is None:
            return f"field:{f.key}"
        if f.other_text and value == "other" and state.details.get(f.other_key) is None:
            return f"other:{f.key}"
    if state.request_type in NEEDS_VERIFICATION:
        if state.email is None:
            return "email"
        if not state.verified:
            return "code"
    return "summary"
