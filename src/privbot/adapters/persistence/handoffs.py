"""Handoffs to a person: the handoff (one open per user at most) and its messages (the
person's words, encrypted). Opening, each staff reply and closing add an audit line under the
handoff's reference; a staff reply also queues the user's notification, in one transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, delete, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence import requests
from privbot.adapters.persistence.sql import rowcount, undo_alone_on_error
from privbot.adapters.persistence.tables import (
    audit_log,
    from_db,
    handoff_messages,
    handoffs,
    opt_from_db,
    outbox,
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

_h, _m = handoffs.c, handoff_messages.c


def _handoff(row: Row[Any]) -> Handoff:
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
_OPEN_OF = select(handoffs).where(*owned_by_owner(handoffs), _h.status == str(HandoffStatus.OPEN))


def open_of(s: Connection, key: UserKey) -> Handoff | None:
    row = s.execute(_OPEN_OF, owner(key)).first()
    return _handoff(row) if row is not None else None


def _row(s: Connection, handoff_id: int) -> Row[Any] | None:
    return s.execute(select(handoffs).where(_h.id == handoff_id)).first()


def get(s: Connection, handoff_id: int) -> Handoff | None:
    row = _row(s, handoff_id)
    return _handoff(row) if row is not None else None


def by_thread(s: Connection, thread_ts: str) -> Handoff | None:
    row = s.execute(select(handoffs).where(_h.thread_ts == thread_ts)).first()
    return _handoff(row) if row is not None else None


def open_for(s: Connection, key: UserKey, language: Language, actor: str, now: datetime) -> Handoff:
    """The user's open handoff, or a new one (audited)."""
    found = open_of(s, key)
    if found is not None:
        return found
    new = s.execute(
        insert(handoffs)
        .values(
            channel=key.channel,
            external_id=key.external_id,
            language=str(language),
            status=str(HandoffStatus.OPEN),
            opened_at=to_db(now),
            updated_at=to_db(now),
        )
        .returning(*handoffs.c)
    ).one()
    handoff = _handoff(new)
    _audit(s, handoff.reference, "handoff_opened", actor, now)
    return handoff


def close(s: Connection, handoff_id: int, actor: str, now: datetime) -> None:
    # One conditional statement: of two closes at once (staff and user, two instances) only
    # the one that changed the row writes the audit line and its time.
    done = s.execute(
        update(handoffs)
        .where(_h.id == handoff_id, _h.status == str(HandoffStatus.OPEN))
        .values(status=str(HandoffStatus.CLOSED), closed_at=to_db(now), updated_at=to_db(now))
    )
    if rowcount(done) == 1:
        _audit(s, handoff_reference(handoff_id), "handoff_closed", actor, now)


def add_user_message(
    s: Connection, cipher: Cipher, handoff_id: int, text: str, now: datetime
) -> None:
    """A message of the user, to be posted in the thread."""
    s.execute(
        insert(handoff_messages).values(
            handoff_id=handoff_id,
            sender=str(Sender.USER),
            text=cipher.encrypt(text),
            created_at=to_db(now),
        )
    )


def add_staff_reply(
    s: Connection,
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
    reply = insert(handoff_messages).values(
        handoff_id=handoff.id,
        sender=str(Sender.STAFF),
        text=cipher.encrypt(text),
        created_at=to_db(now),
        posted_at=to_db(now),
        slack_ts=slack_ts,
    )
    try:
        with undo_alone_on_error(s):
            s.execute(reply)
    except IntegrityError:
        return False
    _audit(s, handoff.reference, "staff_reply", staff, now)
    requests.add_log(s, cipher, (), (notification,), handoff.reference)
    return True


def claim_unposted(
    s: Connection, owner: str, now: datetime, lease: timedelta, limit: int
) -> list[Handoff]:
    """Handoffs with user messages not yet in Slack, claimed by `owner` (one poster each)."""
    pending = s.execute(
        select(_m.handoff_id)
        .where(_m.sender == str(Sender.USER))
        .where(_m.posted_at.is_(None))
        .distinct()
        .limit(limit)
    ).scalars()
    claimed = []
    for hid in list(pending):
        stmt = (
            update(handoffs)
            .where(_h.id == hid)
            .where(or_(_h.claimed_by.is_(None), _h.claimed_at < to_db(now - lease)))
            .values(claimed_by=owner, claimed_at=to_db(now))
        )
        if rowcount(s.execute(stmt)) == 1:
            row = _row(s, hid)
            if row is not None:
                claimed.append(_handoff(row))
    return claimed


def unposted(s: Connection, cipher: Cipher, handoff_id: int) -> list[HandoffMessage]:
    rows = s.execute(
        select(handoff_messages)
        .where(_m.handoff_id == handoff_id)
        .where(_m.sender == str(Sender.USER))
        .where(_m.posted_at.is_(None))
        .order_by(_m.id)
    ).all()
    return [
        HandoffMessage(
            r.id or 0, r.handoff_id, Sender(r.sender), cipher.decrypt(r.text), from_db(r.created_at)
        )
        for r in rows
    ]


def set_thread(s: Connection, handoff_id: int, ts: str) -> None:
    s.execute(update(handoffs).where(_h.id == handoff_id).values(thread_ts=ts))


def mark_posted(s: Connection, message_id: int, now: datetime) -> None:
    s.execute(update(handoff_messages).where(_m.id == message_id).values(posted_at=to_db(now)))


def release(s: Connection, handoff_id: int, owner: str) -> None:
    s.execute(
        update(handoffs)
        .where(_h.id == handoff_id)
        .where(_h.claimed_by == owner)
        .values(claimed_by=None, claimed_at=None)
    )


def purge(s: Connection, closed_before: datetime) -> int:
    """Handoffs closed before `closed_before`, with their messages, audit lines and
    notifications (retention as for requests)."""
    ids = list(
        s.execute(
            select(_h.id)
            .where(_h.status == str(HandoffStatus.CLOSED))
            .where(_h.closed_at < to_db(closed_before))
        ).scalars()
    )
    refs = [handoff_reference(i) for i in ids]
    if not refs:
        return 0
    s.execute(delete(handoff_messages).where(_m.handoff_id.in_(ids)))
    s.execute(delete(audit_log).where(audit_log.c.reference.in_(refs)))
    s.execute(delete(outbox).where(outbox.c.reference.in_(refs)))
    s.execute(delete(handoffs).where(_h.id.in_(ids)))
    return len(refs)


def _audit(s: Connection, reference: str, event: str, actor: str, now: datetime) -> None:
    s.execute(
        insert(audit_log).values(reference=reference, event=event, actor=actor, at=to_db(now))
    )
