"""Modal submissions: Extend (reason required), Complete (optional note), Deny (reason
required). The staff check and the write happen before `ack()`, so a refusal or a rule the
request breaks shows inside the modal."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack import blocks as bk
from privbot.adapters.slack.context import REFUSAL, SlackContext, actor_of, submitted
from privbot.core.requests import RightsRequest
from privbot.errors import PrivbotError

REASON_REQUIRED = "A reason is required."


def register(app: AsyncApp, ctx: SlackContext) -> None:
    svc = ctx.requests

    @app.view(bk.EXTEND_VIEW)
    async def on_extend_submit(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """The extension's reason is required; the user gets the new date and the reason."""
        await _submit_with_reason(ctx, ack, body, view, client, svc.extend)

    @app.view(bk.COMPLETE_VIEW)
    async def on_complete_submit(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """Completion, with the optional note passed on to the user."""
        note = _value(view, bk.NOTE_BLOCK, bk.NOTE_INPUT) or None
        await _submit(ctx, ack, body, client, bk.NOTE_BLOCK,
                      lambda ref, who, now: svc.complete(ref, who, note, now))  # fmt: skip

    @app.view(bk.DENY_VIEW)
    async def on_deny_submit(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """A denial needs a reason, which the user is shown (with the right to complain)."""
        await _submit_with_reason(ctx, ack, body, view, client, svc.deny)


def _value(view: dict[str, Any], block: str, action: str) -> str:
    """An input's text; empty when the modal's state lacks it or is not shaped as Slack's."""
    node: Any = view
    for key in ("state", "values", block, action, "value"):
        node = node.get(key) if isinstance(node, dict) else None
    return node.strip() if isinstance(node, str) else ""


async def _submit_with_reason(
    ctx: SlackContext,
    ack: Any,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    run: Callable[[str, str, str, datetime], RightsRequest],
) -> None:
    """A modal whose reason is required (the user is shown it)."""
    reason = _value(view, bk.REASON_BLOCK, bk.REASON_INPUT)
    if not reason:
        await ack(response_action="errors", errors={bk.REASON_BLOCK: REASON_REQUIRED})
        return
    await _submit(ctx, ack, body, client, bk.REASON_BLOCK,
                  lambda ref, who, now: run(ref, who, reason, now))  # fmt: skip


async def _submit(
    ctx: SlackContext,
    ack: Any,
    body: dict[str, Any],
    client: AsyncWebClient,
    block: str,
    run: Callable[[str, str, datetime], RightsRequest],
) -> None:
    ids = submitted(body)
    if ids is None:
        await ack()  # close the modal: there is nothing it could act on
        return
    user, reference = ids
    if not await ctx.staff.is_staff(user):
        await ack(response_action="errors", errors={block: REFUSAL})
        return
    try:  # a quick database write: done before ack so a refusal shows in the modal
        req = await asyncio.to_thread(run, reference, actor_of(user), ctx.clock())
    except PrivbotError as exc:
        await ack(response_action="errors", errors={block: str(exc)[:150]})
        return
    await ack()
    await ctx.refresh_message(client, req)
