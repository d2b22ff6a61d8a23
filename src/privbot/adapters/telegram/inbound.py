"""Fair handling of incoming updates: one user's flood never delays another user.

PTB's own concurrency runs updates in arrival order under one semaphore, so 300 messages from
one user, each waiting for that user's turn, would hold every slot and everyone else would
wait behind them. Here instead:

- each user has a lane: their updates run one at a time, in order;
- lanes share `workers` engine slots first come, first served, and a lane takes one slot per
  update, so a flooder holds at most one slot while others' updates go past;
- each user has an inbound limit (a token bucket: `burst` updates at once, then `per_second`);
  past it the update is dropped, and the first drop of a flood calls `on_refused` (which tells
  the user to slow down, once, in their language); the flood is over when the bucket is full
  again.

An update without a user (none in the updates privbot asks for) runs in a worker slot alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

# Updates taken in and not yet handed to a lane (the lanes do the waiting, not PTB).
_ADMISSION_SLOTS = 4096
_FORGET_AFTER = 10_000  # users tracked before full, idle buckets are forgotten


@dataclass(frozen=True)
class InboundLimit:
    """What one user may send: `burst` updates at once, then `per_second` on average."""

    burst: int = 8
    per_second: float = 0.5  # 30 a minute: more than anyone types or taps


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    warned: bool = False  # told to slow down since the bucket was last full


class FairUpdates(BaseUpdateProcessor):
    """A PTB update processor with a lane per user and a per-user inbound limit."""

    def __init__(
        self,
        workers: int,
        on_refused: Callable[[Update], Awaitable[None]],
        limit: InboundLimit = InboundLimit(),
        clock: Callable[[], float] = time.monotonic,
        on_done: Callable[[object], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(_ADMISSION_SLOTS)
        self._slots = asyncio.Semaphore(workers)
        self._on_refused = on_refused
        self._limit = limit
        self._clock = clock
        self._on_done = on_done
        self._buckets: dict[int, _Bucket] = {}
        self._lanes: dict[int, deque[tuple[object, Awaitable[Any]]]] = {}
        self._drains: dict[int, asyncio.Task[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        user = _user_id(update)
        if user is None:
            async with self._slots:
                await coroutine
            await self._done(update)
            return
        admitted, first_refusal = self.admit(user)
        if not admitted:
            _discard(coroutine)
            log.info("telegram.update_dropped: inbound limit")
            if first_refusal and isinstance(update, Update):
                try:
                    await self._on_refused(update)
                except Exception as exc:  # a failed warning must not stop the intake
                    log.warning("slow-down notice not sent: %s", type(exc).__name__)
            await self._done(update)
            return
        self._lanes.setdefault(user, deque()).append((update, coroutine))
        if user not in self._drains:
            self._drains[user] = asyncio.create_task(self._drain(user))

    def admit(self, user: int) -> tuple[bool, bool]:
        """(admitted, first refusal of a run): takes a token from the user's bucket."""
        now = self._clock()
        bucket = self._buckets.get(user)
        if bucket is None:
            if len(self._buckets) >= _FORGET_AFTER:
                self._forget_idle(now)
            bucket = self._buckets[user] = _Bucket(float(self._limit.burst), now)
        full = float(self._limit.burst)
        bucket.tokens = min(full, bucket.tokens + (now - bucket.stamp) * self._limit.per_second)
        bucket.stamp = now
        if bucket.tokens >= full:
            bucket.warned = False  # the user slowed down for good: a later flood is a new one
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return True, False
        first = not bucket.warned
        bucket.warned = True
        return False, first

    async def _drain(self, user: int) -> None:
        lane = self._lanes[user]
        try:
            while lane:
                update, job = lane.popleft()
                async with self._slots:
                    try:
                        await job
                    except Exception as exc:  # PTB reports handler errors itself
                        log.error("update processing failed: %s", type(exc).__name__)
                await self._done(update)
        finally:
            # No await between the empty check and here: an update cannot slip in unseen.
            del self._lanes[user]
            del self._drains[user]

    async def _done(self, update: object) -> None:
        if self._on_done is not None:
            await self._on_done(update)

    def _forget_idle(self, now: float) -> None:
        full = float(self._limit.burst)
        for user, b in list(self._buckets.items()):
            refilled = b.tokens + (now - b.stamp) * self._limit.per_second
            if refilled >= full and user not in self._lanes:
                del self._buckets[user]

    async def drain(self, timeout: float) -> None:
        """Let the updates already taken in finish (at shutdown, before the bot closes)."""
        tasks = list(self._drains.values())
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=timeout)
            for task in late:
                task.cancel()

    async def initialize(self) -> None:
        """Nothing to set up: lanes are made on demand."""

    async def shutdown(self) -> None:
        await self.drain(0)


def _user_id(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_user is not None:
        return update.effective_user.id
    return None


def _discard(coroutine: Awaitable[Any]) -> None:
    """Close a never-started coroutine (no 'was never awaited' warning)."""
    close = getattr(coroutine, "close", None)
    if close is not None:
        with contextlib.suppress(RuntimeError):
            close()
