"""The unanswered-questions inbox: captured questions (redacted, a day, never a user),
daily question counts by outcome kind, and the redacted question kept beside a user's topic
while a "did you mean" may be answered or an answer marked 👎.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("guesses_json", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_inbox_entries_day", "inbox_entries", ["day"], unique=False)
    op.create_table(
        "question_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "kind"),
    )
    op.create_index("ix_question_counts_day", "question_counts", ["day"], unique=False)
    with op.batch_alter_table("conversation_topics") as batch:
        batch.add_column(sa.Column("question", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation_topics") as batch:
        batch.drop_column("question")
    op.drop_index("ix_question_counts_day", table_name="question_counts")
    op.drop_table("question_counts")
    op.drop_index("ix_inbox_entries_day", table_name="inbox_entries")
    op.drop_table("inbox_entries")
