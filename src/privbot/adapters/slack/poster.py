"""Posting each newly verified request to the staff channel once (claimed in the database, so
two instances never both post it), and keeping those messages current: `refresh` re-renders
the messages whose request changed since they were rendered (a user's cancellation on
Telegram, on any instance) or, while open, were rendered before today (days left, the Extend
button after the original deadline).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, timedelta, tzinfo

from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack import blocks as bk
from privbot.adapters.slack.messages import post_message, update_message
from privbot.adapters.slack.records import SlackRecords
from privbot.core.reminders import local_day
from privbot.errors import DeliveryError, RequestNotFound
from privbot.services.requests import RequestService

log = logging.getLogger(__name__)

STALE_POST = timedelta(minutes=5)
# chat.update calls per refresh run (every few seconds): Slack allows about 50 a minute, so
# the daily re-render of many open requests is spread over several runs, changed ones first.
REFRESH_PER_RUN = 8


class RequestPoster:
    """Posts verified requests that have no Slack message yet; stores the message ts."""

    def __init__(
        self,
        client: AsyncWebClient,
        store: SlackRecords,
        requests: RequestService,
        channel: str,
        timezone: tzinfo,
    ) -> None:
        self.client = client
        self.store = store
        self.requests = requests
        self.channel = channel
        self.timezone = timezone
        self.owner = f"poster-{uuid.uuid4().hex}"

    async def post_new(self, now: datetime, limit: int = 50) -> list[str]:
        """Post up to `limit` unposted requests; returns the references posted."""
        posted: list[str] = []
        refs = await asyncio.to_thread(self.store.unposted, limit)
        for ref in refs:
            claimed = await asyncio.to_thread(
                self.store.claim_post, ref, self.channel, self.owner, now, STALE_POST
            )
            if not claimed:
                continue
            req = await asyncio.to_thread(self.requests.get, ref)
            text, blocks = bk.request_message(req, local_day(now, self.timezone))
            try:
                ts = await post_message(self.client, channel=self.channel, text=text, blocks=blocks)
            except DeliveryError as exc:
                log.warning("request %s not posted: %s", ref, exc)
                await asyncio.to_thread(self.store.release_post, ref, self.owner)
                break  # Slack is failing: try again at the next run
            await asyncio.to_thread(self.store.posted, ref, self.owner, ts, now)
            digest = bk.message_digest(text, blocks)
            today = local_day(now, self.timezone)
            await asyncio.to_thread(self.store.rendered, ref, digest, today, None, now)
            log.info("request %s posted to Slack", ref)
            posted.append(ref)
        return posted

    async def refresh(self, now: datetime, limit: int = REFRESH_PER_RUN) -> list[str]:
        """Bring up to `limit` stale messages up to date; returns the references updated."""
        today = local_day(now, self.timezone)
        stale = await asyncio.to_thread(self.store.stale_messages, today, 4 * limit)
        updated: list[str] = []
        for ref, request_updated_at in stale:
            if len(updated) >= limit:
                break
            try:
                req = await asyncio.to_thread(self.requests.get, ref)
            except RequestNotFound:  # purged by retention: nothing left to show
                continue
            if await update_message(self.client, self.store, req, today, now, request_updated_at):
                updated.append(ref)
        if updated:
            log.info("refreshed %d Slack message(s)", len(updated))
        return updated
