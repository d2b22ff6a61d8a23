"""A unit of work is one transaction whatever its calls run on (SQLite, and PostgreSQL when
configured): Core calls on its connection, ORM calls in a session that takes the same
transaction over; left without commit() everything is undone, committed everything stays, in
either order, and a message's writes (Core alone) hold one connection and no session."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from privbot.adapters.persistence.orm import Session
from privbot.bootstrap import build_repository
from privbot.config import load_settings
from privbot.core import choices as ch
from privbot.core.model import Language, UserKey
from privbot.core.records import UserProfile
from privbot.core.topics import Topic
from privbot.services.ports import UnitOfWork

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
USER = UserKey("telegram", "31")


def _core_then_orm(uow: UnitOfWork) -> None:
    uow.save_topic(USER, Topic(ch.section("3"), NOW))
    uow.save_flow(USER, {"step": "email"}, NOW)
    uow.save_user(UserProfile(USER, Language.FR), NOW)


def _orm_then_core(uow: UnitOfWork) -> None:
    uow.save_flow(USER, {"step": "email"}, NOW)
    uow.save_topic(USER, Topic(ch.section("3"), NOW))
    uow.save_user(UserProfile(USER, Language.FR), NOW)


@pytest.mark.parametrize("calls", [_core_then_orm, _orm_then_core])
def test_core_and_orm_calls_are_one_transaction(db_overrides: dict[str, Any], calls: Any) -> None:
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


def test_core_calls_alone_open_no_session(db_overrides: dict[str, Any]) -> None:
    repo = build_repository(load_settings(**db_overrides))
    sessions: list[Session] = []

    def began(session: Session, *_: Any) -> None:
        sessions.append(session)

    event.listen(Session, "after_begin", began)
    try:
        with repo.unit_of_work() as uow:
            uow.get_user(USER)
            uow.save_user(UserProfile(USER, Language.EN), NOW)
            uow.save_topic(USER, Topic(ch.section("2"), NOW))
            uow.commit()
        with repo.unit_of_work() as uow:
            uow.save_flow(USER, {"step": "type"}, NOW)  # an ORM call: a session, as a check
    finally:
        event.remove(Session, "after_begin", began)
    assert len(sessions) == 1 and repo.get_user(USER) is not None
    repo.engine.dispose()
