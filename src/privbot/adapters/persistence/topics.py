"""Topic memory: one row per user, the id of what they asked about last and when, and (with
the inbox on) that question redacted, until the inbox sweep clears it."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from privbot.adapters.persistence.sql import Prepared, upsert
from privbot.adapters.persistence.tables import (
    conversation_topics,
    from_db,
    owned_by,
    owned_by_owner,
    owner,
    to_db,
)
from privbot.core.inbox import Question
from privbot.core.model import UserKey
from privbot.core.topics import Topic

# Read and written for most messages: built once (`sql.upsert` for the write).
_TABLE = conversation_topics
_GET = select(_TABLE.c.topic, _TABLE.c.updated_at, _TABLE.c.question).where(*owned_by_owner(_TABLE))
_KEYS = ("channel", "external_id")
_CHANGED = ("topic", "updated_at", "question")
_SAVE = Prepared(lambda dialect: upsert(dialect, _TABLE, _KEYS, _CHANGED))


def get(s: Connection, key: UserKey) -> Topic | None:
    row = s.execute(_GET, owner(key)).first()
    return topic_of(row.topic, row.updated_at, row.question) if row is not None else None


def topic_of(topic: str, updated_at: datetime, question: str | None) -> Topic:
    return Topic(topic, from_db(updated_at), read_question(question))


def save(s: Connection, key: UserKey, topic: Topic) -> None:
    """Insert or replace (one statement: two instances may answer the same user)."""
    question = json.dumps(topic.question.to_json()) if topic.question else None
    values = {"topic": topic.value, "updated_at": to_db(topic.at), "question": question}
    _SAVE.execute(s, owner(key) | values).close()


def discard(s: Connection, key: UserKey) -> None:
    s.execute(delete(_TABLE).where(*owned_by(_TABLE, key)))


def read_question(raw: str | None) -> Question | None:
    if not raw:
        return None
    try:
        return Question.from_json(json.loads(raw))
    except (KeyError, ValueError, TypeError):
        return None  # unreadable: as if none
