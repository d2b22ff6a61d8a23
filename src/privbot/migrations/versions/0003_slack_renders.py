"""What each request's Slack message last showed, so a change made anywhere (a user's
cancellation on Telegram) and the daily days-left reach the message, and an unchanged message
is never updated (`slack_renders` in `adapters/persistence/tables.py`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-03-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_renders",
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("rendered_on", sa.Date(), nullable=False),
        sa.Column("request_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("reference"),
    )


def downgrade() -> None:
    op.drop_table("slack_renders")
