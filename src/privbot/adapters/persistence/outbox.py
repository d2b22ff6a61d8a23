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

from sqlalchemy import delete, or_, update
from sqlalchemy import select as sa_select

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence.orm import Session, col, select
from privbot.adapters.persistence.sql import claim_rows
from privbot.adapters.persistence.tables import (
    OutboxRow,
    from_db,
    opt_from_db,
    owned_by,
    to_db,
)
from privbot.core.model import Attachment, Language, UserKey
from privbot.core.records import Notification


def add(
    s: Session, cipher: Cipher, notifications: Iterable[Notification], reference: str | None
) -> None:
    """Queue `notifications` (those without a reference get `reference`)."""
    for n in notifications:
        s.add(
            OutboxRow(
                channel=n.user.channel,
                external_id=n.user.external_id,
                language=str(n.language),
                text=cipher.encrypt(n.text),
                filename=n.attachment.filename if n.attachment else None,
                attachment=cipher.encrypt(n.attachment.content) if n.attachment else None,
                reference=n.reference or reference,
                created_at=to_db(n.created_at),
            )
        )
    s.flush()


def pending(s: Session, cipher: Cipher, channel: str, limit: int) -> list[Notification]:
    """Notifications not sent yet and not given up, oldest first (claimed or not)."""
    rows = s.exec(
        select(OutboxRow)
        .where(OutboxRow.channel == channel)
        .where(col(OutboxRow.sent_at).is_(None))
        .where(col(OutboxRow.given_up_at).is_(None))
        .order_by(col(OutboxRow.id))
        .limit(limit)
    ).all()
    return [_notification_of(r, cipher) for r in rows]


def claim(
    s: Session,
    cipher: Cipher,
    channel: str,
    worker_id: str,
    now: datetime,
    limit: int,
    lease: timedelta,
) -> list[Notification]:
    """Claim up to `limit` due notifications for `worker_id` and return them (see above)."""
    at, stale = to_db(now), to_db(now - lease)
    free = or_(col(OutboxRow.claimed_by).is_(None), col(OutboxRow.claimed_at) < stale)
    due = or_(col(OutboxRow.next_attempt_at).is_(None), col(OutboxRow.next_attempt_at) <= at)
    pick = (
        sa_select(col(OutboxRow.id))
        .where(col(OutboxRow.channel) == channel)
        .where(col(OutboxRow.sent_at).is_(None))
        .where(col(OutboxRow.given_up_at).is_(None))
        .where(due, free)
        .order_by(col(OutboxRow.id))
        .limit(limit)
    )
    rows = claim_rows(
        s, OutboxRow, OutboxRow.id, pick, free, {"claimed_by": worker_id, "claimed_at": at}
    )
    return [_notification_of(r, cipher) for r in rows]


def mark_sent(s: Session, notification_id: int, now: datetime) -> None:
    """Delivered: never sent again (the claim is cleared with it)."""
    row = s.get(OutboxRow, notification_id)
    if row is not None and row.sent_at is None:
        row.sent_at = to_db(now)
        row.attempts += 1
        row.claimed_by = row.claimed_at = None
        row.attachment = None  # a file (a data export) is not kept once delivered
        s.add(row)
        s.flush()


def release(
    s: Session, notification_id: int, worker_id: str, now: datetime, retry_at: datetime | None
) -> None:
    """A failed attempt by `worker_id`: count it and free the row, to be tried again from
    `retry_at`, or never again when `retry_at` is None (given up). A claim another worker
    has taken over meanwhile is left alone."""
    values: dict[str, Any] = {
        "attempts": OutboxRow.attempts + 1,
        "claimed_by": None,
        "claimed_at": None,
        "next_attempt_at": to_db(retry_at) if retry_at is not None else None,
    }
    if retry_at is None:
        values["given_up_at"] = to_db(now)
        values["attachment"] = None  # nor once given up
    s.execute(
        update(OutboxRow)
        .where(col(OutboxRow.id) == notification_id)
        .where(col(OutboxRow.claimed_by) == worker_id)
        .where(col(OutboxRow.sent_at).is_(None))
        .values(**values)
    )


def discard_replies(s: Session, user: UserKey) -> None:
    """Delete the messages queued for `user` outside any request (replies sent late, a
    `/privacy` export), sent or not; those about a request stay with its record."""
    s.exec(
        delete(OutboxRow)
        .where(*owned_by(OutboxRow, user))
        .where(col(OutboxRow.reference).is_(None))
    )


def for_user(s: Session, cipher: Cipher, user: UserKey) -> list[Notification]:
    rows = s.exec(
        select(OutboxRow).where(*owned_by(OutboxRow, user)).order_by(col(OutboxRow.id))
    ).all()
    return [_notification_of(r, cipher) for r in rows]


def _notification_of(r: OutboxRow, cipher: Cipher) -> Notification:
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
