"""A verification code records whether its mail went (`verification_codes.mailed`): a code
committed by an instance that stopped before mailing it is known, and the replay of the
message (or the same address typed again) mails a new one. Codes stored before it were
mailed or taken back, as then: they are marked mailed.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("verification_codes") as batch:
        batch.add_column(
            sa.Column("mailed", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("verification_codes") as batch:
        batch.drop_column("mailed")
