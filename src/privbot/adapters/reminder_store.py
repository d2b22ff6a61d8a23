"""The database side of Slack posting and reminders: claims that make each send happen once.

Three tables beside the others (same metadata, created by `create_tables`):

- `slack_posts`: one row per request posted to the staff channel. The row is the claim: the
  instance that inserts it posts, then stores the message ts (threading, chat.update).
- `reminder_claims`: one row per (request, reminder key, due date) under a unique constraint.
  Inserted before the post, `sent_at` set after it; a failed post deletes the row (retried
  later). A claim left unsent by a crashed instance can be taken over after `stale`.
- `reminder_schedule`: per request, the next day a reminder point is reached, so a sweep
  selects only the requests with something due (indexed date columns, no Python loop over
  every open request).
- `slack_seen_events`: event ids already handled, to drop Slack's retried deliveries (pruned
  daily by the scheduler's housekeeping).
- `slack_renders`: what each request's message last showed (a digest of its text and blocks),
  the request's `updated_at` it was rendered from and the local day it was rendered on, so a
  change made anywhere (a user's cancellation on Telegram, another instance) and the daily
  "days left" reach the message, and an unchanged message is never updated.

Nothing is SQLite-specific: the batch claim is `INSERT ... ON CONFLICT DO NOTHING` (SQLite and
PostgreSQL), followed by reading back which rows carry this sweep's token.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Index, and_, case, delete, func, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from privbot.adapters.db_models import RequestRow
from privbot.core.reminders import REMINDER_STATUSES, Candidate, ClaimKey, window
from privbot.core.requests import RequestStatus


class SlackPostRow(SQLModel, table=True):
    __tablename__ = "slack_posts"

    reference: str = Field(primary_key=True, max_length=16)
    channel: str = Field(max_length=64)
    ts: str | None = Field(default=None, max_length=32)
    claimed_by: str = Field(max_length=64)
    claimed_at: datetime
    posted_at: datetime | None = None


class ReminderClaimRow(SQLModel, table=True):
    __tablename__ = "reminder_claims"
    __table_args__ = (Index("ux_reminder_claim", "reference", "key", "for_due", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=16)
    key: str = Field(max_length=32)
    for_due: date
    claimed_by: str = Field(max_length=64)
    claimed_at: datetime
    sent_at: datetime | None = None
    ts: str | None = Field(default=None, max_length=32)


class ReminderScheduleRow(SQLModel, table=True):
    __tablename__ = "reminder_schedule"

    reference: str = Field(primary_key=True, max_length=16)
    next_on: date = Field(index=True)


class SeenEventRow(SQLModel, table=True):
    __tablename__ = "slack_seen_events"

    event_id: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = Field(index=True)


class SlackRenderRow(SQLModel, table=True):
    __tablename__ = "slack_renders"

    reference: str = Field(primary_key=True, max_length=16)
    digest: str = Field(max_length=64)
    rendered_on: date
    request_updated_at: datetime | None = None  # as read from `requests` (compared as is)
    rendered_at: datetime


_TABLES = [
    SlackPostRow.__table__,  # type: ignore[attr-defined]
    ReminderClaimRow.__table__,  # type: ignore[attr-defined]
    ReminderScheduleRow.__table__,  # type: ignore[attr-defined]
    SeenEventRow.__table__,  # type: ignore[attr-defined]
    SlackRenderRow.__table__,  # type: ignore[attr-defined]
]
# The acknowledgement date is one of the sweep's two date filters; index it like `due`.
_ACK_INDEX = Index("ix_requests_ack_due_reminders", RequestRow.__table__.c.ack_due)  # type: ignore[attr-defined]


def _db(dt: datetime) -> datetime:
    """Aware UTC (sqlmodel's UTCDateTime refuses naive datetimes)."""
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)


class SlackStore:
    """Claims and schedule rows in the shared database (the engine is passed in)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_tables(self) -> None:
        SQLModel.metadata.create_all(self.engine, tables=_TABLES)
        _ACK_INDEX.create(self.engine, checkfirst=True)

    # --- posts of requests ----------------------------------------------------------------
    def unposted(self, limit: int = 50) -> list[str]:
        """Verified open requests that have no Slack message yet, oldest first (those claimed
        but never posted too: `claim_post` takes them over once the claim is stale)."""
        with Session(self.engine) as s:
            q = (
                select(RequestRow.reference)
                .outerjoin(SlackPostRow, col(SlackPostRow.reference) == RequestRow.reference)
                .where(col(SlackPostRow.ts).is_(None))
                .where(col(RequestRow.status).in_([str(x) for x in REMINDER_STATUSES]))
                .order_by(col(RequestRow.id))
                .limit(limit)
            )
            return list(s.exec(q).all())

    def claim_post(
        self, reference: str, channel: str, owner: str, now: datetime, stale: timedelta
    ) -> bool:
        """True if this caller now owns posting `reference` (new claim or a stale one)."""
        with Session(self.engine) as s:
            s.add(
                SlackPostRow(
                    reference=reference, channel=channel, claimed_by=owner, claimed_at=_db(now)
                )
            )
            try:
                s.commit()
                return True
            except IntegrityError:
                s.rollback()
            taken = s.exec(
                update(SlackPostRow)
                .where(col(SlackPostRow.reference) == reference)
                .where(col(SlackPostRow.ts).is_(None))
                .where(col(SlackPostRow.claimed_at) < _db(now - stale))
                .values(claimed_by=owner, claimed_at=_db(now))
            )
            s.commit()
            return bool(taken.rowcount == 1)

    def posted(self, reference: str, owner: str, ts: str, now: datetime) -> None:
        with Session(self.engine) as s:
            s.exec(
                update(SlackPostRow)
                .where(col(SlackPostRow.reference) == reference)
                .where(col(SlackPostRow.claimed_by) == owner)
                .values(ts=ts, posted_at=_db(now))
            )
            s.commit()

    def release_post(self, reference: str, owner: str) -> None:
        with Session(self.engine) as s:
            s.exec(
                delete(SlackPostRow)
                .where(col(SlackPostRow.reference) == reference)
                .where(col(SlackPostRow.claimed_by) == owner)
                .where(col(SlackPostRow.ts).is_(None))
            )
            s.commit()

    def thread_of(self, reference: str) -> tuple[str, str] | None:
        """(channel, ts) of the request's message, once posted."""
        with Session(self.engine) as s:
            row = s.get(SlackPostRow, reference)
            return (row.channel, row.ts) if row is not None and row.ts else None

    def threads_of(self, references: Iterable[str]) -> dict[str, tuple[str, str]]:
        refs = list(references)
        if not refs:
            return {}
        with Session(self.engine) as s:
            rows = s.exec(
                select(SlackPostRow)
                .where(col(SlackPostRow.reference).in_(refs))
                .where(col(SlackPostRow.ts).is_not(None))
            ).all()
            return {r.reference: (r.channel, r.ts) for r in rows if r.ts}

    # --- keeping messages current ---------------------------------------------------------
    def stale_messages(self, today: date, limit: int = 50) -> list[tuple[str, Any]]:
        """(reference, requests.updated_at) of posted messages that may show something old:
        never rendered here, their request changed since, or (open ones) rendered before
        `today`. Changed requests first."""
        r, p, x = RequestRow, SlackPostRow, SlackRenderRow
        changed = or_(
            col(x.reference).is_(None),
            col(x.request_updated_at).is_(None),
            col(x.request_updated_at) != col(r.updated_at),
        )
        open_ = col(r.status).in_([str(st) for st in REMINDER_STATUSES])
        q = (
            sa_select(col(r.reference), col(r.updated_at))
            .join(p, col(p.reference) == col(r.reference))
            .outerjoin(x, col(x.reference) == col(r.reference))
            .where(col(p.ts).is_not(None))
            .where(or_(changed, and_(open_, col(x.rendered_on) < today)))
            .order_by(case((changed, 0), else_=1), col(r.id))
            .limit(limit)
        )
        with Session(self.engine) as s:
            return [(ref, upd) for ref, upd in s.execute(q).all()]

    def render_digest(self, reference: str) -> str | None:
        with Session(self.engine) as s:
            row = s.get(SlackRenderRow, reference)
            return row.digest if row is not None else None

    def rendered(
        self, reference: str, digest: str, on: date, request_updated_at: Any, now: datetime
    ) -> None:
        """Record what the message shows now. `request_updated_at`: the value read by
        `stale_messages` (None when unknown: the next refresh renders again, and updates the
        message only if it differs)."""
        values = {
            "reference": reference,
            "digest": digest,
            "rendered_on": on,
            "request_updated_at": request_updated_at,
            "rendered_at": _db(now),
        }
        with Session(self.engine) as s:
            stmt = self._insert(SlackRenderRow).values(**values)
            stmt = stmt.on_conflict_do_update(
                index_elements=["reference"],
                set_={k: v for k, v in values.items() if k != "reference"},
            )
            s.exec(stmt)
            s.commit()

    # --- reminder candidates --------------------------------------------------------------
    def candidates(self, today: date) -> list[Candidate]:
        """Requests with a reminder point reached by `today` whose schedule says look now."""
        due_bound, ack_bound = window(today)
        r, sch = RequestRow, ReminderScheduleRow
        binding = case(
            (and_(col(r.extended), col(r.extended_due).is_not(None)), col(r.extended_due)),
            else_=col(r.due),
        )
        q = (
            sa_select(
                *map(col, (r.reference, r.status)),
                binding,
                *map(col, (r.ack_due, r.received_on, r.assignee, sch.next_on)),
            )
            .outerjoin(sch, col(sch.reference) == r.reference)
            .where(col(r.status).in_([str(x) for x in REMINDER_STATUSES]))
            .where(
                or_(
                    # the binding date is never before `due`, so `due <= bound` uses its index
                    and_(col(r.due) <= due_bound, binding <= due_bound),
                    and_(
                        col(r.status) == str(RequestStatus.VERIFIED),
                        col(r.ack_due) <= ack_bound,
                    ),
                )
            )
            .where(or_(col(sch.next_on).is_(None), col(sch.next_on) <= today))
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
        binding = case(
            (and_(col(r.extended), col(r.extended_due).is_not(None)), col(r.extended_due)),
            else_=col(r.due),
        )
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
        """Store each request's next reminder day (insert or update)."""
        if not nexts:
            return
        rows = [{"reference": k, "next_on": v} for k, v in nexts.items()]
        with Session(self.engine) as s:
            stmt = self._insert(ReminderScheduleRow)
            stmt = stmt.on_conflict_do_update(
                index_elements=["reference"], set_={"next_on": stmt.excluded.next_on}
            )
            s.exec(stmt, params=rows)
            s.commit()

    # --- reminder claims ------------------------------------------------------------------
    def claim(
        self, keys: Sequence[ClaimKey], owner: str, now: datetime, stale: timedelta
    ) -> tuple[set[ClaimKey], set[ClaimKey]]:
        """Claim `keys` for `owner`: (claimed now, already sent by someone). The rest are in
        flight at another instance. `owner` must be unique per sweep."""
        if not keys:
            return set(), set()
        at = _db(now)
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
        wanted = set(keys)
        mine: set[ClaimKey] = set()
        sent: set[ClaimKey] = set()
        stale_ones: list[ClaimKey] = []
        with Session(self.engine) as s:
            s.exec(self._insert(ReminderClaimRow).on_conflict_do_nothing(), params=rows)
            s.commit()
            c = ReminderClaimRow
            refs = sorted({k.reference for k in keys})
            for i in range(0, len(refs), 500):
                found = s.execute(
                    sa_select(
                        *map(
                            col,
                            (c.reference, c.key, c.for_due, c.claimed_by, c.claimed_at, c.sent_at),
                        )
                    ).where(col(c.reference).in_(refs[i : i + 500]))
                ).all()
                for ref, key, for_due, by, claimed_at, sent_at in found:
                    k = ClaimKey(ref, key, for_due)
                    if k not in wanted:
                        continue
                    if sent_at is not None:
                        sent.add(k)
                    elif by == owner:
                        mine.add(k)
                    elif _db(claimed_at) < _db(now - stale):
                        stale_ones.append(k)
            for k in stale_ones:  # an instance died between claim and post: take it over
                taken = s.exec(
                    update(c)
                    .where(_is_key(k))
                    .where(col(c.sent_at).is_(None))
                    .where(col(c.claimed_at) < _db(now - stale))
                    .values(claimed_by=owner, claimed_at=at)
                )
                if taken.rowcount == 1:
                    mine.add(k)
            s.commit()
        return mine, sent

    def mark_sent(self, key: ClaimKey, owner: str, ts: str | None, now: datetime) -> None:
        with Session(self.engine) as s:
            s.exec(self._claim_update(key, owner).values(sent_at=_db(now), ts=ts))
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

    # --- retried Slack events -------------------------------------------------------------
    def first_delivery(self, event_id: str, now: datetime) -> bool:
        """True the first time `event_id` is seen (by any instance)."""
        with Session(self.engine) as s:
            s.add(SeenEventRow(event_id=event_id[:64], seen_at=_db(now)))
            try:
                s.commit()
                return True
            except IntegrityError:
                s.rollback()
                return False

    def forget_events(self, before: datetime) -> int:
        """Delete the ids of events seen before `before`; how many went."""
        with Session(self.engine) as s:
            gone = s.exec(delete(SeenEventRow).where(col(SeenEventRow.seen_at) < _db(before)))
            s.commit()
            return int(gone.rowcount or 0)

    def seen_events(self) -> int:
        with Session(self.engine) as s:
            return int(s.exec(select(func.count()).select_from(SeenEventRow)).one())

    # --- helpers --------------------------------------------------------------------------
    def _insert(self, model: Any) -> Any:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(model)

    @staticmethod
    def _claim_update(key: ClaimKey, owner: str) -> Any:
        c = ReminderClaimRow
        return update(c).where(_is_key(key)).where(col(c.claimed_by) == owner)


def _is_key(k: ClaimKey) -> Any:
    c = ReminderClaimRow
    return and_(col(c.reference) == k.reference, col(c.key) == k.key, col(c.for_due) == k.for_due)
