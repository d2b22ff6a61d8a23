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

from sqlalchemy import and_, bindparam, case, delete, func, or_, select, update
from sqlalchemy.engine import Connection

from privbot.adapters.persistence.sql import EngineStore
from privbot.adapters.persistence.tables import reminder_claims, requests, to_db
from privbot.core.reminders import REMINDER_STATUSES, Candidate, ClaimKey, window
from privbot.core.requests import RequestStatus

_BATCH = 500


def _binding_due() -> Any:
    """The due date that binds: the extended one once extended, else the original."""
    r = requests.c
    return case(
        (and_(r.extended, r.extended_due.is_not(None)), r.extended_due),
        else_=r.due,
    )


class ReminderClaims(EngineStore):
    # --- reminder candidates --------------------------------------------------------------
    def candidates(self, today: date, limit: int | None = None) -> list[Candidate]:
        """Requests with a reminder point reached by `today` whose next reminder day says look
        now: the day has come, or no sweep has looked at them yet (inside the window). The
        first `limit` by binding due date when given (the most urgent)."""
        due_bound, ack_bound = window(today)
        r = requests.c
        binding = _binding_due()
        remind_on = r.remind_on
        # The status is matched as `status || ''`, which no index serves: planners without
        # statistics (SQLite) would otherwise read every open request through the status
        # index instead of the few rows the (remind_on, date) ranges give.
        status = r.status + ""
        verified = status == str(RequestStatus.VERIFIED)
        q = (
            select(
                r.reference,
                r.status,
                binding,
                r.ack_due,
                r.received_on,
                r.assignee,
                r.remind_on,
            )
            .where(status.in_([str(x) for x in REMINDER_STATUSES]))
            .where(
                or_(
                    # the binding date is never before `due`, so `due <= bound` uses an index
                    and_(r.due <= due_bound, binding <= due_bound),
                    and_(verified, r.ack_due <= ack_bound),
                )
            )
            .where(
                # each branch one range of (remind_on, due) or (remind_on, ack_due)
                or_(
                    remind_on <= today,
                    and_(remind_on.is_(None), r.due <= due_bound),
                    and_(remind_on.is_(None), verified, r.ack_due <= ack_bound),
                )
            )
            .order_by(binding, r.reference)
            .limit(limit)
        )
        with self.engine.connect() as s:
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
        r = requests.c
        binding = _binding_due()
        base = select(r.reference).where(r.status.in_([str(x) for x in REMINDER_STATUSES]))
        if overdue_on is not None:
            base = base.where(r.due < overdue_on).where(binding < overdue_on)
        q = (
            select(
                r.reference,
                r.status,
                binding,
                r.ack_due,
                r.received_on,
                r.assignee,
                r.type,
                r.jurisdiction,
            )
            .where(r.reference.in_(base))
            .order_by(binding, r.id)
            .limit(limit)
        )
        with self.engine.connect() as s:
            total = s.execute(select(func.count()).select_from(base.subquery())).scalar_one()
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
            update(requests)
            .where(requests.c.reference == bindparam("ref"))
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
        with self.engine.connect() as s:
            s.execute(self._insert(reminder_claims).on_conflict_do_nothing(), rows)
            s.commit()
            mine, sent, stale_ones = self._sort_claims(s, keys, owner, now - stale)
            c = reminder_claims.c
            for k in stale_ones:  # an instance died between claim and post: take it over
                taken = s.execute(
                    update(reminder_claims)
                    .where(_is_key(k))
                    .where(c.sent_at.is_(None))
                    .where(c.claimed_at < to_db(now - stale))
                    .values(claimed_by=owner, claimed_at=at)
                )
                if taken.rowcount == 1:
                    mine.add(k)
            s.commit()
        return mine, sent

    @staticmethod
    def _sort_claims(
        s: Connection, keys: Sequence[ClaimKey], owner: str, stale_before: datetime
    ) -> tuple[set[ClaimKey], set[ClaimKey], list[ClaimKey]]:
        """The claims of `keys` as stored: (`owner`'s, sent, stale at another owner)."""
        c = reminder_claims.c
        wanted = set(keys)
        mine: set[ClaimKey] = set()
        sent: set[ClaimKey] = set()
        stale_ones: list[ClaimKey] = []
        refs = sorted({k.reference for k in keys})
        columns = (c.reference, c.key, c.for_due, c.claimed_by, c.claimed_at, c.sent_at)
        q = select(*columns)
        for i in range(0, len(refs), _BATCH):
            batch = refs[i : i + _BATCH]
            found: Sequence[Any] = s.execute(q.where(c.reference.in_(batch))).all()
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
        c = reminder_claims.c
        with self.engine.connect() as s:
            s.execute(
                update(reminder_claims)
                .where(_is_key(key))
                .where(c.claimed_by == owner)
                .values(sent_at=to_db(now), ts=ts)
            )
            s.commit()

    def release(self, key: ClaimKey, owner: str) -> None:
        """Give a claim back after a failed post, so a later sweep sends it."""
        c = reminder_claims.c
        with self.engine.connect() as s:
            s.execute(
                delete(reminder_claims)
                .where(_is_key(key))
                .where(c.claimed_by == owner)
                .where(c.sent_at.is_(None))
            )
            s.commit()

    def sent_claims(self, reference: str | None = None) -> list[tuple[str, str, date]]:
        """(reference, key, for_due) of every sent reminder, in sending order."""
        c = reminder_claims.c
        q = select(c.reference, c.key, c.for_due).where(c.sent_at.is_not(None))
        if reference is not None:
            q = q.where(c.reference == reference)
        with self.engine.connect() as s:
            return [(a, b, d) for a, b, d in s.execute(q.order_by(c.id)).all()]


def _is_key(k: ClaimKey) -> Any:
    c = reminder_claims.c
    return and_(c.reference == k.reference, c.key == k.key, c.for_due == k.for_due)
