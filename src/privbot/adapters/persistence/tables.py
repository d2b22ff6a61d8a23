"""Every table of privbot (SQLAlchemy Core `Table`s on one `MetaData`), in one module:
Alembic's target metadata and the only schema. Plain SQL types only, so SQLite and PostgreSQL
both work. Rows are read and written with Core statements (no ORM: a start imports neither
`sqlalchemy.orm` nor a mapper).

Datetimes are stored in UTC (`UTCDateTime`); SQLite gives them back naive, and `from_db`
re-attaches UTC. A new table is declared here, created by a new migration (never at start),
and, when it keeps rows per request reference, listed in `retention.REFERENCE_KEYED` so purges
delete them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    true,
    types,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.operators import OperatorType

from privbot.core.model import UserKey

metadata = MetaData()


class UTCDateTime(types.TypeDecorator[datetime]):
    """An aware datetime, stored in UTC (a naive one is refused) and read back in UTC."""

    impl = types.DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def __repr__(self) -> str:
        return "UTCDateTime()"

    def coerce_compared_value(self, op: OperatorType | None, value: Any) -> Any:
        if isinstance(value, timedelta):
            return types.Interval()
        return self

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("a datetime stored must carry its time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:  # SQLite keeps no offset: the value is UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def to_db(dt: datetime) -> datetime:
    """Aware UTC (`UTCDateTime` refuses naive datetimes; stored values are UTC)."""
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)


def from_db(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def opt_from_db(dt: datetime | None) -> datetime | None:
    return from_db(dt) if dt is not None else None


def owned_by(table: Table, key: UserKey) -> tuple[Any, Any]:
    """The WHERE clauses of a user's rows in a table keyed by (channel, external_id)."""
    return (table.c.channel == key.channel, table.c.external_id == key.external_id)


def owned_by_owner(table: Table) -> tuple[Any, Any]:
    """`owned_by` with the user as bound parameters (`owner(key)`), for a statement built
    once and run for every message."""
    return (
        table.c.channel == bindparam("channel"),
        table.c.external_id == bindparam("external_id"),
    )


def owner(key: UserKey) -> dict[str, str]:
    """The parameters of `owned_by_owner`."""
    return {"channel": key.channel, "external_id": key.external_id}


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True, nullable=False)


def _str(name: str, length: int, **kw: Any) -> Column[str]:
    """A VARCHAR column, NOT NULL unless `nullable=True`."""
    kw.setdefault("nullable", False)
    return Column(name, String(length), **kw)


def _text(name: str, *, nullable: bool = False, **kw: Any) -> Column[str]:
    return Column(name, Text, nullable=nullable, **kw)


def _at(name: str, *, nullable: bool = False, **kw: Any) -> Column[datetime]:
    return Column(name, UTCDateTime(), nullable=nullable, **kw)


def _user() -> tuple[Column[str], Column[str]]:
    return _str("channel", 32), _str("external_id", 128)


# --- users and their requests -----------------------------------------------------------
users = Table(
    "users",
    metadata,
    _id(),
    *_user(),
    _str("language", 8, nullable=True),
    Column("language_chosen", Boolean, nullable=False, default=False),
    _str("jurisdiction", 16, nullable=True),
    _at("created_at"),
    UniqueConstraint("channel", "external_id"),
)

requests = Table(
    "requests",
    metadata,
    _id(),
    _str("reference", 16, unique=True, index=True),
    Column("year", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    _str("channel", 32, index=True),
    _str("external_id", 128, index=True),
    _str("type", 32),
    _str("jurisdiction", 16),
    _text("details_json"),
    _text("email", nullable=True),
    _str("status", 16, index=True),
    _str("language", 8),
    _at("received_at"),
    Column("received_on", Date, nullable=False),
    Column("due", Date, nullable=False, index=True),
    Column("ack_due", Date, nullable=True),
    Column("extended_due", Date, nullable=True),
    _text("due_explanation"),
    _text("ack_due_explanation"),
    _text("extended_due_explanation"),
    Column("extended", Boolean, nullable=False, default=False),
    _text("extension_reason", nullable=True),
    _str("assignee", 128, nullable=True),
    _text("closing_reason", nullable=True),
    _at("closed_at", nullable=True),
    _at("updated_at"),
    # The next day a reminder point is reached (set by each sweep); None until a sweep has
    # looked at the request.
    Column("remind_on", Date, nullable=True),
    UniqueConstraint("year", "number"),
    # The acknowledgement date is one of the reminder sweep's two date filters.
    Index("ix_requests_ack_due_reminders", "ack_due"),
    # The sweep's index range queries: the requests whose next reminder day has come,
    # and those never looked at (no day yet) inside the due or acknowledgement window.
    Index("ix_requests_remind_on_due", "remind_on", "due"),
    Index("ix_requests_remind_on_ack_due", "remind_on", "ack_due"),
)

# Append-only: rows are inserted, never updated; deleted only with their request.
audit_log = Table(
    "audit_log",
    metadata,
    _id(),
    _str("reference", 16, index=True),
    _str("event", 32),
    _str("actor", 128),
    _at("at"),
    _text("detail", default=""),
)

# --- a request being filled in --------------------------------------------------------------
flow_states = Table(
    "flow_states",
    metadata,
    _id(),
    *_user(),
    _text("state_json"),
    _at("updated_at", index=True),
    # Drawn at random by every write: a write conditional on the row being the one read
    # compares it (`flows.write_if`); the time cannot tell two writes of the same instant apart.
    _str("write_token", 16, default="", server_default=""),
    UniqueConstraint("channel", "external_id"),
)

# The one live verification code of a user (hashed); a new one replaces it.
verification_codes = Table(
    "verification_codes",
    metadata,
    _id(),
    *_user(),
    _str("digest", 64),
    _str("salt", 64),
    _at("issued_at"),
    _at("expires_at"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("used", Boolean, nullable=False, default=False),
    # Set once its mail went: a code never mailed (its instance stopped) is mailed anew.
    Column("mailed", Boolean, nullable=False, default=False, server_default=true()),
    UniqueConstraint("channel", "external_id"),
)

# What a user asked about last (a section or intent id as a choice value, never their
# words), so a follow-up a few minutes later is read against it on any instance.
conversation_topics = Table(
    "conversation_topics",
    metadata,
    _id(),
    *_user(),
    _str("topic", 64),
    _at("updated_at", index=True),
    # With the inbox on: the question, redacted (`core.inbox.Asked` as JSON), while a "did
    # you mean" may be answered or its answer marked 👎; cleared by the inbox sweep.
    _text("question", nullable=True),
    UniqueConstraint("channel", "external_id"),
)

# --- the unanswered-questions inbox -------------------------------------------------------
# A question the bot could not answer (`core.inbox.Entry`): its text redacted, the day,
# never who asked. Purged after `PRIVBOT_INBOX_RETENTION_DAYS`.
inbox_entries = Table(
    "inbox_entries",
    metadata,
    _id(),
    _text("text"),
    _str("language", 8),
    _str("outcome", 16),
    _text("guesses_json"),
    Column("day", Date, nullable=False, index=True),
)

# How many questions were understood each day, by outcome kind (the digest's fallback
# rate): counts only. Purged with the inbox.
question_counts = Table(
    "question_counts",
    metadata,
    _id(),
    Column("day", Date, nullable=False),
    _str("kind", 16),
    Column("count", Integer, nullable=False, default=0),
    UniqueConstraint("day", "kind"),  # also serves the ranges of days
)

# A conversation handed to a person of the privacy team (`core.handoff`): its Slack
# thread, and the claim of the instance posting to it (`claimed_by`, `claimed_at`).
handoffs = Table(
    "handoffs",
    metadata,
    _id(),
    *_user(),
    _str("language", 8),
    _str("status", 16),
    _at("opened_at"),
    _at("closed_at", nullable=True),
    _str("thread_ts", 32, nullable=True),
    _str("claimed_by", 64, nullable=True),
    _at("claimed_at", nullable=True),
    _at("updated_at"),
    Index("ix_handoffs_user", "channel", "external_id"),
    Index("ix_handoffs_thread_ts", "thread_ts"),
)

# One message of a handoff (encrypted: a person's words). The user's are posted to the
# thread (`posted_at`); a staff reply keeps its Slack ts so a redelivery is taken in once.
handoff_messages = Table(
    "handoff_messages",
    metadata,
    _id(),
    Column("handoff_id", Integer, nullable=False),
    _str("sender", 8),
    _text("text"),
    _at("created_at"),
    _at("posted_at", nullable=True),
    _str("slack_ts", 32, nullable=True),
    # The unique index serves the lookups by handoff (its first column).
    UniqueConstraint("handoff_id", "slack_ts"),
)

# --- messages to users and Telegram updates -----------------------------------------------
# One 👍 / 👎 on a policy answer (`core.feedback`): the answer's section and intent and the
# vote, under the random token of that answer message (unique: one vote per answer). No user
# and no text: nothing here is personal data, so no purge deletes it.
answer_feedback = Table(
    "answer_feedback",
    metadata,
    _id(),
    _str("token", 32, unique=True),
    _str("section", 64),
    _str("intent", 64, nullable=True),
    Column("positive", Boolean, nullable=False),
    _at("created_at", index=True),
)

# A notification for a user. A sender claims a row (`claimed_by`, `claimed_at`) before
# sending it, so two instances never send it both; a failed send releases the claim and sets
# `next_attempt_at`; after too many attempts `given_up_at` is set and it is no longer tried.
outbox = Table(
    "outbox",
    metadata,
    _id(),
    _str("channel", 32, index=True),
    _str("external_id", 128),
    _str("language", 8),
    _text("text"),
    # A file sent with the text (its content encrypted), emptied once delivered or given up.
    _str("filename", 128, nullable=True),
    _text("attachment", nullable=True),
    _str("reference", 16, nullable=True),
    _at("created_at"),
    _at("sent_at", nullable=True, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    _str("claimed_by", 64, nullable=True),
    _at("claimed_at", nullable=True),
    _at("next_attempt_at", nullable=True),
    _at("given_up_at", nullable=True),
)

# Telegram updates taken in (webhook or long polling), recorded before Telegram is told they
# arrived: an update delivered again (to this or another instance) is handled once, and one
# whose instance died before handling it is replayed from `payload` (the update as JSON,
# encrypted; cleared once handled). `seen_at` is when it was recorded or last taken over.
# Kept a day.
telegram_updates = Table(
    "telegram_updates",
    metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False, nullable=False),
    _at("seen_at", index=True),
    _text("payload", nullable=True),
    _at("handled_at", nullable=True),
)

# Server-side values generated once: the verification-code HMAC key when no encryption key
# is set, and the encryption-key canary (`secrets.check_key`).
app_secrets = Table(
    "app_secrets",
    metadata,
    _str("name", 64, primary_key=True),
    _str("value", 256),
)

# --- the staff side (Slack) and reminders ---------------------------------------------------
# One row per request posted to the staff channel. The row is the claim: the instance that
# inserts it posts, then stores the message ts (threading, chat.update).
slack_posts = Table(
    "slack_posts",
    metadata,
    _str("reference", 16, primary_key=True),
    _str("channel", 64),
    _str("ts", 32, nullable=True),
    _str("claimed_by", 64),
    _at("claimed_at"),
    _at("posted_at", nullable=True),
)

# What each request's message last showed (a digest of its text and blocks), the request's
# `updated_at` it was rendered from and the local day it was rendered on.
slack_renders = Table(
    "slack_renders",
    metadata,
    _str("reference", 16, primary_key=True),
    _str("digest", 64),
    Column("rendered_on", Date, nullable=False),
    # as read from `requests` (compared as is)
    _at("request_updated_at", nullable=True),
    _at("rendered_at"),
)

# One row per (request, reminder key, due date): inserted before the post, `sent_at` set
# after it; a failed post deletes the row. Also the daily claims of the digest and retention
# (pseudo-references starting with `_`).
reminder_claims = Table(
    "reminder_claims",
    metadata,
    _id(),
    _str("reference", 16),
    _str("key", 32),
    Column("for_due", Date, nullable=False),
    _str("claimed_by", 64),
    _at("claimed_at"),
    _at("sent_at", nullable=True),
    _str("ts", 32, nullable=True),
    Index("ux_reminder_claim", "reference", "key", "for_due", unique=True),
)

# Slack event ids already handled, to drop Slack's retried deliveries (pruned daily).
slack_seen_events = Table(
    "slack_seen_events",
    metadata,
    _str("event_id", 64, primary_key=True),
    _at("seen_at", index=True),
)

# --- e-mail verification limits ------------------------------------------------------------
# Counters of e-mail verification (`core.abuse.Counter`) for one action in one scope: `key`
# is `<action>:<scope>:<HMAC of the account or mailbox>` or `<action>:global:global`, never an
# address or an account in clear.
verification_limits = Table(
    "verification_limits",
    metadata,
    _str("key", 96, primary_key=True),
    _at("hour_start", nullable=True),
    Column("hour_count", Integer, nullable=False, default=0),
    _at("day_start", nullable=True),
    Column("day_count", Integer, nullable=False, default=0),
    Column("strikes", Integer, nullable=False, default=0),
    _at("blocked_until", nullable=True),
    _at("last_at", nullable=True, index=True),
)

# A sustained attack on verification, for staff: one row per kind (`send:address`...) and
# day, counted again at each lockout, posted once to the staff channel (claimed first, so two
# instances never both post it). No account, address or code in it.
verification_alerts = Table(
    "verification_alerts",
    metadata,
    _id(),
    _str("kind", 32),
    Column("day", Date, nullable=False),
    Column("strikes", Integer, nullable=False),
    _at("until"),
    Column("occurrences", Integer, nullable=False, default=1),
    _at("created_at"),
    _str("claimed_by", 64, nullable=True),
    _at("claimed_at", nullable=True),
    _at("posted_at", nullable=True, index=True),
    UniqueConstraint("kind", "day"),
)
