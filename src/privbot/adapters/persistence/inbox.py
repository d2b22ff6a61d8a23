"""The unanswered-questions inbox (`core.inbox`): captured questions (redacted, a day, no
user), the daily question counts, the sweep of questions left in topic memory, the purge."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from privbot.adapters.persistence import sql
from privbot.adapters.persistence.sql import rowcount
from privbot.adapters.persistence.tables import conversation_topics, inbox_entries, question_counts
from privbot.adapters.persistence.topics import read_question
from privbot.core.inbox import Entry, Outcome, guesses_from_json, guesses_json
from privbot.core.model import Language

_e, _n, _t = inbox_entries.c, question_counts.c, conversation_topics.c


def add(s: Connection, entry: Entry) -> None:
    s.execute(
        insert(inbox_entries).values(
            text=entry.text,
            language=str(entry.language),
            outcome=str(entry.outcome),
            guesses_json=json.dumps(guesses_json(entry.guesses)),
            day=entry.day,
        )
    )


def count(s: Connection, day: date, kind: str, n: int = 1) -> None:
    """`n` more questions of `kind` on `day` (one statement: instances count together)."""
    stmt = sql.insert(s, question_counts).values(day=day, kind=kind, count=n)
    s.execute(
        stmt.on_conflict_do_update(index_elements=["day", "kind"], set_={"count": _n.count + n})
    )


def entries(s: Connection, since: date | None = None) -> list[Entry]:
    q = select(inbox_entries).order_by(_e.day, _e.id)
    if since is not None:
        q = q.where(_e.day >= since)
    return [
        Entry(
            r.text,
            Language(r.language),
            Outcome(r.outcome),
            guesses_from_json(json.loads(r.guesses_json)),
            r.day,
            r.id,
        )
        for r in s.execute(q).all()
    ]


def forget(s: Connection, ids: list[int]) -> int:
    """Delete the entries `ids` (a group just taught)."""
    return rowcount(s.execute(delete(inbox_entries).where(_e.id.in_(ids))))


def counts(s: Connection, since: date, until: date | None = None) -> dict[str, int]:
    """Questions by outcome kind from `since` (included) to `until` (excluded)."""
    out: dict[str, int] = {}
    q = select(_n.kind, _n.count).where(_n.day >= since)
    if until is not None:
        q = q.where(_n.day < until)
    for kind, n in s.execute(q).all():
        out[kind] = out.get(kind, 0) + n
    return out


def sweep(s: Connection, now: datetime) -> int:
    """Clear the questions kept in topic memory that have expired: an unanswered "did you
    mean" becomes an unresolved entry (once: the row is cleared only if unchanged), an
    answered question is forgotten. The number of entries added."""
    added = 0
    rows = s.execute(select(_t.id, _t.question).where(_t.question.is_not(None))).all()
    for row in rows:
        asked = read_question(row.question)
        if asked is not None and not asked.expired(now):
            continue
        cleared = s.execute(
            update(conversation_topics)
            .where(_t.id == row.id, _t.question == row.question)
            .values(question=None)
        )
        if rowcount(cleared) == 1 and asked is not None and asked.unresolved_by(None):
            add(s, asked.entry(Outcome.UNRESOLVED))
            added += 1
    return added


def purge(s: Connection, before: date) -> int:
    """Delete entries and counts of days before `before`."""
    s.execute(delete(question_counts).where(_n.day < before))
    return rowcount(s.execute(delete(inbox_entries).where(_e.day < before)))
