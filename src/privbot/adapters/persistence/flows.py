"""A request being filled in: the flow state (encrypted: it holds what the user typed) and the
verification code (hashed), one of each per user."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy import select as sa_select

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence.orm import Session, select
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

_c = table_of(FlowRow).c
_LOAD = sa_select(_c.state_json, _c.updated_at).where(*owned_by_owner(_c))  # every message


def load(s: Session, cipher: Cipher, key: UserKey) -> tuple[dict[str, Any], datetime] | None:
    row = s.execute(_LOAD, owner(key)).first()
    return state_of(cipher, row.state_json, row.updated_at) if row is not None else None


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
