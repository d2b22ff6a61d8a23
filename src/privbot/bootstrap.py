"""The one place that wires settings -> engine, repository, mailer, calendar, knowledge,
services. Nothing else creates engines or clients."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from privbot.adapters.crypto import KeySource, load_cipher
from privbot.adapters.db import SqlRepository
from privbot.adapters.holiday_calendar import holiday_checker
from privbot.adapters.mail import ConsoleMailer, SmtpMailer, parse_smtp_url
from privbot.config import Settings
from privbot.content.knowledge import Knowledge, load_knowledge
from privbot.content.live import KnowledgeStore
from privbot.core.matching import Matcher
from privbot.core.retention import RetentionPolicy
from privbot.core.verification import RandomSource
from privbot.services import ConversationService, RequestService
from privbot.services.ports import Mailer


@dataclass(frozen=True, slots=True)
class App:
    """Everything a command or channel adapter needs, built once."""

    settings: Settings
    engine: Engine
    repo: SqlRepository
    requests: RequestService
    conversation: ConversationService
    knowledge: Callable[[], Knowledge]
    store: KnowledgeStore  # the live knowledge; `store.reload()` swaps it after checks
    mailer: Mailer
    mail_is_local: bool  # console mailer: say so at start-up
    keys: KeySource | None = None  # where the encryption key came from (local file: say so)


def build_engine(settings: Settings) -> Engine:
    """The engine; SQL parameters are never put in logs or error messages (personal data)."""
    url = settings.database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def prepare_database(settings: Settings, engine: Engine) -> None:
    """Apply migrations when allowed (PRIVBOT_AUTO_MIGRATE=1, or a SQLite database: local use
    works out of the box); otherwise ConfigError unless the schema is current."""
    from privbot.adapters.migrate import ensure_schema

    ensure_schema(engine, auto=settings.auto_migrate or engine.dialect.name == "sqlite")


def build_repository(settings: Settings) -> SqlRepository:
    """The repository alone (for staff commands that need no knowledge or mailer)."""
    keys = load_cipher(settings.encryption_key, settings.database_url)
    engine = build_engine(settings)
    prepare_database(settings, engine)
    return SqlRepository(engine, keys.cipher)


def build_knowledge(settings: Settings) -> Knowledge:
    """Policy + intents + matcher + answers; raises ContentError on broken files."""
    from privbot.adapters.langdetect_scorer import langdetect_scorer

    return load_knowledge(
        contact_email=settings.contact_email,
        corpus_dir=settings.corpus_dir,
        intents_dir=settings.intents_dir,
        ngram_scorer=langdetect_scorer(),
    )


def build_matcher(settings: Settings) -> Matcher:
    return build_knowledge(settings).matcher


def build_mailer(settings: Settings, console: TextIO | None = None) -> tuple[Mailer, bool]:
    """The SMTP mailer of PRIVBOT_SMTP_URL, else the console one (local use only)."""
    if settings.smtp_url:
        return SmtpMailer(parse_smtp_url(settings.smtp_url), settings.mail_from), False
    return ConsoleMailer(console), True


def retention_policy(settings: Settings) -> RetentionPolicy:
    return RetentionPolicy(settings.flow_retention_hours, settings.record_retention_months)


def code_secret(settings: Settings, repo: SqlRepository) -> bytes:
    """The HMAC key of verification codes: derived from PRIVBOT_ENCRYPTION_KEY when set,
    else a random key generated once and kept in the database (shared by all instances)."""
    if settings.encryption_key:  # the current (first) key: rotation voids live codes only
        key = settings.encryption_key.split(",")[0].strip().encode()
        return hmac.new(key, b"privbot verification codes", hashlib.sha256).digest()
    return bytes.fromhex(repo.secret("verification_hmac", secrets.token_hex(32)))


def build_app(
    settings: Settings,
    *,
    knowledge: Knowledge | None = None,
    mailer: Mailer | None = None,
    mail_console: TextIO | None = None,
    rng: RandomSource | None = None,
) -> App:
    """Wire everything. Tests may pass a prepared knowledge, mailer or seeded RNG."""
    keys = load_cipher(settings.encryption_key, settings.database_url)  # before any I/O
    engine = build_engine(settings)
    prepare_database(settings, engine)
    repo = SqlRepository(engine, keys.cipher)
    loaded = knowledge or build_knowledge(settings)
    local = False
    if mailer is None:
        mailer, local = build_mailer(settings, mail_console)
    store = KnowledgeStore(loaded, lambda: build_knowledge(settings))
    requests = RequestService(
        repo,
        holiday_checker(settings.holidays_country),
        ZoneInfo(settings.timezone),
        lambda: store.current().catalogue,
    )
    conversation = ConversationService(
        repo,
        requests,
        mailer,
        store.current,
        code_secret(settings, repo),
        rng or secrets.SystemRandom(),
        retention_policy(settings),
    )
    return App(
        settings, engine, repo, requests, conversation, store.current, store, mailer, local, keys
    )
