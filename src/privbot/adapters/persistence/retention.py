"""The retention purge (rules in `core.retention`, job in `services.retention`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, or_

from privbot.adapters.persistence.handoffs import purge as purge_handoffs
from privbot.adapters.persistence.inbox import purge as purge_inbox
from privbot.adapters.persistence.orm import Session, col, select
from privbot.adapters.persistence.sql import rowcount
from privbot.adapters.persistence.tables import (
    AuditRow,
    CodeRow,
    FlowRow,
    OutboxRow,
    ReminderClaimRow,
    RequestRow,
    SlackPostRow,
    SlackRenderRow,
    TelegramUpdateRow,
    TopicRow,
    VerificationAlertRow,
    VerificationLimitRow,
    to_db,
)
from privbot.core.abuse import forgettable_before
from privbot.core.requests import CLOSED_STATUSES, RequestStatus
from privbot.core.retention import PurgeCounts

_BATCH = 500
# Every table that keeps rows under a request's reference: they go with the request. A new
# such table must be added here (tests/integration/test_database.py checks every table).
REFERENCE_KEYED: tuple[Any, ...] = (
    AuditRow,
    OutboxRow,
    SlackPostRow,
    SlackRenderRow,
    ReminderClaimRow,
)


def purge(
    s: Session, flows_before: datetime, closed_before: datetime, inbox_before: date | None = None
) -> PurgeCounts:
    """Delete flows changed, codes issued and topics noted before `flows_before`, verification
    counters as good as new by then and alerts posted before it, messages outside any request
    sent or given up before it, requests never verified received before it, requests closed
    before `closed_before` with every row kept under their reference (`REFERENCE_KEYED`), and
    inbox entries and counts of days before `inbox_before` (when given)."""
    flows_at, closed_at = to_db(flows_before), to_db(closed_before)
    n_flows = rowcount(s.exec(delete(FlowRow).where(col(FlowRow.updated_at) < flows_at)))
    n_codes = rowcount(s.exec(delete(CodeRow).where(col(CodeRow.issued_at) < flows_at)))
    s.exec(delete(TelegramUpdateRow).where(col(TelegramUpdateRow.seen_at) < flows_at))
    # Verification counters that are as good as new, and alerts posted long ago.
    limits_at = to_db(forgettable_before(flows_before))
    lim = VerificationLimitRow
    s.exec(
        delete(lim)
        .where(col(lim.last_at) < limits_at)
        .where(or_(col(lim.blocked_until).is_(None), col(lim.blocked_until) < limits_at))
    )
    s.exec(delete(VerificationAlertRow).where(col(VerificationAlertRow.posted_at) < flows_at))
    s.exec(delete(TopicRow).where(col(TopicRow.updated_at) < flows_at))
    # Messages outside any request (replies sent late, a `/privacy` export), once done with.
    done = or_(col(OutboxRow.sent_at) < flows_at, col(OutboxRow.given_up_at) < flows_at)
    n_replies = rowcount(
        s.exec(delete(OutboxRow).where(col(OutboxRow.reference).is_(None)).where(done))
    )
    unverified = s.exec(
        select(RequestRow.reference)
        .where(RequestRow.status == str(RequestStatus.RECEIVED))
        .where(col(RequestRow.received_at) < flows_at)
    ).all()
    old = s.exec(
        select(RequestRow.reference)
        .where(col(RequestRow.status).in_([str(x) for x in CLOSED_STATUSES]))
        .where(col(RequestRow.closed_at) < closed_at)
    ).all()
    purge_handoffs(s, closed_before)  # kept as long as requests
    n_inbox = purge_inbox(s, inbox_before) if inbox_before is not None else 0
    deleted = dict.fromkeys(REFERENCE_KEYED, 0)
    refs = [*unverified, *old]
    for i in range(0, len(refs), _BATCH):
        batch = refs[i : i + _BATCH]
        for model in REFERENCE_KEYED:
            deleted[model] += rowcount(s.exec(delete(model).where(col(model.reference).in_(batch))))
        s.exec(delete(RequestRow).where(col(RequestRow.reference).in_(batch)))
    return PurgeCounts(
        n_flows,
        n_codes,
        len(unverified),
        len(old),
        deleted[AuditRow],
        deleted[OutboxRow] + n_replies,
        n_inbox,
    )
