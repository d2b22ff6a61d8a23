"""Verification abuse alerts (stored by `adapters.persistence.limits`) posted to the staff
channel: each alert row once, by whichever instance claims it; a failed post gives the claim
back (the next run retries). The text names what was attacked and until when it is locked,
never an account, an address or a code."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack.messages import post_message
from privbot.core.abuse import StaffAlert
from privbot.errors import DeliveryError

log = logging.getLogger(__name__)

STALE_ALERT = timedelta(minutes=5)  # a claim left by an instance that died is taken over
WHAT = {
    "send:account": "codes asked for by one chat account",
    "send:address": "codes sent to one e-mail address",
    "send:global": "the global budget of codes sent",
    "guess:account": "code guesses from one chat account",
    "guess:address": "code guesses for one e-mail address",
    "guess:global": "the global budget of code guesses",
}


class AlertStore(Protocol):
    """The alert side of `adapters.persistence.limits.LimitStore`."""

    def claim_alerts(
        self, owner: str, now: datetime, stale: timedelta, limit: int = 10
    ) -> list[StaffAlert]: ...
    def alert_posted(self, alert_id: int, owner: str, now: datetime) -> None: ...
    def release_alert(self, alert_id: int, owner: str) -> None: ...


def alert_text(alert: StaffAlert, timezone: tzinfo) -> str:
    what = WHAT.get(alert.kind, alert.kind)
    until = alert.until.astimezone(timezone).strftime("%Y-%m-%d %H:%M %Z")
    repeat = (
        f"locked out {alert.strikes} times in a row"
        if not alert.kind.endswith(":global")
        else "used up"
    )
    return (
        f":warning: Possible attack on e-mail verification: {what} {repeat} "
        f"(locked until {until}; {alert.occurrences} such lockout(s) on {alert.day.isoformat()}). "
        "The limits hold on their own; nothing here identifies the account or the address. "
        "If it goes on, look for `verification abuse` in the logs."
    )


class AlertPoster:
    """Posts unposted verification alerts to the staff channel."""

    def __init__(
        self, client: AsyncWebClient, store: AlertStore, channel: str, timezone: tzinfo
    ) -> None:
        self.client = client
        self.store = store
        self.channel = channel
        self.timezone = timezone
        self.owner = f"alerts-{uuid.uuid4().hex}"

    async def post_new(self, now: datetime) -> list[int]:
        """Post the alerts this instance claims; returns their ids."""
        claimed = await asyncio.to_thread(self.store.claim_alerts, self.owner, now, STALE_ALERT)
        posted: list[int] = []
        for alert in claimed:
            try:
                await post_message(self.client, channel=self.channel,
                            text=alert_text(alert, self.timezone))  # fmt: skip
            except DeliveryError as exc:
                log.warning("verification alert %d not posted: %s", alert.id, exc)
                for left in claimed[len(posted) :]:
                    await asyncio.to_thread(self.store.release_alert, left.id, self.owner)
                break
            await asyncio.to_thread(self.store.alert_posted, alert.id, self.owner, now)
            log.info("verification alert %d posted to Slack", alert.id)
            posted.append(alert.id)
        return posted
