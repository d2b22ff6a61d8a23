"""`LimitStore`: the database side of the verification limits (`core.abuse`): counters and
staff alerts (every call is its own short transaction on the engine passed in).

`judge` reads the counters of one event's scopes, lets `core.abuse.judge` decide, and writes
the result back in one transaction that holds those rows: on PostgreSQL `SELECT ... FOR
UPDATE` (rows taken in key order, so two instances never deadlock), on SQLite the database
write lock, taken by the `INSERT ... ON CONFLICT DO NOTHING` that first creates missing rows.
So two instances, or two accounts at once, never both spend the last allowed event.

Alerts are counted per kind and day and posted once to the staff channel by whichever
instance claims them (`claim_alerts`, `alert_posted`, `release_alert`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update

from privbot.adapters.persistence.orm import Session, col, select
from privbot.adapters.persistence.sql import EngineStore, rowcount
from privbot.adapters.persistence.tables import (
    VerificationAlertRow,
    VerificationLimitRow,
    from_db,
    to_db,
)
from privbot.core import abuse
from privbot.core.abuse import Action, Counter, Rule, Scope, StaffAlert, Verdict


def _utc(dt: datetime | None) -> datetime | None:
    """Aware UTC, read or written (SQLite gives datetimes back naive)."""
    return None if dt is None else from_db(dt)


class LimitStore(EngineStore):
    """Verification counters and alerts in the shared database."""

    def judge(
        self,
        action: Action,
        keys: Mapping[Scope, str],
        now: datetime,
        rules: Mapping[tuple[Action, Scope], Rule] = abuse.RULES,
    ) -> Verdict:
        """Decide one `action` against the stored counters of `keys` and store the outcome."""
        ids = {scope: f"{action}:{scope}:{key}" for scope, key in keys.items()}
        with Session(self.engine) as s:
            s.exec(self._insert(VerificationLimitRow).on_conflict_do_nothing(),
                   params=[{"key": k} for k in sorted(ids.values())])  # fmt: skip
            rows = {
                r.key: r
                for r in s.exec(
                    select(VerificationLimitRow)
                    .where(col(VerificationLimitRow.key).in_(list(ids.values())))
                    .order_by(col(VerificationLimitRow.key))
                    .with_for_update()
                ).all()
            }
            counters = {scope: _counter(rows[k]) for scope, k in ids.items()}
            verdict = abuse.judge(action, counters, now, rules)
            if verdict.allowed:
                for scope, k in ids.items():
                    _store(rows[k], verdict.counters[scope])
                    s.add(rows[k])
            for alert in verdict.alerts:
                self._count_alert(s, alert, now)
            s.commit()
        return verdict

    # --- alerts for staff -----------------------------------------------------------------
    def claim_alerts(
        self, owner: str, now: datetime, stale: timedelta, limit: int = 10
    ) -> list[StaffAlert]:
        """Unposted alerts now claimed by `owner` (new ones, or ones claimed by an instance
        that died more than `stale` ago)."""
        a = VerificationAlertRow
        with Session(self.engine) as s:
            candidates = s.exec(
                select(a.id)
                .where(col(a.posted_at).is_(None))
                .where(or_(col(a.claimed_at).is_(None), col(a.claimed_at) < to_db(now - stale)))
                .order_by(col(a.id))
                .limit(limit)
            ).all()
            mine: list[StaffAlert] = []
            for alert_id in candidates:
                taken = s.exec(
                    update(a)
                    .where(col(a.id) == alert_id)
                    .where(col(a.posted_at).is_(None))
                    .where(or_(col(a.claimed_at).is_(None), col(a.claimed_at) < to_db(now - stale)))
                    .values(claimed_by=owner, claimed_at=to_db(now))
                )
                if rowcount(taken) == 1:
                    row = s.get(a, alert_id)
                    assert row is not None and row.id is not None
                    s.refresh(row)
                    mine.append(StaffAlert(row.id, row.kind, row.day, row.strikes,
                                           from_db(row.until), row.occurrences))  # fmt: skip
            s.commit()
            return mine

    def alert_posted(self, alert_id: int, owner: str, now: datetime) -> None:
        self._by_owner(alert_id, owner, posted_at=to_db(now))

    def release_alert(self, alert_id: int, owner: str) -> None:
        """Give a claim back after a failed post, so a later run posts it."""
        self._by_owner(alert_id, owner, claimed_by=None, claimed_at=None)

    def alerts(self) -> list[StaffAlert]:
        """Every alert, oldest first (for staff tools and tests)."""
        with Session(self.engine) as s:
            rows = s.exec(select(VerificationAlertRow).order_by(col(VerificationAlertRow.id)))
            return [
                StaffAlert(r.id or 0, r.kind, r.day, r.strikes, from_db(r.until), r.occurrences)
                for r in rows.all()
            ]

    # --- helpers --------------------------------------------------------------------------
    def _count_alert(self, s: Session, alert: abuse.Alert, now: datetime) -> None:
        """One more occurrence of `alert` today: a new row, or the day's row counted up."""
        a = VerificationAlertRow
        values: dict[str, Any] = {
            "kind": alert.kind,
            "day": to_db(now).date(),
            "strikes": alert.strikes,
            "until": to_db(alert.until),
            "occurrences": 1,
            "created_at": to_db(now),
        }
        stmt = self._insert(a).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["kind", "day"],
            set_={
                "occurrences": a.occurrences + 1,
                "strikes": stmt.excluded.strikes,
                "until": stmt.excluded.until,
            },
        )
        s.exec(stmt)

    def _by_owner(self, alert_id: int, owner: str, **values: Any) -> None:
        a = VerificationAlertRow
        with Session(self.engine) as s:
            s.exec(
                update(a)
                .where(col(a.id) == alert_id)
                .where(col(a.claimed_by) == owner)
                .where(col(a.posted_at).is_(None))
                .values(**values)
            )
            s.commit()


def _counter(row: VerificationLimitRow) -> Counter:
    return Counter(
        _utc(row.hour_start),
        row.hour_count,
        _utc(row.day_start),
        row.day_count,
        row.strikes,
        _utc(row.blocked_until),
        _utc(row.last_at),
    )


def _store(row: VerificationLimitRow, c: Counter) -> None:
    row.hour_start, row.hour_count = _utc(c.hour_start), c.hour_count
    row.day_start, row.day_count = _utc(c.day_start), c.day_count
    row.strikes, row.blocked_until, row.last_at = c.strikes, _utc(c.blocked_until), _utc(c.last_at)
