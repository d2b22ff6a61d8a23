"""The SQL side of `services.ports.Repository`: `SqlRepository` runs each call in its own
transaction; `UnitOfWork` runs many in one (`with repo.unit_of_work() as uow: ...;
uow.commit()`; leaving the block without `commit` rolls everything back).

The SQL itself lives in one module per aggregate (see the package docstring); this is the
facade the services and adapters are given. The engine and the cipher are passed in
(bootstrap creates them). Nothing here is SQLite-specific.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any

from sqlalchemy.engine import Connection, Engine

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence import (
    feedback,
    flows,
    handoffs,
    inbox,
    key_rotation,
    outbox,
    profiles,
    requests,
    retention,
    secrets,
    telegram_updates,
    topics,
    user_rows,
)
from privbot.adapters.persistence.database_file import WRITE_FIRST
from privbot.core.feedback import RecordFeedback
from privbot.core.handoff import Handoff, HandoffMessage
from privbot.core.inbox import Entry
from privbot.core.model import Language, RequestType, UserKey
from privbot.core.records import Notification, UserProfile
from privbot.core.requests import AuditEvent, RequestStatus, RightsRequest
from privbot.core.retention import PurgeCounts
from privbot.core.topics import Topic
from privbot.core.verification import CodeRecord
from privbot.services.ports import StoredFlow, UserRows

# SQLite's write turn first (`database_file.WriterTurns`; other databases ignore it).
_FIRST = {WRITE_FIRST: True}


class SqlRepository:
    """Users, flows, codes, requests, audit log, outbox and secrets in one SQL database."""

    def __init__(self, engine: Engine, cipher: Cipher) -> None:
        self.engine = engine
        self.cipher = cipher
        # A read of one statement needs no transaction: on PostgreSQL, autocommit spares the
        # BEGIN and ROLLBACK round trips (psycopg sets it on the client). SQLite's driver opens
        # no transaction for a SELECT anyway, and setting its level back runs a PRAGMA.
        self._read_options: dict[str, Any] = (
            {"isolation_level": "AUTOCOMMIT"} if engine.dialect.name == "postgresql" else {}
        )

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.engine, self.cipher)

    @contextlib.contextmanager
    def _tx(self) -> Iterator[Connection]:
        """A connection in a transaction for one call, committed at the end (a `UnitOfWork`
        overrides this)."""
        with self.engine.begin() as c:
            yield c

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Connection]:
        """A connection for one read, given back at once (a `UnitOfWork` reads in its own
        transaction)."""
        with self.engine.connect().execution_options(**self._read_options) as c:
            yield c

    # --- users ----------------------------------------------------------------------------
    def user_rows(self, key: UserKey) -> UserRows:
        with self._reading() as c:
            return user_rows.read(c, self.cipher, key)

    def get_user(self, key: UserKey) -> UserProfile | None:
        with self._tx() as c:
            return profiles.get(c, key)

    def save_user(self, profile: UserProfile, now: datetime) -> None:
        with self._tx() as c:
            profiles.save(c, profile, now)

    def replace_user(self, before: UserProfile | None, after: UserProfile, now: datetime) -> bool:
        """Save `after` if the stored profile is still `before` (None: none stored), in one
        statement; False, nothing saved, when it is not."""
        with self._tx() as c:
            return profiles.replace(c, before, after, now)

    def delete_user(self, key: UserKey) -> None:
        """Forget the profile, the flow, the code, the topic and the messages queued outside a
        request of `key` (requests are kept, with the messages about them), in one
        transaction."""
        with self._tx() as s:
            profiles.delete_row(s, key)
            flows.discard(s, key)
            flows.discard_code(s, key)
            topics.discard(s, key)
            outbox.discard_replies(s, key)

    def get_topic(self, key: UserKey) -> Topic | None:
        with self._tx() as c:
            return topics.get(c, key)

    def save_topic(self, key: UserKey, topic: Topic) -> None:
        with self._tx() as c:
            topics.save(c, key, topic)

    # --- 👍 / 👎 on answers ---------------------------------------------------------------------
    def record_feedback(self, vote: RecordFeedback, now: datetime) -> bool:
        with self._tx() as s:
            return feedback.record(s, vote, now)

    # --- the unanswered-questions inbox ---------------------------------------------------
    def add_question_counts(self, counts: Mapping[tuple[date, str], int]) -> None:
        """Add questions counted by (day, outcome kind), in one transaction."""
        with self._tx() as s:
            for (day, kind), n in sorted(counts.items()):
                inbox.count(s, day, kind, n)

    def add_inbox_entry(self, entry: Entry) -> None:
        with self._tx() as s:
            inbox.add(s, entry)

    def inbox_entries(self, since: date | None = None) -> list[Entry]:
        with self._tx() as s:
            return inbox.entries(s, since)

    def forget_inbox_entries(self, ids: list[int]) -> int:
        with self._tx() as s:
            return inbox.forget(s, ids)

    def question_counts(self, since: date, until: date | None = None) -> dict[str, int]:
        with self._tx() as s:
            return inbox.counts(s, since, until)

    def sweep_inbox(self, now: datetime) -> int:
        """Expired questions in topic memory: unanswered "did you mean"s to the inbox."""
        with self._tx() as s:
            return inbox.sweep(s, now)

    # --- handoffs to a person -----------------------------------------------------------------
    def handoff_open_of(self, key: UserKey) -> Handoff | None:
        with self._tx() as s:
            return handoffs.open_of(s, key)

    def open_handoff(self, key: UserKey, language: Language, actor: str, now: datetime) -> Handoff:
        with self._tx() as s:
            return handoffs.open_for(s, key, language, actor, now)

    def close_handoff(self, handoff_id: int, actor: str, now: datetime) -> None:
        with self._tx() as s:
            handoffs.close(s, handoff_id, actor, now)

    def relay_to_staff(self, handoff_id: int, text: str, now: datetime) -> None:
        with self._tx() as s:
            handoffs.add_user_message(s, self.cipher, handoff_id, text, now)

    def handoff_by_thread(self, thread_ts: str) -> Handoff | None:
        with self._tx() as s:
            return handoffs.by_thread(s, thread_ts)

    def add_staff_reply(
        self,
        handoff: Handoff,
        staff: str,
        slack_ts: str,
        text: str,
        notification: Notification,
        now: datetime,
    ) -> bool:
        with self._tx() as s:
            return handoffs.add_staff_reply(
                s, self.cipher, handoff, staff, slack_ts, text, notification, now
            )

    def claim_handoffs(
        self, owner: str, now: datetime, lease: timedelta, limit: int
    ) -> list[Handoff]:
        with self._tx() as s:
            return handoffs.claim_unposted(s, owner, now, lease, limit)

    def handoff_unposted(self, handoff_id: int) -> list[HandoffMessage]:
        with self._tx() as s:
            return handoffs.unposted(s, self.cipher, handoff_id)

    def set_handoff_thread(self, handoff_id: int, ts: str) -> None:
        with self._tx() as s:
            handoffs.set_thread(s, handoff_id, ts)

    def mark_handoff_posted(self, message_id: int, now: datetime) -> None:
        with self._tx() as s:
            handoffs.mark_posted(s, message_id, now)

    def release_handoff(self, handoff_id: int, owner: str) -> None:
        with self._tx() as s:
            handoffs.release(s, handoff_id, owner)

    # --- flows and verification codes -------------------------------------------------------
    def load_flow(self, key: UserKey) -> tuple[dict[str, Any], datetime] | None:
        with self._tx() as c:
            return flows.load(c, self.cipher, key)

    def save_flow(self, key: UserKey, state: dict[str, Any], now: datetime) -> None:
        with self._tx() as s:
            flows.save(s, self.cipher, key, state, now)

    def delete_flow(self, key: UserKey) -> None:
        with self._tx() as s:
            flows.discard(s, key)

    def read_flow(self, key: UserKey) -> StoredFlow | None:
        with self._tx() as c:
            return flows.read(c, self.cipher, key)

    def write_flow(
        self,
        key: UserKey,
        read_token: str | None,
        state: dict[str, Any] | None,
        now: datetime | None = None,
    ) -> bool:
        with self._tx() as c:
            return flows.write_if(c, self.cipher, key, read_token, state, now)

    def get_code(self, key: UserKey) -> CodeRecord | None:
        with self._tx() as s:
            return flows.get_code(s, key)

    def save_code(self, key: UserKey, record: CodeRecord) -> None:
        with self._tx() as s:
            flows.save_code(s, key, record)

    def save_code_if(
        self, key: UserKey, read_digest: str | None, record: CodeRecord | None
    ) -> bool:
        with self._tx() as c:
            return flows.save_code_if(c, key, read_digest, record)

    def code_mailed(self, key: UserKey, digest: str) -> None:
        with self._tx() as c:
            flows.code_mailed(c, key, digest)

    def delete_code(self, key: UserKey) -> None:
        with self._tx() as s:
            flows.discard_code(s, key)

    # --- requests and their audit log ---------------------------------------------------------
    def add_request(
        self,
        draft: RightsRequest,
        events: Sequence[AuditEvent] = (),
        notifications: Sequence[Notification] = (),
    ) -> RightsRequest:
        """Store `draft` under the next free reference of its year; its events get that ref."""
        with self._tx() as s:
            return requests.add(s, self.cipher, draft, events, notifications)

    def save_request(
        self,
        req: RightsRequest,
        events: Sequence[AuditEvent] = (),
        notifications: Sequence[Notification] = (),
        now: datetime | None = None,
    ) -> None:
        """Update `req`, append its audit events and queue its notifications atomically."""
        with self._tx() as s:
            requests.save(s, self.cipher, req, events, notifications, now or datetime.now(UTC))

    def get_request(self, reference: str) -> RightsRequest | None:
        with self._tx() as s:
            return requests.get(s, self.cipher, reference)

    def find_open(self, user: UserKey, request_type: RequestType) -> RightsRequest | None:
        with self._tx() as s:
            return requests.find_open(s, self.cipher, user, request_type)

    def list_requests(
        self,
        user: UserKey | None = None,
        statuses: Iterable[RequestStatus] | None = None,
    ) -> list[RightsRequest]:
        with self._tx() as s:
            return requests.list_(s, self.cipher, user, statuses)

    def audit_log(self, reference: str) -> list[AuditEvent]:
        with self._tx() as s:
            return requests.audit_log(s, reference)

    # --- outbox ---------------------------------------------------------------------------
    def enqueue(self, notifications: Sequence[Notification]) -> None:
        with self._tx() as s:
            outbox.add(s, self.cipher, notifications, None)

    def pending_notifications(self, channel: str, limit: int = 100) -> list[Notification]:
        """Notifications not sent yet and not given up, oldest first (claimed or not)."""
        with self._tx() as s:
            return outbox.pending(s, self.cipher, channel, limit)

    def claim_notifications(
        self,
        channel: str,
        worker_id: str,
        now: datetime,
        limit: int = 20,
        lease: timedelta = timedelta(minutes=2),
    ) -> list[Notification]:
        """Claim up to `limit` due notifications for `worker_id` (`outbox.claim`)."""
        with self._tx() as s:
            return outbox.claim(s, self.cipher, channel, worker_id, now, limit, lease)

    def mark_sent(self, notification_id: int, now: datetime) -> None:
        """Delivered: never sent again (the claim is cleared with it)."""
        with self._tx() as s:
            outbox.mark_sent(s, notification_id, now)

    def renew_claim(self, notification_id: int, worker_id: str, now: datetime) -> bool:
        """Whether a claimed notification is still to be sent (`outbox.renew_claim`)."""
        with self._tx() as s:
            return outbox.renew_claim(s, notification_id, worker_id, now)

    def release_notification(
        self, notification_id: int, worker_id: str, now: datetime, retry_at: datetime | None
    ) -> None:
        """A failed attempt: retried from `retry_at`, or given up when it is None."""
        with self._tx() as s:
            outbox.release(s, notification_id, worker_id, now, retry_at)

    def notifications_for(self, user: UserKey) -> list[Notification]:
        with self._tx() as s:
            return outbox.for_user(s, self.cipher, user)

    # --- Telegram updates already taken in ------------------------------------------------
    def claim_update(self, update_id: int, now: datetime, payload: str | None = None) -> bool:
        """Record a Telegram update and its JSON (committed at once, whatever unit of work is
        open); False when some instance recorded it already. Its write goes before the other
        writers waiting (`WRITE_FIRST`): the update waits for it before it is handled."""
        with self.engine.connect().execution_options(**_FIRST) as c:
            return telegram_updates.claim(c, self.cipher, update_id, now, payload)

    def claim_updates(self, updates: list[tuple[int, str]], now: datetime) -> list[int]:
        """Record a batch of Telegram updates (id, JSON) in one commit, before the other
        writers waiting (as `claim_update`); the ids recorded now (the others some instance
        had recorded already)."""
        with self.engine.connect().execution_options(**_FIRST) as c:
            return telegram_updates.claim_many(c, self.cipher, updates, now)

    def mark_updates_handled(self, update_ids: list[int], now: datetime) -> None:
        """The updates were answered (or dropped on purpose): never replayed, content
        forgotten; in one transaction."""
        with self._tx() as c:
            telegram_updates.mark_handled(c, update_ids, now)

    def take_over_updates(
        self, now: datetime, stale_before: datetime, limit: int
    ) -> list[tuple[int, str]]:
        """Updates recorded before `stale_before` and never handled (their instance died),
        taken over by this one: (update id, JSON)."""
        with self._tx() as s:
            return telegram_updates.take_over(s, self.cipher, now, stale_before, limit)

    def purge_updates(self, before: datetime) -> int:
        """Forget update ids recorded before `before`."""
        with self._tx() as s:
            return telegram_updates.forget(s, before)

    # --- secrets, the key check, retention and key rotation --------------------------------
    def secret(self, name: str, make: str) -> str:
        """The stored secret `name`, storing `make` first if there is none (first one wins)."""
        with self._tx() as s:
            return secrets.get_or_make(s, name, make)

    def check_key(self) -> None:
        """ConfigError unless the cipher's keys read this database (`secrets.check_key`)."""
        with self._tx() as s:
            secrets.check_key(s, self.cipher)

    def purge(
        self, flows_before: datetime, closed_before: datetime, inbox_before: date | None = None
    ) -> PurgeCounts:
        """The retention purge, in one transaction (`retention.purge`)."""
        with self._tx() as s:
            return retention.purge(s, flows_before, closed_before, inbox_before)

    def rotate_encryption(self) -> key_rotation.Rotation:
        """Re-encrypt every encrypted value with the current (first) key (`key_rotation`)."""
        return key_rotation.rotate(self.engine, self.cipher)


class UnitOfWork(SqlRepository):
    """The same calls, in one transaction, committed by `commit()` (else rolled back): that
    of its connection, taken at the first call."""

    def __init__(self, engine: Engine, cipher: Cipher) -> None:
        super().__init__(engine, cipher)
        self._connection: Connection | None = None

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._connection is not None:
            self._connection.close()  # rolls back what is left (nothing after a commit)

    def commit(self) -> None:
        if self._connection is not None:
            self._connection.commit()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[Connection]:
        if self._connection is None:
            self._connection = self.engine.connect()
        yield self._connection

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self._tx() as c:
            yield c
