"""The SQL repository (sqlmodel) behind `privbot.services.ports.Repository`.

The engine and the cipher are passed in (bootstrap creates them). Nothing here is
SQLite-specific: references are numbered with max(number)+1 under a unique (year, number)
constraint, retried on conflict, which is safe with several processes on one database.

Several instances share the database safely: outbox rows are claimed before they are sent
(`claim_notifications`), and Telegram update ids are recorded before an update is handled
(`claim_update`), so a redelivered update is handled once.

Encrypted at rest (`adapters.crypto`): requests' e-mail address, details, extension and closing
reasons; flow states (they hold what the user typed); outbox texts. No query ever filters on an
encrypted column: users are found by (channel, external_id), duplicates by user and type.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, func, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from privbot.adapters.crypto import Cipher
from privbot.adapters.db_models import (
    AuditRow,
    CodeRow,
    FlowRow,
    OutboxRow,
    RequestRow,
    SecretRow,
    TelegramUpdateRow,
    UserRow,
)
from privbot.core.deadlines import ACK_DUE, DUE, EXTENDED_DUE, LegalDates
from privbot.core.model import Jurisdiction, Language, RequestType, UserKey
from privbot.core.records import Notification, UserProfile
from privbot.core.requests import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    AuditEvent,
    Details,
    RequestStatus,
    RightsRequest,
    make_reference,
)
from privbot.core.retention import PurgeCounts
from privbot.core.verification import CodeRecord

_REFERENCE_RETRIES = 20
_BATCH = 500
_REQUEST_SECRETS = ("email", "details_json", "extension_reason", "closing_reason")


def _to_db(dt: datetime) -> datetime:
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)


def _from_db(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _opt_from_db(dt: datetime | None) -> datetime | None:
    return _from_db(dt) if dt is not None else None


def create_schema(engine: Engine) -> None:
    """Create missing tables without migrations (throwaway databases only; see migrate.py)."""
    SQLModel.metadata.create_all(engine)


class SqlRepository:
    """Users, flows, codes, requests, audit log, outbox and secrets in one SQL database."""

    def __init__(self, engine: Engine, cipher: Cipher) -> None:
        self.engine = engine
        self.cipher = cipher

    # --- users ----------------------------------------------------------------------------
    def get_user(self, key: UserKey) -> UserProfile | None:
        with Session(self.engine) as s:
            row = self._user_row(s, key)
            if row is None:
                return None
            return UserProfile(
                key,
                Language(row.language) if row.language else None,
                row.language_chosen,
                Jurisdiction(row.jurisdiction) if row.jurisdiction else None,
                _from_db(row.created_at),
            )

    def save_user(self, profile: UserProfile, now: datetime) -> None:
        with Session(self.engine) as s:
            row = self._user_row(s, profile.key) or UserRow(
                channel=profile.key.channel,
                external_id=profile.key.external_id,
                created_at=_to_db(now),
            )
            row.language = str(profile.language) if profile.language else None
            row.language_chosen = profile.language_chosen
            row.jurisdiction = str(profile.jurisdiction) if profile.jurisdiction else None
            s.add(row)
            try:
                s.commit()
            except IntegrityError:  # created concurrently by another instance: update it
                s.rollback()
                self.save_user(profile, now)

    def delete_user(self, key: UserKey) -> None:
        with Session(self.engine) as s:
            for model in (UserRow, FlowRow, CodeRow):
                for row in s.exec(select(model).where(*self._is(model, key))).all():
                    s.delete(row)
            s.commit()

    # --- flow states ----------------------------------------------------------------------
    def load_flow(self, key: UserKey) -> tuple[dict[str, Any], datetime] | None:
        with Session(self.engine) as s:
            row = s.exec(select(FlowRow).where(*self._is(FlowRow, key))).first()
            if row is None:
                return None
            return json.loads(self.cipher.decrypt(row.state_json)), _from_db(row.updated_at)

    def save_flow(self, key: UserKey, state: dict[str, Any], now: datetime) -> None:
        with Session(self.engine) as s:
            row = s.exec(select(FlowRow).where(*self._is(FlowRow, key))).first()
            row = row or FlowRow(
                channel=key.channel,
                external_id=key.external_id,
                state_json="",
                updated_at=_to_db(now),
            )
            row.state_json = self.cipher.encrypt(json.dumps(state, ensure_ascii=False))
            row.updated_at = _to_db(now)
            s.add(row)
            s.commit()

    def delete_flow(self, key: UserKey) -> None:
        with Session(self.engine) as s:
            row = s.exec(select(FlowRow).where(*self._is(FlowRow, key))).first()
            if row is not None:
                s.delete(row)
                s.commit()

    # --- verification codes ---------------------------------------------------------------
    def get_code(self, key: UserKey) -> CodeRecord | None:
        with Session(self.engine) as s:
            row = s.exec(select(CodeRow).where(*self._is(CodeRow, key))).first()
            if row is None:
                return None
            return CodeRecord(
                row.digest,
                row.salt,
                _from_db(row.issued_at),
                _from_db(row.expires_at),
                row.attempts,
                row.used,
            )

    def save_code(self, key: UserKey, record: CodeRecord) -> None:
        with Session(self.engine) as s:
            row = s.exec(select(CodeRow).where(*self._is(CodeRow, key))).first()
            row = row or CodeRow(
                channel=key.channel,
                external_id=key.external_id,
                digest="",
                salt="",
                issued_at=_to_db(record.issued_at),
                expires_at=_to_db(record.expires_at),
            )
            row.digest, row.salt = record.digest, record.salt
            row.issued_at, row.expires_at = _to_db(record.issued_at), _to_db(record.expires_at)
            row.attempts, row.used = record.attempts, record.used
            s.add(row)
            s.commit()

    def delete_code(self, key: UserKey) -> None:
        with Session(self.engine) as s:
            row = s.exec(select(CodeRow).where(*self._is(CodeRow, key))).first()
            if row is not None:
                s.delete(row)
                s.commit()

    # --- requests -------------------------------------------------------------------------
    def add_request(
        self,
        draft: RightsRequest,
        events: Sequence[AuditEvent] = (),
        notifications: Sequence[Notification] = (),
    ) -> RightsRequest:
        """Store `draft` under the next free reference of its year; its events get that ref."""
        year = draft.received_at.year
        for _ in range(_REFERENCE_RETRIES):
            with Session(self.engine) as s:
                last = s.exec(
                    select(func.max(RequestRow.number)).where(RequestRow.year == year)
                ).one()
                number = int(last or 0) + 1
                reference = make_reference(year, number)
                req = _with_reference(draft, reference)
                values = _request_values(req, draft.received_at, self.cipher)
                s.add(RequestRow(year=year, number=number, **values))
                stamped = [_with_ref(e, reference) for e in events]
                self._add_log(s, stamped, notifications, reference)
                try:
                    s.commit()
                except IntegrityError:
                    s.rollback()
                    continue
                return req
        raise RuntimeError("could not allocate a request reference")

    def save_request(
        self,
        req: RightsRequest,
        events: Sequence[AuditEvent] = (),
        notifications: Sequence[Notification] = (),
        now: datetime | None = None,
    ) -> None:
        """Update `req`, append its audit events and queue its notifications atomically."""
        with Session(self.engine) as s:
            row = s.exec(select(RequestRow).where(RequestRow.reference == req.reference)).one()
            for name, value in _request_values(req, now or datetime.now(UTC), self.cipher).items():
                setattr(row, name, value)
            s.add(row)
            self._add_log(s, events, notifications, req.reference)
            s.commit()

    def get_request(self, reference: str) -> RightsRequest | None:
        with Session(self.engine) as s:
            row = s.exec(
                select(RequestRow).where(RequestRow.reference == reference.strip().upper())
            ).first()
            return _request_of(row, self.cipher) if row else None

    def find_open(self, user: UserKey, request_type: RequestType) -> RightsRequest | None:
        with Session(self.engine) as s:
            row = s.exec(
                select(RequestRow)
                .where(*self._is(RequestRow, user))
                .where(RequestRow.type == str(request_type))
                .where(col(RequestRow.status).in_([str(x) for x in OPEN_STATUSES]))
                .order_by(col(RequestRow.id))
            ).first()
            return _request_of(row, self.cipher) if row else None

    def list_requests(
        self,
        user: UserKey | None = None,
        statuses: Iterable[RequestStatus] | None = None,
    ) -> list[RightsRequest]:
        with Session(self.engine) as s:
            q = select(RequestRow)
            if user is not None:
                q = q.where(*self._is(RequestRow, user))
            if statuses is not None:
                q = q.where(col(RequestRow.status).in_([str(x) for x in statuses]))
            rows = s.exec(q.order_by(col(RequestRow.id))).all()
            return [_request_of(r, self.cipher) for r in rows]

    def audit_log(self, reference: str) -> list[AuditEvent]:
        with Session(self.engine) as s:
            rows = s.exec(
                select(AuditRow).where(AuditRow.reference == reference).order_by(col(AuditRow.id))
            ).all()
            return [
                AuditEvent(r.reference, r.event, r.actor, _from_db(r.at), r.detail) for r in rows
            ]

    # --- outbox ---------------------------------------------------------------------------
    def enqueue(self, notifications: Sequence[Notification]) -> None:
        with Session(self.engine) as s:
            self._add_log(s, (), notifications, None)
            s.commit()

    def pending_notifications(self, channel: str, limit: int = 100) -> list[Notification]:
        """Notifications not sent yet and not given up, oldest first (claimed or not)."""
        with Session(self.engine) as s:
            rows = s.exec(
                select(OutboxRow)
                .where(OutboxRow.channel == channel)
                .where(col(OutboxRow.sent_at).is_(None))
                .where(col(OutboxRow.given_up_at).is_(None))
                .order_by(col(OutboxRow.id))
                .limit(limit)
            ).all()
            return [_notification_of(r, self.cipher) for r in rows]

    def claim_notifications(
        self,
        channel: str,
        worker_id: str,
        now: datetime,
        limit: int = 20,
        lease: timedelta = timedelta(minutes=2),
    ) -> list[Notification]:
        """Claim up to `limit` due notifications for `worker_id` and return them.

        One UPDATE ... WHERE (unclaimed or the claim older than `lease`) ... RETURNING: atomic
        on SQLite (one writer at a time) and on PostgreSQL (the WHERE is re-checked on rows
        another transaction just claimed; SKIP LOCKED spares the wait). A claim left by a
        crashed instance is taken over once its lease has run out.
        """
        at, stale = _to_db(now), _to_db(now - lease)
        free = or_(col(OutboxRow.claimed_by).is_(None), col(OutboxRow.claimed_at) < stale)
        due = or_(col(OutboxRow.next_attempt_at).is_(None), col(OutboxRow.next_attempt_at) <= at)
        pick = (
            sa_select(col(OutboxRow.id))
            .where(col(OutboxRow.channel) == channel)
            .where(col(OutboxRow.sent_at).is_(None))
            .where(col(OutboxRow.given_up_at).is_(None))
            .where(due, free)
            .order_by(col(OutboxRow.id))
            .limit(limit)
        )
        if self.engine.dialect.name == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        claim = (
            update(OutboxRow)
            .where(col(OutboxRow.id).in_(pick.scalar_subquery()), free)
            .values(claimed_by=worker_id, claimed_at=at)
            .returning(col(OutboxRow.id))
        )
        with self.engine.begin() as conn:
            ids = list(conn.execute(claim).scalars())
        if not ids:
            return []
        with Session(self.engine) as s:
            rows = s.exec(
                select(OutboxRow).where(col(OutboxRow.id).in_(ids)).order_by(col(OutboxRow.id))
            ).all()
            return [_notification_of(r, self.cipher) for r in rows]

    def mark_sent(self, notification_id: int, now: datetime) -> None:
        """Delivered: never sent again (the claim is cleared with it)."""
        with Session(self.engine) as s:
            row = s.get(OutboxRow, notification_id)
            if row is not None and row.sent_at is None:
                row.sent_at = _to_db(now)
                row.attempts += 1
                row.claimed_by = row.claimed_at = None
                s.add(row)
                s.commit()

    def release_notification(
        self, notification_id: int, worker_id: str, now: datetime, retry_at: datetime | None
    ) -> None:
        """A failed attempt by `worker_id`: count it and free the row, to be tried again from
        `retry_at`, or never again when `retry_at` is None (given up). A claim another worker
        has taken over meanwhile is left alone."""
        values: dict[str, Any] = {
            "attempts": OutboxRow.attempts + 1,
            "claimed_by": None,
            "claimed_at": None,
            "next_attempt_at": _to_db(retry_at) if retry_at is not None else None,
        }
        if retry_at is None:
            values["given_up_at"] = _to_db(now)
        with self.engine.begin() as conn:
            conn.execute(
                update(OutboxRow)
                .where(col(OutboxRow.id) == notification_id)
                .where(col(OutboxRow.claimed_by) == worker_id)
                .where(col(OutboxRow.sent_at).is_(None))
                .values(**values)
            )

    # --- Telegram updates already taken in ------------------------------------------------
    def claim_update(self, update_id: int, now: datetime) -> bool:
        """Record a Telegram update id; False when some instance recorded it already."""
        with Session(self.engine) as s:
            s.add(TelegramUpdateRow(update_id=update_id, seen_at=_to_db(now)))
            try:
                s.commit()
            except IntegrityError:
                s.rollback()
                return False
            return True

    def purge_updates(self, before: datetime) -> int:
        """Forget update ids recorded before `before` (Telegram gives up long before)."""
        with Session(self.engine) as s:
            n = _count(
                s.exec(
                    delete(TelegramUpdateRow).where(col(TelegramUpdateRow.seen_at) < _to_db(before))
                )
            )
            s.commit()
            return n

    def notifications_for(self, user: UserKey) -> list[Notification]:
        with Session(self.engine) as s:
            rows = s.exec(
                select(OutboxRow).where(*self._is(OutboxRow, user)).order_by(col(OutboxRow.id))
            ).all()
            return [_notification_of(r, self.cipher) for r in rows]

    # --- secrets --------------------------------------------------------------------------
    def secret(self, name: str, make: str) -> str:
        """The stored secret `name`, storing `make` first if there is none (first one wins)."""
        with Session(self.engine) as s:
            row = s.get(SecretRow, name)
            if row is not None:
                return row.value
            s.add(SecretRow(name=name, value=make))
            try:
                s.commit()
            except IntegrityError:
                s.rollback()
            row = s.get(SecretRow, name)
            assert row is not None
            return row.value

    # --- retention and key rotation ---------------------------------------------------------
    def purge(self, flows_before: datetime, closed_before: datetime) -> PurgeCounts:
        """Delete flows changed and codes issued before `flows_before`, requests never
        verified received before it, and requests closed before `closed_before` with their
        audit lines, outbox rows and the rows other tables keep under their reference."""
        flows_at, closed_at = _to_db(flows_before), _to_db(closed_before)
        closed = [str(x) for x in CLOSED_STATUSES]
        with Session(self.engine) as s:
            n_flows = _count(s.exec(delete(FlowRow).where(col(FlowRow.updated_at) < flows_at)))
            n_codes = _count(s.exec(delete(CodeRow).where(col(CodeRow.issued_at) < flows_at)))
            s.exec(delete(TelegramUpdateRow).where(col(TelegramUpdateRow.seen_at) < flows_at))
            unverified = s.exec(
                select(RequestRow.reference)
                .where(RequestRow.status == str(RequestStatus.RECEIVED))
                .where(col(RequestRow.received_at) < flows_at)
            ).all()
            old = s.exec(
                select(RequestRow.reference)
                .where(col(RequestRow.status).in_(closed))
                .where(col(RequestRow.closed_at) < closed_at)
            ).all()
            audit = outbox = 0
            refs = [*unverified, *old]
            for i in range(0, len(refs), _BATCH):
                batch = refs[i : i + _BATCH]
                audit += _count(s.exec(delete(AuditRow).where(col(AuditRow.reference).in_(batch))))
                outbox += _count(
                    s.exec(delete(OutboxRow).where(col(OutboxRow.reference).in_(batch)))
                )
                for table in _tables_keyed_by_reference():
                    s.exec(delete(table).where(table.c.reference.in_(batch)))
                s.exec(delete(RequestRow).where(col(RequestRow.reference).in_(batch)))
            s.commit()
        return PurgeCounts(n_flows, n_codes, len(unverified), len(old), audit, outbox)

    def rotate_encryption(self) -> int:
        """Re-encrypt every encrypted value with the current (first) key; returns rows seen."""
        fields: list[tuple[Any, tuple[str, ...]]] = [
            (RequestRow, _REQUEST_SECRETS),
            (FlowRow, ("state_json",)),
            (OutboxRow, ("text",)),
        ]
        seen = 0
        for model, names in fields:
            last = 0
            while True:
                with Session(self.engine) as s:
                    rows: Sequence[Any] = s.exec(
                        select(model).where(model.id > last).order_by(model.id).limit(_BATCH)
                    ).all()
                    if not rows:
                        break
                    for row in rows:
                        for name in names:
                            value = getattr(row, name)
                            if value is not None:
                                setattr(row, name, self.cipher.rotate(value))
                        s.add(row)
                    last = rows[-1].id
                    seen += len(rows)
                    s.commit()
        return seen

    # --- helpers --------------------------------------------------------------------------
    @staticmethod
    def _is(model: Any, key: UserKey) -> tuple[Any, Any]:
        return (model.channel == key.channel, model.external_id == key.external_id)

    def _user_row(self, s: Session, key: UserKey) -> UserRow | None:
        return s.exec(select(UserRow).where(*self._is(UserRow, key))).first()

    def _add_log(
        self,
        s: Session,
        events: Iterable[AuditEvent],
        notifications: Iterable[Notification],
        reference: str | None,
    ) -> None:
        for e in events:
            s.add(
                AuditRow(reference=e.reference, event=e.event, actor=e.actor, at=_to_db(e.at),
                         detail=e.detail)
            )  # fmt: skip
        for n in notifications:
            s.add(
                OutboxRow(
                    channel=n.user.channel,
                    external_id=n.user.external_id,
                    language=str(n.language),
                    text=self.cipher.encrypt(n.text),
                    reference=n.reference or reference,
                    created_at=_to_db(n.created_at),
                )
            )


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _tables_keyed_by_reference() -> list[Table]:
    """Other modules' tables that keep rows per request reference (Slack posts, reminder
    claims...): purged with the request, found in the shared metadata."""
    own = {"requests", "audit_log", "outbox"}
    return [
        t for name, t in SQLModel.metadata.tables.items() if name not in own and "reference" in t.c
    ]


def _with_reference(req: RightsRequest, reference: str) -> RightsRequest:
    return replace(req, reference=reference)


def _with_ref(e: AuditEvent, reference: str) -> AuditEvent:
    return replace(e, reference=reference)


def _request_values(req: RightsRequest, now: datetime, cipher: Cipher) -> dict[str, Any]:
    d = req.dates
    return {
        "reference": req.reference,
        "channel": req.user.channel,
        "external_id": req.user.external_id,
        "type": str(req.type),
        "jurisdiction": str(req.jurisdiction),
        "details_json": cipher.encrypt(
            json.dumps([list(p) for p in req.details.items], ensure_ascii=False)
        ),
        "email": cipher.encrypt_opt(req.email),
        "status": str(req.status),
        "language": str(req.language),
        "received_at": _to_db(req.received_at),
        "received_on": d.received,
        "due": d.due,
        "ack_due": d.ack_due,
        "extended_due": d.extended_due,
        "due_explanation": d.explanation.get(DUE, ""),
        "ack_due_explanation": d.explanation.get(ACK_DUE, ""),
        "extended_due_explanation": d.explanation.get(EXTENDED_DUE, ""),
        "extended": req.extended,
        "extension_reason": cipher.encrypt_opt(req.extension_reason),
        "assignee": req.assignee,
        "closing_reason": cipher.encrypt_opt(req.closing_reason),
        "closed_at": _to_db(req.closed_at) if req.closed_at else None,
        "updated_at": _to_db(now),
    }


def _request_of(row: RequestRow, cipher: Cipher) -> RightsRequest:
    jurisdiction, rtype = Jurisdiction(row.jurisdiction), RequestType(row.type)
    dates = LegalDates(
        jurisdiction=jurisdiction,
        request_type=rtype,
        received=row.received_on,
        due=row.due,
        ack_due=row.ack_due,
        extended_due=row.extended_due,
        explanation={
            DUE: row.due_explanation,
            ACK_DUE: row.ack_due_explanation,
            EXTENDED_DUE: row.extended_due_explanation,
        },
    )
    return RightsRequest(
        reference=row.reference,
        user=UserKey(row.channel, row.external_id),
        type=rtype,
        jurisdiction=jurisdiction,
        details=Details(
            tuple((str(k), str(v)) for k, v in json.loads(cipher.decrypt(row.details_json)))
        ),
        status=RequestStatus(row.status),
        received_at=_from_db(row.received_at),
        dates=dates,
        language=Language(row.language),
        email=cipher.decrypt_opt(row.email),
        extended=row.extended,
        extension_reason=cipher.decrypt_opt(row.extension_reason),
        assignee=row.assignee,
        closing_reason=cipher.decrypt_opt(row.closing_reason),
        closed_at=_opt_from_db(row.closed_at),
    )


def _notification_of(r: OutboxRow, cipher: Cipher) -> Notification:
    return Notification(
        user=UserKey(r.channel, r.external_id),
        language=Language(r.language),
        text=cipher.decrypt(r.text),
        created_at=_from_db(r.created_at),
        reference=r.reference,
        id=r.id,
        sent_at=_opt_from_db(r.sent_at),
        attempts=r.attempts,
    )
