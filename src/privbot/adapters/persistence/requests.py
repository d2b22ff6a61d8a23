"""Rights requests and their audit log (one aggregate: a change and its audit lines are always
written together, with the user's notifications queued in the same transaction).

References are numbered max(number)+1 under a unique (year, number) constraint and retried on
conflict, which is safe with several processes on one database and inside a larger unit of
work: a conflicting INSERT is undone alone (a savepoint on PostgreSQL; SQLite undoes just the
failed statement, and keeps its transaction).

Encrypted at rest: the e-mail address, details, extension and closing reasons. No query filters
on an encrypted column (a user's requests are found by channel and id, duplicates by user and
type).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, NoResultFound

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence import outbox
from privbot.adapters.persistence.sql import rowcount, undo_alone_on_error
from privbot.adapters.persistence.tables import (
    audit_log as audit_table,
)
from privbot.adapters.persistence.tables import (
    from_db,
    opt_from_db,
    owned_by,
    requests,
    to_db,
)
from privbot.core.deadlines import ACK_DUE, DUE, EXTENDED_DUE, LegalDates
from privbot.core.model import Jurisdiction, Language, RequestType, UserKey
from privbot.core.records import Notification
from privbot.core.requests import (
    OPEN_STATUSES,
    AuditEvent,
    Details,
    RequestStatus,
    RightsRequest,
    make_reference,
)

_REFERENCE_RETRIES = 20
ENCRYPTED = ("email", "details_json", "extension_reason", "closing_reason")
_r, _a = requests.c, audit_table.c


def add(
    s: Connection,
    cipher: Cipher,
    draft: RightsRequest,
    events: Sequence[AuditEvent],
    notifications: Sequence[Notification],
) -> RightsRequest:
    """Store `draft` under the next free reference of its year; its events get that ref."""
    year = draft.received_at.year
    for _ in range(_REFERENCE_RETRIES):
        last = s.execute(select(func.max(_r.number)).where(_r.year == year)).scalar()
        number = int(last or 0) + 1
        req = replace(draft, reference=make_reference(year, number))
        values = _values(req, draft.received_at, cipher)
        try:
            with undo_alone_on_error(s):
                s.execute(insert(requests).values(year=year, number=number, **values))
        except IntegrityError:
            continue  # another process took that number: count again
        stamped = [replace(e, reference=req.reference) for e in events]
        add_log(s, cipher, stamped, notifications, req.reference)
        return req
    raise RuntimeError("could not allocate a request reference")


def save(
    s: Connection,
    cipher: Cipher,
    req: RightsRequest,
    events: Sequence[AuditEvent],
    notifications: Sequence[Notification],
    now: datetime,
) -> None:
    """Update `req`, append its audit events and queue its notifications."""
    changed = s.execute(
        update(requests).where(_r.reference == req.reference).values(_values(req, now, cipher))
    )
    if rowcount(changed) != 1:
        raise NoResultFound(f"no request {req.reference}")
    add_log(s, cipher, events, notifications, req.reference)


def get(s: Connection, cipher: Cipher, reference: str) -> RightsRequest | None:
    row = s.execute(select(requests).where(_r.reference == reference.strip().upper())).first()
    return _request_of(row, cipher) if row else None


def find_open(
    s: Connection, cipher: Cipher, user: UserKey, request_type: RequestType
) -> RightsRequest | None:
    row = s.execute(
        select(requests)
        .where(*owned_by(requests, user))
        .where(_r.type == str(request_type))
        .where(_r.status.in_([str(x) for x in OPEN_STATUSES]))
        .order_by(_r.id)
    ).first()
    return _request_of(row, cipher) if row else None


def list_(
    s: Connection,
    cipher: Cipher,
    user: UserKey | None = None,
    statuses: Iterable[RequestStatus] | None = None,
) -> list[RightsRequest]:
    q = select(requests)
    if user is not None:
        q = q.where(*owned_by(requests, user))
    if statuses is not None:
        q = q.where(_r.status.in_([str(x) for x in statuses]))
    return [_request_of(r, cipher) for r in s.execute(q.order_by(_r.id)).all()]


def audit_log(s: Connection, reference: str) -> list[AuditEvent]:
    rows = s.execute(select(audit_table).where(_a.reference == reference).order_by(_a.id)).all()
    return [AuditEvent(r.reference, r.event, r.actor, from_db(r.at), r.detail) for r in rows]


def add_log(
    s: Connection,
    cipher: Cipher,
    events: Iterable[AuditEvent],
    notifications: Iterable[Notification],
    reference: str | None,
) -> None:
    """Append audit lines and queue notifications (those without a reference get `reference`)."""
    lines = [
        {"reference": e.reference, "event": e.event, "actor": e.actor, "at": to_db(e.at),
         "detail": e.detail}
        for e in events
    ]  # fmt: skip
    if lines:
        s.execute(insert(audit_table), lines)
    outbox.add(s, cipher, notifications, reference)


def _values(req: RightsRequest, now: datetime, cipher: Cipher) -> dict[str, Any]:
    d = req.dates
    return {
        "reference": req.reference,
        "channel": req.user.channel,
        "external_id": req.user.external_id,
        "type": str(req.type),
        "jurisdiction": str(req.jurisdiction),
        "details_json": cipher.encrypt(
            json.dumps([list(p) for p in req.details.items], ensure_ascii=False)
        ),
        "email": cipher.encrypt_opt(req.email),
        "status": str(req.status),
        "language": str(req.language),
        "received_at": to_db(req.received_at),
        "received_on": d.received,
        "due": d.due,
        "ack_due": d.ack_due,
        "extended_due": d.extended_due,
        "due_explanation": d.explanation.get(DUE, ""),
        "ack_due_explanation": d.explanation.get(ACK_DUE, ""),
        "extended_due_explanation": d.explanation.get(EXTENDED_DUE, ""),
        "extended": req.extended,
        "extension_reason": cipher.encrypt_opt(req.extension_reason),
        "assignee": req.assignee,
        "closing_reason": cipher.encrypt_opt(req.closing_reason),
        "closed_at": to_db(req.closed_at) if req.closed_at else None,
        "updated_at": to_db(now),
    }


def _request_of(row: Row[Any], cipher: Cipher) -> RightsRequest:
    jurisdiction, rtype = Jurisdiction(row.jurisdiction), RequestType(row.type)
    dates = LegalDates(
        jurisdiction=jurisdiction,
        request_type=rtype,
        received=row.received_on,
        due=row.due,
        ack_due=row.ack_due,
        extended_due=row.extended_due,
        explanation={
            DUE: row.due_explanation,
            ACK_DUE: row.ack_due_explanation,
            EXTENDED_DUE: row.extended_due_explanation,
        },
    )
    return RightsRequest(
        reference=row.reference,
        user=UserKey(row.channel, row.external_id),
        type=rtype,
        jurisdiction=jurisdiction,
        details=Details(
            tuple((str(k), str(v)) for k, v in json.loads(cipher.decrypt(row.details_json)))
        ),
        status=RequestStatus(row.status),
        received_at=from_db(row.received_at),
        dates=dates,
        language=Language(row.language),
        email=cipher.decrypt_opt(row.email),
        extended=row.extended,
        extension_reason=cipher.decrypt_opt(row.extension_reason),
        assignee=row.assignee,
        closing_reason=cipher.decrypt_opt(row.closing_reason),
        closed_at=opt_from_db(row.closed_at),
    )
