"""Persistence defects, each with its test, on SQLite and PostgreSQL: the schema is Alembic's
alone, purges leave nothing under a purged reference, a submission is one transaction, the
database file is private, and a wrong encryption key stops start-up."""

from __future__ import annotations

import os
import random
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from cryptography.fernet import Fernet
from fakes.rights import FakeKnowledge, FakeMailer, shipped_catalogue
from fakes.slack_world import CHANNEL, add_request, make_world, settings_for
from sqlalchemy import MetaData, event, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from privbot.adapters import migrate
from privbot.adapters.persistence.limits import LimitStore
from privbot.bootstrap import build_engine, build_repository
from privbot.cli import main
from privbot.config import load_settings
from privbot.core.model import Attachment, Incoming, Jurisdiction, Language, Outgoing, UserKey
from privbot.core.records import Notification, UserProfile
from privbot.core.reminders import ClaimKey
from privbot.core.requests import RequestStatus, transition
from privbot.errors import ConfigError
from privbot.services import ConversationService, RequestService

_DDL = ("CREATE ", "ALTER ", "DROP ")
PRIVBOT = str(Path(sys.executable).with_name("privbot"))


@contextmanager
def ddl_statements() -> Iterator[list[str]]:
    """Every DDL statement any engine runs inside the block."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(_DDL):
            seen.append(statement.strip().split("\n")[0])

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


# --- the schema is the migrations' alone ----------------------------------------------------
def test_start_runs_no_ddl_outside_the_migrations(
    db_overrides: dict[str, Any], tmp_path: Path
) -> None:
    """A later migration that drops a table is not undone at the next start: once migrated,
    wiring the repository, the Slack store and reminders creates nothing."""
    engine = build_engine(load_settings(**db_overrides))
    migrate.upgrade(engine)
    with engine.begin() as conn:  # what a later migration dropping a table would do
        conn.execute(text("DROP TABLE slack_seen_events"))
    engine.dispose()
    with ddl_statements() as ddl:
        world = make_world(settings_for(tmp_path, "http://127.0.0.1:9/", **db_overrides))
    assert ddl == []
    assert not inspect(world.engine).has_table("slack_seen_events")
    world.engine.dispose()


def test_a_database_that_had_the_slack_tables_from_start_up_only_gets_them(
    db_overrides: dict[str, Any],
) -> None:
    """Made before migrations existed, without the tables the Slack side used to create at
    start: upgraded, it has every table and index of the models."""
    engine = build_engine(load_settings(**db_overrides))
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        for name in _SLACK_TABLES:
            conn.execute(text(f"DROP TABLE {name}"))
        conn.execute(text("DROP INDEX ix_requests_ack_due_reminders"))
        conn.execute(text("DROP TABLE alembic_version"))
    assert migrate.upgrade(engine) == (None, migrate.head_revision())
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, migrate.target_metadata()) == []
    engine.dispose()


_SLACK_TABLES = ("slack_posts", "reminder_claims", "slack_seen_events")


# --- retention purges every row kept under a purged reference -------------------------------
def test_db_purge_leaves_nothing_under_a_purged_reference(
    db_overrides: dict[str, Any], db_env: dict[str, str], tmp_path: Path
) -> None:
    """`privbot db purge` (its own process: only what it imports itself) deletes a closed
    request's Slack message rows, render and reminder claims with it."""
    world = make_world(settings_for(tmp_path, "http://127.0.0.1:9/", **db_overrides))
    received = datetime(2026, 2, 16, 9, 0, tzinfo=UTC)
    req = add_request(world.repo, received)
    done, event = transition(req, RequestStatus.COMPLETED, "staff", received)
    world.repo.save_request(done, [event], now=received)
    ref, store = req.reference, world.store
    assert store.claim_post(ref, CHANNEL, "me", received, timedelta(minutes=5))
    store.posted(ref, "me", "1700000000.000100", received)
    store.rendered(ref, "digest", received.date(), None, received)
    key = ClaimKey(ref, "due_soon", req.due)
    store.claim([key], "me", received, timedelta(minutes=5))
    store.mark_sent(key, "me", "1700000000.000200", received)
    store.set_next({ref: req.due})

    env = {**os.environ, **db_env}
    purge = [PRIVBOT, "db", "purge", "--now", "2029-01-01T00:00:00+00:00"]
    res = subprocess.run(purge, env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and "1 closed requests" in res.stdout, res.stdout + res.stderr
    metadata = MetaData()
    metadata.reflect(world.engine)  # every table there is, whoever declared it
    with world.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if "reference" in table.c:
                left = conn.execute(select(table).where(table.c.reference == ref)).all()
                assert left == [], table.name
    world.engine.dispose()


# --- a submission is one transaction --------------------------------------------------------
_FAIL_USERS = {
    "sqlite": [
        "CREATE TRIGGER fail_users_insert BEFORE INSERT ON users "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        "CREATE TRIGGER fail_users_update BEFORE UPDATE ON users "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION fail_users() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$",
        "CREATE TRIGGER fail_users BEFORE INSERT OR UPDATE ON users "
        "FOR EACH ROW EXECUTE FUNCTION fail_users()",
    ],
}
_UNFAIL_USERS = {
    "sqlite": ["DROP TRIGGER fail_users_insert", "DROP TRIGGER fail_users_update"],
    "postgresql": ["DROP TRIGGER fail_users ON users", "DROP FUNCTION fail_users()"],
}
USER = UserKey("test", "42")


class RealBot:
    """The conversation over the real database (fake mailer and knowledge)."""

    def __init__(self, overrides: dict[str, Any]) -> None:
        self.repo = build_repository(load_settings(**overrides))
        self.mailer = FakeMailer()
        self.requests = RequestService(self.repo, set(), UTC, shipped_catalogue)
        knowledge = FakeKnowledge()
        self.service = ConversationService(
            self.repo,
            self.requests,
            self.mailer,
            lambda: knowledge,
            b"s" * 32,
            random.Random(7),
            LimitStore(self.repo.engine),
        )
        self.last: Outgoing | None = None

    def say(self, text: str, **kw: Any) -> Outgoing:
        self.last = self.service.handle(Incoming(USER, text, **kw), NOW)
        return self.last

    def press(self, option_id: str) -> Outgoing:
        assert self.last is not None
        values = [o.value for r in self.last.replies for o in r.options]
        return self.say("", choice=next(v for v in values if v.endswith(":" + option_id)))

    def sql(self, statements: list[str]) -> None:
        with self.repo.engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))


NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_erasing_forgets_the_messages_queued_outside_a_request(
    db_overrides: dict[str, Any],
) -> None:
    """A /privacy export and a reply not delivered yet, and a reply sent late, go with the
    profile when the user erases their data ("I keep nothing else"); a message about a
    request stays with its record, and another user's messages stay."""
    bot = RealBot(db_overrides)
    other = UserKey(USER.channel, "other")
    export = Attachment("export.json", '{"email": "ann@example.com"}')
    bot.repo.enqueue(
        [
            Notification(USER, Language.EN, "your export", NOW, attachment=export),
            Notification(USER, Language.EN, "a reply", NOW),
            Notification(USER, Language.EN, "a reply sent late", NOW),
            Notification(USER, Language.EN, "about your request", NOW, reference="R-1"),
            Notification(other, Language.EN, "theirs", NOW),
        ]
    )
    late = bot.repo.notifications_for(USER)[2].id
    assert late is not None
    bot.repo.mark_sent(late, NOW)
    bot.say("/language en")
    bot.say("/privacy")
    bot.press("erase")
    bot.press("erase_confirm")
    assert "I keep nothing else" in bot.last.replies[0].text  # type: ignore[union-attr]
    assert [n.text for n in bot.repo.notifications_for(USER)] == ["about your request"]
    assert [n.text for n in bot.repo.notifications_for(other)] == ["theirs"]


def test_a_failed_submission_leaves_nothing_half_done(db_overrides: dict[str, Any]) -> None:
    """Storing the request, the user's jurisdiction and the end of the flow is one
    transaction: a failure in the middle (the users table refusing writes) leaves no request
    and the flow where it was, and the user's next messages are answered."""
    bot = RealBot(db_overrides)
    bot.say("I want to delete my data")
    bot.press("eu")
    bot.press("yes")
    bot.say("ann@example.com")
    bot.say(bot.mailer.last_code())
    assert any(o.value.endswith(":confirm") for r in bot.last.replies for o in r.options)  # type: ignore[union-attr]
    dialect = bot.repo.engine.dialect.name
    bot.sql(_FAIL_USERS[dialect])
    with pytest.raises(DBAPIError, match="injected failure"):
        bot.press("confirm")
    assert bot.repo.list_requests(user=USER) == []
    stored = bot.repo.load_flow(USER)
    assert stored is not None and stored[0]["step"] == "summary"

    bot.sql(_UNFAIL_USERS[dialect])
    assert bot.say("hello").replies  # answered: the flow asks again
    bot.press("confirm")
    [req] = bot.repo.list_requests(user=USER)
    assert req.reference in "\n".join(r.text for r in bot.last.replies)  # type: ignore[union-attr]
    assert bot.repo.load_flow(USER) is None
    profile = bot.repo.get_user(USER)
    assert profile is not None and profile.jurisdiction is Jurisdiction.EU


# --- the SQLite file is private -------------------------------------------------------------
def test_the_sqlite_file_and_its_journals_are_private(tmp_path: Path) -> None:
    """It may hold the code and button secrets in clear (no key set): 0600, and so are the
    rollback journal and the write-ahead log SQLite creates beside it."""
    path = tmp_path / "data" / "bot.sqlite3"
    previous = os.umask(0o022)
    try:
        repo = build_repository(load_settings(database_url=f"sqlite:///{path}"))
        assert _mode(path) == 0o600
        with repo.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=PERSIST")  # keep the journal file
        repo.save_user(UserProfile(USER), NOW)
        assert _mode(path.with_name("bot.sqlite3-journal")) == 0o600
        with repo.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            repo.save_user(UserProfile(USER, Language.EN), NOW)
            assert _mode(path.with_name("bot.sqlite3-wal")) == 0o600
        repo.engine.dispose()
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- a wrong encryption key stops start-up --------------------------------------------------
def test_a_different_key_from_the_data_refuses_to_start(
    db_overrides: dict[str, Any], db_env: dict[str, str]
) -> None:
    """One clear line instead of half the buttons failing as expired; rotation still works."""
    old = db_overrides["encryption_key"]
    ref = add_request(build_repository(load_settings(**db_overrides)), NOW).reference
    new = Fernet.generate_key().decode()
    with pytest.raises(ConfigError, match="written with another key"):
        build_repository(load_settings(**{**db_overrides, "encryption_key": new}))
    res = CliRunner().invoke(
        main, ["requests", "list"], env={**db_env, "PRIVBOT_ENCRYPTION_KEY": new}
    )
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert res.exit_code == 1 and len(lines) == 1, res.output
    assert lines[0].startswith("privbot: PRIVBOT_ENCRYPTION_KEY: the database was written")

    both = {**db_env, "PRIVBOT_ENCRYPTION_KEY": f"{new},{old}"}
    res = CliRunner().invoke(main, ["db", "rotate-key"], env=both)
    assert res.exit_code == 0 and "re-encrypted" in res.output, res.output
    only_new = build_repository(load_settings(**{**db_overrides, "encryption_key": new}))
    got = only_new.get_request(ref)
    assert got is not None and got.email is not None
    with pytest.raises(ConfigError, match="written with another key"):
        build_repository(load_settings(**db_overrides))  # the old key alone: refused now
    only_new.engine.dispose()


def test_a_database_from_before_the_key_check_is_checked_on_its_data(
    db_overrides: dict[str, Any],
) -> None:
    repo = build_repository(load_settings(**db_overrides))
    add_request(repo, NOW)
    with repo.engine.begin() as conn:  # as written by a version without the check
        conn.execute(text("DELETE FROM app_secrets"))
    new = Fernet.generate_key().decode()
    with pytest.raises(ConfigError, match="written with another key"):
        build_repository(load_settings(**{**db_overrides, "encryption_key": new}))
    build_repository(load_settings(**db_overrides))  # the right key: starts
    repo.engine.dispose()
