"""Two indexes that another index of their table already covers, dropped: `question_counts`
(day) of 0010, the first column of its unique (day, kind), and `handoff_messages`
(handoff_id) of 0008, the first column of its unique (handoff_id, slack_ts). On SQLite and
PostgreSQL a lookup or range on the first column uses the unique index; the copies only cost
a write each.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_question_counts_day", table_name="question_counts")
    op.drop_index("ix_handoff_messages_handoff_id", table_name="handoff_messages")


def downgrade() -> None:
    op.create_index("ix_handoff_messages_handoff_id", "handoff_messages", ["handoff_id"])
    op.create_index("ix_question_counts_day", "question_counts", ["day"], unique=False)
