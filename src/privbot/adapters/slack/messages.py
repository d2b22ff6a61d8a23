"""The two Web API calls privbot makes about a request's message, with its error handling:
posting (a failure is a DeliveryError the caller retries later) and updating in place.

Keeping messages current: a message is re-rendered and `chat.update`d only when what it shows
has changed; what it shows is recorded (its digest), so two instances updating at once
do the same idempotent update and no claim is needed.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack import blocks as bk
from privbot.adapters.slack.records import SlackRecords
from privbot.core.requests import RightsRequest
from privbot.errors import DeliveryError

log = logging.getLogger(__name__)

# chat.update errors that retrying cannot fix: the message is recorded as rendered anyway.
GONE = frozenset({"message_not_found", "channel_not_found", "cant_update_message",
                  "is_archived", "not_in_channel"})  # fmt: skip


async def post_message(client: AsyncWebClient, **kwargs: object) -> str:
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
    store: SlackRecords,
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
