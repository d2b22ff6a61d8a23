"""Users' profiles (language, jurisdiction), found by (channel, external_id)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import Connection

from privbot.adapters.persistence.sql import Prepared, dialect_of, insert_of, upsert
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


def _values(profile: UserProfile) -> dict[str, Any]:
    return {
        "language": str(profile.language) if profile.language else None,
        "language_chosen": profile.language_chosen,
        "jurisdiction": str(profile.jurisdiction) if profile.jurisdiction else None,
    }


def save(s: Connection, profile: UserProfile, now: datetime) -> None:
    """Insert or update (one statement: another instance may create the same user)."""
    stmt = upsert(dialect_of(s), users, _KEYS, _CHANGED, ("created_at",))
    s.execute(stmt, owner(profile.key) | _values(profile) | {"created_at": to_db(now)})


# `replace`: the row of `of_*` set to the `new_*` values if it still has the `was_*` ones.
_REPLACE = Prepared(
    update(users)
    .where(
        _c.channel == bindparam("of_channel"),
        _c.external_id == bindparam("of_external_id"),
        _c.language.is_not_distinct_from(bindparam("was_language")),
        _c.language_chosen == bindparam("was_language_chosen"),
        _c.jurisdiction.is_not_distinct_from(bindparam("was_jurisdiction")),
    )
    .values({name: bindparam(f"new_{name}") for name in _CHANGED})
)


def _insert_new(dialect: str) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: a row only if there is none, and whether
    it was made (an insert's rowcount is not reliable on every driver)."""
    stmt = insert_of(dialect, users).values(
        {c: bindparam(c) for c in (*_KEYS, *_CHANGED, "created_at")}
    )
    return stmt.on_conflict_do_nothing(index_elements=list(_KEYS)).returning(_c.channel)


_INSERT_NEW = Prepared(_insert_new)


def replace(s: Connection, before: UserProfile | None, after: UserProfile, now: datetime) -> bool:
    """Write `after` if the row is still `before` (its language, choice and jurisdiction;
    None: there is no row), in one statement; False, nothing written, when it is not."""
    if before is None:
        values = owner(after.key) | _values(after) | {"created_at": to_db(now)}
        return _INSERT_NEW.first(s, values) is not None
    of = {f"of_{k}": v for k, v in owner(after.key).items()}
    was = {f"was_{k}": v for k, v in _values(before).items()}
    new = {f"new_{k}": v for k, v in _values(after).items()}
    return _REPLACE.rowcount(s, of | was | new) == 1


def delete_row(s: Connection, key: UserKey) -> None:
    s.execute(delete(users).where(*owned_by(users, key)))
