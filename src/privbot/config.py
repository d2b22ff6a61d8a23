"""Settings, read once from the environment (prefix PRIVBOT_).

A bad value stops start-up with one clear line naming the variable (see `load_settings`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from privbot.core.model import Establishment
from privbot.errors import ConfigError


def content_dir(name: str) -> Path:
    """`intents` or `policy_corpus`: the current folder's if there is one, else the copy
    shipped with the package (wheel) or the source tree's (editable install)."""
    here = Path(name)
    if here.is_dir():
        return here
    package = Path(__file__).resolve().parent
    for candidate in (package / "_content" / name, package.parents[1] / name):
        if candidate.is_dir():
            return candidate
    return here


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/privbot`, else `~/.cache/privbot`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "privbot"


def _default_database_url() -> str:
    return f"sqlite:///{Path.cwd() / 'privbot.sqlite3'}"


class Settings(BaseSettings):
    """Every PRIVBOT_* variable (README.md, Configuration)."""

    model_config = SettingsConfigDict(env_prefix="PRIVBOT_", extra="ignore")

    database_url: str = Field(default_factory=_default_database_url)
    telegram_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    slack_signing_secret: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_staff_channel: str | None = None
    slack_staff: str = ""  # comma-separated Slack user ids, or a user group id (S...)
    http_listen: str | None = None
    smtp_url: str | None = None
    mail_from: str = "privbot@localhost"
    holidays_country: str = "FR"
    # The controller's establishment: its law applies to every user (core.deadlines). EU, as
    # the French policy and the French holiday calendar imply.
    controller_establishment: Establishment = Establishment.EU
    timezone: str = "Europe/Paris"
    contact_email: str = "privacy@qazar.cloud"
    intents_dir: Path = Field(default_factory=lambda: content_dir("intents"))
    corpus_dir: Path = Field(default_factory=lambda: content_dir("policy_corpus"))
    # The built knowledge (matching index), kept between starts; "off": never written.
    cache_dir: Path | None = Field(default_factory=default_cache_dir)
    reminder_interval_minutes: float = Field(default=15.0, gt=0, le=24 * 60, allow_inf_nan=False)
    digest_hour: int = Field(default=9, ge=0, le=23)
    reminder_hour: int = Field(default=9, ge=0, le=23)  # no reminder before it (local time)
    encryption_key: str | None = None
    log_format: Literal["plain", "json"] = "plain"
    log_level: str = "INFO"
    # Bounded so that retention dates stay computable (a year of unfinished flows, a century
    # of records).
    flow_retention_hours: float = Field(default=72.0, gt=0, le=24 * 366, allow_inf_nan=False)
    record_retention_months: int = Field(default=24, gt=0, le=1200)
    # The unanswered-questions inbox (core.inbox): on by default, redacted, kept this long.
    inbox: bool = True
    inbox_retention_days: int = Field(default=30, gt=0, le=3660)
    slack_admin_channel: str | None = None  # the weekly inbox digest; default: staff channel
    auto_migrate: bool = False

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("controller_establishment", mode="before")
    @classmethod
    def _known_establishment(cls, value: object) -> object:
        text = str(value).strip().lower()
        if text not in {e.value for e in Establishment}:
            choices = ", ".join(e.value for e in Establishment)
            raise ValueError(f"unknown establishment {value!r}: expected one of {choices}")
        return text

    @field_validator("holidays_country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        # The registry's codes are those `holidays.list_supported_countries()` lists, without
        # importing every country's module.
        from holidays.registry import EntityLoader

        if value.upper() not in set(EntityLoader.get_country_codes()):
            raise ValueError(f"no public-holiday calendar for country {value!r}")
        return value.upper()

    @field_validator("cache_dir", mode="before")
    @classmethod
    def _cache_off(cls, value: object) -> object:
        return None if str(value).strip().lower() in ("off", "") else value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in _LOG_LEVELS:
            raise ValueError(f"expected one of {', '.join(_LOG_LEVELS)}")
        return value.upper()

    @field_validator("mail_from", "contact_email")
    @classmethod
    def _address(cls, value: str) -> str:
        if _CONTROL.search(value):
            raise ValueError("a line break or control character is not allowed")
        from email.utils import parseaddr

        _, address = parseaddr(value)
        if not _ADDRESS.fullmatch(address):
            raise ValueError("expected an e-mail address, e.g. privbot@example.org")
        return value

    @field_validator("telegram_api_url", "slack_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return _url(value, ("http", "https"))

    @field_validator("telegram_webhook_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        return None if value is None else _url(value, ("https",))

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str | None) -> str | None:
        return None if value is None else _url(value, ("smtp", "smtps"))

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError("not a database URL, e.g. postgresql+psycopg://u:p@host/db") from exc
        # The SQL (upserts, migrations) is written for these two; anything else would fail
        # later with a trace (`postgres://` is not SQLAlchemy's name for PostgreSQL).
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError(
                "privbot runs on SQLite or PostgreSQL, e.g. postgresql+psycopg://u:p@host/db"
            )
        try:
            url.get_dialect().import_dbapi()
        except (ImportError, ArgumentError) as exc:  # no such driver, or not installed
            raise ValueError(f"the driver of {url.drivername} is not installed") from exc
        return value

    @field_validator("telegram_token")
    @classmethod
    def _telegram_token(cls, value: str | None) -> str | None:
        if value is not None and not _TELEGRAM_TOKEN.fullmatch(value):
            raise ValueError("not a Telegram bot token (digits:characters, from @BotFather)")
        return value

    @field_validator(
        "slack_bot_token",
        "slack_app_token",
        "slack_signing_secret",
        "slack_staff_channel",
        "slack_admin_channel",
        "telegram_webhook_secret",
        "encryption_key",
    )
    @classmethod
    def _one_word(cls, value: str | None) -> str | None:
        if value is not None and (_CONTROL.search(value) or " " in value):
            raise ValueError("a space, line break or control character is not allowed")
        return value

    @field_validator("slack_staff")
    @classmethod
    def _slack_ids(cls, value: str) -> str:
        for part in value.split(","):
            if part.strip() and not _SLACK_ID.fullmatch(part.strip()):
                raise ValueError("expected Slack user ids (U...) or one user group id (S...)")
        return value

    @field_validator("http_listen")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        if value is None:
            return None
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("expected HOST:PORT, e.g. 0.0.0.0:8080")
        return value


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+")
_TELEGRAM_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
_SLACK_ID = re.compile(r"[A-Z0-9]+")


def _url(value: str, schemes: tuple[str, ...]) -> str:
    """`value` if it is a URL with one of `schemes` and a host (scheme names in the error)."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise ValueError("not a URL") from exc
    if _CONTROL.search(value) or parts.scheme not in schemes or not parts.hostname:
        raise ValueError("expected " + " or ".join(f"{s}://host..." for s in schemes))
    return value


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; turn a validation error into one line naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "PRIVBOT_" + str(first["loc"][0]).upper() if first["loc"] else "PRIVBOT_*"
        message = " ".join(str(first["msg"]).removeprefix("Value error, ").split())
        raise ConfigError(f"{name}: {message}") from exc
