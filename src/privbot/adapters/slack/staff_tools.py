"""Staff tools in Slack: the `/privbot` slash command (`list`, `show REF`, `overdue`) and the
App Home tab (open requests by due date, with days left). Staff only, like the buttons."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack import blocks as bk
from privbot.errors import PrivbotError

if TYPE_CHECKING:
    from privbot.adapters.slack.app import SlackDeps

LIST_LIMIT = 30
HOME_LIMIT = 60
USAGE = "Usage: `/privbot list` · `/privbot show DSR-2026-000042` · `/privbot overdue`"


def register_staff_tools(app: AsyncApp, deps: SlackDeps) -> None:
    from privbot.adapters.slack.app import REFUSAL

    @app.command("/privbot")
    async def on_command(ack: Any, command: dict[str, Any]) -> None:
        """`/privbot list|show REF|overdue`, answered privately to the one who asked."""
        if not await deps.staff.is_staff(str(command.get("user_id", ""))):
            await ack(text=REFUSAL, response_type="ephemeral")
            return
        words = str(command.get("text") or "").split()
        verb = words[0].lower() if words else "list"
        text, blocks = await answer(deps, verb, words[1:])
        await ack(text=text, blocks=blocks, response_type="ephemeral")

    @app.event("app_home_opened")
    async def on_home(event: dict[str, Any], client: AsyncWebClient) -> None:
        """Publish the App Home tab for the staff member who opened it."""
        if event.get("tab", "home") != "home":
            return
        user = str(event.get("user", ""))
        if await deps.staff.is_staff(user):
            found, total = await asyncio.to_thread(deps.store.open_by_due, HOME_LIMIT)
            view = bk.home_view(found, total, deps.today())
        else:
            view = {"type": "home", "blocks": [{"type": "section", "text": bk.md(REFUSAL)}]}
        await client.views_publish(user_id=user, view=view)


async def answer(deps: SlackDeps, verb: str, args: list[str]) -> tuple[str, list[bk.Block]]:
    """The reply to one slash command (text fallback and blocks)."""
    today = deps.today()
    if verb == "list":
        found, total = await asyncio.to_thread(deps.store.open_by_due, LIST_LIMIT)
        title = f"Open requests by due date ({total})"
        return title, bk.list_blocks(title, found, total, today)
    if verb == "overdue":
        found, total = await asyncio.to_thread(deps.store.open_by_due, LIST_LIMIT, today)
        title = f"Overdue requests ({total})"
        return title, bk.list_blocks(title, found, total, today)
    if verb == "show" and args:
        try:
            req = await asyncio.to_thread(deps.requests.get, args[0])
            audit = await asyncio.to_thread(deps.requests.audit, req.reference)
        except PrivbotError:
            return f"No request {args[0]}.", []
        text, blocks = bk.request_message(req, today)
        blocks = [b for b in blocks if b.get("type") != "actions"]
        lines = [
            f"{e.at.astimezone(deps.timezone):%Y-%m-%d %H:%M} · {e.event} · {bk.mention(e.actor)}"
            for e in audit[-10:]
        ]
        if lines:
            blocks.append({"type": "section", "text": bk.md("*History:*\n" + "\n".join(lines))})
        return text, blocks
    return USAGE, []
