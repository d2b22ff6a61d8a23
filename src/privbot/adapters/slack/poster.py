"""Posting to the staff channel: each newly verified request once (claimed in the database, so
two instances never both post it), keeping those messages current, and the reminders and
digest of `services.reminders`.

Keeping messages current: `RequestPoster.refresh` re-renders the messages whose request
changed since they were rendered (a user's cancellation on Telegram, on any instance) or, while
open, were rendered before today (days left, the Extend button after the original deadline),
and calls chat.update only when what the message shows has changed. Two instances may both
update a message at once; the update is idempotent, so no claim is taken.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.reminder_store import SlackStore
from privbot.adapters.slack import blocks as bk
from privbot.core.reminders import local_day
from privbot.core.requests import RightsRequest
from privbot.errors import DeliveryError, RequestNotFound
from privbot.services.reminders import Digest, ReminderNotice
from privbot.services.requests import RequestService

log = logging.getLogger(__name__)

STALE_POST = timedelta(minutes=5)
# chat.update calls per refresh run (every few seconds): Slack allows about 50 a minute, so
# the daily re-render of many open requests is spread over several runs, changed ones first.
REFRESH_PER_RUN = 8
# chat.update errors that retrying cannot fix: the message is recorded as rendered anyway.
GONE = frozenset({"message_not_found", "channel_not_found", "cant_update_message",
                  "is_archived", "not_in_channel"})  # fmt: skip


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


async def update_message(
    client: AsyncWebClient,
    store: SlackStore,
    req: RightsRequest,
    today: date,
    now: datetime,
    request_updated_at: Any = None,
) -> bool:
    """Re-render `req`'s message (if posted) and chat.update it if it shows something else
    now; record what it shows. True if Slack was called."""
    thread = await asyncio.to_thread(store.thread_of, req.reference)
    if thread is None:
        return False
    text, blocks = bk.request_message(req, today)
    digest = bk.message_digest(text, blocks)
    before = await asyncio.to_thread(store.render_digest, req.reference)
    called = False
    if digest != before:
        called = True
        try:
            await client.chat_update(channel=thread[0], ts=thread[1], text=text, blocks=blocks)
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            log.warning("chat.update %s failed: %s", req.reference, error)
            if error not in GONE:
                return called  # not recorded: a later refresh retries it
        except Exception as exc:  # the network, aiohttp: a later refresh retries it
            log.warning("chat.update %s failed: %s", req.reference, type(exc).__name__)
            return called
    await asyncio.to_thread(store.rendered, req.reference, digest, today, request_updated_at, now)
    return called


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
