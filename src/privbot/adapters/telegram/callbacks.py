"""Signed callback_data: `<value>|<mac>` or `#<id>|<mac>` for values too long to fit.

The MAC is an HMAC-SHA256 over `<telegram user id>:<payload>` with a server secret, cut to
12 bytes (16 base64url characters). A button forged by a client, or forwarded to another
user, fails the check and is answered as expired; replays of a genuine button are the
engine's to judge (it answers "expired" for any choice it is not currently offering).

Telegram allows 64 bytes of callback_data. Values that do not fit are stored under a short
id in a `ValueStore` that lives in the database, so any instance can resolve them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Protocol

MAX_CALLBACK_DATA = 64
_MAC_BYTES = 12
_MAC_CHARS = 16  # base64url of 12 bytes, no padding
_SEP = "|"
_STORED = "#"
MAX_INLINE_VALUE = MAX_CALLBACK_DATA - _MAC_CHARS - len(_SEP)


class ValueStore(Protocol):
    """Keeps long option values under a short id, shared by every instance."""

    def put(self, value: str) -> str: ...
    def get(self, short_id: str) -> str | None: ...


class CallbackSigner:
    """Packs option values into callback_data bound to one user, and checks them back."""

    def __init__(self, secret: bytes, store: ValueStore | None = None) -> None:
        if len(secret) < 16:
            raise ValueError("callback secret too short")
        self._secret = secret
        self._store = store

    def _mac(self, user_id: int, payload: str) -> str:
        digest = hmac.new(self._secret, f"{user_id}:{payload}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:_MAC_BYTES]).decode().rstrip("=")

    def pack(self, user_id: int, value: str) -> str:
        """The callback_data for `value`, for this user only."""
        payload = value
        if len(value.encode()) > MAX_INLINE_VALUE or value.startswith(_STORED):
            if self._store is None:
                raise ValueError("option value too long for callback_data and no store")
            payload = _STORED + self._store.put(value)
        data = f"{payload}{_SEP}{self._mac(user_id, payload)}"
        assert len(data.encode()) <= MAX_CALLBACK_DATA
        return data

    def unpack(self, user_id: int, data: str) -> str | None:
        """The value if `data` was signed for this user, else None (forged or foreign)."""
        payload, sep, mac = data.rpartition(_SEP)
        if not sep or not hmac.compare_digest(mac, self._mac(user_id, payload)):
            return None
        if payload.startswith(_STORED):
            return self._store.get(payload[1:]) if self._store else None
        return payload


class SecretValueStore:
    """A ValueStore on top of the repository's first-writer-wins `secret(name, make)` table."""

    def __init__(self, repo: _SecretTable) -> None:
        self._repo = repo

    def put(self, value: str) -> str:
        short = base64.urlsafe_b64encode(hashlib.sha256(value.encode()).digest()[:15]).decode()
        self._repo.secret(f"tgcb:{short}", value)
        return short

    def get(self, short_id: str) -> str | None:
        value = self._repo.secret(f"tgcb:{short_id}", "")
        return value or None


class _SecretTable(Protocol):
    def secret(self, name: str, make: str) -> str: ...
