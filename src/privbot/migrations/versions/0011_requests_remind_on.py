"""Each request's next reminder day moves onto the request (`requests.remind_on`, indexed with
the due and acknowledgement dates), so a reminder sweep is a few index range queries instead
of reading every request in the due window; the `reminder_schedule` table it replaces is
copied over and dropped.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COPY_TO_REQUESTS = (
    "UPDATE requests SET remind_on = (SELECT s.next_on FROM reminder_schedule s"
    " WHERE s.reference = requests.reference)"
)
_COPY_TO_SCHEDULE = (
    "INSERT INTO reminder_schedule (reference, next_on)"
    " SELECT reference, remind_on FROM requests WHERE remind_on IS NOT NULL"
)


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("remind_on", sa.Date(), nullable=True))
    op.execute(_COPY_TO_REQUESTS)
    op.create_index("ix_requests_remind_on_due", "requests", ["remind_on", "due"])
    op.create_index("ix_requests_remind_on_ack_due", "requests", ["remind_on", "ack_due"])
    op.drop_index("ix_reminder_schedule_next_on", table_name="reminder_schedule")
    op.drop_table("reminder_schedule")


def downgrade() -> None:
    op.create_table(
        "reminder_schedule",
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("next_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("reference"),
    )
    op.create_index("ix_reminder_schedule_next_on", "reminder_schedule", ["next_on"])
    op.execute(_COPY_TO_SCHEDULE)
    op.drop_index("ix_requests_remind_on_ack_due", table_name="requests")
    op.drop_index("ix_requests_remind_on_due", table_name="requests")
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("remind_on")
