"""The sqlmodel tables. Plain SQL types only, so SQLite and PostgreSQL both work.

Datetimes are stored in UTC; SQLite gives them back naive, and the repository re-attaches UTC.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class UserRow(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=128)
    language: str | None = Field(default=None, max_length=8)
    language_chosen: bool = False
    jurisdiction: str | None = Field(default=None, max_length=16)
    created_at: datetime


class RequestRow(SQLModel, table=True):
    __tablename__ = "requests"
    __table_args__ = (UniqueConstraint("year", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=16, unique=True, index=True)
    year: int
    number: int
    channel: str = Field(max_length=32, index=True)
    external_id: str = Field(max_length=128, index=True)
    type: str = Field(max_length=32)
    jurisdiction: str = Field(max_length=16)
    details_json: str = Field(sa_column=Column(Text, nullable=False))
    email: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: str = Field(max_length=16, index=True)
    language: str = Field(max_length=8)
    received_at: datetime
    received_on: date
    due: date = Field(index=True)
    ack_due: date | None = None
    extended_due: date | None = None
    due_explanation: str = Field(sa_column=Column(Text, nullable=False))
    ack_due_explanation: str = Field(sa_column=Column(Text, nullable=False))
    extended_due_explanation: str = Field(sa_column=Column(Text, nullable=False))
    extended: bool = False
    extension_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    assignee: str | None = Field(default=None, max_length=128)
    closing_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    closed_at: datetime | None = None
    updated_at: datetime


class CodeRow(SQLModel, table=True):
    """The one live verification code of a user (hashed); a new one replaces it."""

    __tablename__ = "verification_codes"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=128)
    digest: str = Field(max_length=64)
    salt: str = Field(max_length=64)
    issued_at: datetime
    expires_at: datetime
    attempts: int = 0
    used: bool = False


class FlowRow(SQLModel, table=True):
    __tablename__ = "flow_states"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=128)
    state_json: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(index=True)


class AuditRow(SQLModel, table=True):
    """Append-only: rows are inserted, never updated or deleted by the application."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=16, index=True)
    event: str = Field(max_length=32)
    actor: str = Field(max_length=128)
    at: datetime
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))


class OutboxRow(SQLModel, table=True):
    """A notification for a user. A sender claims a row (`claimed_by`, `claimed_at`) before
    sending it, so two instances never send it both; a failed send releases the claim and sets
    `next_attempt_at`; after too many attempts `given_up_at` is set and it is no longer tried."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32, index=True)
    external_id: str = Field(max_length=128)
    language: str = Field(max_length=8)
    text: str = Field(sa_column=Column(Text, nullable=False))
    reference: str | None = Field(default=None, max_length=16)
    created_at: datetime
    sent_at: datetime | None = Field(default=None, index=True)
    attempts: int = 0
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = None
    next_attempt_at: datetime | None = None
    given_up_at: datetime | None = None


class TelegramUpdateRow(SQLModel, table=True):
    """Telegram update ids already taken in by a webhook, so an update that Telegram delivers
    again (to this or another instance) is handled once. Kept a day (no content, just the id)."""

    __tablename__ = "telegram_updates"

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    seen_at: datetime = Field(index=True)


class SecretRow(SQLModel, table=True):
    """Server-side secrets generated once (the verification-code HMAC key when none is set)."""

    __tablename__ = "app_secrets"

    name: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=256)
