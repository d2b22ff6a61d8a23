"""The unanswered-questions inbox (`core.inbox`): captured questions (redacted, a day, no
user), the daily question counts, the sweep of questions left in topic memory, the purge."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import delete, update

from privbot.adapters.persistence.orm import Session, col, select
from privbot.adapters.persistence.sql import insert, rowcount
from privbot.adapters.persistence.tables import InboxRow, QuestionCountRow, TopicRow
from privbot.adapters.persistence.topics import read_question
from privbot.core.inbox import Entry, Outcome, guesses_from_json, guesses_json
from privbot.core.model import Language


def add(s: Session, entry: Entry) -> None:
    s.add(
        InboxRow(
            text=entry.text,
            language=str(entry.language),
            outcome=str(entry.outcome),
            guesses_json=json.dumps(guesses_json(entry.guesses)),
            day=entry.day,
        )
    )


def count(s: Session, day: date, kind: str, n: int = 1) -> None:
    """`n` more questions of `kind` on `day` (one statement: instances count together)."""
    stmt = insert(s, QuestionCountRow).values(day=day, kind=kind, count=n)
    s.exec(
        stmt.on_conflict_do_update(
            index_elements=["day", "kind"], set_={"count": QuestionCountRow.count + n}
        )
    )


def entries(s: Session, since: date | None = None) -> list[Entry]:
    q = select(InboxRow).order_by(col(InboxRow.day), col(InboxRow.id))
    if since is not None:
        q = q.where(col(InboxRow.day) >= since)
    return [
        Entry(
            r.text,
            Language(r.language),
            Outcome(r.outcome),
            guesses_from_json(json.loads(r.guesses_json)),
            r.day,
            r.id,
        )
        for r in s.exec(q).all()
    ]


def forget(s: Session, ids: list[int]) -> int:
    """Delete the entries `ids` (a group just taught)."""
    return rowcount(s.exec(delete(InboxRow).where(col(InboxRow.id).in_(ids))))


def counts(s: Session, since: date, until: date | None = None) -> dict[str, int]:
    """Questions by outcome kind from `since` (included) to `until` (excluded)."""
    out: dict[str, int] = {}
    q = select(QuestionCountRow).where(col(QuestionCountRow.day) >= since)
    if until is not None:
        q = q.where(col(QuestionCountRow.day) < until)
    for r in s.exec(q).all():
        out[r.kind] = out.get(r.kind, 0) + r.count
    return out


def sweep(s: Session, now: datetime) -> int:
    """Clear the questions kept in topic memory that have expired: an unanswered "did you
    mean" becomes an unresolved entry (once: the row is cleared only if unchanged), an
    answered question is forgotten. The number of entries added."""
    added = 0
    rows = s.exec(select(TopicRow).where(col(TopicRow.question).is_not(None))).all()
    for row in rows:
        asked = read_question(row.question)
        if asked is not None and not asked.expired(now):
            continue
        cleared = s.exec(
            update(TopicRow)
            .where(col(TopicRow.id) == row.id, col(TopicRow.question) == row.question)
            .values(question=None)
        )
        if rowcount(cleared) == 1 and asked is not None and asked.unresolved_by(None):
            add(s, asked.entry(Outcome.UNRESOLVED))
            added += 1
    return added


def purge(s: Session, before: date) -> int:
    """Delete entries and counts of days before `before`."""
    s.exec(delete(QuestionCountRow).where(col(QuestionCountRow.day) < before))
    return rowcount(s.exec(delete(InboxRow).where(col(InboxRow.day) < before)))
