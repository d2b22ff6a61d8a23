"""Slack event ids already handled, to drop Slack's retried deliveries (by any instance)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from privbot.adapters.persistence.sql import EngineStore
from privbot.adapters.persistence.tables import slack_seen_events, to_db

_SEEN = insert(slack_seen_events)


class SlackEvents(EngineStore):
    def first_delivery(self, event_id: str, now: datetime) -> bool:
        """True the first time `event_id` is seen (by any instance)."""
        with self.engine.connect() as s:
            try:
                s.execute(_SEEN, {"event_id": event_id[:64], "seen_at": to_db(now)})
                s.commit()
                return True
            except IntegrityError:
                s.rollback()
                return False

    def forget_events(self, before: datetime) -> int:
        """Delete the ids of events seen before `before`; how many went."""
        with self.engine.connect() as s:
            seen_at = slack_seen_events.c.seen_at
            gone = s.execute(delete(slack_seen_events).where(seen_at < to_db(before)))
            s.commit()
            return int(gone.rowcount or 0)

    def seen_events(self) -> int:
        with self.engine.connect() as s:
            return int(s.execute(select(func.count()).select_from(slack_seen_events)).scalar_one())
