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

from sqlalchemy import Row, bindparam, or_, select, update
from sqlalchemy.engine import Connection

from privbot.adapters.persistence.sql import EngineStore, rowcount
from privbot.adapters.persistence.tables import (
    from_db,
    to_db,
    verification_alerts,
    verification_limits,
)
from privbot.core import abuse
from privbot.core.abuse import Action, Counter, Rule, Scope, StaffAlert, Verdict

_l = verification_limits.c
_STORE = (
    update(verification_limits)
    .where(_l.key == bindparam("k"))
    .values(
        hour_start=bindparam("hour_start"),
        hour_count=bindparam("hour_count"),
        day_start=bindparam("day_start"),
        day_count=bindparam("day_count"),
        strikes=bindparam("strikes"),
        blocked_until=bindparam("blocked_until"),
        last_at=bindparam("last_at"),
    )
)


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
        with self.engine.connect() as s:
            new = [{"key": k} for k in sorted(ids.values())]
            s.execute(self._insert(verification_limits).on_conflict_do_nothing(), new)
            rows = {
                r.key: r
                for r in s.execute(
                    select(verification_limits)
                    .where(_l.key.in_(list(ids.values())))
                    .order_by(_l.key)
                    .with_for_update()
                ).all()
            }
            counters = {scope: _counter(rows[k]) for scope, k in ids.items()}
            verdict = abuse.judge(action, counters, now, rules)
            if verdict.allowed:
                stored = [_stored(k, verdict.counters[scope]) for scope, k in ids.items()]
                s.execute(_STORE, sorted(stored, key=lambda v: v["k"]))
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
        a = verification_alerts.c
        with self.engine.connect() as s:
            candidates = s.execute(
                select(a.id)
                .where(a.posted_at.is_(None))
                .where(or_(a.claimed_at.is_(None), a.claimed_at < to_db(now - stale)))
                .order_by(a.id)
                .limit(limit)
            ).scalars()
            mine: list[StaffAlert] = []
            for alert_id in list(candidates):
                taken = s.execute(
                    update(verification_alerts)
                    .where(a.id == alert_id)
                    .where(a.posted_at.is_(None))
                    .where(or_(a.claimed_at.is_(None), a.claimed_at < to_db(now - stale)))
                    .values(claimed_by=owner, claimed_at=to_db(now))
                )
                if rowcount(taken) == 1:
                    row = s.execute(select(verification_alerts).where(a.id == alert_id)).one()
                    mine.append(_alert(row))
            s.commit()
            return mine

    def alert_posted(self, alert_id: int, owner: str, now: datetime) -> None:
        self._by_owner(alert_id, owner, posted_at=to_db(now))

    def release_alert(self, alert_id: int, owner: str) -> None:
        """Give a claim back after a failed post, so a later run posts it."""
        self._by_owner(alert_id, owner, claimed_by=None, claimed_at=None)

    def alerts(self) -> list[StaffAlert]:
        """Every alert, oldest first (for staff tools and tests)."""
        with self.engine.connect() as s:
            a = verification_alerts.c
            return [_alert(r) for r in s.execute(select(verification_alerts).order_by(a.id))]

    # --- helpers --------------------------------------------------------------------------
    def _count_alert(self, s: Connection, alert: abuse.Alert, now: datetime) -> None:
        """One more occurrence of `alert` today: a new row, or the day's row counted up."""
        a = verification_alerts.c
        values: dict[str, Any] = {
            "kind": alert.kind,
            "day": to_db(now).date(),
            "strikes": alert.strikes,
            "until": to_db(alert.until),
            "occurrences": 1,
            "created_at": to_db(now),
        }
        stmt = self._insert(verification_alerts).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["kind", "day"],
            set_={
                "occurrences": a.occurrences + 1,
                "strikes": stmt.excluded.strikes,
                "until": stmt.excluded.until,
            },
        )
        s.execute(stmt)

    def _by_owner(self, alert_id: int, owner: str, **values: Any) -> None:
        a = verification_alerts.c
        with self.engine.connect() as s:
            s.execute(
                update(verification_alerts)
                .where(a.id == alert_id)
                .where(a.claimed_by == owner)
                .where(a.posted_at.is_(None))
                .values(**values)
            )
            s.commit()


def _alert(row: Row[Any]) -> StaffAlert:
    return StaffAlert(row.id, row.kind, row.day, row.strikes, from_db(row.until), row.occurrences)


def _counter(row: Row[Any]) -> Counter:
    return Counter(
        _utc(row.hour_start),
        row.hour_count,
        _utc(row.day_start),
        row.day_count,
        row.strikes,
        _utc(row.blocked_until),
        _utc(row.last_at),
    )


def _stored(key: str, c: Counter) -> dict[str, Any]:
    """The parameters of `_STORE` writing `c` as the counters of `key`."""
    return {
        "k": key,
        "hour_start": _utc(c.hour_start),
        "hour_count": c.hour_count,
        "day_start": _utc(c.day_start),
        "day_count": c.day_count,
        "strikes": c.strikes,
        "blocked_until": _utc(c.blocked_until),
        "last_at": _utc(c.last_at),
    }
