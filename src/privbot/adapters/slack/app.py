"""The slack-bolt app: buttons and modals on each request's message, retried events dropped.

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
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.reminder_store import SlackStore
from privbot.adapters.slack import blocks as bk
from privbot.adapters.slack.poster import update_message
from privbot.core.reminders import local_day
from privbot.core.requests import RightsRequest
from privbot.errors import PrivbotError
from privbot.services.requests import RequestService

log = logging.getLogger(__name__)

REFUSAL = "Only the privacy team (PRIVBOT_SLACK_STAFF) can act on rights requests."
SEEN_EVENTS_KEPT = timedelta(days=1)


def actor_of(user_id: str) -> str:
    """How a Slack user is written in the audit log and as assignee."""
    return f"slack:{user_id}"


class StaffDirectory:
    """Who may act: `PRIVBOT_SLACK_STAFF` user ids (U..., W...) and/or user groups (S...).

    Group members are read with `usergroups.users.list` and kept for `ttl` seconds.
    """

    def __init__(self, spec: str, client: AsyncWebClient, ttl: float = 60.0) -> None:
        ids = [x.strip() for x in spec.split(",") if x.strip()]
        self.groups = [x for x in ids if x.startswith("S")]
        self.users = frozenset(x for x in ids if not x.startswith("S"))
        self.client = client
        self.ttl = ttl
        self._members: dict[str, tuple[float, frozenset[str]]] = {}

    @property
    def configured(self) -> bool:
        return bool(self.groups or self.users)

    async def is_staff(self, user_id: str) -> bool:
        if user_id in self.users:
            return True
        for group in self.groups:
            if user_id in await self._group(group):
                return True
        return False

    async def _group(self, group: str) -> frozenset[str]:
        cached = self._members.get(group)
        if cached is not None and time.monotonic() - cached[0] < self.ttl:
            return cached[1]
        try:
            resp = await self.client.usergroups_users_list(usergroup=group)
            members = frozenset(str(u) for u in resp.get("users") or [])
        except SlackApiError as exc:
            log.warning("usergroups.users.list failed: %s", exc.response.get("error"))
            members = cached[1] if cached else frozenset()
        self._members[group] = (time.monotonic(), members)
        return members

    def mention(self) -> str:
        """Who an overdue reminder calls on when nobody is assigned."""
        if self.groups:
            return " ".join(f"<!subteam^{g}>" for g in self.groups)
        return " ".join(f"<@{u}>" for u in sorted(self.users)) or "<!channel>"


@dataclass
class SlackDeps:
    """What the listeners use; `clock` returns an aware `now` (tests pass their own)."""

    requests: RequestService
    store: SlackStore
    staff: StaffDirectory
    timezone: tzinfo
    clock: Callable[[], datetime]
    background: set[asyncio.Task[Any]] = field(default_factory=set)

    def today(self) -> Any:
        return local_day(self.clock(), self.timezone)


async def refresh_message(client: AsyncWebClient, deps: SlackDeps, req: RightsRequest) -> None:
    """Re-render the request's message in place (if it was posted) after a staff action."""
    await update_message(client, deps.store, req, deps.today(), deps.clock())


async def _ephemeral(client: AsyncWebClient, body: dict[str, Any], text: str) -> None:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    user = body["user"]["id"]
    if not channel:
        log.info("no channel for an ephemeral reply")
        return
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as exc:
        log.warning("chat.postEphemeral failed: %s", exc.response.get("error"))


StaffAction = Callable[[str, str, datetime], RightsRequest]


def build_bolt_app(
    deps: SlackDeps,
    client: AsyncWebClient,
    *,
    signing_secret: str | None,
    token: str | None,
) -> AsyncApp:
    """The bolt app with every listener (actions, modals, slash command, App Home)."""
    from privbot.adapters.slack.staff_tools import register_staff_tools

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
    app.middleware(_drop_retried_events(deps))
    _register_buttons(app, deps)
    _register_modals(app, deps)
    register_staff_tools(app, deps)
    return app


def _drop_retried_events(deps: SlackDeps) -> Callable[..., Awaitable[BoltResponse | None]]:
    async def drop_retries(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> Any:
        """Events API deliveries carry an event_id: handle each once, on any instance."""
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id:
            now = deps.clock()
            first = await asyncio.to_thread(deps.store.first_delivery, str(event_id), now)
            if not first:
                log.info("dropped a retried Slack event")
                return BoltResponse(status=200, body="")
        return await next()

    return drop_retries


def _register_buttons(app: AsyncApp, deps: SlackDeps) -> None:
    svc = deps.requests

    async def act(body: dict[str, Any], client: AsyncWebClient, action: StaffAction) -> None:
        user = body["user"]["id"]
        reference = body["actions"][0]["value"]
        if not await deps.staff.is_staff(user):
            await _ephemeral(client, body, REFUSAL)
            return
        try:
            req = await asyncio.to_thread(action, reference, actor_of(user), deps.clock())
        except PrivbotError as exc:
            await _ephemeral(client, body, f"{reference}: {exc}")
            return
        await refresh_message(client, deps, req)

    @app.action(bk.ACK)
    async def on_acknowledge(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Acknowledge: the user is told we have their request and its due date."""
        await ack()
        await act(body, client, svc.acknowledge)

    @app.action(bk.ASSIGN)
    async def on_assign(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Assign to me: the clicker becomes the assignee (and is mentioned when overdue)."""
        await ack()
        await act(body, client, svc.assign)

    async def open_modal(
        body: dict[str, Any],
        client: AsyncWebClient,
        build: Callable[[RightsRequest], dict[str, Any]],
        check: Callable[[RightsRequest], str | None] | None = None,
    ) -> None:
        user, reference = body["user"]["id"], body["actions"][0]["value"]
        if not await deps.staff.is_staff(user):
            await _ephemeral(client, body, REFUSAL)
            return
        try:
            req = await asyncio.to_thread(svc.get, reference)
        except PrivbotError as exc:
            await _ephemeral(client, body, f"{reference}: {exc}")
            return
        problem = check(req) if check else None
        if problem is None and not req.is_open:
            problem = f"{reference} is already {req.status}."
        if problem is not None:
            await _ephemeral(client, body, problem)
            return
        await client.views_open(trigger_id=body["trigger_id"], view=build(req))

    def extension_problem(req: RightsRequest) -> str | None:
        if bk.can_extend(req, deps.today()):
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
        await open_modal(body, client, bk.extend_modal, extension_problem)

    @app.action(bk.COMPLETE)
    async def on_complete(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Complete: opens a modal with an optional note to the user."""
        await ack()
        await open_modal(body, client, bk.complete_modal)

    @app.action(bk.DENY)
    async def on_deny(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Deny: opens a modal asking the reason, which the user is shown."""
        await ack()
        await open_modal(body, client, bk.deny_modal)


def _value(view: dict[str, Any], block: str, action: str) -> str:
    state = view.get("state", {}).get("values", {})
    return str((state.get(block, {}).get(action, {}) or {}).get("value") or "").strip()


def _register_modals(app: AsyncApp, deps: SlackDeps) -> None:
    svc = deps.requests

    async def submit(
        ack: Any,
        body: dict[str, Any],
        client: AsyncWebClient,
        block: str,
        run: Callable[[str, str, datetime], RightsRequest],
    ) -> None:
        user, reference = body["user"]["id"], body["view"]["private_metadata"]
        if not await deps.staff.is_staff(user):
            await ack(response_action="errors", errors={block: REFUSAL})
            return
        try:  # a quick database write: done before ack so a refusal shows in the modal
            req = await asyncio.to_thread(run, reference, actor_of(user), deps.clock())
        except PrivbotError as exc:
            await ack(response_action="errors", errors={block: str(exc)[:150]})
            return
        await ack()
        await refresh_message(client, deps, req)

    @app.view(bk.EXTEND_VIEW)
    async def on_extend_submit(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """The extension's reason is required; the user gets the new date and the reason."""
        reason = _value(view, bk.REASON_BLOCK, bk.REASON_INPUT)
        if not reason:
            await ack(response_action="errors", errors={bk.REASON_BLOCK: "A reason is required."})
            return
        await submit(ack, body, client, bk.REASON_BLOCK,
                     lambda ref, who, now: svc.extend(ref, who, reason, now))  # fmt: skip

    @app.view(bk.COMPLETE_VIEW)
    async def on_complete_submit(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """Completion, with the optional note passed on to the user."""
        note = _value(view, bk.NOTE_BLOCK, bk.NOTE_INPUT) or None
        await submit(ack, body, client, bk.NOTE_BLOCK,
                     lambda ref, who, now: svc.complete(ref, who, note, now))  # fmt: skip

    @app.view(bk.DENY_VIEW)
    async def on_deny_submit(
        ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        """A denial needs a reason, which the user is shown (with the right to complain)."""
        reason = _value(view, bk.REASON_BLOCK, bk.REASON_INPUT)
        if not reason:
            await ack(response_action="errors", errors={bk.REASON_BLOCK: "A reason is required."})
            return
        await submit(ack, body, client, bk.REASON_BLOCK,
                     lambda ref, who, now: svc.deny(ref, who, reason, now))  # fmt: skip
