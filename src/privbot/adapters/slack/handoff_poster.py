"""Posting handoffs to a person in the staff channel: the first message of a handoff opens a
thread (its root says who may answer and that the user reads the replies on Telegram); each
message of the user is posted in that thread, in order, once, labelled as the user's. Each
handoff is claimed in the database first, so two instances never post it both."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, timedelta
from typing import Protocol

from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.slack.messages import post_message
from privbot.core.handoff import Handoff, HandoffMessage
from privbot.errors import DeliveryError

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)

ROOT_TEXT = (
    ":raising_hand: *{reference}*: a user ({channel}, language {language}) asked to talk to"
    " a person of the privacy team. Reply in this thread: your replies reach the user as"
    " a message from the privacy team (a person)."
)
USER_TEXT = "*User* (writing to the privacy team): {text}"


class HandoffPosts(Protocol):
    def claim_handoffs(
        self, owner: str, now: datetime, lease: timedelta, limit: int
    ) -> list[Handoff]: ...
    def handoff_unposted(self, handoff_id: int) -> list[HandoffMessage]: ...
    def set_handoff_thread(self, handoff_id: int, ts: str) -> None: ...
    def mark_handoff_posted(self, message_id: int, now: datetime) -> None: ...
    def release_handoff(self, handoff_id: int, owner: str) -> None: ...


class HandoffPoster:
    def __init__(self, client: AsyncWebClient, store: HandoffPosts, channel: str) -> None:
        self.client = client
        self.store = store
        self.channel = channel
        self.owner = f"handoffs-{uuid.uuid4().hex}"

    async def post_new(self, now: datetime, limit: int = 20) -> list[str]:
        """Post what users wrote since the last run; returns the handoffs posted to."""
        done: list[str] = []
        claimed = await asyncio.to_thread(self.store.claim_handoffs, self.owner, now, LEASE, limit)
        for handoff in claimed:
            try:
                await self._post(handoff, now)
                done.append(handoff.reference)
            except DeliveryError as exc:
                log.warning("handoff %s not posted: %s", handoff.reference, exc)
            finally:
                await asyncio.to_thread(self.store.release_handoff, handoff.id, self.owner)
        return done

    async def _post(self, handoff: Handoff, now: datetime) -> None:
        thread = handoff.thread_ts
        if thread is None:
            root = ROOT_TEXT.format(
                reference=handoff.reference,
                channel=handoff.user.channel,
                language=handoff.language.value,
            )
            thread = await post_message(self.client, channel=self.channel, text=root)
            await asyncio.to_thread(self.store.set_handoff_thread, handoff.id, thread)
        for message in await asyncio.to_thread(self.store.handoff_unposted, handoff.id):
            text = USER_TEXT.format(text=message.text)
            await post_message(self.client, channel=self.channel, text=text, thread_ts=thread)
            await asyncio.to_thread(self.store.mark_handoff_posted, message.id, now)
        log.info("handoff %s posted to Slack", handoff.reference)
