"""Connecting the bolt app to Slack: Socket Mode with an app token, else HTTP mode at
/slack/events on the service's one HTTP listener (signed requests, checked by `intake` on the
raw bytes before bolt parses anything)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack import intake
from privbot.adapters.slack.app import build_bolt_app
from privbot.adapters.slack.context import SlackContext
from privbot.errors import ConfigError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


# Mounts an endpoint on the service's HTTP listener (its `add_route`).
Mount = Callable[[str, Callable[["Request"], Awaitable["Response"]]], None]


@dataclass(frozen=True, slots=True)
class SlackTokens:
    bot_token: str
    app_token: str | None = None  # Socket Mode
    signing_secret: str | None = None  # HTTP mode


@dataclass
class SlackConnection:
    """The connected bolt app, as a running part: `stop()` closes Socket Mode."""

    description: str
    stopper: Callable[[], Awaitable[None]]

    async def stop(self) -> None:
        await self.stopper()


async def connect_slack(
    ctx: SlackContext, client: AsyncWebClient, tokens: SlackTokens, mount: Mount | None
) -> SlackConnection:
    """Socket Mode with `tokens.app_token`, else HTTP mode on the HTTP listener at /slack/events."""
    if tokens.app_token:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        bolt = build_bolt_app(ctx, client, signing_secret=None, token=tokens.bot_token)
        socket = AsyncSocketModeHandler(bolt, tokens.app_token)
        await socket.connect_async()  # type: ignore[no-untyped-call]
        return SlackConnection("Slack (Socket Mode)", socket.close_async)
    if not tokens.signing_secret:
        raise ConfigError("PRIVBOT_SLACK_SIGNING_SECRET: needed for Slack HTTP mode")
    if mount is None:
        raise ConfigError("PRIVBOT_HTTP_LISTEN: needed for Slack HTTP mode (or set the app token)")
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_sdk.signature import SignatureVerifier
    from starlette.responses import Response

    bolt = build_bolt_app(ctx, client, signing_secret=tokens.signing_secret, token=tokens.bot_token)
    handler = AsyncSlackRequestHandler(bolt)
    verifier = SignatureVerifier(tokens.signing_secret)

    async def events(request: Request) -> Response:
        body = await request.body()  # whole and under the listener's cap; kept for bolt
        if not intake.signed(verifier, body, request.headers):
            log.warning("slack request refused: bad or stale signature")
            return Response(status_code=401)
        problem = intake.shape_problem(body, request.headers.get("content-type", ""))
        if problem is not None:
            log.warning("slack request refused: %s", problem)
            return Response(status_code=400)
        return await handler.handle(request)

    mount(EVENTS_PATH, events)

    async def nothing() -> None:
        return None

    return SlackConnection(f"Slack (HTTP mode, {EVENTS_PATH})", nothing)
