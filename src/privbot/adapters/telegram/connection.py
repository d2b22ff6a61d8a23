"""Connecting the bot to Telegram inside `privbot run`: long polling by default, the webhook
route on the service's HTTP listener when a webhook URL is configured."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram.ext import Application

from privbot.adapters.telegram.bot import ALLOWED_UPDATES, PrivbotTelegram
from privbot.adapters.telegram.ledger import HandledMarks, UpdateLedger, UpdatePoller, UpdateReplay
from privbot.adapters.telegram.notifier import OutboxNotifier, OutboxStore
from privbot.errors import ConfigError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

log = logging.getLogger(__name__)
_DRAIN_SECONDS = 10.0  # at shutdown, for the updates already taken in


# Mounts an endpoint on the service's HTTP listener (its `add_route`).
Mount = Callable[[str, Callable[["Request"], Awaitable["Response"]]], None]


@dataclass(frozen=True, slots=True)
class TelegramEndpoint:
    """Where the bot talks to Telegram: the token, the Bot API server, the webhook if any."""

    token: str
    api_url: str = "https://api.telegram.org"
    webhook_url: str | None = None
    webhook_secret: str | None = None


@dataclass
class TelegramConnection:
    """The running Telegram adapter: `stop()` it on shutdown."""

    bot: PrivbotTelegram
    application: Application[Any, Any, Any, Any, Any, Any]
    notifier: OutboxNotifier
    marks: HandledMarks
    description: str
    poller: UpdatePoller | None = None

    async def stop(self) -> None:
        app = self.application
        if self.poller is not None:
            await self.poller.stop()
        if app.running:
            await app.stop()  # every update received is now in a user's lane
        if self.bot.inbound is not None:
            await self.bot.inbound.drain(_DRAIN_SECONDS)
        await self.marks.stop()
        await self.bot.http.stop()  # an upgrade under way ends before the requests close
        await app.shutdown()
        await self.bot.http.close()  # the clients too if the start failed before initialize


async def connect_telegram(
    bot: PrivbotTelegram,
    endpoint: TelegramEndpoint,
    *,
    outbox: OutboxStore,
    ledger: UpdateLedger,
    mount: Mount | None,
    rate_limit: bool = True,
) -> TelegramConnection:
    """Build, start and connect the bot; in webhook mode, `mount` its route."""
    secret = None
    if endpoint.webhook_url:
        # The webhook's HTTP stack (starlette) loads only in webhook mode.
        from privbot.adapters.telegram.webhook import check_secret

        secret = check_secret(endpoint.webhook_secret)
        if mount is None:
            raise ConfigError(
                "PRIVBOT_HTTP_LISTEN: required when PRIVBOT_TELEGRAM_WEBHOOK_URL is set"
            )
    marks = HandledMarks(ledger)
    application = bot.build(
        endpoint.token,
        endpoint.api_url,
        rate_limit=rate_limit,
        on_done=marks.add,
    )
    notifier = OutboxNotifier(outbox, application)
    replay = UpdateReplay(application, ledger)
    connection = TelegramConnection(bot, application, notifier, marks, "Telegram")
    try:
        await application.initialize()  # getMe, then post_init: setMyCommands
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        notifier.schedule()
        replay.schedule()
        if endpoint.webhook_url and secret and mount is not None:
            from privbot.adapters.telegram.webhook import webhook_endpoint, webhook_path

            path = webhook_path(endpoint.webhook_url)
            mount(path, webhook_endpoint(application, secret, ledger=ledger))
            await application.bot.set_webhook(
                endpoint.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )
            mode = f"webhook at {path}"
        else:
            connection.poller = UpdatePoller(application, ledger, ALLOWED_UPDATES)
            await connection.poller.start()
            mode = "long polling"
    except BaseException:
        # What started is stopped and the HTTP clients closed, not left open until exit.
        await connection.stop()
        raise
    connection.description = f"Telegram @{application.bot.username} ({mode})"
    return connection
