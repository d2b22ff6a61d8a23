"""Users' profiles (language, jurisdiction), found by (channel, external_id)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from privbot.adapters.persistence.orm import Session, select
from privbot.adapters.persistence.sql import insert
from privbot.adapters.persistence.tables import UserRow, from_db, owned_by, to_db
from privbot.core.model import Jurisdiction, Language, UserKey
from privbot.core.records import UserProfile


def get(s: Session, key: UserKey) -> UserProfile | None:
    row = s.exec(select(UserRow).where(*owned_by(UserRow, key))).first()
    if row is None:
        return None
    return UserProfile(
        key,
        Language(row.language) if row.language else None,
        row.language_chosen,
        Jurisdiction(row.jurisdiction) if row.jurisdiction else None,
        from_db(row.created_at),
    )


def save(s: Session, profile: UserProfile, now: datetime) -> None:
    """Insert or update (one statement: another instance may create the same user)."""
    values = {
        "language": str(profile.language) if profile.language else None,
        "language_chosen": profile.language_chosen,
        "jurisdiction": str(profile.jurisdiction) if profile.jurisdiction else None,
    }
    stmt = insert(s, UserRow).values(
        channel=profile.key.channel,
        external_id=profile.key.external_id,
        created_at=to_db(now),
        **values,
    )
    s.exec(stmt.on_conflict_do_update(index_elements=["channel", "external_id"], set_=values))


def delete_row(s: Session, key: UserKey) -> None:
    s.exec(delete(UserRow).where(*owned_by(UserRow, key)))
