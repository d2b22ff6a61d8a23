"""Topic memory: one row per user, the id of what they asked about last and when, and (with
the inbox on) that question redacted, until the inbox sweep clears it."""

from __future__ import annotations

import json

from sqlalchemy import delete

from privbot.adapters.persistence.orm import Session, select
from privbot.adapters.persistence.sql import insert
from privbot.adapters.persistence.tables import TopicRow, from_db, owned_by, to_db
from privbot.core.inbox import Question
from privbot.core.model import UserKey
from privbot.core.topics import Topic


def get(s: Session, key: UserKey) -> Topic | None:
    row = s.exec(select(TopicRow).where(*owned_by(TopicRow, key))).first()
    if row is None:
        return None
    return Topic(row.topic, from_db(row.updated_at), read_question(row.question))


def save(s: Session, key: UserKey, topic: Topic) -> None:
    """Insert or replace (one statement: two instances may answer the same user)."""
    question = json.dumps(topic.question.to_json()) if topic.question else None
    values = {"topic": topic.value, "updated_at": to_db(topic.at), "question": question}
    stmt = insert(s, TopicRow).values(channel=key.channel, external_id=key.external_id, **values)
    s.exec(stmt.on_conflict_do_update(index_elements=["channel", "external_id"], set_=values))


def discard(s: Session, key: UserKey) -> None:
    s.exec(delete(TopicRow).where(*owned_by(TopicRow, key)))


def read_question(raw: str | None) -> Question | None:
    if not raw:
        return None
    try:
        return Question.from_json(json.loads(raw))
    except (KeyError, ValueError, TypeError):
        return None  # unreadable: as if none
