"""The database in production shape, on SQLite and PostgreSQL: migrations equal the models,
personal data encrypted at rest with key rotation, retention with a clock."""

from __future__ import annotations

import base64
import os
import re
import stat
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine

from privbot.adapters import migrate
from privbot.adapters.crypto import Cipher, load_cipher, parse_keys
from privbot.adapters.persistence.repository import SqlRepository
from privbot.bootstrap import build_engine, build_repository
from privbot.cli import main
from privbot.config import load_settings
from privbot.core.deadlines import LegalDates
from privbot.core.model import Attachment, Jurisdiction, Language, RequestType, UserKey
from privbot.core.records import Notification
from privbot.core.requests import Details, RequestStatus, RightsRequest, transition
from privbot.core.retention import RetentionPolicy
from privbot.core.verification import CodeRecord
from privbot.errors import ConfigError
from privbot.services.retention import purge

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
USER = UserKey("test", "42")
EMAIL = "ann.secret@example.com"


def _draft(received: datetime = NOW, status: RequestStatus = RequestStatus.VERIFIED) -> Any:
    d = received.date()
    return RightsRequest(
        reference="",
        user=USER,
        type=RequestType.RECTIFICATION,
        jurisdiction=Jurisdiction.EU,
        details=Details.of({"wrong": "my old phone 0600000000", "correct": "0611111111"}),
        status=status,
        received_at=received,
        dates=LegalDates(
            Jurisdiction.EU, RequestType.RECTIFICATION, d, d + timedelta(days=30), None, None, {}
        ),
        language=Language.EN,
        email=EMAIL,
    )


def _repo(overrides: dict[str, Any]) -> SqlRepository:
    return build_repository(load_settings(**overrides))


def _dump(url: str) -> str:
    """Every value of every table as one string (what someone reading the files would see)."""
    engine = create_engine(url)
    out = []
    with engine.connect() as conn:
        for name in inspect(conn).get_table_names():
            out.extend(repr(tuple(r)) for r in conn.execute(text(f'SELECT * FROM "{name}"')))
    engine.dispose()
    return "\n".join(out)


# --- migrations --------------------------------------------------------------------------
def test_migrations_equal_the_models(db_overrides: dict[str, Any]) -> None:
    engine = build_engine(load_settings(**db_overrides))
    assert migrate.upgrade(engine) == (None, migrate.head_revision())
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, migrate.target_metadata()) == []
    assert migrate.upgrade(engine)[0] == migrate.head_revision()  # idempotent
    engine.dispose()


def test_no_index_is_covered_by_another(db_url: str) -> None:
    """An index on the first columns of another index, unique constraint or primary key of
    its table serves no query the other does not, and costs a write: none in the schema the
    migrations make (0010 and 0008 each made one; 0012 drops them)."""
    engine = create_engine(db_url)
    migrate.upgrade(engine)
    covered = []
    with engine.connect() as conn:
        seen = inspect(conn)
        for table in seen.get_table_names():
            keys = [("primary key", tuple(seen.get_pk_constraint(table)["constrained_columns"]))]
            keys += [
                (u["name"], tuple(u["column_names"])) for u in seen.get_unique_constraints(table)
            ]
            # PostgreSQL also lists a unique constraint's own index: that one is the constraint.
            keys += [
                (i["name"], tuple(i["column_names"]))
                for i in seen.get_indexes(table)
                if "duplicates_constraint" not in i
            ]
            for name, columns in keys[1:]:
                if any(n != name and k[: len(columns)] == columns for n, k in keys):
                    covered.append(f"{table}.{name}")
    engine.dispose()
    assert covered == []


def test_migrations_head_constant() -> None:
    assert migrate.head_revision() == migrate.HEAD  # a new migration must update HEAD


def test_database_made_by_create_all_is_stamped_then_upgraded(
    db_overrides: dict[str, Any],
) -> None:
    engine = build_engine(load_settings(**db_overrides))
    migrate.target_metadata().create_all(engine)  # what privbot did before migrations existed
    assert migrate.current_revision(engine) is None
    assert migrate.upgrade(engine) == (None, migrate.head_revision())
    engine.dispose()


def test_without_auto_migrate_a_stale_schema_refuses_to_start(db_url: str) -> None:
    engine = create_engine(db_url)
    with pytest.raises(ConfigError, match="privbot db upgrade"):
        migrate.ensure_schema(engine, auto=False)
    migrate.ensure_schema(engine, auto=True)
    migrate.ensure_schema(engine, auto=False)
    engine.dispose()


def test_db_cli_upgrade_and_current(db_env: dict[str, str]) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["db", "current"], env=db_env)
    assert res.exit_code == 3 and "nothing" in res.output
    res = runner.invoke(main, ["db", "upgrade"], env=db_env)
    assert res.exit_code == 0 and "upgraded from nothing" in res.output, res.output
    res = runner.invoke(main, ["db", "current"], env=db_env)
    assert res.exit_code == 0 and "up to date" in res.output


# --- flow rows ----------------------------------------------------------------------------
def test_a_flow_write_applies_only_to_the_row_it_read(db_overrides: dict[str, Any]) -> None:
    """`write_flow` writes (or deletes) the row only if it is still the one read, whatever
    wrote it since (a conditional write, an unconditional one, a delete), and inserts only
    where no row was read and none has come since."""
    repo = _repo(db_overrides)
    assert repo.write_flow(USER, None, {"n": 1}, NOW)
    assert not repo.write_flow(USER, None, {"n": 2}, NOW)  # another came first
    first = repo.read_flow(USER)
    assert first is not None and first.state == {"n": 1} and first.updated_at == NOW
    assert repo.write_flow(USER, first.token, {"n": 3}, NOW)
    assert not repo.write_flow(USER, first.token, {"n": 4}, NOW)  # the same time, still seen
    assert not repo.write_flow(USER, first.token, None)
    then = repo.read_flow(USER)
    assert then is not None and then.state == {"n": 3}
    repo.save_flow(USER, {"n": 5}, NOW)
    assert not repo.write_flow(USER, then.token, {"n": 6}, NOW)
    last = repo.read_flow(USER)
    assert last is not None and last.state == {"n": 5}
    assert repo.write_flow(USER, last.token, None)
    assert repo.read_flow(USER) is None
    assert repo.write_flow(USER, None, None)  # nothing read, nothing to delete


def test_a_flow_write_waits_for_one_in_progress_and_then_sees_it(
    db_overrides: dict[str, Any],
) -> None:
    """Two instances write the same row at once: B's write is in a transaction not yet
    committed when A's, conditional on the same row read, starts. A waits for B (a row lock
    on PostgreSQL, the one writer on SQLite) and then finds the row changed: B's stands."""
    a, b = _repo(db_overrides), _repo(db_overrides)
    a.save_flow(USER, {"n": 1}, NOW)
    read = a.read_flow(USER)
    assert read is not None
    with b.unit_of_work() as uow, ThreadPoolExecutor(1) as pool:
        assert uow.write_flow(USER, read.token, {"n": "b"}, NOW)
        writing = pool.submit(a.write_flow, USER, read.token, {"n": "a"}, NOW)
        _until_waiting(a, writing)
        uow.commit()
        assert writing.result(timeout=10) is False
    back = a.read_flow(USER)
    assert back is not None and back.state == {"n": "b"}


def _until_waiting(repo: SqlRepository, writing: Future[bool]) -> None:
    """Until the write of `writing` waits for a lock (PostgreSQL says so; SQLite's wait for
    the writer does not show, so a moment is given to it), or it is done too soon."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not writing.done():
        if repo.engine.dialect.name != "postgresql":
            time.sleep(0.3)
            return
        with repo.engine.connect() as c:
            waits = (
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if c.execute(text(waits)).scalar():
                return
        time.sleep(0.01)
    assert not writing.done(), "the write did not wait for the one in progress"


# --- encryption at rest --------------------------------------------------------------------
def test_personal_data_is_encrypted_at_rest(db_overrides: dict[str, Any]) -> None:
    repo = _repo(db_overrides)
    req = repo.add_request(_draft())
    closed, _ = transition(req, RequestStatus.DENIED, "staff", NOW, "reason about Ann")
    repo.save_request(closed, now=NOW)
    repo.save_flow(USER, {"email": EMAIL, "details": [["wrong", "old phone"]]}, NOW)
    repo.enqueue([Notification(USER, Language.EN, "note for ann", NOW, req.reference)])
    export = Attachment("export.json", '{"email": "ann.file@example.com"}')
    repo.enqueue([Notification(USER, Language.EN, "your export", NOW, attachment=export)])
    raw = _dump(db_overrides["database_url"])
    for secret in (EMAIL, "0600000000", "old phone", "reason about Ann", "note for ann"):
        assert secret not in raw
    assert "ann.file" not in raw
    back = repo.get_request(req.reference)
    assert back is not None and back.email == EMAIL and back.details == req.details
    assert back.closing_reason == "reason about Ann"
    assert repo.load_flow(USER) == ({"email": EMAIL, "details": [["wrong", "old phone"]]}, NOW)
    assert repo.notifications_for(USER)[0].text == "note for ann"
    queued = repo.notifications_for(USER)[1]
    assert queued.attachment == export and queued.id is not None
    repo.mark_sent(queued.id, NOW)  # delivered: the file is not kept
    assert repo.notifications_for(USER)[1].attachment is None


EXPORT = Attachment("export.json", '{"email": "ann.file@example.com"}')


def test_rotate_key(db_overrides: dict[str, Any], db_env: dict[str, str]) -> None:
    repo = _repo(db_overrides)
    ref = repo.add_request(_draft()).reference
    repo.save_flow(USER, {"step": "email"}, NOW)
    repo.enqueue([Notification(USER, Language.EN, "your export", NOW, attachment=EXPORT)])
    repo.enqueue([Notification(USER, Language.EN, "sent export", NOW, attachment=EXPORT)])
    sent = repo.notifications_for(USER)[1].id
    assert sent is not None
    repo.mark_sent(sent, NOW)
    with repo.engine.begin() as conn:  # a delivered file put back (by an older rotate-key)
        put_back = Cipher(parse_keys(db_overrides["encryption_key"])).encrypt("{}")
        conn.execute(text(f"UPDATE outbox SET attachment = '{put_back}' WHERE id = {sent}"))
    handoff = repo.open_handoff(USER, Language.EN, "user", NOW)
    repo.relay_to_staff(handoff.id, "my words to a person", NOW)
    new = Fernet.generate_key().decode()
    old = db_overrides["encryption_key"]
    res = CliRunner().invoke(
        main, ["db", "rotate-key"], env={**db_env, "PRIVBOT_ENCRYPTION_KEY": f"{new},{old}"}
    )
    assert res.exit_code == 0 and "re-encrypted 5 rows" in res.output, res.output
    # Every token stored anywhere is one the new key alone reads.
    tokens = re.findall(r"'(gAAAAA[A-Za-z0-9_=-]+)'", _dump(db_overrides["database_url"]))
    assert len(tokens) == 8  # 2 of the request, the flow, 3 queued, a handoff's, the check
    assert all(Fernet(new.encode()).decrypt(t.encode()) for t in tokens)
    assert "changed meanwhile" not in res.output
    only_new = _repo({**db_overrides, "encryption_key": new})
    got = only_new.get_request(ref)
    assert got is not None and got.email == EMAIL
    assert only_new.load_flow(USER) is not None
    queued, delivered = only_new.notifications_for(USER)
    assert queued.attachment == EXPORT and queued.text == "your export"
    assert delivered.attachment is None and delivered.text == "sent export"
    (said,) = only_new.handoff_unposted(handoff.id)
    assert said.text == "my words to a person"
    with pytest.raises(ConfigError, match="written with another key"):
        _repo(db_overrides).get_request(ref)  # the old key alone no longer reads it (at start)
    with pytest.raises(ConfigError, match="cannot be decrypted"):
        SqlRepository(only_new.engine, Cipher(parse_keys(old))).get_request(ref)


def _before_first_update(engine: Engine, table: str, run: Callable[[], object]) -> None:
    """`run` (another instance's write, committed) once, just before `engine`'s first UPDATE
    of `table`: after the rotation read the row, before it writes it."""
    ran: list[bool] = []

    def hook(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not ran and statement.startswith(f"UPDATE {table} "):
            ran.append(True)
            run()

    event.listen(engine, "before_cursor_execute", hook)


def test_rotation_leaves_a_file_delivered_meanwhile_emptied(
    db_overrides: dict[str, Any],
) -> None:
    """A running instance sends a queued export (and empties its file) after `rotate-key`
    read the row: the file is not put back, to stay at rest for ever."""
    bot = _repo(db_overrides)
    bot.enqueue([Notification(USER, Language.EN, "your export", NOW, attachment=EXPORT)])
    sent = bot.notifications_for(USER)[0].id
    assert sent is not None
    both = f"{Fernet.generate_key().decode()},{db_overrides['encryption_key']}"
    rotating = _repo({**db_overrides, "encryption_key": both})
    _before_first_update(rotating.engine, "outbox", lambda: bot.mark_sent(sent, NOW))
    done = rotating.rotate_encryption()
    assert done.changed_meanwhile == 1  # the file; the text is re-encrypted
    after = rotating.notifications_for(USER)[0]
    assert after.sent_at is not None and after.attachment is None and after.text == "your export"
    with bot.engine.connect() as conn:
        assert conn.execute(text("SELECT attachment FROM outbox")).scalar() is None


def test_rotation_does_not_wind_back_a_flow_stepped_meanwhile(
    db_overrides: dict[str, Any],
) -> None:
    bot = _repo(db_overrides)
    bot.save_flow(USER, {"step": "jurisdiction"}, NOW)
    both = f"{Fernet.generate_key().decode()},{db_overrides['encryption_key']}"
    rotating = _repo({**db_overrides, "encryption_key": both})
    later = NOW + timedelta(seconds=1)
    _before_first_update(
        rotating.engine, "flow_states", lambda: bot.save_flow(USER, {"step": "email"}, later)
    )
    assert rotating.rotate_encryption().changed_meanwhile == 1
    assert rotating.load_flow(USER) == ({"step": "email"}, later)


def test_legacy_plain_values_are_read_and_encrypted_by_rotation() -> None:
    cipher = Cipher([Fernet.generate_key()])
    assert cipher.decrypt('[["a", "b"]]') == '[["a", "b"]]'
    token = cipher.rotate("ann@example.com")
    assert token.startswith("gAAAAA") and cipher.decrypt(token) == "ann@example.com"


def test_key_rules(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^PRIVBOT_ENCRYPTION_KEY: required"):
        load_cipher(None, "postgresql+psycopg://u@h/db")
    with pytest.raises(ConfigError, match=r"^PRIVBOT_ENCRYPTION_KEY: key 2"):
        load_cipher(f"{Fernet.generate_key().decode()},nope", "postgresql+psycopg://u@h/db")
    first = load_cipher(None, f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    assert first.created and first.local_file == tmp_path / "bot.sqlite3.key"
    assert stat.S_IMODE(os.stat(first.local_file).st_mode) == 0o600
    again = load_cipher(None, f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    assert not again.created and again.cipher.decrypt(first.cipher.encrypt("x")) == "x"
    assert load_cipher(None, "sqlite://").ephemeral


@pytest.mark.parametrize(
    "key",
    [
        base64.urlsafe_b64encode(b"k" * 32),
        base64.urlsafe_b64encode(b"k" * 31),
        base64.urlsafe_b64encode(b"k" * 33),
        base64.urlsafe_b64encode(b"k" * 32)[:-2],
        base64.urlsafe_b64encode(b"k" * 32).replace(b"a", b"+"),
        b"not a key",
        b"@" * 44,
    ],
)
def test_a_key_is_checked_as_fernet_checks_it(key: bytes) -> None:
    try:
        Fernet(key)
    except ValueError:
        with pytest.raises(ConfigError, match=r"^PRIVBOT_ENCRYPTION_KEY: key 1 is not a Fernet"):
            parse_keys(key.decode())
    else:
        assert parse_keys(key.decode()) == [key]


def test_the_key_check_authenticates_tokens_as_fernet_does() -> None:
    mine, other = Fernet.generate_key(), Fernet.generate_key()
    cipher = Cipher([other, mine])
    token = Fernet(mine).encrypt(b"x").decode()
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[30] ^= 1
    cases = {
        token: True,
        Fernet(other).encrypt(b"y").decode(): True,
        Fernet(Fernet.generate_key()).encrypt(b"x").decode(): False,  # another key
        base64.urlsafe_b64encode(bytes(raw)).decode(): False,  # altered
        token[:-8]: False,
        "gAAAAA": False,
        "[1, 2]": False,
    }
    fernet = MultiFernet([Fernet(other), Fernet(mine)])
    for value, signed in cases.items():
        assert cipher.authenticates(value) is signed, value
        try:
            fernet.decrypt(value.encode())
        except InvalidToken:
            assert not signed, value
        else:
            assert signed, value


def test_privbot_run_refuses_postgres_without_key() -> None:
    env = {
        "PRIVBOT_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "PRIVBOT_TELEGRAM_TOKEN": "123:abc",
        "PRIVBOT_ENCRYPTION_KEY": "",
    }
    res = CliRunner().invoke(main, ["run"], env=env)
    assert res.exit_code == 1
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert lines[-1].startswith("privbot run: PRIVBOT_ENCRYPTION_KEY: required"), res.output


@pytest.mark.parametrize("key", ["", Fernet.generate_key().decode()], ids=["no key", "key"])
def test_privbot_run_says_in_one_line_when_the_sqlite_folder_cannot_be_made(key: str) -> None:
    """A SQLite file where no folder can be created (a typo, a read-only mount): one line
    naming the setting, not a trace (without a key the key file fails first, with one the
    database file)."""
    env = {
        "PRIVBOT_DATABASE_URL": "sqlite:////proc/no-such-folder/bot.sqlite3",
        "PRIVBOT_TELEGRAM_TOKEN": "123:abc",
        "PRIVBOT_ENCRYPTION_KEY": key,
    }
    res = CliRunner().invoke(main, ["run"], env=env)
    assert res.exit_code == 1
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert lines[-1].startswith("privbot run: PRIVBOT_DATABASE_URL: cannot create"), res.output


# --- retention --------------------------------------------------------------------------------
def test_retention_with_a_clock(db_overrides: dict[str, Any], db_env: dict[str, str]) -> None:
    repo = _repo(db_overrides)
    policy = RetentionPolicy(flow_hours=72, record_months=24)
    other = UserKey("test", "other")
    repo.save_flow(USER, {"step": "email"}, NOW)
    repo.save_flow(other, {"step": "email"}, NOW + timedelta(hours=60))
    repo.save_code(USER, CodeRecord("d", "s", NOW, NOW + timedelta(minutes=10)))
    unverified = repo.add_request(_draft(status=RequestStatus.RECEIVED))
    open_req = repo.add_request(_draft())
    closed = repo.add_request(_draft())
    done, event = transition(closed, RequestStatus.COMPLETED, "staff", NOW)
    note = Notification(USER, Language.EN, "done", NOW, closed.reference)
    repo.save_request(done, [event], [note], now=NOW)

    later = NOW + timedelta(hours=73)
    counts = purge(repo, policy, later)
    assert (counts.flows, counts.codes, counts.unverified_requests) == (1, 1, 1)
    assert counts.closed_requests == 0
    assert repo.load_flow(USER) is None and repo.load_flow(other) is not None
    assert repo.get_request(unverified.reference) is None
    assert repo.get_request(open_req.reference) is not None

    # 24 months after closing: still the record; one day later, gone with its log and outbox.
    assert policy.keeps_record_until(NOW) == datetime(2028, 3, 2, 9, 0, tzinfo=UTC)
    assert purge(repo, policy, datetime(2028, 3, 2, 8, 0, tzinfo=UTC)).closed_requests == 0
    purge_at = ["db", "purge", "--now", "2028-03-03T00:00:00+00:00"]
    res = CliRunner().invoke(main, purge_at, env=db_env)
    assert res.exit_code == 0 and "1 closed requests" in res.output, res.output
    assert repo.get_request(closed.reference) is None
    assert repo.audit_log(closed.reference) == []
    assert repo.notifications_for(USER) == []
    assert repo.get_request(open_req.reference) is not None  # open requests stay


def test_retention_of_messages_outside_a_request(db_overrides: dict[str, Any]) -> None:
    """Replies sent late and /privacy exports (no reference) go `flow_hours` after they were
    sent or given up; one still waiting stays."""
    repo = _repo(db_overrides)
    for text_ in ("sent", "given up", "waiting", "sent later"):
        repo.enqueue([Notification(USER, Language.EN, text_, NOW, attachment=EXPORT)])
    sent, given_up, _, sent_later = (n.id for n in repo.notifications_for(USER))
    assert sent and given_up and sent_later
    repo.mark_sent(sent, NOW)
    repo.mark_sent(sent_later, NOW + timedelta(hours=60))
    assert next(n.id for n in repo.claim_notifications(USER.channel, "w", NOW)) == given_up
    repo.release_notification(given_up, "w", NOW, None)
    counts = purge(repo, RetentionPolicy(flow_hours=72), NOW + timedelta(hours=73))
    assert counts.notifications == 2
    assert [n.text for n in repo.notifications_for(USER)] == ["waiting", "sent later"]


def test_record_cutoff_month_ends() -> None:
    p = RetentionPolicy(record_months=24)
    assert p.record_cutoff(datetime(2026, 2, 28, 12, tzinfo=UTC)).date() == date(2024, 2, 28)
    assert p.keeps_record_until(datetime(2024, 2, 29, tzinfo=UTC)).date() == date(2026, 2, 28)
