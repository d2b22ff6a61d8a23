"""Reminders on the database side: which requests have a reminder point reached (candidates,
found by index range queries on each request's next reminder day, so a sweep with nothing due
reads nothing whatever the number of open requests),
and the claims that make each reminder, digest and daily retention run happen once.

A claim is a row under a unique (reference, key, due date) constraint, inserted before the
post with `INSERT ... ON CONFLICT DO NOTHING` (SQLite and PostgreSQL), read back by this
sweep's owner token, `sent_at` set after the post; a failed post deletes it (retried later),
and a claim left unsent by a crashed instance is taken over once `stale`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, func, or_, update
from sqlalchemy import select as sa_select

from privbot.adapters.persistence.orm import Session, col, select
from privbot.adapters.persistence.sql import EngineStore
from privbot.adapters.persistence.tables import (
    ReminderClaimRow,
    RequestRow,
    to_db,
)
from privbot.core.reminders import REMINDER_STATUSES, Candidate, ClaimKey, window
from privbot.core.requests import RequestStatus

_BATCH = 500


def _binding_due() -> Any:
    """The due date that binds: the extended one once extended, else the original."""
    r = RequestRow
    return case(
        (and_(col(r.extended), col(r.extended_due).is_not(None)), col(r.extended_due)),
        else_=col(r.due),
    )


class ReminderClaims(EngineStore):
    # --- reminder candidates --------------------------------------------------------------
    def candidates(self, today: date, limit: int | None = None) -> list[Candidate]:
        """Requests with a reminder point reached by `today` whose next reminder day says look
        now: the day has come, or no sweep has looked at them yet (inside the window). The
        first `limit` by binding due date when given (the most urgent)."""
        due_bound, ack_bound = window(today)
        r = RequestRow
        binding = _binding_due()
        remind_on = col(r.remind_on)
        # The status is matched as `status || ''`, which no index serves: planners without
        # statistics (SQLite) would otherwise read every open request through the status
        # index instead of the few rows the (remind_on, date) ranges give.
        status = col(r.status) + ""
        verified = status == str(RequestStatus.VERIFIED)
        q = (
            sa_select(
                *map(col, (r.reference, r.status)),
                binding,
                *map(col, (r.ack_due, r.received_on, r.assignee, r.remind_on)),
            )
            .where(status.in_([str(x) for x in REMINDER_STATUSES]))
            .where(
                or_(
                    # the binding date is never before `due`, so `due <= bound` uses an index
                    and_(col(r.due) <= due_bound, binding <= due_bound),
                    and_(verified, col(r.ack_due) <= ack_bound),
                )
            )
            .where(
                # each branch one range of (remind_on, due) or (remind_on, ack_due)
                or_(
                    remind_on <= today,
                    and_(remind_on.is_(None), col(r.due) <= due_bound),
                    and_(remind_on.is_(None), verified, col(r.ack_due) <= ack_bound),
                )
            )
            .order_by(binding, col(r.reference))
            .limit(limit)
        )
        with Session(self.engine) as s:
            rows: Sequence[Any] = s.execute(q).all()
        return [
            Candidate(ref, RequestStatus(st), due, ack, rec, who, nxt)
            for ref, st, due, ack, rec, who, nxt in rows
        ]

    def open_by_due(
        self, limit: int = 50, overdue_on: date | None = None
    ) -> tuple[list[Candidate], int]:
        """Open verified requests by binding due date (the first `limit`) and how many in all;
        with `overdue_on`, only those due before that day."""
        r = RequestRow
        binding = _binding_due()
        base = select(r.reference).where(col(r.status).in_([str(x) for x in REMINDER_STATUSES]))
        if overdue_on is not None:
            base = base.where(col(r.due) < overdue_on).where(binding < overdue_on)
        q = (
            sa_select(
                *map(col, (r.reference, r.status)),
                binding,
                *map(col, (r.ack_due, r.received_on, r.assignee, r.type, r.jurisdiction)),
            )
            .where(col(r.reference).in_(base))
            .order_by(binding, col(r.id))
            .limit(limit)
        )
        with Session(self.engine) as s:
            total = s.exec(select(func.count()).select_from(base.subquery())).one()
            rows: Sequence[Any] = s.execute(q).all()
        found = [
            Candidate(ref, RequestStatus(st), due, ack, rec, who, None, typ, jur)
            for ref, st, due, ack, rec, who, typ, jur in rows
        ]
        return found, int(total)

    def set_next(self, nexts: dict[str, date]) -> None:
        """Store each request's next reminder day."""
        if not nexts:
            return
        rows = [{"ref": k, "day": v} for k, v in nexts.items()]
        stmt = (
            update(RequestRow)
            .where(col(RequestRow.reference) == bindparam("ref"))
            .values(remind_on=bindparam("day"))
        )
        with self.engine.begin() as conn:
            for i in range(0, len(rows), _BATCH):
                conn.execute(stmt, rows[i : i + _BATCH])

    # --- claims ---------------------------------------------------------------------------
    def claim(
        self, keys: Sequence[ClaimKey], owner: str, now: datetime, stale: timedelta
    ) -> tuple[set[ClaimKey], set[ClaimKey]]:
        """Claim `keys` for `owner`: (claimed now, already sent by someone). The rest are in
        flight at another instance. `owner` must be unique per sweep."""
        if not keys:
            return set(), set()
        at = to_db(now)
        rows = [
            {
                "reference": k.reference,
                "key": k.key,
                "for_due": k.for_due,
                "claimed_by": owner,
                "claimed_at": at,
            }
            for k in keys
        ]
        with Session(self.engine) as s:
            s.exec(self._insert(ReminderClaimRow).on_conflict_do_nothing(), params=rows)
            s.commit()
            mine, sent, stale_ones = self._sort_claims(s, keys, owner, now - stale)
            c = ReminderClaimRow
            for k in stale_ones:  # an instance died between claim and post: take it over
                taken = s.exec(
                    update(c)
                    .where(_is_key(k))
                    .where(col(c.sent_at).is_(None))
                    .where(col(c.claimed_at) < to_db(now - stale))
                    .values(claimed_by=owner, claimed_at=at)
                )
                if taken.rowcount == 1:
                    mine.add(k)
            s.commit()
        return mine, sent

    @staticmethod
    def _sort_claims(
        s: Session, keys: Sequence[ClaimKey], owner: str, stale_before: datetime
    ) -> tuple[set[ClaimKey], set[ClaimKey], list[ClaimKey]]:
        """The claims of `keys` as stored: (`owner`'s, sent, stale at another owner)."""
        c = ReminderClaimRow
        wanted = set(keys)
        mine: set[ClaimKey] = set()
        sent: set[ClaimKey] = set()
        stale_ones: list[ClaimKey] = []
        refs = sorted({k.reference for k in keys})
        columns = map(col, (c.reference, c.key, c.for_due, c.claimed_by, c.claimed_at, c.sent_at))
        q = sa_select(*columns)
        for i in range(0, len(refs), _BATCH):
            batch = refs[i : i + _BATCH]
            found: Sequence[Any] = s.execute(q.where(col(c.reference).in_(batch))).all()
            for ref, key, for_due, by, claimed_at, sent_at in found:
                k = ClaimKey(ref, key, for_due)
                if k not in wanted:
                    continue
                if sent_at is not None:
                    sent.add(k)
                elif by == owner:
                    mine.add(k)
                elif to_db(claimed_at) < to_db(stale_before):
                    stale_ones.append(k)
        return mine, sent, stale_ones

    def mark_sent(self, key: ClaimKey, owner: str, ts: str | None, now: datetime) -> None:
        c = ReminderClaimRow
        with Session(self.engine) as s:
            s.exec(
                update(c)
                .where(_is_key(key))
                .where(col(c.claimed_by) == owner)
                .values(sent_at=to_db(now), ts=ts)
            )
            s.commit()

    def release(self, key: ClaimKey, owner: str) -> None:
        """Give a claim back after a failed post, so a later sweep sends it."""
        c = ReminderClaimRow
        with Session(self.engine) as s:
            s.exec(
                delete(c)
                .where(_is_key(key))
                .where(col(c.claimed_by) == owner)
                .where(col(c.sent_at).is_(None))
            )
            s.commit()

    def sent_claims(self, reference: str | None = None) -> list[tuple[str, str, date]]:
        """(reference, key, for_due) of every sent reminder, in sending order."""
        c = ReminderClaimRow
        q = sa_select(col(c.reference), col(c.key), col(c.for_due)).where(
            col(c.sent_at).is_not(None)
        )
        if reference is not None:
            q = q.where(col(c.reference) == reference)
        with Session(self.engine) as s:
            return [(a, b, d) for a, b, d in s.execute(q.order_by(col(c.id))).all()]


def _is_key(k: ClaimKey) -> Any:
    c = ReminderClaimRow
    return and_(col(c.reference) == k.reference, col(c.key) == k.key, col(c.for_due) == k.for_due)
