"""A message's read of its user's rows in one statement (SQLite, and PostgreSQL when
configured) gives what the four reads of its parts give: the profile, the flow row, the topic
(with its kept question) and the open handoff, none of another user's, none of a closed
handoff's, and within a unit of work what it wrote so far."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from privbot.adapters.persistence.repository import SqlRepository
from privbot.bootstrap import build_repository
from privbot.config import load_settings
from privbot.core import choices as ch
from privbot.core.inbox import Question
from privbot.core.model import Jurisdiction, Language, ReplyKind, UserKey
from privbot.core.records import UserProfile
from privbot.core.topics import Topic
from privbot.services.ports import UserRows

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ME, OTHER, BARE = UserKey("telegram", "7"), UserKey("telegram", "8"), UserKey("telegram", "9")


def _apart(repo: SqlRepository, key: UserKey) -> UserRows:
    flow = repo.read_flow(key)
    return UserRows(
        repo.get_user(key),
        repo.load_flow(key),
        repo.get_topic(key),
        repo.handoff_open_of(key),
        flow.token if flow else None,
    )


def test_one_read_gives_what_the_four_reads_give(db_overrides: dict[str, Any]) -> None:
    repo = build_repository(load_settings(**db_overrides))
    asked = Question("cookies?", Language.EN, ReplyKind.CLARIFY, (), NOW, (ch.section("5"),))
    repo.save_user(UserProfile(ME, Language.FR, True, Jurisdiction.EU), NOW)
    repo.save_flow(ME, {"step": "email", "language": "fr"}, NOW)
    repo.save_topic(ME, Topic(ch.section("5"), NOW, asked))
    closed = repo.open_handoff(ME, Language.FR, "user", NOW - timedelta(days=2))
    repo.close_handoff(closed.id, "staff", NOW - timedelta(days=1))
    opened = repo.open_handoff(ME, Language.FR, "user", NOW)
    repo.save_user(UserProfile(OTHER, Language.EN), NOW)
    repo.save_flow(OTHER, {"step": "type"}, NOW)
    repo.save_topic(OTHER, Topic(ch.section("1"), NOW))
    repo.open_handoff(OTHER, Language.EN, "user", NOW)
    only_closed = repo.open_handoff(BARE, Language.EN, "user", NOW)
    repo.close_handoff(only_closed.id, "staff", NOW)

    mine = repo.user_rows(ME)
    assert mine == _apart(repo, ME)
    assert mine.profile is not None and mine.profile.language_chosen
    assert mine.flow == ({"step": "email", "language": "fr"}, NOW)
    assert mine.topic == Topic(ch.section("5"), NOW, asked)
    assert mine.handoff is not None and mine.handoff.id == opened.id
    assert repo.user_rows(OTHER) == _apart(repo, OTHER)
    assert repo.user_rows(BARE) == _apart(repo, BARE) == UserRows(None, None, None, None)
    repo.engine.dispose()


def test_in_a_unit_of_work_it_sees_what_the_work_wrote(db_overrides: dict[str, Any]) -> None:
    repo = build_repository(load_settings(**db_overrides))
    with repo.unit_of_work() as uow:
        uow.save_user(UserProfile(ME, Language.EN), NOW)
        uow.save_topic(ME, Topic(ch.section("2"), NOW))
        seen = uow.user_rows(ME)
        assert seen.profile is not None and seen.topic == Topic(ch.section("2"), NOW)
        assert repo.user_rows(ME) == UserRows(None, None, None, None)  # not committed
    repo.engine.dispose()
