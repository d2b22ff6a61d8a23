"""Every table of privbot (SQLAlchemy declarative dataclasses on `orm.Base`), in one module:
Alembic's target metadata and the only schema. Plain SQL types only, so SQLite and PostgreSQL
both work.

Datetimes are stored in UTC; SQLite gives them back naive, and `from_db` re-attaches UTC.
A new table is declared here, created by a new migration (never at start), and, when it keeps
rows per request reference, listed in `retention.REFERENCE_KEYED` so purges delete them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String, Table, Text, UniqueConstraint, bindparam
from sqlalchemy.orm import Mapped, mapped_column

from privbot.adapters.persistence.orm import Base, UTCDateTime
from privbot.core.model import UserKey

metadata = Base.metadata


def to_db(dt: datetime) -> datetime:
    """Aware UTC (`UTCDateTime` refuses naive datetimes; stored values are UTC)."""
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)


def from_db(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def opt_from_db(dt: datetime | None) -> datetime | None:
    return from_db(dt) if dt is not None else None


def owned_by(model: Any, key: UserKey) -> tuple[Any, Any]:
    """The WHERE clauses of a user's rows in a table keyed by (channel, external_id)."""
    return (model.channel == key.channel, model.external_id == key.external_id)


def table_of(model: type[Base]) -> Table:
    """The table of a model, for Core statements (no ORM objects to build)."""
    return metadata.tables[model.__tablename__]


def owned_by_owner(model: Any) -> tuple[Any, Any]:
    """`owned_by` with the user as bound parameters (`owner(key)`), for a statement built
    once and run for every message."""
    return (model.channel == bindparam("channel"), model.external_id == bindparam("external_id"))


def owner(key: UserKey) -> dict[str, str]:
    """The parameters of `owned_by_owner`."""
    return {"channel": key.channel, "external_id": key.external_id}


# --- users and their requests -----------------------------------------------------------
class UserRow(Base, kw_only=True):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    language_chosen: Mapped[bool] = mapped_column(default=False)
    jurisdiction: Mapped[str | None] = mapped_column(String(16), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RequestRow(Base, kw_only=True):
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

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    reference: Mapped[str] = mapped_column(String(16), unique=True, index=True)
    year: Mapped[int]
    number: Mapped[int]
    channel: Mapped[str] = mapped_column(String(32), index=True)
    external_id: Mapped[str] = mapped_column(String(128), index=True)
    type: Mapped[str] = mapped_column(String(32))
    jurisdiction: Mapped[str] = mapped_column(String(16))
    details_json: Mapped[str] = mapped_column(Text, nullable=False)
    email: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)
    status: Mapped[str] = mapped_column(String(16), index=True)
    language: Mapped[str] = mapped_column(String(8))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_on: Mapped[date]
    due: Mapped[date] = mapped_column(index=True)
    ack_due: Mapped[date | None] = mapped_column(default=None)
    extended_due: Mapped[date | None] = mapped_column(default=None)
    due_explanation: Mapped[str] = mapped_column(Text, nullable=False)
    ack_due_explanation: Mapped[str] = mapped_column(Text, nullable=False)
    extended_due_explanation: Mapped[str] = mapped_column(Text, nullable=False)
    extended: Mapped[bool] = mapped_column(default=False)
    extension_reason: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)
    assignee: Mapped[str | None] = mapped_column(String(128), default=None)
    closing_reason: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The next day a reminder point is reached (set by each sweep); None until a sweep has
    # looked at the request.
    remind_on: Mapped[date | None] = mapped_column(default=None)


class AuditRow(Base, kw_only=True):
    """Append-only: rows are inserted, never updated; deleted only with their request."""

    __tablename__ = "audit_log"

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    reference: Mapped[str] = mapped_column(String(16), index=True)
    event: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")


# --- a request being filled in --------------------------------------------------------------
class FlowRow(Base, kw_only=True):
    __tablename__ = "flow_states"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    state_json: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # Drawn at random by every write: a write conditional on the row being the one read
    # compares it (`flows.write_if`); the time cannot tell two writes of the same instant apart.
    write_token: Mapped[str] = mapped_column(String(16), default="", server_default="")


class CodeRow(Base, kw_only=True):
    """The one live verification code of a user (hashed); a new one replaces it."""

    __tablename__ = "verification_codes"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    digest: Mapped[str] = mapped_column(String(64))
    salt: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    used: Mapped[bool] = mapped_column(default=False)


class TopicRow(Base, kw_only=True):
    """What a user asked about last (a section or intent id as a choice value, never their
    words), so a follow-up a few minutes later is read against it on any instance."""

    __tablename__ = "conversation_topics"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    topic: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # With the inbox on: the question, redacted (`core.inbox.Asked` as JSON), while a "did
    # you mean" may be answered or its answer marked 👎; cleared by the inbox sweep.
    question: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)


# --- the unanswered-questions inbox -------------------------------------------------------
class InboxRow(Base, kw_only=True):
    """A question the bot could not answer (`core.inbox.Entry`): its text redacted, the day,
    never who asked. Purged after `PRIVBOT_INBOX_RETENTION_DAYS`."""

    __tablename__ = "inbox_entries"

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    language: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(16))
    guesses_json: Mapped[str] = mapped_column(Text, nullable=False)
    day: Mapped[date] = mapped_column(index=True)


class QuestionCountRow(Base, kw_only=True):
    """How many questions were understood each day, by outcome kind (the digest's fallback
    rate): counts only. Purged with the inbox."""

    __tablename__ = "question_counts"
    __table_args__ = (UniqueConstraint("day", "kind"),)  # also serves the ranges of days

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    day: Mapped[date]
    kind: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(default=0)


class HandoffRow(Base, kw_only=True):
    """A conversation handed to a person of the privacy team (`core.handoff`): its Slack
    thread, and the claim of the instance posting to it (`claimed_by`, `claimed_at`)."""

    __tablename__ = "handoffs"
    __table_args__ = (
        Index("ix_handoffs_user", "channel", "external_id"),
        Index("ix_handoffs_thread_ts", "thread_ts"),
    )

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    thread_ts: Mapped[str | None] = mapped_column(String(32), default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HandoffMessageRow(Base, kw_only=True):
    """One message of a handoff (encrypted: a person's words). The user's are posted to the
    thread (`posted_at`); a staff reply keeps its Slack ts so a redelivery is taken in once."""

    __tablename__ = "handoff_messages"
    # The unique index serves the lookups by handoff (its first column).
    __table_args__ = (UniqueConstraint("handoff_id", "slack_ts"),)

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    handoff_id: Mapped[int]
    sender: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    slack_ts: Mapped[str | None] = mapped_column(String(32), default=None)


# --- messages to users and Telegram updates -----------------------------------------------
class FeedbackRow(Base, kw_only=True):
    """One 👍 / 👎 on a policy answer (`core.feedback`): the answer's section and intent and
    the vote, under the random token of that answer message (unique: one vote per answer).
    No user and no text: nothing here is personal data, so no purge deletes it."""

    __tablename__ = "answer_feedback"

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    section: Mapped[str] = mapped_column(String(64))
    intent: Mapped[str | None] = mapped_column(String(64), default=None)
    positive: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class OutboxRow(Base, kw_only=True):
    """A notification for a user. A sender claims a row (`claimed_by`, `claimed_at`) before
    sending it, so two instances never send it both; a failed send releases the claim and sets
    `next_attempt_at`; after too many attempts `given_up_at` is set and it is no longer tried."""

    __tablename__ = "outbox"

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    channel: Mapped[str] = mapped_column(String(32), index=True)
    external_id: Mapped[str] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    # A file sent with the text (its content encrypted), emptied once delivered or given up.
    filename: Mapped[str | None] = mapped_column(String(128), default=None)
    attachment: Mapped[str | None] = mapped_column(Text, default=None)
    reference: Mapped[str | None] = mapped_column(String(16), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    given_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class TelegramUpdateRow(Base, kw_only=True):
    """Telegram updates taken in (webhook or long polling), recorded before Telegram is told
    they arrived: an update delivered again (to this or another instance) is handled once, and
    one whose instance died before handling it is replayed from `payload` (the update as JSON,
    encrypted; cleared once handled). `seen_at` is when it was recorded or last taken over.
    Kept a day."""

    __tablename__ = "telegram_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    payload: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class SecretRow(Base, kw_only=True):
    """Server-side values generated once: the verification-code HMAC key when no encryption
    key is set, and the encryption-key canary (`secrets.check_key`)."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(256))


# --- the staff side (Slack) and reminders ---------------------------------------------------
class SlackPostRow(Base, kw_only=True):
    """One row per request posted to the staff channel. The row is the claim: the instance that
    inserts it posts, then stores the message ts (threading, chat.update)."""

    __tablename__ = "slack_posts"

    reference: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(64))
    ts: Mapped[str | None] = mapped_column(String(32), default=None)
    claimed_by: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class SlackRenderRow(Base, kw_only=True):
    """What each request's message last showed (a digest of its text and blocks), the request's
    `updated_at` it was rendered from and the local day it was rendered on."""

    __tablename__ = "slack_renders"

    reference: Mapped[str] = mapped_column(String(16), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    rendered_on: Mapped[date]
    # as read from `requests` (compared as is)
    request_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReminderClaimRow(Base, kw_only=True):
    """One row per (request, reminder key, due date): inserted before the post, `sent_at` set
    after it; a failed post deletes the row. Also the daily claims of the digest and retention
    (pseudo-references starting with `_`)."""

    __tablename__ = "reminder_claims"
    __table_args__ = (Index("ux_reminder_claim", "reference", "key", "for_due", unique=True),)

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    reference: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(32))
    for_due: Mapped[date]
    claimed_by: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    ts: Mapped[str | None] = mapped_column(String(32), default=None)


class SeenEventRow(Base, kw_only=True):
    """Slack event ids already handled, to drop Slack's retried deliveries (pruned daily)."""

    __tablename__ = "slack_seen_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


# --- e-mail verification limits ------------------------------------------------------------
class VerificationLimitRow(Base, kw_only=True):
    """Counters of e-mail verification (`core.abuse.Counter`) for one action in one scope:
    `key` is `<action>:<scope>:<HMAC of the account or mailbox>` or `<action>:global:global`,
    never an address or an account in clear."""

    __tablename__ = "verification_limits"

    key: Mapped[str] = mapped_column(String(96), primary_key=True)
    hour_start: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    hour_count: Mapped[int] = mapped_column(default=0)
    day_start: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    day_count: Mapped[int] = mapped_column(default=0)
    strikes: Mapped[int] = mapped_column(default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None, index=True)


class VerificationAlertRow(Base, kw_only=True):
    """A sustained attack on verification, for staff: one row per kind (`send:address`...)
    and day, counted again at each lockout, posted once to the staff channel (claimed first,
    so two instances never both post it). No account, address or code in it."""

    __tablename__ = "verification_alerts"
    __table_args__ = (UniqueConstraint("kind", "day"),)

    id: Mapped[int | None] = mapped_column(primary_key=True, nullable=False, default=None)
    kind: Mapped[str] = mapped_column(String(32))
    day: Mapped[date]
    strikes: Mapped[int]
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    occurrences: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None, index=True)
