"""Start and stop Telegram inside `privbot run`: polling by default, webhook when configured."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram.ext import Application

from privbot.adapters.http import HttpListener
from privbot.adapters.telegram.bot import ALLOWED_UPDATES, PrivbotTelegram, TelegramDeps
from privbot.adapters.telegram.callbacks import CallbackSigner, SecretValueStore
from privbot.adapters.telegram.notifier import OutboxNotifier
from privbot.adapters.telegram.webhook import check_secret, webhook_endpoint, webhook_path
from privbot.errors import ConfigError

if TYPE_CHECKING:
    from privbot.bootstrap import App

log = logging.getLogger(__name__)


@dataclass
class TelegramPart:
    """The running Telegram adapter: `stop()` it on shutdown."""

    bot: PrivbotTelegram
    application: Application[Any, Any, Any, Any, Any, Any]
    notifier: OutboxNotifier
    webhook: bool
    description: str

    async def stop(self) -> None:
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


def callback_secret(app: App) -> bytes:
    """The key that signs buttons, identical on every instance (from the key or the database)."""
    if app.settings.encryption_key:
        key = app.settings.encryption_key.encode()
        return hmac.new(key, b"privbot telegram buttons", hashlib.sha256).digest()
    return bytes.fromhex(app.repo.secret("telegram_callback_hmac", secrets.token_hex(32)))


def make_bot(app: App) -> PrivbotTelegram:
    """The adapter wired to the engine, the profiles and the outbox of `app`."""
    signer = CallbackSigner(callback_secret(app), SecretValueStore(app.repo))
    deps = TelegramDeps(
        conversation=app.conversation,
        signer=signer,
        texts=lambda: app.knowledge().catalogue,
        profiles=app.repo,
        outbox=app.repo,
        understander=lambda: app.knowledge().matcher,
    )
    return PrivbotTelegram(deps)


async def start_telegram(
    app: App, http: HttpListener | None, *, rate_limit: bool = True
) -> TelegramPart:
    """Build, start and connect the bot; mount the webhook route on `http` in webhook mode."""
    settings = app.settings
    token = settings.telegram_token
    if not token:
        raise ConfigError("PRIVBOT_TELEGRAM_TOKEN: not set")
    webhook_url = settings.telegram_webhook_url
    secret = None
    if webhook_url:
        secret = check_secret(settings.telegram_webhook_secret)
        if http is None:
            raise ConfigError(
                "PRIVBOT_HTTP_LISTEN: required when PRIVBOT_TELEGRAM_WEBHOOK_URL is set"
            )
    bot = make_bot(app)
    application = bot.build(
        token, settings.telegram_api_url, webhook=bool(webhook_url), rate_limit=rate_limit
    )
    notifier = OutboxNotifier(app.repo, application)
    await application.initialize()  # getMe, then post_init: setMyCommands
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    notifier.schedule()
    if webhook_url and secret and http is not None:
        path = webhook_path(webhook_url)
        http.add_route(path, webhook_endpoint(application, secret, ledger=app.repo))
        await application.bot.set_webhook(
            webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )
        mode = f"webhook at {path}"
    else:
        assert application.updater is not None
        await application.updater.start_polling(
            allowed_updates=ALLOWED_UPDATES, timeout=20, bootstrap_retries=-1
        )
        mode = "long polling"
    name = application.bot.username
    return TelegramPart(bot, application, notifier, bool(webhook_url), f"Telegram @{name} ({mode})")
