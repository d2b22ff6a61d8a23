"""Buttons on a request's message: Acknowledge and Assign act at once; Extend, Complete and
Deny open a modal (its submission is in `views`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack import blocks as bk
from privbot.adapters.slack.context import REFUSAL, SlackContext, actor_of, clicked, ephemeral
from privbot.core.requests import RightsRequest
from privbot.errors import PrivbotError

log = logging.getLogger(__name__)

StaffAction = Callable[[str, str, datetime], RightsRequest]
Check = Callable[[RightsRequest], str | None]


def register(app: AsyncApp, ctx: SlackContext) -> None:
    svc = ctx.requests

    @app.action(bk.ACK)
    async def on_acknowledge(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Acknowledge: the user is told we have their request and its due date."""
        await ack()
        await _act(ctx, body, client, svc.acknowledge)

    @app.action(bk.ASSIGN)
    async def on_assign(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Assign to me: the clicker becomes the assignee (and is mentioned when overdue)."""
        await ack()
        await _act(ctx, body, client, svc.assign)

    def extension_problem(req: RightsRequest) -> str | None:
        if bk.can_extend(req, ctx.today()):
            return None
        if req.extended:
            return f"{req.reference} has already been extended once."
        if req.dates.extended_due is None:
            return f"The law allows no extension for {req.reference}."
        return f"Too late to extend {req.reference}: the original deadline has passed."

    @app.action(bk.EXTEND)
    async def on_extend(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Extend: opens a modal asking the reason (once, before the original deadline)."""
        await ack()
        await _open_modal(ctx, body, client, bk.extend_modal, extension_problem)

    @app.action(bk.COMPLETE)
    async def on_complete(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Complete: opens a modal with an optional note to the user."""
        await ack()
        await _open_modal(ctx, body, client, bk.complete_modal)

    @app.action(bk.DENY)
    async def on_deny(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Deny: opens a modal asking the reason, which the user is shown."""
        await ack()
        await _open_modal(ctx, body, client, bk.deny_modal)


async def _act(
    ctx: SlackContext, body: dict[str, Any], client: AsyncWebClient, action: StaffAction
) -> None:
    ids = clicked(body)
    if ids is None:
        return
    user, reference = ids
    if not await ctx.staff.is_staff(user):
        await ephemeral(client, body, REFUSAL)
        return
    try:
        req = await asyncio.to_thread(action, reference, actor_of(user), ctx.clock())
    except PrivbotError as exc:
        await ephemeral(client, body, f"{reference}: {exc}")
        return
    await ctx.refresh_message(client, req)


async def _open_modal(
    ctx: SlackContext,
    body: dict[str, Any],
    client: AsyncWebClient,
    build: Callable[[RightsRequest], dict[str, Any]],
    check: Check | None = None,
) -> None:
    ids = clicked(body)
    if ids is None:
        return
    user, reference = ids
    if not await ctx.staff.is_staff(user):
        await ephemeral(client, body, REFUSAL)
        return
    try:
        req = await asyncio.to_thread(ctx.requests.get, reference)
    except PrivbotError as exc:
        await ephemeral(client, body, f"{reference}: {exc}")
        return
    problem = check(req) if check else None
    if problem is None and not req.is_open:
        problem = f"{reference} is already {req.status}."
    if problem is not None:
        await ephemeral(client, body, problem)
        return
    trigger = body.get("trigger_id")
    if not isinstance(trigger, str):
        log.warning("slack action ignored: no trigger_id to open the modal with")
        return
    await client.views_open(trigger_id=trigger, view=build(req))
