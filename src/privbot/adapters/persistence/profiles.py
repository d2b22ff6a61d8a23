"""Users' profiles (language, jurisdiction), found by (channel, external_id)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection

from privbot.adapters.persistence.orm import Session
from privbot.adapters.persistence.sql import dialect_of, upsert
from privbot.adapters.persistence.tables import (
    UserRow,
    from_db,
    owned_by,
    owned_by_owner,
    owner,
    table_of,
    to_db,
)
from privbot.core.model import Jurisdiction, Language, UserKey
from privbot.core.records import UserProfile

# Read for every message: built once (`sql.upsert` for the write).
_TABLE = table_of(UserRow)
_c = _TABLE.c
_GET = sa_select(_c.language, _c.language_chosen, _c.jurisdiction, _c.created_at).where(
    *owned_by_owner(_c)
)
_KEYS = ("channel", "external_id")
_CHANGED = ("language", "language_chosen", "jurisdiction")


def get(s: Connection | Session, key: UserKey) -> UserProfile | None:
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


def save(s: Connection | Session, profile: UserProfile, now: datetime) -> None:
    """Insert or update (one statement: another instance may create the same user)."""
    values = {
        "language": str(profile.language) if profile.language else None,
        "language_chosen": profile.language_chosen,
        "jurisdiction": str(profile.jurisdiction) if profile.jurisdiction else None,
    }
    stmt = upsert(dialect_of(s), _TABLE, _KEYS, _CHANGED, ("created_at",))
    s.execute(stmt, owner(profile.key) | values | {"created_at": to_db(now)})


def delete_row(s: Session, key: UserKey) -> None:
    s.exec(delete(UserRow).where(*owned_by(UserRow, key)))
