"""Each request's message in the staff channel: the post claim (`slack_posts`: the instance
that inserts the row posts, then stores the message ts) and what the message last showed
(`slack_renders`), so a change made anywhere (a user's cancellation on Telegram, another
instance) and the daily "days left" reach the message, and an unchanged one is never updated.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from privbot.adapters.persistence.sql import EngineStore
from privbot.adapters.persistence.tables import requests, slack_posts, slack_renders, to_db
from privbot.core.reminders import REMINDER_STATUSES

_r, _p = requests.c, slack_posts.c


class SlackMessages(EngineStore):
    # --- posts of requests ----------------------------------------------------------------
    def unposted(self, limit: int = 50) -> list[str]:
        """Verified open requests that have no Slack message yet, oldest first (those claimed
        but never posted too: `claim_post` takes them over once the claim is stale)."""
        with self.engine.connect() as s:
            q = (
                select(_r.reference)
                .outerjoin(slack_posts, _p.reference == _r.reference)
                .where(_p.ts.is_(None))
                .where(_r.status.in_([str(x) for x in REMINDER_STATUSES]))
                .order_by(_r.id)
                .limit(limit)
            )
            return list(s.execute(q).scalars())

    def claim_post(
        self, reference: str, channel: str, owner: str, now: datetime, stale: timedelta
    ) -> bool:
        """True if this caller now owns posting `reference` (new claim or a stale one)."""
        with self.engine.connect() as s:
            claim = insert(slack_posts).values(
                reference=reference, channel=channel, claimed_by=owner, claimed_at=to_db(now)
            )
            try:
                s.execute(claim)
                s.commit()
                return True
            except IntegrityError:
                s.rollback()
            taken = s.execute(
                update(slack_posts)
                .where(_p.reference == reference)
                .where(_p.ts.is_(None))
                .where(_p.claimed_at < to_db(now - stale))
                .values(claimed_by=owner, claimed_at=to_db(now))
            )
            s.commit()
            return bool(taken.rowcount == 1)

    def posted(self, reference: str, owner: str, ts: str, now: datetime) -> None:
        with self.engine.connect() as s:
            s.execute(
                update(slack_posts)
                .where(_p.reference == reference)
                .where(_p.claimed_by == owner)
                .values(ts=ts, posted_at=to_db(now))
            )
            s.commit()

    def release_post(self, reference: str, owner: str) -> None:
        with self.engine.connect() as s:
            s.execute(
                delete(slack_posts)
                .where(_p.reference == reference)
                .where(_p.claimed_by == owner)
                .where(_p.ts.is_(None))
            )
            s.commit()

    def thread_of(self, reference: str) -> tuple[str, str] | None:
        """(channel, ts) of the request's message, once posted."""
        with self.engine.connect() as s:
            row = s.execute(select(_p.channel, _p.ts).where(_p.reference == reference)).first()
            return (row.channel, row.ts) if row is not None and row.ts else None

    def threads_of(self, references: Iterable[str]) -> dict[str, tuple[str, str]]:
        refs = list(references)
        if not refs:
            return {}
        with self.engine.connect() as s:
            rows = s.execute(
                select(slack_posts).where(_p.reference.in_(refs)).where(_p.ts.is_not(None))
            ).all()
            return {r.reference: (r.channel, r.ts) for r in rows if r.ts}

    def posts_in_flight(self, references: Iterable[str]) -> set[str]:
        """Those of `references` whose message an instance has claimed but not yet posted."""
        refs = list(references)
        if not refs:
            return set()
        with self.engine.connect() as s:
            rows = s.execute(
                select(_p.reference).where(_p.reference.in_(refs)).where(_p.ts.is_(None))
            ).scalars()
            return set(rows)

    # --- keeping messages current ---------------------------------------------------------
    def stale_messages(self, today: date, limit: int = 50) -> list[tuple[str, Any]]:
        """(reference, requests.updated_at) of posted messages that may show something old:
        never rendered here, their request changed since, or (open ones) rendered before
        `today`. Changed requests first."""
        r, p, x = _r, _p, slack_renders.c
        changed = or_(
            x.reference.is_(None),
            x.request_updated_at.is_(None),
            x.request_updated_at != r.updated_at,
        )
        open_ = r.status.in_([str(st) for st in REMINDER_STATUSES])
        q = (
            select(r.reference, r.updated_at)
            .join(slack_posts, p.reference == r.reference)
            .outerjoin(slack_renders, x.reference == r.reference)
            .where(p.ts.is_not(None))
            .where(or_(changed, and_(open_, x.rendered_on < today)))
            .order_by(case((changed, 0), else_=1), r.id)
            .limit(limit)
        )
        with self.engine.connect() as s:
            return [(ref, upd) for ref, upd in s.execute(q).all()]

    def render_digest(self, reference: str) -> str | None:
        with self.engine.connect() as s:
            x = slack_renders.c
            digest = s.execute(select(x.digest).where(x.reference == reference)).scalar()
            return str(digest) if digest is not None else None

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
        with self.engine.connect() as s:
            stmt = self._insert(slack_renders).values(**values)
            stmt = stmt.on_conflict_do_update(
                index_elements=["reference"],
                set_={k: v for k, v in values.items() if k != "reference"},
            )
            s.execute(stmt)
            s.commit()
