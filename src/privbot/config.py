"""Settings, read once from the environment (prefix PRIVBOT_).

A bad value stops start-up with one clear line naming the variable (see `load_settings`).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

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


class Settings:
    """Every PRIVBOT_* variable (README.md, Configuration).

    `Settings(**overrides)` reads the environment (names case-insensitive); a keyword given
    wins over its variable. Each value given is parsed and checked (a default is valid as it
    is); the first bad one, in this order, raises ConfigError naming its variable."""

    database_url: str
    telegram_token: str | None
    telegram_api_url: str
    telegram_webhook_url: str | None
    telegram_webhook_secret: str | None
    slack_bot_token: str | None
    slack_app_token: str | None
    slack_signing_secret: str | None
    slack_api_url: str
    slack_staff_channel: str | None
    slack_staff: str  # comma-separated Slack user ids, or a user group id (S...)
    http_listen: str | None
    smtp_url: str | None
    mail_from: str
    holidays_country: str
    # The controller's establishment: its law applies to every user (core.deadlines). EU, as
    # the French policy and the French holiday calendar imply.
    controller_establishment: Establishment
    timezone: str
    contact_email: str
    intents_dir: Path
    corpus_dir: Path
    # The built knowledge (matching index), kept between starts; "off": never written.
    cache_dir: Path | None
    reminder_interval_minutes: float
    digest_hour: int
    reminder_hour: int  # no reminder before it (local time)
    encryption_key: str | None
    log_format: Literal["plain", "json"]
    log_level: str
    # Bounded so that retention dates stay computable (a year of unfinished flows, a century
    # of records).
    flow_retention_hours: float
    record_retention_months: int
    # The unanswered-questions inbox (core.inbox): on by default, redacted, kept this long.
    inbox: bool
    inbox_retention_days: int
    slack_admin_channel: str | None  # the weekly inbox digest; default: staff channel
    auto_migrate: bool

    def __init__(self, **overrides: object) -> None:
        unknown = sorted(set(overrides) - set(_FIELDS))
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(unknown)}")
        env = {k.lower(): v for k, v in os.environ.items() if k.upper().startswith("PRIVBOT_")}
        for name, field in _FIELDS.items():
            if name in overrides:
                given: object = overrides[name]
            else:
                given = env.get(f"privbot_{name}", _DEFAULT)
            if given is _DEFAULT:  # valid as it is: nothing to load to check it
                setattr(self, name, field.default())
                continue
            try:
                setattr(self, name, field.check(given))
            except ValueError as exc:
                message = " ".join(str(exc).split())
                raise ConfigError(f"PRIVBOT_{name.upper()}: {message}") from exc

    def model_copy(self, *, update: Mapping[str, object]) -> Settings:
        """A copy with the values of `update` (given as typed values, not checked again)."""
        unknown = sorted(set(update) - set(_FIELDS))
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(unknown)}")
        copy = object.__new__(Settings)
        for name in _FIELDS:
            setattr(copy, name, update[name] if name in update else getattr(self, name))
        return copy

    def __repr__(self) -> str:  # names only: values include tokens and keys
        return f"Settings({', '.join(_FIELDS)})"


_DEFAULT = object()


@dataclass(frozen=True, slots=True)
class _Field:
    """How one setting is read: its default (a value or a factory) and its check, which
    turns the given value (a string from the environment, or a typed override) into the
    setting's value or raises ValueError with the message to show."""

    check: Callable[[Any], Any]
    default: Callable[[], object]


def _const(value: object) -> Callable[[], object]:
    return lambda: value


# --- the checks ----------------------------------------------------------------------------
def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("Input should be a valid string")
    return value


def _optional(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else check(value)


def _then(*checks: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def run(value: Any) -> Any:
        for check in checks:
            value = check(value)
        return value

    return run


def _bounded(value: float, gt: float | None, ge: float | None, le: float) -> None:
    if gt is not None and not value > gt:
        raise ValueError(f"Input should be greater than {gt:g}")
    if ge is not None and not value >= ge:
        raise ValueError(f"Input should be greater than or equal to {ge:g}")
    if not value <= le:
        raise ValueError(f"Input should be less than or equal to {le:g}")


# An integer as pydantic read one: "9", "+9", "1_000", and an integral decimal "9.0" / "9.00"
# (what a value written as a float, as some deployment tools do, looks like).
_INTEGER = re.compile(r"\s*([+-]?[0-9]+(?:_[0-9]+)*)(?:\.0+)?\s*")
_FRACTION = "Input should be a valid integer, got a number with a fractional part"


def _integer(*, le: int, gt: int | None = None, ge: int | None = None) -> Callable[[Any], int]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError("Input should be a valid integer")
        if isinstance(value, str):
            number = _integer_text(value)
        elif isinstance(value, float):
            if not math.isfinite(value):  # inf and nan have no fractional part to speak of
                raise ValueError("Input should be a finite number")
            if not value.is_integer():
                raise ValueError(_FRACTION)
            number = int(value)
        else:
            number = value
        _bounded(number, gt, ge, le)
        return number

    return check


def _integer_text(value: str) -> int:
    if match := _INTEGER.fullmatch(value):
        return int(match[1])
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if math.isfinite(number) and not number.is_integer():  # "9.5": a number, not a whole one
        raise ValueError(_FRACTION)
    raise ValueError("Input should be a valid integer, unable to parse string as an integer")


def _finite(*, gt: float, le: float) -> Callable[[Any], float]:
    def check(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError("Input should be a valid number")
        try:
            number = float(value.strip()) if isinstance(value, str) else float(value)
        except ValueError:
            raise ValueError(
                "Input should be a valid number, unable to parse string as a number"
            ) from None
        if not math.isfinite(number):
            raise ValueError("Input should be a finite number")
        _bounded(number, gt, None, le)
        return number

    return check


_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "off", "f", "false", "n", "no"}


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = value.strip().lower() if isinstance(value, str) else value
    if text in _TRUE or text == 1:
        return True
    if text in _FALSE or text == 0:
        return False
    raise ValueError("Input should be a valid boolean, unable to interpret input")


def _path(value: object) -> Path:
    if isinstance(value, Path):
        return value
    return Path(_text(value))


def _cache_dir(value: object) -> Path | None:
    if value is None or str(value).strip().lower() in ("off", ""):
        return None
    return _path(value)


def _log_format(value: object) -> str:
    if value not in ("plain", "json"):
        raise ValueError("Input should be 'plain' or 'json'")
    return str(value)


def _known_timezone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}") from exc
    return value


def _known_establishment(value: object) -> Establishment:
    text = str(value).strip().lower()
    if text not in {e.value for e in Establishment}:
        choices = ", ".join(e.value for e in Establishment)
        raise ValueError(f"unknown establishment {value!r}: expected one of {choices}")
    return Establishment(text)


def _known_country(value: str) -> str:
    # The registry's codes are those `holidays.list_supported_countries()` lists, without
    # importing every country's module.
    from holidays.registry import EntityLoader

    if value.upper() not in set(EntityLoader.get_country_codes()):
        raise ValueError(f"no public-holiday calendar for country {value!r}")
    return value.upper()


def _known_level(value: str) -> str:
    if value.upper() not in _LOG_LEVELS:
        raise ValueError(f"expected one of {', '.join(_LOG_LEVELS)}")
    return value.upper()


def _address(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("a line break or control character is not allowed")
    from email.utils import parseaddr

    _, address = parseaddr(value)
    if not _ADDRESS.fullmatch(address):
        raise ValueError("expected an e-mail address, e.g. privbot@example.org")
    return value


def _http_url(value: str) -> str:
    return _url(value, ("http", "https"))


def _https_url(value: str) -> str:
    return _url(value, ("https",))


def _smtp_url(value: str) -> str:
    return _url(value, ("smtp", "smtps"))


def _database_url(value: str) -> str:
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


def _telegram_token(value: str) -> str:
    if not _TELEGRAM_TOKEN.fullmatch(value):
        raise ValueError("not a Telegram bot token (digits:characters, from @BotFather)")
    return value


def _one_word(value: str) -> str:
    if _CONTROL.search(value) or " " in value:
        raise ValueError("a space, line break or control character is not allowed")
    return value


def _slack_ids(value: str) -> str:
    for part in value.split(","):
        if part.strip() and not _SLACK_ID.fullmatch(part.strip()):
            raise ValueError("expected Slack user ids (U...) or one user group id (S...)")
    return value


def _host_port(value: str) -> str:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("expected HOST:PORT, e.g. 0.0.0.0:8080")
    return value


_WORD = _optional(_then(_text, _one_word))
_FIELDS: dict[str, _Field] = {
    "database_url": _Field(_then(_text, _database_url), _default_database_url),
    "telegram_token": _Field(_optional(_then(_text, _telegram_token)), _const(None)),
    "telegram_api_url": _Field(_then(_text, _http_url), _const("https://api.telegram.org")),
    "telegram_webhook_url": _Field(_optional(_then(_text, _https_url)), _const(None)),
    "telegram_webhook_secret": _Field(_WORD, _const(None)),
    "slack_bot_token": _Field(_WORD, _const(None)),
    "slack_app_token": _Field(_WORD, _const(None)),
    "slack_signing_secret": _Field(_WORD, _const(None)),
    "slack_api_url": _Field(_then(_text, _http_url), _const("https://slack.com/api/")),
    "slack_staff_channel": _Field(_WORD, _const(None)),
    "slack_staff": _Field(_then(_text, _slack_ids), _const("")),
    "http_listen": _Field(_optional(_then(_text, _host_port)), _const(None)),
    "smtp_url": _Field(_optional(_then(_text, _smtp_url)), _const(None)),
    "mail_from": _Field(_then(_text, _address), _const("privbot@localhost")),
    "holidays_country": _Field(_then(_text, _known_country), _const("FR")),
    "controller_establishment": _Field(_known_establishment, _const(Establishment.EU)),
    "timezone": _Field(_then(_text, _known_timezone), _const("Europe/Paris")),
    "contact_email": _Field(_then(_text, _address), _const("privacy@qazar.cloud")),
    "intents_dir": _Field(_path, lambda: content_dir("intents")),
    "corpus_dir": _Field(_path, lambda: content_dir("policy_corpus")),
    "cache_dir": _Field(_cache_dir, default_cache_dir),
    "reminder_interval_minutes": _Field(_finite(gt=0, le=24 * 60), _const(15.0)),
    "digest_hour": _Field(_integer(ge=0, le=23), _const(9)),
    "reminder_hour": _Field(_integer(ge=0, le=23), _const(9)),
    "encryption_key": _Field(_WORD, _const(None)),
    "log_format": _Field(_log_format, _const("plain")),
    "log_level": _Field(_then(_text, _known_level), _const("INFO")),
    "flow_retention_hours": _Field(_finite(gt=0, le=24 * 366), _const(72.0)),
    "record_retention_months": _Field(_integer(gt=0, le=1200), _const(24)),
    "inbox": _Field(_flag, _const(True)),
    "inbox_retention_days": _Field(_integer(gt=0, le=3660), _const(30)),
    "slack_admin_channel": _Field(_WORD, _const(None)),
    "auto_migrate": _Field(_flag, _const(False)),
}


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
    """Read the environment once; a bad value raises ConfigError, one line naming the
    variable."""
    return Settings(**overrides)
