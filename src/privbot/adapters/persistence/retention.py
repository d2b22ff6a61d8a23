"""The retention purge (rules in `core.retention`, job in `services.retention`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Table, delete, or_, select
from sqlalchemy.engine import Connection

from privbot.adapters.persistence.handoffs import purge as purge_handoffs
from privbot.adapters.persistence.inbox import purge as purge_inbox
from privbot.adapters.persistence.sql import rowcount
from privbot.adapters.persistence.tables import (
    audit_log,
    conversation_topics,
    flow_states,
    outbox,
    reminder_claims,
    requests,
    slack_posts,
    slack_renders,
    telegram_updates,
    to_db,
    verification_alerts,
    verification_codes,
    verification_limits,
)
from privbot.core.abuse import forgettable_before
from privbot.core.requests import CLOSED_STATUSES, RequestStatus
from privbot.core.retention import PurgeCounts

_BATCH = 500
# Every table that keeps rows under a request's reference: they go with the request. A new
# such table must be added here (tests/integration/test_database.py checks every table).
REFERENCE_KEYED: tuple[Table, ...] = (
    audit_log,
    outbox,
    slack_posts,
    slack_renders,
    reminder_claims,
)


def purge(
    s: Connection,
    flows_before: datetime,
    closed_before: datetime,
    inbox_before: date | None = None,
) -> PurgeCounts:
    """Delete flows changed, codes issued and topics noted before `flows_before`, verification
    counters as good as new by then and alerts posted before it, messages outside any request
    sent or given up before it, requests never verified received before it, requests closed
    before `closed_before` with every row kept under their reference (`REFERENCE_KEYED`), and
    inbox entries and counts of days before `inbox_before` (when given)."""
    flows_at, closed_at = to_db(flows_before), to_db(closed_before)
    n_flows = rowcount(s.execute(delete(flow_states).where(flow_states.c.updated_at < flows_at)))
    codes = verification_codes
    n_codes = rowcount(s.execute(delete(codes).where(codes.c.issued_at < flows_at)))
    s.execute(delete(telegram_updates).where(telegram_updates.c.seen_at < flows_at))
    # Verification counters that are as good as new, and alerts posted long ago.
    limits_at = to_db(forgettable_before(flows_before))
    lim = verification_limits.c
    s.execute(
        delete(verification_limits)
        .where(lim.last_at < limits_at)
        .where(or_(lim.blocked_until.is_(None), lim.blocked_until < limits_at))
    )
    s.execute(delete(verification_alerts).where(verification_alerts.c.posted_at < flows_at))
    s.execute(delete(conversation_topics).where(conversation_topics.c.updated_at < flows_at))
    # Messages outside any request (replies sent late, a `/privacy` export), once done with.
    o = outbox.c
    done = or_(o.sent_at < flows_at, o.given_up_at < flows_at)
    n_replies = rowcount(s.execute(delete(outbox).where(o.reference.is_(None)).where(done)))
    r = requests.c
    unverified = (
        s.execute(
            select(r.reference)
            .where(r.status == str(RequestStatus.RECEIVED))
            .where(r.received_at < flows_at)
        )
        .scalars()
        .all()
    )
    old = (
        s.execute(
            select(r.reference)
            .where(r.status.in_([str(x) for x in CLOSED_STATUSES]))
            .where(r.closed_at < closed_at)
        )
        .scalars()
        .all()
    )
    purge_handoffs(s, closed_before)  # kept as long as requests
    n_inbox = purge_inbox(s, inbox_before) if inbox_before is not None else 0
    deleted = dict.fromkeys(REFERENCE_KEYED, 0)
    refs = [*unverified, *old]
    for i in range(0, len(refs), _BATCH):
        batch = refs[i : i + _BATCH]
        for table in REFERENCE_KEYED:
            deleted[table] += rowcount(s.execute(delete(table).where(table.c.reference.in_(batch))))
        s.execute(delete(requests).where(r.reference.in_(batch)))
    return PurgeCounts(
        n_flows,
        n_codes,
        len(unverified),
        len(old),
        deleted[audit_log],
        deleted[outbox] + n_replies,
        n_inbox,
    )
