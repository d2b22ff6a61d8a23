"""Handoffs to a person: the handoff (one open per user at most) and its messages (the
person's words, encrypted). Opening, each staff reply and closing add an audit line under the
handoff's reference; a staff reply also queues the user's notification, in one transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence import requests
from privbot.adapters.persistence.orm import Session, col, select
from privbot.adapters.persistence.sql import rowcount
from privbot.adapters.persistence.tables import (
    AuditRow,
    HandoffMessageRow,
    HandoffRow,
    OutboxRow,
    from_db,
    opt_from_db,
    owned_by_owner,
    owner,
    to_db,
)
from privbot.core.handoff import (
    Handoff,
    HandoffMessage,
    HandoffStatus,
    Sender,
    handoff_reference,
)
from privbot.core.model import Language, UserKey
from privbot.core.records import Notification


def _handoff(row: HandoffRow) -> Handoff:
    assert row.id is not None
    user = UserKey(row.channel, row.external_id)
    return handoff_of(
        row.id, user, row.language, row.status, row.opened_at, row.thread_ts, row.closed_at
    )


def handoff_of(
    handoff_id: int,
    user: UserKey,
    language: str,
    status: str,
    opened_at: datetime,
    thread_ts: str | None,
    closed_at: datetime | None,
) -> Handoff:
    """A handoff from its columns (`user_rows` reads them too)."""
    return Handoff(
        handoff_id,
        user,
        Language(language),
        HandoffStatus(status),
        from_db(opened_at),
        thread_ts,
        opt_from_db(closed_at),
    )


# Asked for every message: built once.
_OPEN_OF = select(HandoffRow).where(
    *owned_by_owner(HandoffRow), HandoffRow.status == str(HandoffStatus.OPEN)
)


def open_of(s: Session, key: UserKey) -> Handoff | None:
    row = s.exec(_OPEN_OF, params=owner(key)).first()
    return _handoff(row) if row is not None else None


def get(s: Session, handoff_id: int) -> Handoff | None:
    row = s.get(HandoffRow, handoff_id)
    return _handoff(row) if row is not None else None


def by_thread(s: Session, thread_ts: str) -> Handoff | None:
    row = s.exec(select(HandoffRow).where(HandoffRow.thread_ts == thread_ts)).first()
    return _handoff(row) if row is not None else None


def open_for(s: Session, key: UserKey, language: Language, actor: str, now: datetime) -> Handoff:
    """The user's open handoff, or a new one (audited)."""
    found = open_of(s, key)
    if found is not None:
        return found
    row = HandoffRow(
        channel=key.channel,
        external_id=key.external_id,
        language=str(language),
        status=str(HandoffStatus.OPEN),
        opened_at=to_db(now),
        updated_at=to_db(now),
    )
    s.add(row)
    s.flush()
    handoff = _handoff(row)
    _audit(s, handoff.reference, "handoff_opened", actor, now)
    return handoff


def close(s: Session, handoff_id: int, actor: str, now: datetime) -> None:
    row = s.get(HandoffRow, handoff_id)
    if row is None or row.status != str(HandoffStatus.OPEN):
        return
    row.status, row.closed_at, row.updated_at = str(HandoffStatus.CLOSED), to_db(now), to_db(now)
    s.add(row)
    _audit(s, handoff_reference(handoff_id), "handoff_closed", actor, now)


def add_user_message(s: Session, cipher: Cipher, handoff_id: int, text: str, now: datetime) -> None:
    """A message of the user, to be posted in the thread."""
    s.add(
        HandoffMessageRow(
            handoff_id=handoff_id,
            sender=str(Sender.USER),
            text=cipher.encrypt(text),
            created_at=to_db(now),
        )
    )


def add_staff_reply(
    s: Session,
    cipher: Cipher,
    handoff: Handoff,
    staff: str,
    slack_ts: str,
    text: str,
    notification: Notification,
    now: datetime,
) -> bool:
    """Record a staff reply (once per Slack message ts: a unique index, so two instances
    taking in the same message at once record it once), audit it and queue it for the user;
    False if that Slack message was already taken in."""
    s.add(
        HandoffMessageRow(
            handoff_id=handoff.id,
            sender=str(Sender.STAFF),
            text=cipher.encrypt(text),
            created_at=to_db(now),
            posted_at=to_db(now),
            slack_ts=slack_ts,
        )
    )
    try:
        s.flush()
    except IntegrityError:
        s.rollback()
        return False
    _audit(s, handoff.reference, "staff_reply", staff, now)
    requests.add_log(s, cipher, (), (notification,), handoff.reference)
    return True


def claim_unposted(
    s: Session, owner: str, now: datetime, lease: timedelta, limit: int
) -> list[Handoff]:
    """Handoffs with user messages not yet in Slack, claimed by `owner` (one poster each)."""
    pending = s.exec(
        select(HandoffMessageRow.handoff_id)
        .where(HandoffMessageRow.sender == str(Sender.USER))
        .where(col(HandoffMessageRow.posted_at).is_(None))
        .distinct()
        .limit(limit)
    ).all()
    claimed = []
    for hid in pending:
        stmt = (
            update(HandoffRow)
            .where(col(HandoffRow.id) == hid)
            .where(
                or_(
                    col(HandoffRow.claimed_by).is_(None),
                    col(HandoffRow.claimed_at) < to_db(now - lease),
                )
            )
            .values(claimed_by=owner, claimed_at=to_db(now))
        )
        if rowcount(s.exec(stmt)) == 1:
            row = s.get(HandoffRow, hid)
            if row is not None:
                s.refresh(row)
                claimed.append(_handoff(row))
    return claimed


def unposted(s: Session, cipher: Cipher, handoff_id: int) -> list[HandoffMessage]:
    rows = s.exec(
        select(HandoffMessageRow)
        .where(HandoffMessageRow.handoff_id == handoff_id)
        .where(HandoffMessageRow.sender == str(Sender.USER))
        .where(col(HandoffMessageRow.posted_at).is_(None))
        .order_by(col(HandoffMessageRow.id))
    ).all()
    return [
        HandoffMessage(
            r.id or 0, r.handoff_id, Sender(r.sender), cipher.decrypt(r.text), from_db(r.created_at)
        )
        for r in rows
    ]


def set_thread(s: Session, handoff_id: int, ts: str) -> None:
    row = s.get(HandoffRow, handoff_id)
    if row is not None:
        row.thread_ts = ts
        s.add(row)


def mark_posted(s: Session, message_id: int, now: datetime) -> None:
    row = s.get(HandoffMessageRow, message_id)
    if row is not None:
        row.posted_at = to_db(now)
        s.add(row)


def release(s: Session, handoff_id: int, owner: str) -> None:
    s.exec(
        update(HandoffRow)
        .where(col(HandoffRow.id) == handoff_id)
        .where(col(HandoffRow.claimed_by) == owner)
        .values(claimed_by=None, claimed_at=None)
    )


def purge(s: Session, closed_before: datetime) -> int:
    """Handoffs closed before `closed_before`, with their messages, audit lines and
    notifications (retention as for requests)."""
    ids = s.exec(
        select(HandoffRow.id)
        .where(HandoffRow.status == str(HandoffStatus.CLOSED))
        .where(col(HandoffRow.closed_at) < to_db(closed_before))
    ).all()
    refs = [handoff_reference(i) for i in ids if i is not None]
    if not refs:
        return 0
    s.exec(delete(HandoffMessageRow).where(col(HandoffMessageRow.handoff_id).in_(ids)))
    s.exec(delete(AuditRow).where(col(AuditRow.reference).in_(refs)))
    s.exec(delete(OutboxRow).where(col(OutboxRow.reference).in_(refs)))
    s.exec(delete(HandoffRow).where(col(HandoffRow.id).in_(ids)))
    return len(refs)


def _audit(s: Session, reference: str, event: str, actor: str, now: datetime) -> None:
    s.add(AuditRow(reference=reference, event=event, actor=actor, at=to_db(now)))
