"""`privbot db rotate-key`: every encrypted value re-encrypted with the current (first) key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Engine

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence.orm import Session, select
from privbot.adapters.persistence.requests import ENCRYPTED
from privbot.adapters.persistence.secrets import KEY_CHECK
from privbot.adapters.persistence.tables import (
    FlowRow,
    OutboxRow,
    RequestRow,
    SecretRow,
    TelegramUpdateRow,
)

_BATCH = 500
# Every encrypted column, by table and its key column (the canary of `secrets.check_key` is
# rotated with them).
_FIELDS: tuple[tuple[Any, str, tuple[str, ...]], ...] = (
    (RequestRow, "id", ENCRYPTED),
    (FlowRow, "id", ("state_json",)),
    (OutboxRow, "id", ("text", "attachment")),
    (TelegramUpdateRow, "update_id", ("payload",)),
)


def rotate(engine: Engine, cipher: Cipher) -> int:
    """Re-encrypt in batches of `_BATCH` rows, one transaction each; returns rows seen."""
    seen = 0
    for model, key, names in _FIELDS:
        column = getattr(model, key)
        last = 0
        while True:
            with Session(engine) as s:
                rows: Sequence[Any] = s.exec(
                    select(model).where(column > last).order_by(column).limit(_BATCH)
                ).all()
                if not rows:
                    break
                for row in rows:
                    for name in names:
                        value = getattr(row, name)
                        if value is not None:
                            setattr(row, name, cipher.rotate(value))
                    s.add(row)
                last = getattr(rows[-1], key)
                seen += len(rows)
                s.commit()
    with Session(engine) as s:
        canary = s.get(SecretRow, KEY_CHECK)
        if canary is not None:
            canary.value = cipher.rotate(canary.value)
            s.add(canary)
            s.commit()
    return seen
