"""The Telegram webhook as a route of the shared HTTP listener (PTB's custom-webhook pattern).

Telegram sends the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`; a request
without it, or with another value, gets 403 and never reaches the Application.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from telegram import Update
from telegram.ext import Application

from privbot.errors import ConfigError

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram/webhook"
_SECRET_CHARS = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts


def check_secret(secret: str | None) -> str:
    """The webhook secret, or a one-line ConfigError naming the variable."""
    if not secret:
        raise ConfigError(
            "PRIVBOT_TELEGRAM_WEBHOOK_SECRET: required when PRIVBOT_TELEGRAM_WEBHOOK_URL is set"
        )
    if not _SECRET_CHARS.match(secret):
        raise ConfigError("PRIVBOT_TELEGRAM_WEBHOOK_SECRET: 1-256 characters among A-Z a-z 0-9 _ -")
    return secret


def webhook_path(url: str) -> str:
    """The local route: the path of PRIVBOT_TELEGRAM_WEBHOOK_URL, or /telegram/webhook."""
    path = urlsplit(url).path
    return path if path and path != "/" else DEFAULT_PATH


def webhook_endpoint(application: Application[Any, Any, Any, Any, Any, Any], secret: str) -> Any:
    """A Starlette endpoint that checks the secret and queues the update for the Application."""
    expected = secret.encode()

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            log.warning("webhook request refused: bad secret token")
            return Response(status_code=403)
        try:
            data = json.loads(await request.body())
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError):
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return telegram_webhook
