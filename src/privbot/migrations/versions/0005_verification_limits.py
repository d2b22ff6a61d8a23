"""Limits on e-mail verification that survive restarted flows, several accounts and several
instances (`verification_limits`, counters keyed by an HMAC, never an address in clear), and
the staff alerts they raise (`verification_alerts`).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "verification_limits",
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("hour_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hour_count", sa.Integer(), nullable=False),
        sa.Column("day_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("day_count", sa.Integer(), nullable=False),
        sa.Column("strikes", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("verification_limits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verification_limits_last_at"), ["last_at"])
    op.create_table(
        "verification_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("strikes", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "day"),
    )
    with op.batch_alter_table("verification_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verification_alerts_posted_at"), ["posted_at"])


def downgrade() -> None:
    with op.batch_alter_table("verification_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_alerts_posted_at"))
    op.drop_table("verification_alerts")
    with op.batch_alter_table("verification_limits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_limits_last_at"))
    op.drop_table("verification_limits")
