"""`privbot run`: the whole service in one asyncio loop and one HTTP listener.

Each part is started by a small function (`start_telegram`, later Slack and the reminder
scheduler) that returns something with `description` and `stop()`; `Service` starts what the
settings configure, says what it started, and stops everything in reverse order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import click

from privbot.cli.common import settings_or_exit
from privbot.config import Settings
from privbot.errors import ConfigError, ContentError

if TYPE_CHECKING:
    from privbot.adapters.http import HttpListener
    from privbot.bootstrap import App

log = logging.getLogger("privbot.run")

NOTHING_CONFIGURED = (
    "nothing to run. Set PRIVBOT_TELEGRAM_TOKEN to serve Telegram users, and/or "
    "PRIVBOT_SLACK_BOT_TOKEN with PRIVBOT_SLACK_APP_TOKEN (Socket Mode) or "
    "PRIVBOT_SLACK_SIGNING_SECRET (HTTP mode) to serve staff on Slack."
)


class Part(Protocol):
    """A running part of the service."""

    description: str

    def stop(self) -> Awaitable[None]: ...


def configured_parts(settings: Settings) -> list[str]:
    """The names of the parts the settings ask for."""
    parts = []
    if settings.telegram_token:
        parts.append("telegram")
    if _slack_configured(settings):
        parts += ["slack", "reminders"]
    return parts


def _slack_configured(settings: Settings) -> bool:
    from privbot.adapters.slack.service import slack_configured

    return slack_configured(settings)


@dataclass
class Service:
    """Starts the configured parts in the running loop; `stop()` undoes `start()`."""

    settings: Settings
    app: App | None = None
    telegram_rate_limit: bool = True
    http: HttpListener | None = None
    parts: dict[str, Part] = field(default_factory=dict)

    async def start(self) -> list[str]:
        """Start everything configured; returns one line per started part."""
        from privbot.adapters.http import HttpListener
        from privbot.bootstrap import build_app

        settings = self.settings
        if self.app is None:
            self.app = await asyncio.to_thread(build_app, settings)
        app = self.app
        if settings.http_listen:
            self.http = HttpListener(settings.http_listen)
            self.http.add_readiness("database", lambda: _database_ok(app))
            self.http.add_readiness("knowledge", lambda: app.knowledge() is not None)
        try:
            if settings.telegram_token:
                await self._start_part("telegram", lambda: start_telegram(self))
            if _slack_configured(settings):
                await self._start_part("slack", lambda: start_slack(self))
                await self._start_part("reminders", lambda: start_reminders(self))
            else:  # the reminder scheduler runs retention; without it, a scheduler of its own
                await self._start_part("housekeeping", lambda: start_housekeeping(self))
            await self._start_part("content", lambda: start_content_watch(self))
            if self.http is not None:
                await self.http.start()
        except BaseException:
            await self.stop()
            raise
        lines = [p.description for p in self.parts.values()]
        if self.http is not None:
            lines.append(f"HTTP on {self.http.host}:{self.http.port} (/healthz, /readyz)")
        return lines

    async def _start_part(self, name: str, starter: Callable[[], Awaitable[Part]]) -> None:
        self.parts[name] = await starter()

    async def stop(self) -> None:
        for name, part in reversed(list(self.parts.items())):
            try:
                await part.stop()
            except Exception as exc:  # stop the others anyway
                log.warning("stopping %s failed: %s", name, type(exc).__name__)
        self.parts.clear()
        if self.http is not None:
            await self.http.stop()


async def start_telegram(service: Service) -> Part:
    """Telegram: long polling, or the webhook route on the shared listener."""
    from privbot.adapters.telegram.service import start_telegram as start

    assert service.app is not None
    return await start(service.app, service.http, rate_limit=service.telegram_rate_limit)


async def start_slack(service: Service) -> Part:
    """Slack: Socket Mode, or HTTP mode at /slack/events on the shared listener."""
    from privbot.adapters.slack.service import start_slack as start

    assert service.app is not None
    return await start(service.app, service.http)


async def start_reminders(service: Service) -> Part:
    """The scheduler: new requests to Slack, reminder sweep, daily digest."""
    from privbot.adapters.slack.service import start_reminders as start

    assert service.app is not None
    return await start(service.app)


async def start_housekeeping(service: Service) -> Part:
    """Without Slack: the daily retention job alone."""
    from privbot.adapters.slack.service import start_housekeeping as start

    assert service.app is not None
    return await start(service.app)


async def start_content_watch(service: Service) -> Part:
    """Live reload of intents/ and policy_corpus/; broken edits go to the log and Slack."""
    from privbot.adapters.content_watcher import start_watching

    assert service.app is not None
    return await start_watching(service.app.store, service.settings)


def _database_ok(app: App) -> bool:
    from sqlalchemy import text

    with app.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return True


def configure_logging(settings: Settings) -> None:
    """Plain or JSON logs (PRIVBOT_LOG_FORMAT) at PRIVBOT_LOG_LEVEL; library loggers that would
    print URLs (which carry the bot token), SQL or per-job chatter are held at WARNING."""
    from privbot.logging_setup import configure_logging as setup

    setup(settings.log_format, settings.log_level)


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until `stop` is set (or SIGINT/SIGTERM)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not the main thread
            loop.add_signal_handler(sig, stop.set)
    service = Service(settings)
    lines = await service.start()
    assert service.app is not None
    if service.app.mail_is_local:
        from privbot.adapters.mail import LOCAL_ONLY_NOTICE

        click.echo(f"privbot run: {LOCAL_ONLY_NOTICE}", err=True)
    key_notice = service.app.keys.notice() if service.app.keys else None
    if key_notice:
        click.echo(f"privbot run: {key_notice}", err=True)
    for line in lines:
        click.echo(f"privbot run: started {line}", err=True)
    try:
        await stop.wait()
    finally:
        click.echo("privbot run: stopping", err=True)
        await service.stop()


@click.command("run")
def run() -> None:
    """Run the service: Telegram (when PRIVBOT_TELEGRAM_TOKEN is set), Slack, reminders."""
    settings = settings_or_exit()
    if not configured_parts(settings):
        click.echo(f"privbot run: {NOTHING_CONFIGURED}", err=True)
        raise SystemExit(2)
    if settings.telegram_token and settings.telegram_webhook_url:
        from privbot.adapters.telegram.webhook import check_secret

        try:  # fail before loading anything
            check_secret(settings.telegram_webhook_secret)
        except ConfigError as exc:
            click.echo(f"privbot run: {exc}", err=True)
            raise SystemExit(1) from exc
    configure_logging(settings)
    try:
        asyncio.run(serve(settings))
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise SystemExit(1) from exc
    except ConfigError as exc:
        click.echo(f"privbot run: {str(exc).splitlines()[0]}", err=True)
        raise SystemExit(1) from exc
