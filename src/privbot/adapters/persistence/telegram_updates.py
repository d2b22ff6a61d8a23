"""Telegram update ids already taken in, so an update delivered again is handled once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from privbot.adapters.persistence.sql import rowcount
from privbot.adapters.persistence.tables import TelegramUpdateRow, to_db


def claim(s: Session, update_id: int, now: datetime) -> bool:
    """Record `update_id` and commit; False when some instance recorded it already."""
    s.add(TelegramUpdateRow(update_id=update_id, seen_at=to_db(now)))
    try:
        s.commit()
    except IntegrityError:
        s.rollback()
        return False
    return True


def forget(s: Session, before: datetime) -> int:
    """Forget update ids recorded before `before` (Telegram gives up long before)."""
    seen_at = col(TelegramUpdateRow.seen_at)
    return rowcount(s.exec(delete(TelegramUpdateRow).where(seen_at < to_db(before))))
