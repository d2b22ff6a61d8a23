"""Each write of a flow row draws a token (`flow_states.write_token`), so that a message's
write can be made conditional on the row being the one it read, in the statement itself
(`UPDATE ... WHERE write_token = ...`): two instances writing the same user's flow within
milliseconds no longer overwrite each other. Rows written before it have the empty token.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("flow_states") as batch:
        batch.add_column(
            sa.Column("write_token", sa.String(length=16), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("flow_states") as batch:
        batch.drop_column("write_token")
