"""Topic memory in the database (SQLite, and PostgreSQL when configured): one row per user,
replaced by each answer, gone with the profile and purged with the flows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from privbot.bootstrap import build_repository
from privbot.config import load_settings
from privbot.core import choices as ch
from privbot.core.model import UserKey
from privbot.core.topics import Topic

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
USER = UserKey("telegram", "1001")


def test_topic_saved_replaced_forgotten_and_purged(db_overrides: dict[str, Any]) -> None:
    repo = build_repository(load_settings(**db_overrides))
    repo.save_topic(USER, Topic(ch.section("1"), NOW))
    repo.save_topic(USER, Topic(ch.section("5"), NOW + timedelta(minutes=1)))
    assert repo.get_topic(USER) == Topic(ch.section("5"), NOW + timedelta(minutes=1))
    repo.delete_user(USER)
    assert repo.get_topic(USER) is None
    other = UserKey("telegram", "1002")
    repo.save_topic(other, Topic(ch.intent("my_requests"), NOW))
    repo.purge(NOW - timedelta(hours=1), NOW - timedelta(days=1))
    assert repo.get_topic(other) is not None  # newer than the cut-off
    repo.purge(NOW + timedelta(hours=1), NOW - timedelta(days=1))
    assert repo.get_topic(other) is None
    repo.engine.dispose()
