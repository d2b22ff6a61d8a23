"""The slack-bolt app: the retried-events middleware, then every listener by kind.

Every listener `ack()`s first (or, for a modal, as soon as its input is checked), then works:
the staff use case writes the audit log and queues the user's notification (the Telegram
adapter delivers it), and the request's message is updated in place with `chat.update`.
Someone not in `PRIVBOT_SLACK_STAFF` gets an ephemeral refusal and nothing changes.

Request signatures (HTTP mode) are checked by bolt's `RequestVerification` middleware: a bad
or more than 5 minutes old signature gets 401 before any listener runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack.context import SlackContext
from privbot.adapters.slack.listeners import register_listeners
from privbot.logging_setup import error_origin

log = logging.getLogger(__name__)


def build_bolt_app(
    ctx: SlackContext,
    client: AsyncWebClient,
    *,
    signing_secret: str | None,
    token: str | None,
) -> AsyncApp:
    """The bolt app with every listener (actions, modals, slash command, App Home)."""
    app = AsyncApp(
        client=client,
        token=token,
        signing_secret=signing_secret,
        request_verification_enabled=signing_secret is not None,
        # Bolt names (and sets the level of) a logger after the app: "privbot" would
        # silence every privbot.* logger below WARNING once Slack starts.
        name="privbot-slack",
        logger=logging.getLogger("privbot.slack.bolt"),
    )
    app.middleware(_drop_retried_events(ctx))
    register_listeners(app, ctx)
    app.error(_log_one_line)
    return app


async def _log_one_line(error: Exception) -> None:
    """Bolt's default logs a trace with the payload in it; this says what failed, no more."""
    log.error("slack listener failed: %s at %s", type(error).__name__, error_origin(error))


def _drop_retried_events(ctx: SlackContext) -> Callable[..., Awaitable[BoltResponse | None]]:
    async def drop_retries(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> Any:
        """Events API deliveries carry an event_id: handle each once, on any instance."""
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id:
            now = ctx.clock()
            first = await asyncio.to_thread(ctx.records.first_delivery, str(event_id), now)
            if not first:
                log.info("dropped a retried Slack event")
                return BoltResponse(status=200, body="")
        return await next()

    return drop_retries
