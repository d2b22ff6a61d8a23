"""Statements run on the DBAPI cursor (`persistence.sql.Prepared`, SQLite and PostgreSQL when
configured) behave as `Connection.execute` runs them: in the connection's transaction (a
unit of work whose only statement is one of them commits it, or rolls it back), their values
typed both ways as SQLAlchemy types them, a failure raised as SQLAlchemy's error without its
parameters, and the connection's statement listeners told (a SQLite file's writer turns)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    bindparam,
    cast,
    create_engine,
    event,
    insert,
    literal_column,
    select,
    text,
    types,
)
from sqlalchemy.exc import IntegrityError, OperationalError

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


def test_an_error_while_a_row_is_read_is_sqlalchemys(tmp_path: Any) -> None:
    """sqlite3 reads the next row at `fetchone`; an error there (an overflow in the second
    row) is raised as SQLAlchemy's, as `execute(...).first()` raises it."""
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    stmt = select(literal_column("abs(v)").label("a")).select_from(
        text("(SELECT 1 AS v UNION ALL SELECT -9223372036854775808) AS t")
    )
    with engine.connect() as c, pytest.raises(OperationalError):
        Prepared(stmt).first(c, {})
    engine.dispose()


class _NoneStored(types.TypeDecorator[str]):
    """A type that stores something for None (as a JSON type stores 'null')."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str:
        return value if value is not None else "<none>"


def test_none_goes_through_the_type_as_with_execute(tmp_path: Any) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    t = Table("t", MetaData(), Column("k", Integer, primary_key=True), Column("v", _NoneStored))
    t.create(engine)
    stmt = insert(t).values(k=bindparam("k"), v=bindparam("v"))
    with engine.begin() as c:
        c.execute(stmt, {"k": 1, "v": None})
        Prepared(stmt).execute(c, {"k": 2, "v": None}).close()
        stored = {k: v for k, v in c.execute(text("SELECT k, v FROM t"))}
    engine.dispose()
    assert stored == {1: "<none>", 2: "<none>"}


def test_what_execute_does_beside_the_sql_is_refused_not_skipped(tmp_path: Any) -> None:
    """A default computed in Python (`users.language_chosen`), an expanding IN, a numeric
    result: a plan would store NULL, send a placeholder or fail on each row; it is refused
    at the statement's first use instead."""
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    t = Table("t", MetaData(), Column("k", Integer, primary_key=True))
    defaulted = insert(users).values(channel=bindparam("ch"), external_id=bindparam("x"))
    expanding = select(t.c.k).where(t.c.k.in_(bindparam("ks", expanding=True)))
    numeric = select(cast(1.5, Numeric).label("n"))
    with engine.connect() as c:
        for stmt, params in ((defaulted, {"ch": "t", "x": "1"}), (expanding, {"ks": [1]})):
            with pytest.raises(NotImplementedError):
                Prepared(stmt).execute(c, params)
        with pytest.raises(NotImplementedError):
            Prepared(numeric).first(c, {})
    engine.dispose()
