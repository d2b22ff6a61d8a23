"""Events: the App Home tab (open requests by due date, with days left), staff only."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack import blocks as bk
from privbot.adapters.slack.context import REFUSAL, SlackContext

HOME_LIMIT = 60


def register(app: AsyncApp, ctx: SlackContext) -> None:
    @app.event("app_home_opened")
    async def on_home(event: dict[str, Any], client: AsyncWebClient) -> None:
        """Publish the App Home tab for the staff member who opened it."""
        if event.get("tab", "home") != "home":
            return
        user = str(event.get("user", ""))
        if await ctx.staff.is_staff(user):
            found, total = await asyncio.to_thread(ctx.records.open_by_due, HOME_LIMIT)
            view = bk.home_view(found, total, ctx.today())
        else:
            view = {"type": "home", "blocks": [{"type": "section", "text": bk.md(REFUSAL)}]}
        await client.views_publish(user_id=user, view=view)
