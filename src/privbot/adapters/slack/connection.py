"""Connecting the bolt app to Slack: Socket Mode with an app token, else HTTP mode at
/slack/events on the service's one HTTP listener (signed requests)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack.app import build_bolt_app
from privbot.adapters.slack.context import SlackContext
from privbot.errors import ConfigError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

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

    bolt = build_bolt_app(ctx, client, signing_secret=tokens.signing_secret, token=tokens.bot_token)
    handler = AsyncSlackRequestHandler(bolt)

    async def events(request: Request) -> Response:
        return await handler.handle(request)

    mount(EVENTS_PATH, events)

    async def nothing() -> None:
        return None

    return SlackConnection(f"Slack (HTTP mode, {EVENTS_PATH})", nothing)
