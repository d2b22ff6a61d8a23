"""A user's requests in words: each request with its timeline (received, verified,
acknowledged, extended with the reason, due or closed), a cancel button per open one, and
the user's own due dates beside the legal deadlines.

Pure: the requests and their audit lines are passed in; the texts come from the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from privbot.core import choices as ch
from privbot.core import messages as M
from privbot.core.catalogue import Catalogue
from privbot.core.model import Language, Option, Reply
from privbot.core.requests import AuditEvent, RequestStatus, RightsRequest

# The audit detail of a request stored without identity verification (the law forbids it).
NO_VERIFICATION_DETAIL = "verification not required"


def _first(events: Sequence[AuditEvent], name: str) -> AuditEvent | None:
    return next((e for e in events if e.event == name), None)


def _day(event: AuditEvent | None) -> date | None:
    return event.at.date() if event is not None else None


def request_lines(
    req: RightsRequest, events: Sequence[AuditEvent], lang: Language, texts: Catalogue
) -> list[str]:
    """One request: its heading, then one line per step it went through."""
    right = texts.text(lang, M.right(req.type))
    status = texts.text(lang, M.status(req.status))
    lines = [
        texts.text(lang, M.TIMELINE_REQUEST, reference=req.reference, right=right, status=status)
    ]
    steps = [texts.text(lang, M.TIMELINE_RECEIVED, date=req.received_at.date())]
    verified = _first(events, str(RequestStatus.VERIFIED))
    if verified is not None and verified.detail == NO_VERIFICATION_DETAIL:
        steps.append(texts.text(lang, M.TIMELINE_NO_VERIFICATION))
    elif (day := _day(verified)) is not None:
        steps.append(texts.text(lang, M.TIMELINE_VERIFIED, date=day))
    if (day := _day(_first(events, str(RequestStatus.ACKNOWLEDGED)))) is not None:
        steps.append(texts.text(lang, M.TIMELINE_ACKNOWLEDGED, date=day))
    extended = _first(events, "extended")
    if req.extended and extended is not None:
        steps.append(
            texts.text(
                lang,
                M.TIMELINE_EXTENDED,
                date=extended.at.date(),
                due=req.due,
                reason=req.extension_reason or "",
            )
        )
    if req.is_open:
        steps.append(texts.text(lang, M.TIMELINE_DUE, due=req.due))
    elif req.closed_at is not None:
        steps.append(texts.text(lang, M.TIMELINE_CLOSED, status=status, date=req.closed_at.date()))
    return lines + ["   · " + s for s in steps]


def my_requests(
    requests: Sequence[RightsRequest],
    events: Mapping[str, Sequence[AuditEvent]],
    lang: Language,
    texts: Catalogue,
) -> Reply:
    """The user's requests, open ones first, each with its timeline; a cancel button per
    open request, or the list of rights when there is none."""
    if not requests:
        return Reply(
            texts.text(lang, M.NO_REQUESTS_OFFER),
            (Option(texts.text(lang, M.OFFER_ANY_REQUEST), ch.request(None)),),
        )
    ordered = sorted(requests, key=lambda r: (not r.is_open, -r.received_at.timestamp()))
    blocks = [texts.text(lang, M.TIMELINE_HEAD)]
    for req in ordered:
        blocks.append("\n".join(request_lines(req, events.get(req.reference, ()), lang, texts)))
    options = tuple(
        Option(
            texts.text(lang, M.TIMELINE_CANCEL, reference=r.reference),
            ch.cancel_request(r.reference),
        )
        for r in ordered
        if r.is_open
    )
    return Reply("\n\n".join(blocks), options)


def own_due_dates(requests: Sequence[RightsRequest], lang: Language, texts: Catalogue) -> str:
    """The due date of each open request of the user, one line each ("" when none)."""
    return "\n".join(
        texts.text(
            lang,
            M.YOUR_DUE,
            reference=r.reference,
            right=texts.text(lang, M.right(r.type)),
            due=r.due,
        )
        for r in requests
        if r.is_open
    )
