"""A unit of work is one transaction on one connection (SQLite, and PostgreSQL when
configured): left without commit() everything is undone, committed everything stays, whatever
its calls and their order, and all of them hold one connection."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from privbot.bootstrap import build_repository
from privbot.config import load_settings
from privbot.core import choices as ch
from privbot.core.model import Language, UserKey
from privbot.core.records import UserProfile
from privbot.core.topics import Topic
from privbot.services.ports import UnitOfWork

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
USER = UserKey("telegram", "31")


def _topic_first(uow: UnitOfWork) -> None:
    uow.save_topic(USER, Topic(ch.section("3"), NOW))
    uow.save_flow(USER, {"step": "email"}, NOW)
    uow.save_user(UserProfile(USER, Language.FR), NOW)


def _flow_first(uow: UnitOfWork) -> None:
    uow.save_flow(USER, {"step": "email"}, NOW)
    uow.save_topic(USER, Topic(ch.section("3"), NOW))
    uow.save_user(UserProfile(USER, Language.FR), NOW)


@pytest.mark.parametrize("calls", [_topic_first, _flow_first])
def test_calls_are_one_transaction(db_overrides: dict[str, Any], calls: Any) -> None:
    repo = build_repository(load_settings(**db_overrides))
    with repo.unit_of_work() as uow:
        calls(uow)
        assert uow.user_rows(USER).flow is not None  # each call sees the ones before it
    assert repo.user_rows(USER) == repo.user_rows(UserKey("telegram", "none"))  # all undone
    with repo.unit_of_work() as uow:
        calls(uow)
        uow.commit()
    rows = repo.user_rows(USER)
    assert rows.profile is not None and rows.flow is not None and rows.topic is not None
    repo.engine.dispose()


def test_a_unit_of_work_holds_one_connection(db_overrides: dict[str, Any]) -> None:
    repo = build_repository(load_settings(**db_overrides))
    checkouts: list[object] = []

    def checked_out(dbapi_connection: object, *_: Any) -> None:
        checkouts.append(dbapi_connection)

    event.listen(repo.engine, "checkout", checked_out)
    try:
        with repo.unit_of_work() as uow:
            uow.get_user(USER)
            uow.save_user(UserProfile(USER, Language.EN), NOW)
            uow.save_topic(USER, Topic(ch.section("2"), NOW))
            uow.save_flow(USER, {"step": "type"}, NOW)
            uow.commit()
    finally:
        event.remove(repo.engine, "checkout", checked_out)
    assert len(checkouts) == 1 and repo.get_user(USER) is not None
    repo.engine.dispose()
