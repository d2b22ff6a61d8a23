"""Each request's message in the staff channel: the post claim (`slack_posts`: the instance
that inserts the row posts, then stores the message ts) and what the message last showed
(`slack_renders`), so a change made anywhere (a user's cancellation on Telegram, another
instance) and the daily "days left" reach the message, and an unchanged one is never updated.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError

from privbot.adapters.persistence.orm import Session, col, select
from privbot.adapters.persistence.sql import EngineStore
from privbot.adapters.persistence.tables import RequestRow, SlackPostRow, SlackRenderRow, to_db
from privbot.core.reminders import REMINDER_STATUSES


class SlackMessages(EngineStore):
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
                    reference=reference, channel=channel, claimed_by=owner, claimed_at=to_db(now)
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
                .where(col(SlackPostRow.claimed_at) < to_db(now - stale))
                .values(claimed_by=owner, claimed_at=to_db(now))
            )
            s.commit()
            return bool(taken.rowcount == 1)

    def posted(self, reference: str, owner: str, ts: str, now: datetime) -> None:
        with Session(self.engine) as s:
            s.exec(
                update(SlackPostRow)
                .where(col(SlackPostRow.reference) == reference)
                .where(col(SlackPostRow.claimed_by) == owner)
                .values(ts=ts, posted_at=to_db(now))
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

    def posts_in_flight(self, references: Iterable[str]) -> set[str]:
        """Those of `references` whose message an instance has claimed but not yet posted."""
        refs = list(references)
        if not refs:
            return set()
        with Session(self.engine) as s:
            rows = s.exec(
                select(SlackPostRow.reference)
                .where(col(SlackPostRow.reference).in_(refs))
                .where(col(SlackPostRow.ts).is_(None))
            ).all()
            return set(rows)

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
            "rendered_at": to_db(now),
        }
        with Session(self.engine) as s:
            stmt = self._insert(SlackRenderRow).values(**values)
            stmt = stmt.on_conflict_do_update(
                index_elements=["reference"],
                set_={k: v for k, v in values.items() if k != "reference"},
            )
            s.exec(stmt)
            s.commit()
