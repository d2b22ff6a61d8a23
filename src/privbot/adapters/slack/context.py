"""What every listener shares: the staff use cases, Slack's records, the staff directory and
the clock; how a Slack user is written in the audit log; the refusal for non-staff; the
in-place refresh of a request's message after an action."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack.messages import update_message
from privbot.adapters.slack.records import SlackRecords
from privbot.adapters.slack.staff import StaffDirectory
from privbot.core.reminders import local_day
from privbot.core.requests import RightsRequest
from privbot.services.handoff import HandoffDesk
from privbot.services.requests import RequestService

log = logging.getLogger(__name__)

REFUSAL = "Only the privacy team (PRIVBOT_SLACK_STAFF) can act on rights requests."


@dataclass(frozen=True, slots=True)
class SlackContext:
    """The listeners' collaborators; `clock` returns an aware `now` (tests pass their own)."""

    requests: RequestService
    records: SlackRecords
    staff: StaffDirectory
    timezone: tzinfo
    clock: Callable[[], datetime]
    handoffs: HandoffDesk | None = None

    def today(self) -> date:
        return local_day(self.clock(), self.timezone)

    async def refresh_message(self, client: AsyncWebClient, req: RightsRequest) -> None:
        """Re-render the request's message in place (if it was posted) after a staff action."""
        await update_message(client, self.records, req, self.today(), self.clock())


def clicked(body: dict[str, Any]) -> tuple[str, str] | None:
    """(Slack user id, the button's value) of a button press; None if the payload lacks them
    (logged in one line, without the payload)."""
    actions = body.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    return _user_and(body, first, "value", "slack action ignored: no user or no value")


def submitted(body: dict[str, Any]) -> tuple[str, str] | None:
    """(Slack user id, the request reference the modal carries) of a modal submission; None
    if the payload lacks them (logged in one line, without the payload)."""
    return _user_and(body, body.get("view"), "private_metadata", "slack modal ignored: no user")


def _user_and(
    body: dict[str, Any], holder: Any, key: str, complaint: str
) -> tuple[str, str] | None:
    user = body.get("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    value = holder.get(key) if isinstance(holder, dict) else None
    if isinstance(user_id, str) and isinstance(value, str):
        return user_id, value
    log.warning("%s", complaint)
    return None


def actor_of(user_id: str) -> str:
    """How a Slack user is written in the audit log and as assignee."""
    return f"slack:{user_id}"


async def ephemeral(client: AsyncWebClient, body: dict[str, Any], text: str) -> None:
    """A message only the clicker sees, in the channel of the click."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    user = (body.get("user") or {}).get("id")
    if not channel or not user:
        log.info("no channel for an ephemeral reply")
        return
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as exc:
        log.warning("chat.postEphemeral failed: %s", exc.response.get("error"))
