"""Telegram updates taken in, recorded (with their content, encrypted) before Telegram is told
they arrived: an update delivered again is handled once, and an update whose instance died
before handling it is taken over by another once its lease has run out."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence.sql import Prepared, claim_rows, insert_of, rowcount
from privbot.adapters.persistence.tables import telegram_updates, to_db

# Run for every update: built once.
_c = telegram_updates.c
_RECORD = insert(telegram_updates)
_HANDLED = Prepared(
    update(telegram_updates)
    .where(_c.update_id == bindparam("id"))
    .values(handled_at=bindparam("at"), payload=None)
)


def claim(
    s: Connection, cipher: Cipher, update_id: int, now: datetime, payload: str | None
) -> bool:
    """Record `update_id` (and its JSON `payload`, encrypted) and commit; False when some
    instance recorded it already."""
    encrypted = cipher.encrypt(payload) if payload is not None else None
    try:
        s.execute(_RECORD, {"update_id": update_id, "seen_at": to_db(now), "payload": encrypted})
        s.commit()
    except IntegrityError:
        s.rollback()
        return False
    return True


def claim_many(
    s: Connection, cipher: Cipher, updates: list[tuple[int, str]], now: datetime
) -> list[int]:
    """Record a batch of (update id, JSON) in one statement (one per `_ROWS` updates) and
    commit; the ids no instance had recorded (those some instance recorded, even meanwhile,
    are left out by the insert itself: ON CONFLICT DO NOTHING)."""
    recorded: set[int] = set()
    for start in range(0, len(updates), _ROWS):
        part = updates[start : start + _ROWS]
        values: dict[str, Any] = {"seen": to_db(now)}
        for k, (update_id, payload) in enumerate(part):
            values[f"id{k}"] = update_id
            values[f"payload{k}"] = cipher.encrypt(payload)
        recorded.update(_record_new(len(part)).scalars(s, values))
    s.commit()
    return [i for i, _ in updates if i in recorded]


_ROWS = 16  # updates recorded by one statement at most (a poll gives up to 100)


@cache
def _record_new(rows: int) -> Prepared:
    """INSERT of `rows` updates ... ON CONFLICT (update_id) DO NOTHING RETURNING update_id:
    the ids recorded now (made once per number of rows)."""

    def build(dialect: str) -> Any:
        # Typed here: the rows after the first of a multi-row VALUES take no type from the
        # columns (a datetime would reach the driver untouched).
        values: list[dict[str, Any]] = [
            {"update_id": bindparam(f"id{k}", type_=_c.update_id.type),
             "seen_at": bindparam("seen", type_=_c.seen_at.type),
             "payload": bindparam(f"payload{k}", type_=_c.payload.type)}
            for k in range(rows)
        ]  # fmt: skip
        stmt = insert_of(dialect, telegram_updates).values(values)
        return stmt.on_conflict_do_nothing(index_elements=["update_id"]).returning(_c.update_id)

    return Prepared(build)


def mark_handled(s: Connection, update_ids: list[int], now: datetime) -> None:
    """Handled (answered, or dropped on purpose): never replayed, their content forgotten."""
    at = to_db(now)
    _HANDLED.execute_many(s, [{"id": update_id, "at": at} for update_id in update_ids])


def take_over(
    s: Connection, cipher: Cipher, now: datetime, stale_before: datetime, limit: int
) -> list[tuple[int, str]]:
    """(update id, JSON) of updates recorded before `stale_before` and never handled, taken
    over for this instance (their lease restarts at `now`), oldest first."""
    stale = to_db(stale_before)
    unhandled = (_c.handled_at.is_(None), _c.payload.is_not(None), _c.seen_at < stale)
    pick = select(_c.update_id).where(*unhandled).order_by(_c.update_id).limit(limit)
    rows = claim_rows(
        s, telegram_updates, _c.update_id, pick, and_(*unhandled), {"seen_at": to_db(now)}
    )
    return [(r.update_id, cipher.decrypt(r.payload)) for r in rows if r.payload is not None]


def forget(s: Connection, before: datetime) -> int:
    """Forget updates recorded before `before` (Telegram gives up long before)."""
    return rowcount(s.execute(delete(telegram_updates).where(_c.seen_at < to_db(before))))
