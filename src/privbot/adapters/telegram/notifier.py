"""Delivers the outbox (staff actions told to users, replies that failed to send) on Telegram.

A JobQueue job sweeps every few seconds; `poke()` runs a sweep at once (after a staff action).
A notification is marked sent only after Telegram accepted it; a failure counts an attempt and
is retried at the next sweep, up to `MAX_ATTEMPTS`, so nothing is lost to a brief outage.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from telegram.ext import Application, ContextTypes

from privbot.adapters.telegram import render as rd
from privbot.adapters.telegram.bot import CHANNEL, send_message
from privbot.core.model import Reply
from privbot.core.records import Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20
INTERVAL_SECONDS = 3.0


class OutboxStore(Protocol):
    def pending_notifications(self, channel: str, limit: int = 100) -> list[Notification]: ...
    def mark_sent(self, notification_id: int, now: datetime) -> None: ...
    def mark_failed(self, notification_id: int) -> None: ...


class OutboxNotifier:
    """Sends pending Telegram notifications by internal user id (the chat id in private)."""

    def __init__(
        self,
        store: OutboxStore,
        application: Application[Any, Any, Any, Any, Any, Any],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.application = application
        self.clock = clock
        self._lock = asyncio.Lock()  # the job and a poke never sweep at the same time

    def schedule(self, interval: float = INTERVAL_SECONDS) -> None:
        """Sweep every `interval` seconds on the Application's JobQueue."""
        jq = self.application.job_queue
        if jq is None:
            raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
        jq.run_repeating(self._job, interval=interval, first=0.5, name="telegram-outbox")

    def poke(self) -> None:
        """Sweep as soon as possible (a staff action just queued something)."""
        jq = self.application.job_queue
        if jq is not None:
            jq.run_once(self._job, when=0, name="telegram-outbox-now")

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.deliver_pending()

    async def deliver_pending(self) -> int:
        """One sweep; returns how many notifications were sent."""
        async with self._lock:
            pending: Sequence[Notification] = await asyncio.to_thread(
                self.store.pending_notifications, CHANNEL
            )
            sent = 0
            for n in pending:
                if n.id is None or n.attempts >= MAX_ATTEMPTS:
                    continue
                if await self._deliver(n):
                    await asyncio.to_thread(self.store.mark_sent, n.id, self.clock())
                    sent += 1
                else:
                    await asyncio.to_thread(self.store.mark_failed, n.id)
                    log.warning("notification %s not delivered (attempt %d)", n.id, n.attempts + 1)
            return sent

    async def _deliver(self, n: Notification) -> bool:
        try:
            chat_id = int(n.user.external_id)
        except ValueError:
            return False
        for m in rd.render([Reply(n.text)], str):
            if not await send_message(self.application, chat_id, m):
                return False
        return True
