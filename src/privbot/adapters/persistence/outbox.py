"""Messages queued for users (encrypted), claimed by one instance before they are sent.

`claim` is one UPDATE ... WHERE (unclaimed or the claim older than the lease) ... RETURNING:
atomic on SQLite (one writer at a time) and on PostgreSQL (the WHERE is re-checked on rows
another transaction just claimed; SKIP LOCKED spares the wait). A claim left by a crashed
instance is taken over once its lease has run out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, delete, insert, or_, select, update
from sqlalchemy.engine import Connection

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence.sql import claim_rows, rowcount
from privbot.adapters.persistence.tables import (
    from_db,
    opt_from_db,
    outbox,
    owned_by,
    to_db,
)
from privbot.core.model import Attachment, Language, UserKey
from privbot.core.records import Notification

_o = outbox.c


def add(
    s: Connection, cipher: Cipher, notifications: Iterable[Notification], reference: str | None
) -> None:
    """Queue `notifications` (those without a reference get `reference`)."""
    rows = [
        {
            "channel": n.user.channel,
            "external_id": n.user.external_id,
            "language": str(n.language),
            "text": cipher.encrypt(n.text),
            "filename": n.attachment.filename if n.attachment else None,
            "attachment": cipher.encrypt(n.attachment.content) if n.attachment else None,
            "reference": n.reference or reference,
            "created_at": to_db(n.created_at),
        }
        for n in notifications
    ]
    if rows:
        s.execute(insert(outbox), rows)


def pending(s: Connection, cipher: Cipher, channel: str, limit: int) -> list[Notification]:
    """Notifications not sent yet and not given up, oldest first (claimed or not)."""
    rows = s.execute(
        select(outbox)
        .where(_o.channel == channel)
        .where(_o.sent_at.is_(None))
        .where(_o.given_up_at.is_(None))
        .order_by(_o.id)
        .limit(limit)
    ).all()
    return [_notification_of(r, cipher) for r in rows]


def claim(
    s: Connection,
    cipher: Cipher,
    channel: str,
    worker_id: str,
    now: datetime,
    limit: int,
    lease: timedelta,
) -> list[Notification]:
    """Claim up to `limit` due notifications for `worker_id` and return them (see above)."""
    at, stale = to_db(now), to_db(now - lease)
    free = or_(_o.claimed_by.is_(None), _o.claimed_at < stale)
    due = or_(_o.next_attempt_at.is_(None), _o.next_attempt_at <= at)
    pick = (
        select(_o.id)
        .where(_o.channel == channel)
        .where(_o.sent_at.is_(None))
        .where(_o.given_up_at.is_(None))
        .where(due, free)
        .order_by(_o.id)
        .limit(limit)
    )
    rows = claim_rows(s, outbox, _o.id, pick, free, {"claimed_by": worker_id, "claimed_at": at})
    return [_notification_of(r, cipher) for r in rows]


def mark_sent(s: Connection, notification_id: int, now: datetime) -> None:
    """Delivered: never sent again (the claim is cleared with it)."""
    s.execute(
        update(outbox)
        .where(_o.id == notification_id, _o.sent_at.is_(None))
        .values(
            sent_at=to_db(now),
            attempts=_o.attempts + 1,
            claimed_by=None,
            claimed_at=None,
            attachment=None,  # a file (a data export) is not kept once delivered
        )
    )


def renew_claim(s: Connection, notification_id: int, worker_id: str, now: datetime) -> bool:
    """Just before a send: whether the notification is still there, unsent and claimed by
    `worker_id`, its claim renewed. False, and it is not to be sent: its user erased their
    data meanwhile (their replies and exports go with it, claimed or not), or another worker
    took the claim over after the lease."""
    renewed = s.execute(
        update(outbox)
        .where(_o.id == notification_id)
        .where(_o.claimed_by == worker_id)
        .where(_o.sent_at.is_(None))
        .values(claimed_at=to_db(now))
    )
    return rowcount(renewed) == 1


def release(
    s: Connection, notification_id: int, worker_id: str, now: datetime, retry_at: datetime | None
) -> None:
    """A failed attempt by `worker_id`: count it and free the row, to be tried again from
    `retry_at`, or never again when `retry_at` is None (given up). A claim another worker
    has taken over meanwhile is left alone."""
    values: dict[str, Any] = {
        "attempts": _o.attempts + 1,
        "claimed_by": None,
        "claimed_at": None,
        "next_attempt_at": to_db(retry_at) if retry_at is not None else None,
    }
    if retry_at is None:
        values["given_up_at"] = to_db(now)
        values["attachment"] = None  # nor once given up
    s.execute(
        update(outbox)
        .where(_o.id == notification_id)
        .where(_o.claimed_by == worker_id)
        .where(_o.sent_at.is_(None))
        .values(**values)
    )


def discard_replies(s: Connection, user: UserKey) -> None:
    """Delete the messages queued for `user` outside any request (replies sent late, a
    `/privacy` export), sent or not; those about a request stay with its record."""
    s.execute(delete(outbox).where(*owned_by(outbox, user)).where(_o.reference.is_(None)))


def for_user(s: Connection, cipher: Cipher, user: UserKey) -> list[Notification]:
    rows = s.execute(select(outbox).where(*owned_by(outbox, user)).order_by(_o.id)).all()
    return [_notification_of(r, cipher) for r in rows]


def _notification_of(r: Row[Any], cipher: Cipher) -> Notification:
    return Notification(
        user=UserKey(r.channel, r.external_id),
        language=Language(r.language),
        text=cipher.decrypt(r.text),
        created_at=from_db(r.created_at),
        reference=r.reference,
        id=r.id,
        sent_at=opt_from_db(r.sent_at),
        attempts=r.attempts,
        attachment=None
        if r.attachment is None
        else Attachment(r.filename or "file", cipher.decrypt(r.attachment)),
    )
