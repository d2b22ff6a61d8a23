"""The Slack and reminder tables, and the reminder index on `requests.ack_due`, for databases
that lack them: until this revision privbot also created them at start outside the migrations,
so a database stamped at 0001 from before migrations existed may have got them that way or
not at all. Each is created only if missing; from now on only migrations change the schema.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _slack_posts() -> None:
    op.create_table(
        "slack_posts",
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("reference"),
    )


def _slack_renders() -> None:
    op.create_table(
        "slack_renders",
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("rendered_on", sa.Date(), nullable=False),
        sa.Column("request_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("reference"),
    )


def _reminder_claims() -> None:
    op.create_table(
        "reminder_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("for_due", sa.Date(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ux_reminder_claim", "reminder_claims", ["reference", "key", "for_due"],
                    unique=True)  # fmt: skip


def _reminder_schedule() -> None:
    op.create_table(
        "reminder_schedule",
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("next_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("reference"),
    )
    op.create_index("ix_reminder_schedule_next_on", "reminder_schedule", ["next_on"])


def _slack_seen_events() -> None:
    op.create_table(
        "slack_seen_events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_slack_seen_events_seen_at", "slack_seen_events", ["seen_at"])


_TABLES: dict[str, Callable[[], None]] = {
    "slack_posts": _slack_posts,
    "slack_renders": _slack_renders,
    "reminder_claims": _reminder_claims,
    "reminder_schedule": _reminder_schedule,
    "slack_seen_events": _slack_seen_events,
}
_ACK_INDEX = "ix_requests_ack_due_reminders"


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, create in _TABLES.items():
        if not inspector.has_table(name):
            create()
    if _ACK_INDEX not in {ix["name"] for ix in inspector.get_indexes("requests")}:
        op.create_index(_ACK_INDEX, "requests", ["ack_due"])


def downgrade() -> None:
    """Nothing: these tables belong to the earlier revisions' schema."""
