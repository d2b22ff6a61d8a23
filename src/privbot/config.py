"""Settings, read once from the environment (prefix PRIVBOT_).

A bad value stops start-up with one clear line naming the variable (see `load_settings`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

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
    reminder_interval_minutes: float = Field(default=15.0, gt=0)
    digest_hour: int = Field(default=9, ge=0, le=23)
    reminder_hour: int = Field(default=9, ge=0, le=23)  # no reminder before it (local time)
    encryption_key: str | None = None
    log_format: Literal["plain", "json"] = "plain"
    log_level: str = "INFO"
    flow_retention_hours: float = Field(default=72.0, gt=0)
    record_retention_months: int = Field(default=24, gt=0)
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
        import holidays

        if value.upper() not in holidays.list_supported_countries():
            raise ValueError(f"no public-holiday calendar for country {value!r}")
        return value.upper()

    @field_validator("http_listen")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        if value is None:
            return None
        host, sep, port = value.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("expected HOST:PORT, e.g. 0.0.0.0:8080")
        return value


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; turn a validation error into one line naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "PRIVBOT_" + str(first["loc"][0]).upper() if first["loc"] else "PRIVBOT_*"
        raise ConfigError(f"{name}: {first['msg']}") from exc
