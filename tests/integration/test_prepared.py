"""Statements run on the DBAPI cursor (`persistence.sql.Prepared`, SQLite and PostgreSQL when
configured) behave as `Connection.execute` runs them: in the connection's transaction (a
unit of work whose only statement is one of them commits it, or rolls it back), their values
typed both ways as SQLAlchemy types them, a failure raised as SQLAlchemy's error without its
parameters, and the connection's statement listeners told (a SQLite file's writer turns)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.exc import IntegrityError

from privbot.adapters.persistence.sql import Prepared
from privbot.adapters.persistence.tables import users
from privbot.bootstrap import build_repository
from privbot.config import load_settings
from privbot.core import choices as ch
from privbot.core.model import UserKey
from privbot.core.topics import Topic

NOW = datetime(2026, 3, 2, 10, 0, 0, 250000, tzinfo=UTC)
USER = UserKey("telegram", "4242")
_c = users.c
_ADD = Prepared(
    insert(users).values(
        channel=bindparam("channel"),
        external_id=bindparam("external_id"),
        language_chosen=bindparam("chosen"),
        created_at=bindparam("at"),
    )
)
_GET = Prepared(
    select(_c.language_chosen, _c.created_at.label("at")).where(
        _c.external_id == bindparam("external_id"), _c.channel == "telegram"
    )
)


def test_a_unit_of_work_commits_or_drops_what_they_wrote(db_overrides: dict[str, Any]) -> None:
    repo = build_repository(load_settings(**db_overrides))
    with repo.unit_of_work() as uow:
        uow.save_topic(USER, Topic(ch.section("5"), NOW))  # its only statement
    assert repo.get_topic(USER) is None  # not committed: rolled back
    with repo.unit_of_work() as uow:
        uow.save_topic(USER, Topic(ch.section("5"), NOW))
        uow.commit()
    assert repo.get_topic(USER) == Topic(ch.section("5"), NOW)
    repo.engine.dispose()


def test_values_are_typed_as_sqlalchemy_types_them(db_overrides: dict[str, Any]) -> None:
    repo = build_repository(load_settings(**db_overrides))
    seen: list[str] = []

    def statement(_conn: Any, _cursor: Any, text: str, *_: Any) -> None:
        seen.append(text.split()[0])

    event.listen(repo.engine, "before_cursor_execute", statement)
    with repo.engine.begin() as c:
        _ADD.execute(c, {"channel": "telegram", "external_id": "1", "chosen": True, "at": NOW})
    event.remove(repo.engine, "before_cursor_execute", statement)
    assert seen == ["INSERT"]
    with repo.engine.connect() as c:
        ours = _GET.first(c, {"external_id": "1"})
        theirs = c.execute(select(_c.language_chosen, _c.created_at), {}).one()
        assert _GET.first(c, {"external_id": "2"}) is None
    assert (ours.language_chosen, ours.at) == tuple(theirs) == (True, NOW)
    repo.engine.dispose()


def test_a_failure_is_sqlalchemys_error_without_its_values(db_overrides: dict[str, Any]) -> None:
    repo = build_repository(load_settings(**db_overrides))
    values = {"channel": "telegram", "external_id": "secret-id-77", "chosen": False, "at": NOW}
    with repo.engine.begin() as c:
        _ADD.execute(c, values)
    with repo.engine.connect() as c, pytest.raises(IntegrityError) as failed:
        _ADD.execute(c, values)
    assert "parameters" not in str(failed.value)  # as under the engine's hide_parameters
    with repo.engine.connect() as c:  # the pool's connections still serve
        assert _GET.first(c, {"external_id": "secret-id-77"}) is not None
    repo.engine.dispose()
