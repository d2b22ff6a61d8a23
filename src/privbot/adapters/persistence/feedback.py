"""👍 / 👎 votes on policy answers: stored once per answer token, counted per intent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from privbot.adapters.persistence.sql import EngineStore, insert
from privbot.adapters.persistence.tables import answer_feedback, to_db
from privbot.core.feedback import FeedbackCount, RecordFeedback

_c = answer_feedback.c


def record(s: Connection, vote: RecordFeedback, now: datetime) -> bool:
    """Store the vote unless its token already voted (one statement: two instances, or a
    replayed button, cannot count it twice); True when stored."""
    values = {
        "token": vote.token,
        "section": vote.section,
        "intent": vote.intent,
        "positive": vote.positive,
        "created_at": to_db(now),
    }
    stmt = (
        insert(s, answer_feedback)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["token"])
        .returning(_c.id)
    )
    return s.execute(stmt).first() is not None


def counts(s: Connection, since: datetime | None = None) -> list[FeedbackCount]:
    """The votes per answer (intent, or section without one), most 👎 first."""
    up = func.sum(case((_c.positive, 1), else_=0))
    down = func.sum(case((_c.positive, 0), else_=1))
    query = select(_c.section, _c.intent, up, down).group_by(_c.section, _c.intent)
    if since is not None:
        query = query.where(_c.created_at >= to_db(since))
    rows = [
        FeedbackCount(section, intent, int(u), int(d)) for section, intent, u, d in s.execute(query)
    ]
    return sorted(rows, key=lambda c: (-c.down, -c.up, c.label))


class FeedbackStore(EngineStore):
    """The counts, for the staff digest and `privbot intents eval --report`."""

    def feedback_counts(self, since: datetime | None = None) -> list[FeedbackCount]:
        with self.engine.connect() as c:
            return counts(c, since)
