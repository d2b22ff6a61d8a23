"""Slack event ids already handled, to drop Slack's retried deliveries (by any instance)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError

from privbot.adapters.persistence.orm import Session, col, select
from privbot.adapters.persistence.sql import EngineStore
from privbot.adapters.persistence.tables import SeenEventRow, to_db


class SlackEvents(EngineStore):
    def first_delivery(self, event_id: str, now: datetime) -> bool:
        """True the first time `event_id` is seen (by any instance)."""
        with Session(self.engine) as s:
            s.add(SeenEventRow(event_id=event_id[:64], seen_at=to_db(now)))
            try:
                s.commit()
                return True
            except IntegrityError:
                s.rollback()
                return False

    def forget_events(self, before: datetime) -> int:
        """Delete the ids of events seen before `before`; how many went."""
        with Session(self.engine) as s:
            gone = s.exec(delete(SeenEventRow).where(col(SeenEventRow.seen_at) < to_db(before)))
            s.commit()
            return int(gone.rowcount or 0)

    def seen_events(self) -> int:
        with Session(self.engine) as s:
            return int(s.exec(select(func.count()).select_from(SeenEventRow)).one())
