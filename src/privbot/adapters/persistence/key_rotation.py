"""`privbot db rotate-key`: every encrypted value re-encrypted with the current (first) key.

It may run while instances of the bot write the same rows. Each value is rewritten by one
conditional statement, `UPDATE t SET col = :new WHERE id = :id AND col = :old`: a value
another instance wrote after the batch was read (a flow stepped, a queued message sent and its
file emptied) is left as that instance wrote it, with its current key, instead of being put
back to the copy read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, bindparam, case, null, select, update
from sqlalchemy.engine import Connection, Engine

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence import secrets
from privbot.adapters.persistence.requests import ENCRYPTED
from privbot.adapters.persistence.sql import rowcount
from privbot.adapters.persistence.tables import (
    app_secrets,
    flow_states,
    handoff_messages,
    outbox,
    requests,
    telegram_updates,
)

_BATCH = 500
# Every encrypted column, by table and its key column (the canary of `secrets.check_key` is
# rotated with them).
_FIELDS: tuple[tuple[Table, str, tuple[str, ...]], ...] = (
    (requests, "id", ENCRYPTED),
    (flow_states, "id", ("state_json",)),
    (outbox, "id", ("text", "attachment")),
    (handoff_messages, "id", ("text",)),
    (telegram_updates, "update_id", ("payload",)),
)


@dataclass(frozen=True)
class Rotation:
    rows: int  # rows with at least one value re-encrypted
    changed_meanwhile: int  # values another writer changed after they were read: left as is


def rotate(engine: Engine, cipher: Cipher) -> Rotation:
    """Re-encrypt in batches of `_BATCH` rows, one transaction each."""
    rows = changed = 0
    for table, key, names in _FIELDS:
        ident = table.c[key]
        read = select(ident, *(table.c[n] for n in names)).order_by(ident).limit(_BATCH)
        writes = {name: _rewrite(table, key, name) for name in names}
        last = 0
        while True:
            with engine.begin() as conn:
                batch = conn.execute(read.where(ident > last)).all()
                if not batch:
                    break
                for row in batch:
                    olds = {n: getattr(row, n) for n in names if getattr(row, n) is not None}
                    done = [_write(conn, writes[n], row[0], old, cipher) for n, old in olds.items()]
                    rows += any(done)
                    changed += done.count(False)
                last = batch[-1][0]
    with engine.begin() as conn:
        canary = secrets.get(conn, secrets.KEY_CHECK)
        if canary is not None:
            conn.execute(
                update(app_secrets)
                .where(app_secrets.c.name == secrets.KEY_CHECK)
                .values(value=cipher.rotate(canary))
            )
    return Rotation(rows, changed)


def _rewrite(table: Table, key: str, name: str) -> Any:
    """The conditional UPDATE of one value. A queued message's file is not re-encrypted once
    the message was sent or given up: it is emptied then, as `outbox.mark_sent` and
    `outbox.release` do (a copy left by an older rotation, which could put it back)."""
    column = table.c[name]
    new: Any = bindparam("new")
    if table is outbox and name == "attachment":
        undelivered = and_(table.c.sent_at.is_(None), table.c.given_up_at.is_(None))
        new = case((undelivered, new), else_=null())
    return (
        update(table)
        .where(table.c[key] == bindparam("ident"), column == bindparam("old"))
        .values({name: new})
    )


def _write(conn: Connection, statement: Any, ident: Any, old: str, cipher: Cipher) -> bool:
    """False when the value is no longer `old` (written meanwhile: nothing done)."""
    params = {"ident": ident, "old": old, "new": cipher.rotate(old)}
    return rowcount(conn.execute(statement, params)) == 1
