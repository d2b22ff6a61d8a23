"""A request being filled in: the flow state (encrypted: it holds what the user typed) and the
verification code (hashed), one of each per user."""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence.orm import Session, select
from privbot.adapters.persistence.sql import insert, rowcount
from privbot.adapters.persistence.tables import (
    CodeRow,
    FlowRow,
    from_db,
    owned_by,
    owned_by_owner,
    owner,
    table_of,
    to_db,
)
from privbot.core.model import UserKey
from privbot.core.verification import CodeRecord
from privbot.services.ports import StoredFlow

_c = table_of(FlowRow).c
_LOAD = sa_select(_c.state_json, _c.updated_at, _c.write_token).where(*owned_by_owner(_c))


def load(
    s: Connection | Session, cipher: Cipher, key: UserKey
) -> tuple[dict[str, Any], datetime] | None:
    stored = read(s, cipher, key)
    return (stored.state, stored.updated_at) if stored is not None else None


def read(s: Connection | Session, cipher: Cipher, key: UserKey) -> StoredFlow | None:
    row = s.execute(_LOAD, owner(key)).first()
    if row is None:
        return None
    state, at = state_of(cipher, row.state_json, row.updated_at)
    return StoredFlow(state, at, row.write_token)


def new_token() -> str:
    return secrets.token_hex(8)


def write_if(
    s: Connection | Session,
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
    same = (*owned_by(FlowRow, key), FlowRow.write_token == read_token)
    if state is None:  # with no row read, none to delete: another's row, if any, stands
        return read_token is None or rowcount(s.execute(delete(FlowRow).where(*same))) == 1
    assert now is not None
    values = {
        "state_json": cipher.encrypt(json.dumps(state, ensure_ascii=False)),
        "updated_at": to_db(now),
        "write_token": new_token(),
    }
    if read_token is None:
        new = insert(s, FlowRow).values(channel=key.channel, external_id=key.external_id, **values)
        # RETURNING tells what the rowcount does not on PostgreSQL (-1 for an INSERT here).
        return s.execute(new.on_conflict_do_nothing().returning(_c.id)).first() is not None
    return rowcount(s.execute(update(FlowRow).where(*same).values(**values))) == 1


def state_of(
    cipher: Cipher, state_json: str, updated_at: datetime
) -> tuple[dict[str, Any], datetime]:
    """A flow row's JSON, decrypted, and when it was written."""
    return json.loads(cipher.decrypt(state_json)), from_db(updated_at)


def save(s: Session, cipher: Cipher, key: UserKey, state: dict[str, Any], now: datetime) -> None:
    row = s.exec(select(FlowRow).where(*owned_by(FlowRow, key))).first()
    row = row or FlowRow(
        channel=key.channel, external_id=key.external_id, state_json="", updated_at=to_db(now)
    )
    row.state_json = cipher.encrypt(json.dumps(state, ensure_ascii=False))
    row.updated_at = to_db(now)
    row.write_token = new_token()
    s.add(row)
    s.flush()


def discard(s: Session, key: UserKey) -> None:
    s.exec(delete(FlowRow).where(*owned_by(FlowRow, key)))


def get_code(s: Session, key: UserKey) -> CodeRecord | None:
    row = s.exec(select(CodeRow).where(*owned_by(CodeRow, key))).first()
    if row is None:
        return None
    return CodeRecord(
        row.digest,
        row.salt,
        from_db(row.issued_at),
        from_db(row.expires_at),
        row.attempts,
        row.used,
    )


def save_code(s: Session, key: UserKey, record: CodeRecord) -> None:
    row = s.exec(select(CodeRow).where(*owned_by(CodeRow, key))).first()
    row = row or CodeRow(
        channel=key.channel,
        external_id=key.external_id,
        digest="",
        salt="",
        issued_at=to_db(record.issued_at),
        expires_at=to_db(record.expires_at),
    )
    row.digest, row.salt = record.digest, record.salt
    row.issued_at, row.expires_at = to_db(record.issued_at), to_db(record.expires_at)
    row.attempts, row.used = record.attempts, record.used
    s.add(row)
    s.flush()


def discard_code(s: Session, key: UserKey) -> None:
    s.exec(delete(CodeRow).where(*owned_by(CodeRow, key)))
