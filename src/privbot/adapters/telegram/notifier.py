"""Delivers the outbox (staff actions told to users, replies and files that failed to send) on
Telegram.

A JobQueue job sweeps every few seconds (a staff action is delivered by the next sweep).
Several instances may sweep the same database, so each notification is first *claimed* (an
atomic UPDATE, `SqlRepository.claim_notifications`), then sent, then marked sent. A failure
releases the claim with a backoff (`next_attempt_at`: 2 s, 4 s, 8 s ... at most 10 min), so a
brief outage loses nothing; after `max_attempts` the notification is given up and only its id
and the event name are logged. An instance that dies holding a claim loses it after the lease.
Each claimed notification is checked again (its claim renewed) just before it is sent: one
its user erased meanwhile with their data (a reply sent late, a /privacy export) is dropped.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from telegram.ext import Application, ContextTypes

from privbot.adapters.telegram import render as rd
from privbot.adapters.telegram.bot import CHANNEL, send_message
from privbot.core.model import Reply
from privbot.core.records import Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20
INTERVAL_SECONDS = 3.0
BATCH = 20
LEASE = timedelta(minutes=2)  # far longer than one batch takes to send
BACKOFF_FIRST = timedelta(seconds=2)
BACKOFF_MAX = timedelta(minutes=10)


class OutboxStore(Protocol):
    def claim_notifications(
        self, channel: str, worker_id: str, now: datetime, limit: int, lease: timedelta
    ) -> list[Notification]: ...
    def renew_claim(self, notification_id: int, worker_id: str, now: datetime) -> bool: ...
    def mark_sent(self, notification_id: int, now: datetime) -> None: ...
    def release_notification(
        self, notification_id: int, worker_id: str, now: datetime, retry_at: datetime | None
    ) -> None: ...


def worker_name() -> str:
    """This process's claim name: host, pid and a random part (unique across restarts)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(4)}"


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after `attempts` failed ones (1, 2, ...)."""
    wait: timedelta = BACKOFF_FIRST * 2 ** max(attempts - 1, 0)
    return min(wait, BACKOFF_MAX)


class OutboxNotifier:
    """Sends pending Telegram notifications by internal user id (the chat id in private)."""

    def __init__(
        self,
        store: OutboxStore,
        application: Application[Any, Any, Any, Any, Any, Any],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        worker_id: str | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        lease: timedelta = LEASE,
    ) -> None:
        self.store = store
        self.application = application
        self.clock = clock
        self.worker_id = worker_id or worker_name()
        self.max_attempts = max_attempts
        self.lease = lease
        self._lock = asyncio.Lock()  # the job and a poke never sweep at the same time

    def schedule(self, interval: float = INTERVAL_SECONDS) -> None:
        """Sweep every `interval` seconds on the Application's JobQueue."""
        jq = self.application.job_queue
        if jq is None:
            raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
        jq.run_repeating(self._job, interval=interval, first=0.5, name="telegram-outbox")

    def poke(self) -> None:
        """Sweep as soon as possible rather than at the next interval."""
        jq = self.application.job_queue
        if jq is not None:
            jq.run_once(self._job, when=0, name="telegram-outbox-now")

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.deliver_pending()

    async def deliver_pending(self) -> int:
        """One sweep over what this instance could claim; returns how many were sent."""
        async with self._lock:
            claimed: Sequence[Notification] = await asyncio.to_thread(
                self.store.claim_notifications,
                CHANNEL,
                self.worker_id,
                self.clock(),
                BATCH,
                self.lease,
            )
            sent = 0
            for n in claimed:
                assert n.id is not None
                # Checked again just before it goes: an erase since the claim took it away.
                if not await asyncio.to_thread(
                    self.store.renew_claim, n.id, self.worker_id, self.clock()
                ):
                    log.info("notification %s outbox.dropped", n.id)
                    continue
                if await self._deliver(n):
                    await asyncio.to_thread(self.store.mark_sent, n.id, self.clock())
                    sent += 1
                else:
                    await self._failed(n.id, n.attempts + 1)
            return sent

    async def _failed(self, notification_id: int, attempts: int) -> None:
        now = self.clock()
        retry_at = now + backoff(attempts) if attempts < self.max_attempts else None
        await asyncio.to_thread(
            self.store.release_notification, notification_id, self.worker_id, now, retry_at
        )
        if retry_at is None:
            log.error("notification %s outbox.given_up", notification_id)
        else:
            log.warning("notification %s outbox.retry_later", notification_id)

    async def _deliver(self, n: Notification) -> bool:
        try:
            chat_id = int(n.user.external_id)
        except ValueError:
            return False
        for m in rd.render([Reply(n.text, attachment=n.attachment)], str):
            if not await send_message(self.application, chat_id, m):
                return False
        return True
