"""Encryption at rest of personal data (policy section 4): Fernet tokens, several keys for
rotation.

`PRIVBOT_ENCRYPTION_KEY` holds one or more Fernet keys separated by commas; the first encrypts,
all of them decrypt, and `privbot db rotate-key` re-encrypts every stored value with the first.

Without the variable:
- with a SQLite database (local use), a key is generated once and kept beside the database
  file as `<file>.key` (mode 0600), and start-up says so; an in-memory database gets a key that
  lives as long as the process;
- with any other database (production) start-up stops with one line naming the variable.

Values stored before encryption existed (plain text) are still read, and `rotate-key`
encrypts them. A Fernet token always starts with `gAAAAA` (version byte 0x80), which no
stored plain value (a JSON list or an e-mail address) does.

A start checks the keys' format and the key check's token (`authenticates`) with the standard
library: `cryptography` (9 MB) is loaded at the first value encrypted or decrypted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from privbot.errors import ConfigError

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

TOKEN_PREFIX = "gAAAAA"
LOCAL_KEY_NOTICE = (
    "PRIVBOT_ENCRYPTION_KEY is not set: personal data is encrypted with the key in {path}, "
    "beside the SQLite file; keep the two together, and set PRIVBOT_ENCRYPTION_KEY in production."
)
UNREADABLE = (
    "PRIVBOT_ENCRYPTION_KEY: a stored value cannot be decrypted with any of the keys (keep the "
    "old key after the new one until `privbot db rotate-key` has run)"
)
KEY_REQUIRED = (
    "PRIVBOT_ENCRYPTION_KEY: required with a non-SQLite database (generate one with "
    "`privbot db new-key`)"
)


def new_key() -> bytes:
    """A new random Fernet key (what `Fernet.generate_key` returns)."""
    return base64.urlsafe_b64encode(os.urandom(32))


def _key_bytes(key: bytes) -> bytes:
    """The 32 bytes of a Fernet key; ValueError as `Fernet(key)` raises it when malformed."""
    try:
        raw = base64.urlsafe_b64decode(key)
    except binascii.Error as exc:
        raise ValueError("Fernet key must be 32 url-safe base64-encoded bytes.") from exc
    if len(raw) != 32:
        raise ValueError("Fernet key must be 32 url-safe base64-encoded bytes.")
    return raw


class Cipher:
    """Encrypts and decrypts text values; the first key is the current one."""

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ValueError("at least one key")
        self._keys = keys
        # Fernet signs a token with the first half of its key (HMAC-SHA256).
        self._signing_keys = [_key_bytes(k)[:16] for k in keys]

    @cached_property
    def _fernet(self) -> MultiFernet:
        from cryptography.fernet import Fernet, MultiFernet

        return MultiFernet([Fernet(k) for k in self._keys])

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, value: str) -> str:
        """The plain text of a token; a legacy plain value comes back unchanged."""
        if not value.startswith(TOKEN_PREFIX):
            return value
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(value.encode()).decode()
        except InvalidToken as exc:
            raise ConfigError(UNREADABLE) from exc

    def authenticates(self, token: str) -> bool:
        """True when `token` is a Fernet token signed with one of the keys: written with it.

        The checks `Fernet.decrypt` makes before decrypting (format, version, HMAC-SHA256 of
        the token's first half key), with the standard library.
        """
        try:
            data = base64.urlsafe_b64decode(token.encode())
        except binascii.Error:
            return False
        if len(data) < 9 or data[0] != 0x80:
            return False
        body, signature = data[:-32], data[-32:]
        return any(
            hmac.compare_digest(hmac.new(key, body, hashlib.sha256).digest(), signature)
            for key in self._signing_keys
        )

    def encrypt_opt(self, value: str | None) -> str | None:
        return None if value is None else self.encrypt(value)

    def decrypt_opt(self, value: str | None) -> str | None:
        return None if value is None else self.decrypt(value)

    def rotate(self, value: str) -> str:
        """`value` encrypted with the current key (plain legacy values get encrypted)."""
        if not value.startswith(TOKEN_PREFIX):
            return self.encrypt(value)
        return self._fernet.rotate(value.encode()).decode()


def parse_keys(raw: str) -> list[bytes]:
    """The comma-separated keys of PRIVBOT_ENCRYPTION_KEY; ConfigError naming it if bad."""
    keys = [k.strip().encode() for k in raw.split(",") if k.strip()]
    if not keys:
        raise ConfigError("PRIVBOT_ENCRYPTION_KEY: empty")
    for i, key in enumerate(keys, 1):
        try:
            _key_bytes(key)
        except ValueError as exc:
            raise ConfigError(
                f"PRIVBOT_ENCRYPTION_KEY: key {i} is not a Fernet key (32 url-safe base64 bytes;"
                " generate one with `privbot db new-key`)"
            ) from exc
    return keys


@dataclass(frozen=True, slots=True)
class KeySource:
    """Where the cipher's keys came from: the variable, a local key file, or memory."""

    cipher: Cipher
    signing_key: bytes | None = None  # the current (first) key of PRIVBOT_ENCRYPTION_KEY
    local_file: Path | None = None  # set when the key is the generated local one
    created: bool = False  # the local key was generated just now
    ephemeral: bool = False

    def notice(self) -> str | None:
        """What start-up should say about the key, if anything."""
        if self.local_file is None:
            return None
        return LOCAL_KEY_NOTICE.format(path=self.local_file)


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite URL, None for other databases; `:memory:` gives Path(':memory:')."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if database_url.startswith(prefix):
            rest = database_url.removeprefix(prefix).split("?", 1)[0]
            return Path(rest or ":memory:")
    if database_url in ("sqlite://", "sqlite+pysqlite://"):
        return Path(":memory:")
    return None


def load_cipher(encryption_key: str | None, database_url: str) -> KeySource:
    """The cipher for these settings (see the module docstring for the rules)."""
    if encryption_key:
        keys = parse_keys(encryption_key)
        return KeySource(Cipher(keys), signing_key=keys[0])
    path = sqlite_path(database_url)
    if path is None:
        raise ConfigError(KEY_REQUIRED)
    if str(path) == ":memory:":
        return KeySource(Cipher([new_key()]), ephemeral=True)
    key_file = path.with_name(path.name + ".key")
    try:
        key, created = _local_key(key_file)
    except OSError as exc:  # no such folder, read-only: a setting to fix, not a trace
        raise ConfigError(
            f"PRIVBOT_DATABASE_URL: cannot create {key_file}: {exc.strerror}"
        ) from exc
    return KeySource(Cipher([key]), local_file=key_file, created=created)


def _local_key(key_file: Path) -> tuple[bytes, bool]:
    """Read the local key, or create it (0600, never overwritten: O_EXCL); True if created."""
    try:
        return key_file.read_bytes().strip(), False
    except FileNotFoundError:
        pass
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = new_key()
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return _written_key(key_file), False
    with os.fdopen(fd, "wb") as f:
        f.write(key + b"\n")
    return key, True


def _written_key(key_file: Path, wait: float = 5.0) -> bytes:
    """The key another process has just created (it may not have written it yet)."""
    deadline = time.monotonic() + wait
    while True:
        key = key_file.read_bytes().strip()
        if key or time.monotonic() > deadline:
            return key
        time.sleep(0.01)


__all__ = ["Cipher", "KeySource", "load_cipher", "new_key", "parse_keys", "sqlite_path"]
