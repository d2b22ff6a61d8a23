"""The `/privbot` slash command for staff: `list`, `show REF`, `overdue`, answered privately
to the one who asked."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_bolt.async_app import AsyncApp

from privbot.adapters.slack import blocks as bk
from privbot.adapters.slack.context import REFUSAL, SlackContext
from privbot.errors import PrivbotError

LIST_LIMIT = 30
USAGE = "Usage: `/privbot list` · `/privbot show DSR-2026-000042` · `/privbot overdue`"


def register(app: AsyncApp, ctx: SlackContext) -> None:
    @app.command("/privbot")
    async def on_command(ack: Any, command: dict[str, Any]) -> None:
        """`/privbot list|show REF|overdue`, staff only."""
        if not await ctx.staff.is_staff(str(command.get("user_id", ""))):
            await ack(text=REFUSAL, response_type="ephemeral")
            return
        words = str(command.get("text") or "").split()
        verb = words[0].lower() if words else "list"
        text, blocks = await answer(ctx, verb, words[1:])
        await ack(text=text, blocks=blocks, response_type="ephemeral")


async def answer(ctx: SlackContext, verb: str, args: list[str]) -> tuple[str, list[bk.Block]]:
    """The reply to one slash command (text fallback and blocks)."""
    today = ctx.today()
    if verb == "list":
        found, total = await asyncio.to_thread(ctx.records.open_by_due, LIST_LIMIT)
        title = f"Open requests by due date ({total})"
        return title, bk.list_blocks(title, found, total, today)
    if verb == "overdue":
        found, total = await asyncio.to_thread(ctx.records.open_by_due, LIST_LIMIT, today)
        title = f"Overdue requests ({total})"
        return title, bk.list_blocks(title, found, total, today)
    if verb == "show" and args:
        return await _show(ctx, args[0])
    return USAGE, []


async def _show(ctx: SlackContext, reference: str) -> tuple[str, list[bk.Block]]:
    """One request's message without its buttons, and its last ten audit lines."""
    try:
        req = await asyncio.to_thread(ctx.requests.get, reference)
        audit = await asyncio.to_thread(ctx.requests.audit, req.reference)
    except PrivbotError:
        return f"No request {reference}.", []
    text, blocks = bk.request_message(req, ctx.today())
    blocks = [b for b in blocks if b.get("type") != "actions"]
    lines = [
        f"{e.at.astimezone(ctx.timezone):%Y-%m-%d %H:%M} · {e.event} · {bk.mention(e.actor)}"
        for e in audit[-10:]
    ]
    if lines:
        blocks.append({"type": "section", "text": bk.md("*History:*\n" + "\n".join(lines))})
    return text, blocks
