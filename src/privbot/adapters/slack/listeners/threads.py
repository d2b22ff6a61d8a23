"""Messages in the staff channel's threads: a verified staff member's reply in a handoff's
thread goes to the user (once, in order of arrival). The bot's own posts, edits and anyone
not in `PRIVBOT_SLACK_STAFF` are ignored. Never logs the text."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from privbot.adapters.slack.context import SlackContext, actor_of

log = logging.getLogger(__name__)


def register(app: AsyncApp, ctx: SlackContext) -> None:
    @app.event("message")
    async def on_message(event: dict[str, Any]) -> None:
        desk = ctx.handoffs
        thread, ts = event.get("thread_ts"), event.get("ts")
        if desk is None or not thread or not ts or thread == ts:
            return
        if event.get("subtype") or event.get("bot_id"):  # edits, joins, our own posts
            return
        handoff = await asyncio.to_thread(desk.by_thread, str(thread))
        if handoff is None:
            return
        user = str(event.get("user", ""))
        if not await ctx.staff.is_staff(user):
            log.info("thread reply by someone not in the privacy team ignored")
            return
        text = str(event.get("text") or "").strip()
        if text:
            await asyncio.to_thread(
                desk.staff_reply, handoff, actor_of(user), str(ts), text, ctx.clock()
            )
