"""Topic memory: one row per user, the id of what they asked about last and when."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, select

from privbot.adapters.persistence.sql import insert
from privbot.adapters.persistence.tables import TopicRow, from_db, owned_by, to_db
from privbot.core.model import UserKey
from privbot.core.topics import Topic


def get(s: Session, key: UserKey) -> Topic | None:
    row = s.exec(select(TopicRow).where(*owned_by(TopicRow, key))).first()
    return Topic(row.topic, from_db(row.updated_at)) if row is not None else None


def save(s: Session, key: UserKey, topic: Topic) -> None:
    """Insert or replace (one statement: two instances may answer the same user)."""
    values = {"topic": topic.value, "updated_at": to_db(topic.at)}
    stmt = insert(s, TopicRow).values(channel=key.channel, external_id=key.external_id, **values)
    s.exec(stmt.on_conflict_do_update(index_elements=["channel", "external_id"], set_=values))


def discard(s: Session, key: UserKey) -> None:
    s.exec(delete(TopicRow).where(*owned_by(TopicRow, key)))
