"""Users' profiles (language, jurisdiction), found by (channel, external_id)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from privbot.adapters.persistence.sql import dialect_of, upsert
from privbot.adapters.persistence.tables import (
    from_db,
    owned_by,
    owned_by_owner,
    owner,
    to_db,
    users,
)
from privbot.core.model import Jurisdiction, Language, UserKey
from privbot.core.records import UserProfile

# Read for every message: built once (`sql.upsert` for the write).
_c = users.c
_GET = select(_c.language, _c.language_chosen, _c.jurisdiction, _c.created_at).where(
    *owned_by_owner(users)
)
_KEYS = ("channel", "external_id")
_CHANGED = ("language", "language_chosen", "jurisdiction")


def get(s: Connection, key: UserKey) -> UserProfile | None:
    row = s.execute(_GET, owner(key)).first()
    return profile_of(key, row) if row is not None else None


def profile_of(key: UserKey, row: Any) -> UserProfile:
    """The profile in a row with `_GET`'s columns (`user_rows` reads them too)."""
    return UserProfile(
        key,
        Language(row.language) if row.language else None,
        row.language_chosen,
        Jurisdiction(row.jurisdiction) if row.jurisdiction else None,
        from_db(row.created_at),
    )


def save(s: Connection, profile: UserProfile, now: datetime) -> None:
    """Insert or update (one statement: another instance may create the same user)."""
    values = {
        "language": str(profile.language) if profile.language else None,
        "language_chosen": profile.language_chosen,
        "jurisdiction": str(profile.jurisdiction) if profile.jurisdiction else None,
    }
    stmt = upsert(dialect_of(s), users, _KEYS, _CHANGED, ("created_at",))
    s.execute(stmt, owner(profile.key) | values | {"created_at": to_db(now)})


def delete_row(s: Connection, key: UserKey) -> None:
    s.execute(delete(users).where(*owned_by(users, key)))
