"""Starting Slack and the reminder scheduler inside `privbot run` (small start functions that
return a part with `description` and `stop()`), and building them for the CLI and tests."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.reminder_store import SlackStore
from privbot.config import Settings
from privbot.errors import ConfigError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from starlette.requests import Request
    from starlette.responses import Response

    from privbot.adapters.http import HttpListener
    from privbot.adapters.slack.app import StaffDirectory
    from privbot.adapters.slack.poster import RequestPoster
    from privbot.services.reminders import ReminderService
    from privbot.services.requests import RequestService
    from privbot.services.retention import Purger

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
Clock = Callable[[], datetime]


class SlackHost(Protocol):
    """What Slack needs from the wired application (`bootstrap.App` has it)."""

    @property
    def settings(self) -> Settings: ...
    @property
    def engine(self) -> Engine: ...
    @property
    def requests(self) -> RequestService: ...
    @property
    def repo(self) -> Purger: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


def slack_configured(settings: Settings) -> bool:
    """A bot token and a way in: Socket Mode (app token) or HTTP mode (signing secret)."""
    return bool(
        settings.slack_bot_token and (settings.slack_app_token or settings.slack_signing_secret)
    )


def web_client(settings: Settings) -> AsyncWebClient:
    api = (
        settings.slack_api_url
        if settings.slack_api_url.endswith("/")
        else settings.slack_api_url + "/"
    )
    return AsyncWebClient(token=settings.slack_bot_token, base_url=api)


def staff_channel(settings: Settings) -> str:
    if not settings.slack_staff_channel:
        raise ConfigError("PRIVBOT_SLACK_STAFF_CHANNEL: needed to post requests and reminders")
    return settings.slack_staff_channel


def slack_store(engine: Engine) -> SlackStore:
    store = SlackStore(engine)
    store.create_tables()
    return store


def build_reminders(
    settings: Settings, client: AsyncWebClient, store: SlackStore
) -> tuple[ReminderService, StaffDirectory]:
    """The reminder service on Slack, and the staff directory it mentions."""
    from privbot.adapters.slack.app import StaffDirectory
    from privbot.adapters.slack.poster import SlackStaffChannel
    from privbot.services.reminders import ReminderService

    staff = StaffDirectory(settings.slack_staff, client)
    channel = SlackStaffChannel(client, staff_channel(settings), staff.mention)
    tz = ZoneInfo(settings.timezone)
    return ReminderService(store, channel, tz, reminder_hour=settings.reminder_hour), staff


@dataclass
class RunningPart:
    description: str
    stopper: Callable[[], Awaitable[None]]

    async def stop(self) -> None:
        await self.stopper()


async def start_slack(
    app: SlackHost, http: HttpListener | None, clock: Clock = utc_now
) -> RunningPart:
    """The bolt app: Socket Mode with PRIVBOT_SLACK_APP_TOKEN, else HTTP mode on the shared
    listener at /slack/events (PRIVBOT_SLACK_SIGNING_SECRET)."""
    from privbot.adapters.slack.app import SlackDeps, StaffDirectory, build_bolt_app

    settings = app.settings
    if not settings.slack_bot_token:
        raise ConfigError("PRIVBOT_SLACK_BOT_TOKEN: needed for Slack")
    client = web_client(settings)
    store = slack_store(app.engine)
    staff = StaffDirectory(settings.slack_staff, client)
    if not staff.configured:
        log.warning("PRIVBOT_SLACK_STAFF is empty: nobody can act on requests in Slack")
    deps = SlackDeps(app.requests, store, staff, ZoneInfo(settings.timezone), clock)
    if settings.slack_app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        bolt = build_bolt_app(deps, client, signing_secret=None, token=settings.slack_bot_token)
        socket = AsyncSocketModeHandler(bolt, settings.slack_app_token)
        await socket.connect_async()  # type: ignore[no-untyped-call]
        return RunningPart("Slack (Socket Mode)", socket.close_async)
    if not settings.slack_signing_secret:
        raise ConfigError("PRIVBOT_SLACK_SIGNING_SECRET: needed for Slack HTTP mode")
    if http is None:
        raise ConfigError("PRIVBOT_HTTP_LISTEN: needed for Slack HTTP mode (or set the app token)")
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

    bolt = build_bolt_app(
        deps, client, signing_secret=settings.slack_signing_secret, token=settings.slack_bot_token
    )
    handler = AsyncSlackRequestHandler(bolt)

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    http.add_route(EVENTS_PATH, events)

    async def nothing() -> None:
        return None

    return RunningPart(f"Slack (HTTP mode, {EVENTS_PATH})", nothing)


async def start_reminders(app: SlackHost, clock: Clock = utc_now) -> RunningPart:
    """The scheduler: posting new requests (and keeping their messages current), the
    reminder sweep, the daily digest and housekeeping (retention, seen events)."""
    from privbot.adapters.slack.poster import RequestPoster

    settings = app.settings
    client = web_client(settings)
    store = slack_store(app.engine)
    reminders, _ = build_reminders(settings, client, store)
    tz = ZoneInfo(settings.timezone)
    poster = RequestPoster(client, store, app.requests, staff_channel(settings), tz)
    return _scheduled(
        app,
        clock,
        reminders,
        poster,
        f"reminders (every {settings.reminder_interval_minutes:g} min from "
        f"{settings.reminder_hour:02d}:00, digest at {settings.digest_hour:02d}:00 "
        f"{settings.timezone}; daily retention)",
    )


async def start_housekeeping(app: SlackHost, clock: Clock = utc_now) -> RunningPart:
    """Without Slack, the scheduler still runs the daily retention (and event pruning)."""
    return _scheduled(app, clock, None, None, "daily retention")


def _scheduled(
    app: SlackHost,
    clock: Clock,
    reminders: ReminderService | None,
    poster: RequestPoster | None,
    description: str,
) -> RunningPart:
    """Start the one scheduler with what is configured, plus housekeeping."""
    from privbot.adapters.scheduler import ReminderScheduler
    from privbot.services.housekeeping import Housekeeping
    from privbot.services.retention import run_retention

    settings = app.settings
    tz = ZoneInfo(settings.timezone)
    upkeep = Housekeeping(slack_store(app.engine), tz, lambda now: run_retention(app, now))
    scheduler = ReminderScheduler(
        reminders, poster, tz,
        interval_minutes=settings.reminder_interval_minutes,
        digest_hour=settings.digest_hour, clock=clock, housekeeping=upkeep,
    )  # fmt: skip
    scheduler.start()

    async def stop() -> None:
        scheduler.stop()

    return RunningPart(description, stop)
