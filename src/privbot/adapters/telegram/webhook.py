"""The Telegram webhook as a route of the shared HTTP listener (PTB's custom-webhook pattern).

Telegram sends the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`; a request
without it, or with another value, gets 403 and never reaches the Application.

Telegram delivers an update again when it did not get a 200 in time, and behind a load
balancer the second delivery may reach another instance. So each update id is recorded in the
database with its content (`ledger.record`, a primary key) before the 200 and before the
update is queued: a second delivery, on any instance, gets 200 and is dropped, and one whose
instance dies before answering is replayed (`ledger.UpdateReplay`). Updates are forgotten
after `SEEN_KEEP`.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from telegram import Update
from telegram.ext import Application

from privbot.adapters.telegram.ledger import UpdateLedger, record
from privbot.errors import ConfigError

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram/webhook"
_SECRET_CHARS = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts
SEEN_KEEP = timedelta(hours=24)  # Telegram stops redelivering an update well before this
_PURGE_EVERY = 3600.0  # seconds between purges of old ids, per instance


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


def webhook_endpoint(
    application: Application[Any, Any, Any, Any, Any, Any],
    secret: str,
    ledger: UpdateLedger | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Any:
    """A Starlette endpoint that checks the secret, drops an update already taken in (by any
    instance sharing `ledger`'s database) and queues the others for the Application."""
    expected = secret.encode()
    last_purge = [0.0]

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            log.warning("webhook request refused: bad secret token")
            return Response(status_code=403)
        try:
            data = json.loads(await request.body())
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, application.bot)
        except Exception as exc:  # whatever the body is, a bad one is the sender's problem
            log.warning("webhook request refused: not an update (%s)", type(exc).__name__)
            return Response(status_code=400)
        if ledger is not None:
            now = clock()
            try:
                first = await record(ledger, update.update_id, data, clock)
            except Exception as exc:  # the database is down: let Telegram deliver it again
                log.error("update %s not recorded: %s", update.update_id, type(exc).__name__)
                return Response(status_code=503)
            if not first:
                log.info("update %s telegram.duplicate_dropped", update.update_id)
                return Response(status_code=200)
            if time.monotonic() - last_purge[0] > _PURGE_EVERY:
                last_purge[0] = time.monotonic()
                await asyncio.to_thread(ledger.purge_updates, now - SEEN_KEEP)
        await application.update_queue.put(update)
        return Response(status_code=200)

    return telegram_webhook
