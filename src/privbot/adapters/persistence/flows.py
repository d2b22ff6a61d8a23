"""A request being filled in: the flow state (encrypted: it holds what the user typed) and the
verification code (hashed), one of each per user."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence.sql import dialect_of, insert, rowcount, upsert
from privbot.adapters.persistence.tables import (
    flow_states,
    from_db,
    owned_by,
    owned_by_owner,
    owner,
    to_db,
    verification_codes,
)
from privbot.core.model import UserKey
from privbot.core.verification import CodeRecord
from privbot.services.ports import StoredFlow

_c = flow_states.c
_LOAD = select(_c.state_json, _c.updated_at, _c.write_token).where(*owned_by_owner(flow_states))
_KEYS = ("channel", "external_id")
_FLOW = ("state_json", "updated_at", "write_token")
_CODE = ("digest", "salt", "issued_at", "expires_at", "attempts", "used")


def load(s: Connection, cipher: Cipher, key: UserKey) -> tuple[dict[str, Any], datetime] | None:
    stored = read(s, cipher, key)
    return (stored.state, stored.updated_at) if stored is not None else None


def read(s: Connection, cipher: Cipher, key: UserKey) -> StoredFlow | None:
    row = s.execute(_LOAD, owner(key)).first()
    if row is None:
        return None
    state, at = state_of(cipher, row.state_json, row.updated_at)
    return StoredFlow(state, at, row.write_token)


def new_token() -> str:
    return secrets.token_hex(8)


def write_if(
    s: Connection,
    cipher: Cipher,
    key: UserKey,
    read_token: str | None,
    state: dict[str, Any] | None,
    now: datetime | None,
) -> bool:
    """Write `state` as the flow row (None: delete the row) only if the row is still the one
    whose write drew `read_token` (None: only if there is no row), in one statement: an
    UPDATE or DELETE ... WHERE write_token = the one read, an INSERT ... ON CONFLICT DO
    NOTHING. Atomic on SQLite (one writer at a time) and on PostgreSQL (a row another
    transaction is writing is waited for, and the WHERE checked again on what it committed).
    False, nothing written, when another write came between the read and this one."""
    same = (*owned_by(flow_states, key), _c.write_token == read_token)
    if state is None:  # with no row read, none to delete: another's row, if any, stands
        return read_token is None or rowcount(s.execute(delete(flow_states).where(*same))) == 1
    assert now is not None
    values = {
        "state_json": cipher.encrypt(json.dumps(state, ensure_ascii=False)),
        "updated_at": to_db(now),
        "write_token": new_token(),
    }
    if read_token is None:
        new = insert(s, flow_states).values(
            channel=key.channel, external_id=key.external_id, **values
        )
        # RETURNING tells what the rowcount does not on PostgreSQL (-1 for an INSERT here).
        return s.execute(new.on_conflict_do_nothing().returning(_c.id)).first() is not None
    return rowcount(s.execute(update(flow_states).where(*same).values(**values))) == 1


def state_of(
    cipher: Cipher, state_json: str, updated_at: datetime
) -> tuple[dict[str, Any], datetime]:
    """A flow row's JSON, decrypted, and when it was written."""
    return json.loads(cipher.decrypt(state_json)), from_db(updated_at)


def save(s: Connection, cipher: Cipher, key: UserKey, state: dict[str, Any], now: datetime) -> None:
    """Insert or replace the flow row (one statement, whatever its write token)."""
    values = {
        "state_json": cipher.encrypt(json.dumps(state, ensure_ascii=False)),
        "updated_at": to_db(now),
        "write_token": new_token(),
    }
    s.execute(upsert(dialect_of(s), flow_states, _KEYS, _FLOW), owner(key) | values)


def discard(s: Connection, key: UserKey) -> None:
    s.execute(delete(flow_states).where(*owned_by(flow_states, key)))


def get_code(s: Connection, key: UserKey) -> CodeRecord | None:
    row = s.execute(select(verification_codes).where(*owned_by(verification_codes, key))).first()
    if row is None:
        return None
    return CodeRecord(
        row.digest,
        row.salt,
        from_db(row.issued_at),
        from_db(row.expires_at),
        row.attempts,
        row.used,
        row.mailed,
    )


def save_code(s: Connection, key: UserKey, record: CodeRecord) -> None:
    """Insert or replace the user's one code (one statement)."""
    upserted = upsert(dialect_of(s), verification_codes, _KEYS, _CODE)
    s.execute(upserted, owner(key) | _code_values(record))


def save_code_if(
    s: Connection, key: UserKey, read_digest: str | None, record: CodeRecord | None
) -> bool:
    """Write `record` as the user's code (None: delete it) only if the stored code is still
    the one read, known by its digest (None: only if there is none), in one statement, atomic
    as `write_if` is. False, nothing written, when another code was written between."""
    same = (*owned_by(verification_codes, key), verification_codes.c.digest == read_digest)
    if record is None:
        if read_digest is None:
            return True
        return rowcount(s.execute(delete(verification_codes).where(*same))) == 1
    values = _code_values(record)
    if read_digest is None:
        new = insert(s, verification_codes).values(
            channel=key.channel, external_id=key.external_id, **values
        )
        added = new.on_conflict_do_nothing().returning(verification_codes.c.id)
        return s.execute(added).first() is not None
    return rowcount(s.execute(update(verification_codes).where(*same).values(**values))) == 1


def _code_values(record: CodeRecord) -> dict[str, Any]:
    return {
        "digest": record.digest,
        "salt": record.salt,
        "issued_at": to_db(record.issued_at),
        "expires_at": to_db(record.expires_at),
        "attempts": record.attempts,
        "used": record.used,
        "mailed": record.mailed,
    }


def code_mailed(s: Connection, key: UserKey, digest: str) -> None:
    """Record that the code whose digest this is was mailed (nothing if it was replaced)."""
    same = (*owned_by(verification_codes, key), verification_codes.c.digest == digest)
    s.execute(update(verification_codes).where(*same).values(mailed=True))


def discard_code(s: Connection, key: UserKey) -> None:
    s.execute(delete(verification_codes).where(*owned_by(verification_codes, key)))
