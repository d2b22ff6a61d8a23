"""The composition root: the one place that turns settings into engines, clients, adapters and
services. Everything long-lived is built here once and handed to whoever needs it; no adapter
reads the settings or builds a client of its own.

    build_app(settings)          what every command needs: the database, the knowledge, the
                                 conversation and request use cases, the button signer
    build_service(app, clock)    what `privbot run` adds: Telegram, one Slack client with its
                                 store, staff directory and staff channel, the job scheduler
                                 and the content reporter (started by `privbot.runtime`)
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from privbot.adapters.crypto import KeySource, load_cipher, sqlite_path
from privbot.adapters.holiday_calendar import holiday_checker
from privbot.adapters.mail import ConsoleMailer, SmtpMailer, parse_smtp_url
from privbot.adapters.persistence.database_file import (
    WriterTurns,
    create_private,
    write_ahead_log,
)
from privbot.adapters.persistence.feedback import FeedbackStore
from privbot.adapters.persistence.limits import LimitStore
from privbot.adapters.persistence.repository import SqlRepository
from privbot.adapters.telegram.callbacks import CallbackSigner, SecretValueStore
from privbot.config import Settings
from privbot.content.knowledge import Knowledge, load_knowledge
from privbot.content.live import KnowledgeStore
from privbot.core.feedback import FeedbackCount
from privbot.core.retention import RetentionPolicy
from privbot.core.verification import RandomSource
from privbot.errors import ConfigError
from privbot.services import ConversationService, RequestService
from privbot.services.ports import Mailer

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

    from privbot.adapters.content_watcher import ProblemSink
    from privbot.adapters.persistence.slack_store import SlackStore
    from privbot.adapters.scheduler import JobScheduler
    from privbot.adapters.slack.alerts import AlertPoster
    from privbot.adapters.slack.connection import SlackTokens
    from privbot.adapters.slack.context import SlackContext
    from privbot.adapters.slack.poster import RequestPoster
    from privbot.adapters.slack.staff import StaffDirectory
    from privbot.adapters.slack.staff_channel import SlackStaffChannel
    from privbot.adapters.telegram.bot import PrivbotTelegram
    from privbot.adapters.telegram.connection import TelegramEndpoint
    from privbot.adapters.telegram.inbound import InboundLimit
    from privbot.services.reminders import ReminderService

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# The HMAC keys, by purpose: (what the current encryption key is derived with, the name of
# the random key kept in the database when PRIVBOT_ENCRYPTION_KEY is not set).
CODES = (b"privbot verification codes", "verification_hmac")
BUTTONS = (b"privbot telegram buttons", "telegram_callback_hmac")


@dataclass(frozen=True, slots=True)
class Derived:
    """What is computed from the settings, once: the keys, the SQLite file, the folders."""

    keys: KeySource
    sqlite_file: Path | None  # None: not SQLite; Path(":memory:") for an in-memory one
    intents_dir: Path
    corpus_dir: Path
    timezone: ZoneInfo


def derive(settings: Settings) -> Derived:
    """Parse the keys first: a bad key stops start-up before any I/O."""
    return Derived(
        keys=load_cipher(settings.encryption_key, settings.database_url),
        sqlite_file=sqlite_path(settings.database_url),
        intents_dir=settings.intents_dir.resolve(),
        corpus_dir=settings.corpus_dir.resolve(),
        timezone=ZoneInfo(settings.timezone),
    )


class StartupPhases:
    """How long each phase of a start took, for one log line (names and seconds only)."""

    def __init__(self) -> None:
        self.phases: list[tuple[str, float]] = []

    def record(self, name: str, started: float) -> float:
        """Record the phase `name` begun at `started` (perf_counter); returns now."""
        now = time.perf_counter()
        self.phases.append((name, now - started))
        return now

    def line(self) -> str:
        return ", ".join(f"{name} {seconds:.3f} s" for name, seconds in self.phases)


def settle() -> None:
    """Once started: everything the start made (modules, the knowledge) leaves the garbage
    collector's generations, so later collections, and the one at exit, skip it; the
    collector is on again (`privbot run` and `chat` start with it off). The knowledge holds
    no reference cycle: a replaced one is still freed (reference counts)."""
    gc.freeze()
    gc.enable()


@dataclass(frozen=True, slots=True)
class App:
    """Everything a command or channel adapter needs, built once."""

    settings: Settings
    derived: Derived
    engine: Engine
    repo: SqlRepository
    requests: RequestService
    conversation: ConversationService
    store: KnowledgeStore  # the live knowledge: `store.current()`; `store.reload()` swaps it
    mail_is_local: bool  # console mailer: say so at start-up
    signer: CallbackSigner  # Telegram's buttons
    startup: StartupPhases  # how long building it took, phase by phase

    @property
    def keys(self) -> KeySource:
        return self.derived.keys


def build_engine(settings: Settings, sqlite_file: Path | None = None) -> Engine:
    """The engine; SQL parameters are never put in logs or error messages (personal data)."""
    sqlite_file = sqlite_file or sqlite_path(settings.database_url)
    on_disk = sqlite_file is not None and str(sqlite_file) != ":memory:"
    if sqlite_file is not None and on_disk:
        create_private(sqlite_file)
    turns = WriterTurns() if on_disk else None
    # A SQLite file has no server to lose: no ping before each use of a pooled connection.
    engine = create_engine(
        settings.database_url,
        pool_pre_ping=sqlite_file is None,
        hide_parameters=True,
        connect_args={"factory": turns.connection_class()} if turns else {},
    )
    if turns is not None:
        write_ahead_log(engine)
        turns.watch(engine)
    return engine


def prepare_database(settings: Settings, engine: Engine) -> None:
    """Apply migrations when allowed (PRIVBOT_AUTO_MIGRATE=1, or a SQLite database: local use
    works out of the box); otherwise ConfigError unless the schema is current."""
    from privbot.adapters.migrate import ensure_schema

    ensure_schema(engine, auto=settings.auto_migrate or engine.dialect.name == "sqlite")


def _repository(settings: Settings, derived: Derived) -> SqlRepository:
    engine = build_engine(settings, derived.sqlite_file)
    prepare_database(settings, engine)
    repo = SqlRepository(engine, derived.keys.cipher)
    repo.check_key()  # another key than the data's: one line, before anything else runs
    return repo


def build_repository(settings: Settings) -> SqlRepository:
    """The repository alone (for staff commands that need no knowledge or mailer)."""
    return _repository(settings, derive(settings))


def feedback_counts(settings: Settings) -> list[FeedbackCount] | None:
    """The votes on answers held in the configured database, read only; None when there is
    none yet (no SQLite file, or a schema without them), so reading creates nothing."""
    from sqlalchemy.exc import SQLAlchemyError

    sqlite_file = sqlite_path(settings.database_url)
    if sqlite_file is not None and not sqlite_file.exists():
        return None
    engine = create_engine(settings.database_url, hide_parameters=True)
    try:
        return FeedbackStore(engine).feedback_counts()
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def build_knowledge(
    settings: Settings, derived: Derived | None = None, phases: StartupPhases | None = None
) -> Knowledge:
    """Policy + intents + matcher + answers; raises ContentError on broken files.

    From the knowledge cache (`PRIVBOT_CACHE_DIR`) when the content and the code are those
    it was built from; else built, and stored there."""
    from privbot.adapters.langdetect_scorer import langdetect_scorer
    from privbot.content.cache import cache_key, cached_knowledge

    corpus_dir = derived.corpus_dir if derived else settings.corpus_dir
    intents_dir = derived.intents_dir if derived else settings.intents_dir
    started = time.perf_counter()
    key = cache_key((intents_dir, corpus_dir), f"contact={settings.contact_email}")
    knowledge, hit = cached_knowledge(
        settings.cache_dir,
        key,
        lambda: load_knowledge(
            contact_email=settings.contact_email, corpus_dir=corpus_dir, intents_dir=intents_dir
        ),
    )
    knowledge.matcher.use_ngram_scorer(langdetect_scorer())
    if phases is not None:
        phases.record("knowledge from cache" if hit else "knowledge built", started)
    return knowledge


def build_mailer(settings: Settings, console: TextIO | None = None) -> tuple[Mailer, bool]:
    """The SMTP mailer of PRIVBOT_SMTP_URL, else the console one (local use only)."""
    if settings.smtp_url:
        return SmtpMailer(parse_smtp_url(settings.smtp_url), settings.mail_from), False
    return ConsoleMailer(console), True


def retention_policy(settings: Settings) -> RetentionPolicy:
    return RetentionPolicy(
        settings.flow_retention_hours,
        settings.record_retention_months,
        settings.inbox_retention_days,
    )


def hmac_secret(keys: KeySource, repo: SqlRepository, purpose: tuple[bytes, str]) -> bytes:
    """The HMAC key for `purpose`, the same on every instance: derived from the current (first)
    encryption key, so a rotation changes it once, when the new key is put first; without
    PRIVBOT_ENCRYPTION_KEY, a random key generated once and kept in the database."""
    info, name = purpose
    if keys.signing_key is not None:
        return hmac.new(keys.signing_key, info, hashlib.sha256).digest()
    return bytes.fromhex(repo.secret(name, secrets.token_hex(32)))


def build_app(
    settings: Settings,
    *,
    knowledge: Knowledge | None = None,
    mailer: Mailer | None = None,
    mail_console: TextIO | None = None,
    rng: RandomSource | None = None,
) -> App:
    """Wire everything. Tests may pass a prepared knowledge, mailer or seeded RNG."""
    phases = StartupPhases()
    started = time.perf_counter()
    derived = derive(settings)
    repo = _repository(settings, derived)
    started = phases.record("database", started)
    loaded = knowledge or build_knowledge(settings, derived, phases)
    started = time.perf_counter()
    local = False
    if mailer is None:
        mailer, local = build_mailer(settings, mail_console)
    store = KnowledgeStore(loaded, lambda: build_knowledge(settings, derived))
    requests = RequestService(
        repo,
        holiday_checker(settings.holidays_country),
        derived.timezone,
        lambda: store.current().catalogue,
        settings.controller_establishment,
    )
    conversation = ConversationService(
        repo,
        requests,
        mailer,
        store.current,
        hmac_secret(derived.keys, repo, CODES),
        rng or secrets.SystemRandom(),
        LimitStore(repo.engine),
        retention_policy(settings),
        inbox=settings.inbox,
    )
    signer = CallbackSigner(hmac_secret(derived.keys, repo, BUTTONS), SecretValueStore(repo))
    phases.record("services", started)
    return App(
        settings, derived, repo.engine, repo, requests, conversation, store, local, signer, phases
    )


# --- privbot run ---------------------------------------------------------------------------
def utc_now() -> datetime:
    return datetime.now(UTC)


def slack_configured(settings: Settings) -> bool:
    """A bot token and a way in: Socket Mode (app token) or HTTP mode (signing secret)."""
    return bool(
        settings.slack_bot_token and (settings.slack_app_token or settings.slack_signing_secret)
    )


def build_slack_store(engine: Engine) -> SlackStore:
    from privbot.adapters.persistence.slack_store import SlackStore

    return SlackStore(engine)  # its tables come with the migrations, like every other


@dataclass(frozen=True, slots=True)
class SlackSide:
    """The staff side on Slack: one client and everything that posts with it."""

    client: AsyncWebClient
    records: SlackStore
    staff: StaffDirectory
    channel: SlackStaffChannel
    reminders: ReminderService
    poster: RequestPoster
    alerts: AlertPoster


def build_slack(
    settings: Settings, derived: Derived, requests: RequestService, records: SlackStore
) -> SlackSide:
    """The one Slack client (PRIVBOT_SLACK_API_URL), the staff directory and channel, the
    reminder service, the request poster and the verification alert poster."""
    from slack_sdk.web.async_client import AsyncWebClient

    from privbot.adapters.slack.alerts import AlertPoster
    from privbot.adapters.slack.poster import RequestPoster
    from privbot.adapters.slack.staff import StaffDirectory
    from privbot.adapters.slack.staff_channel import SlackStaffChannel
    from privbot.services.reminders import ReminderService

    if not settings.slack_bot_token:
        raise ConfigError("PRIVBOT_SLACK_BOT_TOKEN: needed for Slack")
    if not settings.slack_staff_channel:
        raise ConfigError("PRIVBOT_SLACK_STAFF_CHANNEL: needed to post requests and reminders")
    tz = derived.timezone
    client = AsyncWebClient(token=settings.slack_bot_token, base_url=_slash(settings.slack_api_url))
    staff = StaffDirectory(settings.slack_staff, client)
    channel = SlackStaffChannel(
        client, settings.slack_staff_channel, staff.mention, settings.slack_admin_channel
    )
    votes = FeedbackStore(records.engine)
    reminders = ReminderService(
        records, channel, tz, reminder_hour=settings.reminder_hour, feedback=votes
    )
    poster = RequestPoster(client, records, requests, settings.slack_staff_channel, tz)
    alerts = AlertPoster(client, LimitStore(records.engine), settings.slack_staff_channel, tz)
    return SlackSide(client, records, staff, channel, reminders, poster, alerts)


def build_slack_tools(settings: Settings) -> SlackSide:
    """The Slack side over the database alone (`privbot reminders run`: no knowledge)."""
    derived = derive(settings)
    repo = _repository(settings, derived)
    from privbot.content.messages import load_catalogue

    catalogue = load_catalogue(derived.intents_dir)
    holidays = holiday_checker(settings.holidays_country)
    requests = RequestService(
        repo, holidays, derived.timezone, lambda: catalogue, settings.controller_establishment
    )
    return build_slack(settings, derived, requests, build_slack_store(repo.engine))


def _slash(url: str) -> str:
    """Web API method names are joined to the base URL: it must end with a slash."""
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True, slots=True)
class TelegramWiring:
    bot: PrivbotTelegram
    endpoint: TelegramEndpoint


@dataclass(frozen=True, slots=True)
class SlackWiring:
    side: SlackSide
    context: SlackContext  # what the bolt listeners share
    tokens: SlackTokens


@dataclass(frozen=True, slots=True)
class ServiceWiring:
    """The long-lived parts of `privbot run`, built once; `privbot.runtime` starts them."""

    app: App
    telegram: TelegramWiring | None
    slack: SlackWiring | None
    scheduler: JobScheduler
    scheduler_description: str
    content_folders: tuple[Path, ...]
    content_reporter: ProblemSink | None  # rejected content edits, to the staff channel


def build_service(
    app: App, clock: Clock = utc_now, telegram_inbound: InboundLimit | None = None
) -> ServiceWiring:
    """Everything `privbot run` starts, for the parts the settings configure;
    `telegram_inbound` replaces the default per-user inbound limit (the benchmarks')."""
    settings = app.settings
    records = build_slack_store(app.engine)
    telegram = _telegram(app, clock, telegram_inbound) if settings.telegram_token else None
    slack = None
    if slack_configured(settings):
        slack = _slack(app, build_slack(settings, app.derived, app.requests, records), clock)
        described = (
            f"reminders (every {settings.reminder_interval_minutes:g} min from "
            f"{settings.reminder_hour:02d}:00, digest at {settings.digest_hour:02d}:00 "
            f"{settings.timezone}; daily retention)"
        )
    else:  # without Slack, the scheduler still runs the daily retention
        described = "daily retention"
    side = slack.side if slack else None
    scheduler = _scheduler(app, records, side, clock)
    reporter = side.channel.send_content_problems if side else None
    folders = (app.derived.intents_dir, app.derived.corpus_dir)
    return ServiceWiring(app, telegram, slack, scheduler, described, folders, reporter)


def _telegram(app: App, clock: Clock, inbound: InboundLimit | None) -> TelegramWiring:
    from privbot.adapters.telegram.bot import PrivbotTelegram, TelegramDeps
    from privbot.adapters.telegram.connection import TelegramEndpoint
    from privbot.adapters.telegram.inbound import InboundLimit

    settings = app.settings
    assert settings.telegram_token
    deps = TelegramDeps(
        conversation=app.conversation,
        signer=app.signer,
        texts=lambda: app.store.current().catalogue,
        profiles=app.repo,
        outbox=app.repo,
        understander=lambda: app.store.current().matcher,
        clock=clock,
        inbound_limit=inbound or InboundLimit(),
        reply_first=not settings.telegram_webhook_url,  # polling: this instance alone
    )
    endpoint = TelegramEndpoint(
        settings.telegram_token,
        settings.telegram_api_url,
        settings.telegram_webhook_url,
        settings.telegram_webhook_secret,
    )
    return TelegramWiring(PrivbotTelegram(deps), endpoint)


def _slack(app: App, side: SlackSide, clock: Clock) -> SlackWiring:
    """The bolt listeners' context and the tokens to connect with."""
    from privbot.adapters.slack.connection import SlackTokens
    from privbot.adapters.slack.context import SlackContext

    settings = app.settings
    assert settings.slack_bot_token
    if not side.staff.configured:
        log.warning("PRIVBOT_SLACK_STAFF is empty: nobody can act on requests in Slack")
    from privbot.services.handoff import HandoffDesk

    desk = HandoffDesk(app.repo, lambda: app.store.current().catalogue)
    context = SlackContext(
        app.requests, side.records, side.staff, app.derived.timezone, clock, desk
    )
    tokens = SlackTokens(
        settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret
    )
    return SlackWiring(side, context, tokens)


def _scheduler(
    app: App, records: SlackStore, slack: SlackSide | None, clock: Clock
) -> JobScheduler:
    from privbot.adapters.scheduler import JobScheduler
    from privbot.services.housekeeping import Housekeeping
    from privbot.services.retention import purge

    settings = app.settings
    tz = app.derived.timezone
    policy = retention_policy(settings)
    upkeep = Housekeeping(
        records, tz, lambda now: purge(app.repo, policy, now), sweep=app.repo.sweep_inbox
    )
    inbox = None
    if slack is not None and settings.inbox:
        from privbot.core.inbox import TermsOf
        from privbot.services.inbox import WeeklyInbox

        def terms() -> TermsOf:
            return app.store.current().matcher.terms

        votes = FeedbackStore(app.engine)
        inbox = WeeklyInbox(
            app.repo, records, slack.channel, terms, tz, settings.digest_hour, feedback=votes
        )
    handoffs = None
    if slack is not None:  # slack_sdk is loaded only when Slack is configured
        from privbot.adapters.slack.handoff_poster import HandoffPoster

        handoffs = HandoffPoster(slack.client, app.repo, slack.channel.channel)
    return JobScheduler(
        slack.reminders if slack else None, slack.poster if slack else None, tz,
        interval_minutes=settings.reminder_interval_minutes,
        digest_hour=settings.digest_hour, clock=clock, housekeeping=upkeep,
        alerts=slack.alerts if slack else None,
        handoffs=handoffs,
        inbox=inbox, flush_counts=app.conversation.flush_counts if settings.inbox else None,
    )  # fmt: skip
