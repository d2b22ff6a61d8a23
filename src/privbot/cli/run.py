"""`privbot run`: the whole service (the lifecycle itself is `privbot.runtime.Service`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time

import click

from privbot.cli.common import collector_off_while_starting, settings_or_exit
from privbot.config import Settings
from privbot.errors import ConfigError, ContentError

log = logging.getLogger("privbot.run")

NOTHING_CONFIGURED = (
    "nothing to run. Set PRIVBOT_TELEGRAM_TOKEN to serve Telegram users, and/or "
    "PRIVBOT_SLACK_BOT_TOKEN with PRIVBOT_SLACK_APP_TOKEN (Socket Mode) or "
    "PRIVBOT_SLACK_SIGNING_SECRET (HTTP mode) to serve staff on Slack."
)


def configured_parts(settings: Settings) -> list[str]:
    """The names of the parts the settings ask for."""
    from privbot.bootstrap import slack_configured

    parts = []
    if settings.telegram_token:
        parts.append("telegram")
    if slack_configured(settings):
        parts += ["slack", "reminders"]
    return parts


async def serve(settings: Settings, stop: asyncio.Event | None = None, prelude: str = "") -> None:
    """Run until `stop` is set (or SIGINT/SIGTERM), saying what started."""
    from privbot.runtime import Service

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
    key_notice = service.app.keys.notice()
    if key_notice:
        click.echo(f"privbot run: {key_notice}", err=True)
    for line in lines:
        click.echo(f"privbot run: started {line}", err=True)
    log.info("start-up: %s%s", prelude, service.app.startup.line())
    from privbot.bootstrap import settle

    settle()
    try:
        await stop.wait()
    finally:
        click.echo("privbot run: stopping", err=True)
        await service.stop()


@click.command("run")
@collector_off_while_starting()
def run() -> None:
    """Run the service: Telegram (when PRIVBOT_TELEGRAM_TOKEN is set), Slack, reminders."""
    from privbot.cli import STARTED

    began = time.perf_counter()
    settings = settings_or_exit()
    loaded = time.perf_counter()
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
    from privbot.logging_setup import configure_logging

    # Library loggers that would print URLs (which carry the bot token), SQL or per-job
    # chatter are held at WARNING.
    configure_logging(settings.log_format, settings.log_level)
    import privbot.runtime  # noqa: F401 - timed with the rest of this phase

    prelude = (
        f"imports {began - STARTED:.3f} s, settings {loaded - began:.3f} s, "
        f"imports for the service {time.perf_counter() - loaded:.3f} s, "
    )
    try:
        asyncio.run(serve(settings, prelude=prelude))
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise SystemExit(1) from exc
    except ConfigError as exc:
        click.echo(f"privbot run: {str(exc).splitlines()[0]}", err=True)
        raise SystemExit(1) from exc
