"""Every listener of the bolt app, registered by kind (as in Slack's bolt starter template)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from privbot.adapters.slack.context import SlackContext
from privbot.adapters.slack.listeners import actions, commands, events, threads, views


def register_listeners(app: AsyncApp, ctx: SlackContext) -> None:
    actions.register(app, ctx)
    views.register(app, ctx)
    commands.register(app, ctx)
    events.register(app, ctx)
    threads.register(app, ctx)
