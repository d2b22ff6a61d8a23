"""Every table of privbot (sqlmodel), in one module: Alembic's target metadata and the only
schema. Plain SQL types only, so SQLite and PostgreSQL both work.

Datetimes are stored in UTC; SQLite gives them back naive, and `from_db` re-attaches UTC.
A new table is declared here, created by a new migration (never at start), and, when it keeps
rows per request reference, listed in `retention.REFERENCE_KEYED` so purges delete them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from privbot.core.model import UserKey

metadata = SQLModel.metadata


def to_db(dt: datetime) -> datetime:
    """Aware UTC (sqlmodel refuses naive datetimes; stored values are UTC)."""
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)


def from_db(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def opt_from_db(dt: datetime | None) -> datetime | None:
    return from_db(dt) if dt is not None else None


def owned_by(model: Any, key: UserKey) -> tuple[Any, Any]:
    """The WHERE clauses of a user's rows in a table keyed by (channel, external_id)."""
    return (model.channel == key.channel, model.external_id == key.external_id)


# --- users and their requests -----------------------------------------------------------
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
    __table_args__ = (
        UniqueConstraint("year", "number"),
        # The acknowledgement date is one of the reminder sweep's two date filters.
        Index("ix_requests_ack_due_reminders", "ack_due"),
        # The sweep's index range queries: the requests whose next reminder day has come,
        # and those never looked at (no day yet) inside the due or acknowledgement window.
        Index("ix_requests_remind_on_due", "remind_on", "due"),
        Index("ix_requests_remind_on_ack_due", "remind_on", "ack_due"),
    )

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
    # The next day a reminder point is reached (set by each sweep); None until a sweep has
    # looked at the request.
    remind_on: date | None = None


class AuditRow(SQLModel, table=True):
    """Append-only: rows are inserted, never updated; deleted only with their request."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=16, index=True)
    event: str = Field(max_length=32)
    actor: str = Field(max_length=128)
    at: datetime
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))


# --- a request being filled in --------------------------------------------------------------
class FlowRow(SQLModel, table=True):
    __tablename__ = "flow_states"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=128)
    state_json: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(index=True)


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


class TopicRow(SQLModel, table=True):
    """What a user asked about last (a section or intent id as a choice value, never their
    words), so a follow-up a few minutes later is read against it on any instance."""

    __tablename__ = "conversation_topics"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=128)
    topic: str = Field(max_length=64)
    updated_at: datetime = Field(index=True)
    # With the inbox on: the question, redacted (`core.inbox.Asked` as JSON), while a "did
    # you mean" may be answered or its answer marked 👎; cleared by the inbox sweep.
    question: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


# --- the unanswered-questions inbox -------------------------------------------------------
class InboxRow(SQLModel, table=True):
    """A question the bot could not answer (`core.inbox.Entry`): its text redacted, the day,
    never who asked. Purged after `PRIVBOT_INBOX_RETENTION_DAYS`."""

    __tablename__ = "inbox_entries"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    language: str = Field(max_length=8)
    outcome: str = Field(max_length=16)
    guesses_json: str = Field(sa_column=Column(Text, nullable=False))
    day: date = Field(index=True)


class QuestionCountRow(SQLModel, table=True):
    """How many questions were understood each day, by outcome kind (the digest's fallback
    rate): counts only. Purged with the inbox."""

    __tablename__ = "question_counts"
    __table_args__ = (UniqueConstraint("day", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    kind: str = Field(max_length=16)
    count: int = 0


class HandoffRow(SQLModel, table=True):
    """A conversation handed to a person of the privacy team (`core.handoff`): its Slack
    thread, and the claim of the instance posting to it (`claimed_by`, `claimed_at`)."""

    __tablename__ = "handoffs"
    __table_args__ = (
        Index("ix_handoffs_user", "channel", "external_id"),
        Index("ix_handoffs_thread_ts", "thread_ts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    external_id: str = Field(max_length=128)
    language: str = Field(max_length=8)
    status: str = Field(max_length=16)
    opened_at: datetime
    closed_at: datetime | None = None
    thread_ts: str | None = Field(default=None, max_length=32)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = None
    updated_at: datetime


class HandoffMessageRow(SQLModel, table=True):
    """One message of a handoff (encrypted: a person's words). The user's are posted to the
    thread (`posted_at`); a staff reply keeps its Slack ts so a redelivery is taken in once."""

    __tablename__ = "handoff_messages"
    __table_args__ = (
        Index("ix_handoff_messages_handoff_id", "handoff_id"),
        UniqueConstraint("handoff_id", "slack_ts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    handoff_id: int
    sender: str = Field(max_length=8)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime
    posted_at: datetime | None = None
    slack_ts: str | None = Field(default=None, max_length=32)


# --- messages to users and Telegram updates -----------------------------------------------
class FeedbackRow(SQLModel, table=True):
    """One 👍 / 👎 on a policy answer (`core.feedback`): the answer's section and intent and
    the vote, under the random token of that answer message (unique: one vote per answer).
    No user and no text: nothing here is personal data, so no purge deletes it."""

    __tablename__ = "answer_feedback"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=32, unique=True)
    section: str = Field(max_length=64)
    intent: str | None = Field(default=None, max_length=64)
    positive: bool
    created_at: datetime = Field(index=True)


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
    """Telegram updates taken in (webhook or long polling), recorded before Telegram is told
    they arrived: an update delivered again (to this or another instance) is handled once, and
    one whose instance died before handling it is replayed from `payload` (the update as JSON,
    encrypted; cleared once handled). `seen_at` is when it was recorded or last taken over.
    Kept a day."""

    __tablename__ = "telegram_updates"

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    seen_at: datetime = Field(index=True)
    payload: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    handled_at: datetime | None = None


class SecretRow(SQLModel, table=True):
    """Server-side values generated once: the verification-code HMAC key when no encryption
    key is set, and the encryption-key canary (`secrets.check_key`)."""

    __tablename__ = "app_secrets"

    name: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=256)


# --- the staff side (Slack) and reminders ---------------------------------------------------
class SlackPostRow(SQLModel, table=True):
    """One row per request posted to the staff channel. The row is the claim: the instance that
    inserts it posts, then stores the message ts (threading, chat.update)."""

    __tablename__ = "slack_posts"

    reference: str = Field(primary_key=True, max_length=16)
    channel: str = Field(max_length=64)
    ts: str | None = Field(default=None, max_length=32)
    claimed_by: str = Field(max_length=64)
    claimed_at: datetime
    posted_at: datetime | None = None


class SlackRenderRow(SQLModel, table=True):
    """What each request's message last showed (a digest of its text and blocks), the request's
    `updated_at` it was rendered from and the local day it was rendered on."""

    __tablename__ = "slack_renders"

    reference: str = Field(primary_key=True, max_length=16)
    digest: str = Field(max_length=64)
    rendered_on: date
    request_updated_at: datetime | None = None  # as read from `requests` (compared as is)
    rendered_at: datetime


class ReminderClaimRow(SQLModel, table=True):
    """One row per (request, reminder key, due date): inserted before the post, `sent_at` set
    after it; a failed post deletes the row. Also the daily claims of the digest and retention
    (pseudo-references starting with `_`)."""

    __tablename__ = "reminder_claims"
    __table_args__ = (Index("ux_reminder_claim", "reference", "key", "for_due", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=16)
    key: str = Field(max_length=32)
    for_due: date
    claimed_by: str = Field(max_length=64)
    claimed_at: datetime
    sent_at: datetime | None = None
    ts: str | None = Field(default=None, max_length=32)


class SeenEventRow(SQLModel, table=True):
    """Slack event ids already handled, to drop Slack's retried deliveries (pruned daily)."""

    __tablename__ = "slack_seen_events"

    event_id: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = Field(index=True)


# --- e-mail verification limits ------------------------------------------------------------
class VerificationLimitRow(SQLModel, table=True):
    """Counters of e-mail verification (`core.abuse.Counter`) for one action in one scope:
    `key` is `<action>:<scope>:<HMAC of the account or mailbox>` or `<action>:global:global`,
    never an address or an account in clear."""

    __tablename__ = "verification_limits"

    key: str = Field(primary_key=True, max_length=96)
    hour_start: datetime | None = None
    hour_count: int = 0
    day_start: datetime | None = None
    day_count: int = 0
    strikes: int = 0
    blocked_until: datetime | None = None
    last_at: datetime | None = Field(default=None, index=True)


class VerificationAlertRow(SQLModel, table=True):
    """A sustained attack on verification, for staff: one row per kind (`send:address`...)
    and day, counted again at each lockout, posted once to the staff channel (claimed first,
    so two instances never both post it). No account, address or code in it."""

    __tablename__ = "verification_alerts"
    __table_args__ = (UniqueConstraint("kind", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    day: date
    strikes: int
    until: datetime
    occurrences: int = 1
    created_at: datetime
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = None
    posted_at: datetime | None = Field(default=None, index=True)
