"""The retention job (policy section 5; rules in `core.retention`).

`purge(repo, policy, now)` is what the scheduler's housekeeping and `privbot db purge` call:
it deletes what the bot no longer needs to keep and logs only the counts.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Protocol

from privbot.core.retention import PurgeCounts, RetentionPolicy

log = logging.getLogger(__name__)


class Purger(Protocol):
    """The repository side of retention (`adapters.persistence.repository.SqlRepository.purge`)."""

    def purge(
        self, flows_before: datetime, closed_before: datetime, inbox_before: date | None = None
    ) -> PurgeCounts: ...


def purge(repo: Purger, policy: RetentionPolicy, now: datetime) -> PurgeCounts:
    """Delete abandoned flows, old codes, unverified requests, expired records and old
    inbox entries."""
    counts = repo.purge(
        policy.flow_cutoff(now), policy.record_cutoff(now), policy.inbox_cutoff(now)
    )
    log.info(
        "retention purged flows=%d codes=%d unverified=%d closed=%d audit=%d outbox=%d inbox=%d",
        counts.flows,
        counts.codes,
        counts.unverified_requests,
        counts.closed_requests,
        counts.audit_lines,
        counts.notifications,
        counts.inbox,
    )
    return counts
