"""Values generated once and shared by every instance (`app_secrets`), and the check that the
encryption key is the one the database was written with.

The check is a canary: a known text encrypted with the key, stored on first start. At each
start it must be signed with one of the configured keys (Fernet's HMAC, checked without
loading `cryptography`); otherwise the instance was given another key than the data's and
refuses to start (one line), instead of failing later on every stored value and on half the
users' buttons. A database written before the canary
existed is checked on one stored encrypted value instead, then gets its canary.
`privbot db rotate-key` re-encrypts the canary with the rest.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from privbot.adapters.crypto import TOKEN_PREFIX, Cipher
from privbot.adapters.persistence.sql import insert
from privbot.adapters.persistence.tables import app_secrets, flow_states, outbox, requests
from privbot.errors import ConfigError

KEY_CHECK = "encryption_key_check"
_CANARY = "privbot encryption key check"
WRONG_KEY = (
    "PRIVBOT_ENCRYPTION_KEY: the database was written with another key (none of the keys "
    "given decrypts it); set the key it was written with, or put the new key first and the "
    "old one after it and run `privbot db rotate-key`"
)


def get(s: Connection, name: str) -> str | None:
    """The stored secret `name`, if any."""
    found = s.execute(select(app_secrets.c.value).where(app_secrets.c.name == name)).scalar()
    return str(found) if found is not None else None


def get_or_make(s: Connection, name: str, make: str) -> str:
    """The stored secret `name`, storing `make` first if there is none (first one wins)."""
    s.execute(insert(s, app_secrets).values(name=name, value=make).on_conflict_do_nothing())
    value = get(s, name)
    assert value is not None
    return value


def check_key(s: Connection, cipher: Cipher) -> None:
    """Raise ConfigError(WRONG_KEY) unless `cipher` reads the database; store the canary
    if there is none yet (see the module docstring)."""
    stored = get(s, KEY_CHECK)
    if stored is not None:
        canary = stored
    else:
        sample = _one_encrypted_value(s)
        if sample is not None and not cipher.authenticates(sample):
            raise ConfigError(WRONG_KEY)
        canary = get_or_make(s, KEY_CHECK, cipher.encrypt(_CANARY))
    if not cipher.authenticates(canary):
        raise ConfigError(WRONG_KEY)


def _one_encrypted_value(s: Connection) -> str | None:
    """One stored Fernet token (requests, flows or the outbox), if the database has any."""
    for column in (requests.c.details_json, flow_states.c.state_json, outbox.c.text):
        value = s.execute(select(column).where(column.startswith(TOKEN_PREFIX)).limit(1)).scalar()
        if value is not None:
            return str(value)
    return None
