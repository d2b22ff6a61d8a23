"""Posting to the staff channel: each newly verified request once (claimed in the database, so
two instances never both post it), and the reminders and digest of `services.reminders`."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.reminder_store import SlackStore
from privbot.adapters.slack import blocks as bk
from privbot.core.reminders import local_day
from privbot.errors import DeliveryError
from privbot.services.reminders import Digest, ReminderNotice
from privbot.services.requests import RequestService

log = logging.getLogger(__name__)

STALE_POST = timedelta(minutes=5)


async def _post(client: AsyncWebClient, **kwargs: object) -> str:
    """chat.postMessage; its ts, or DeliveryError (a Slack error, a 5xx, the network)."""
    try:
        resp = await client.chat_postMessage(**kwargs)  # type: ignore[arg-type]
    except SlackApiError as exc:
        raise DeliveryError(f"chat.postMessage: {exc.response.get('error')}") from exc
    except (OSError, TimeoutError) as exc:
        raise DeliveryError(f"chat.postMessage: {type(exc).__name__}") from exc
    except Exception as exc:  # aiohttp's errors are not all OSErrors
        if type(exc).__module__.startswith("aiohttp"):
            raise DeliveryError(f"chat.postMessage: {type(exc).__name__}") from exc
        raise
    return str(resp.get("ts") or "")


class RequestPoster:
    """Posts verified requests that have no Slack message yet; stores the message ts."""

    def __init__(
        self,
        client: AsyncWebClient,
        store: SlackStore,
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
                ts = await _post(self.client, channel=self.channel, text=text, blocks=blocks)
            except DeliveryError as exc:
                log.warning("request %s not posted: %s", ref, exc)
                await asyncio.to_thread(self.store.release_post, ref, self.owner)
                break  # Slack is failing: try again at the next run
            await asyncio.to_thread(self.store.posted, ref, self.owner, ts, now)
            log.info("request %s posted to Slack", ref)
            posted.append(ref)
        return posted


class SlackStaffChannel:
    """`services.reminders.StaffChannel` on Slack: threaded reminders and the daily digest."""

    def __init__(
        self, client: AsyncWebClient, channel: str, staff_mention: Callable[[], str]
    ) -> None:
        self.client = client
        self.channel = channel
        self.staff_mention = staff_mention

    async def send_reminder(self, notice: ReminderNotice, thread: tuple[str, str] | None) -> str:
        who = bk.mention(notice.assignee) if notice.assignee else self.staff_mention()
        text = bk.reminder_text(notice.point, notice.reference, notice.today, who)
        if thread is None:
            return await _post(self.client, channel=self.channel, text=text)
        # A reply in the thread, also shown in the channel when it is overdue.
        broadcast = notice.point.kind == "overdue"
        return await _post(self.client, channel=thread[0], thread_ts=thread[1], text=text,
                           reply_broadcast=broadcast)  # fmt: skip

    async def send_digest(self, digest: Digest) -> str:
        title = f"Daily digest {digest.today.isoformat()}: {digest.total} open request(s)"
        blocks = bk.list_blocks(title, list(digest.requests), digest.total, digest.today)
        return await _post(self.client, channel=self.channel, text=title, blocks=blocks)
