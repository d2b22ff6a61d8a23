"""Updates recorded before Telegram is told they arrived, and replayed if their instance died.

Telegram forgets an update once it is acknowledged: by the next getUpdates offset (long
polling) or by a 200 (webhook). So each update is first recorded in the database with its
content (encrypted; `UpdateLedger.claim_update`), and only then acknowledged and queued; once
its lane is done with it, it is marked handled (which forgets the content), together with the
others handled within `MARK_AFTER` seconds (`HandledMarks`: one commit for a burst rather than
one per message). An update recorded by an
instance that died before handling it is taken over by any instance once `LEASE` has passed
(`UpdateReplay`, every `REPLAY_EVERY` seconds), so a crash loses no message; one
answered but not yet marked is answered again then, as one whose instance died between sending
the reply and marking it always was. A second delivery
of a recorded update (Telegram retrying, or another instance) is dropped.

Long polling is done here rather than by PTB's Updater, which acknowledges a batch on its next
request whether or not the batch was stored.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import Application, ContextTypes

from privbot.adapters.telegram.http import quiet_api_request

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # far longer than handling one update takes
REPLAY_EVERY = 10.0  # seconds between looks for updates a dead instance left
_REPLAY_BATCH = 20
_POLL_TIMEOUT = 20  # seconds Telegram holds a getUpdates open
_RETRY_MAX = 30.0  # seconds between getUpdates attempts at most, while failing
_GET_UPDATES = "getUpdates"
_READ_TIMEOUT = 5.0  # seconds: python-telegram-bot's default, which get_updates adds
MARK_AFTER = 0.2  # seconds an update handled waits for others to be marked with it


class UpdateLedger(Protocol):
    """The updates taken in (`adapters.persistence.repository.SqlRepository`)."""

    def claim_update(self, update_id: int, now: datetime, payload: str | None = None) -> bool: ...
    def claim_updates(self, updates: list[tuple[int, str]], now: datetime) -> list[int]: ...
    def mark_updates_handled(self, update_ids: list[int], now: datetime) -> None: ...
    def take_over_updates(
        self, now: datetime, stale_before: datetime, limit: int
    ) -> list[tuple[int, str]]: ...
    def purge_updates(self, before: datetime) -> int: ...


Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


async def record(ledger: UpdateLedger, update_id: int, data: Any, clock: Clock = _now) -> bool:
    """Record an update with its JSON; False when it was recorded already (a redelivery)."""
    return await asyncio.to_thread(ledger.claim_update, update_id, clock(), json.dumps(data))


class HandledMarks:
    """Marks updates handled in batches: the first one handled starts a `delay`, and it and
    every update handled meanwhile are marked in one transaction when it ends. A failure only
    means a later replay."""

    def __init__(self, ledger: UpdateLedger, clock: Clock = _now, delay: float = MARK_AFTER):
        self.ledger = ledger
        self.clock = clock
        self.delay = delay
        self._pending: list[int] = []
        self._timer: asyncio.Task[None] | None = None  # the batch that updates join now
        self._batches: set[asyncio.Task[None]] = set()  # and those still being written

    async def add(self, update: object) -> None:
        """After the update's lane is done with it (`FairUpdates`' `on_done`)."""
        if not isinstance(update, Update):
            return
        self._pending.append(update.update_id)
        if self._timer is None:
            self._timer = asyncio.create_task(self._later(), name="telegram-handled-marks")
            self._batches.add(self._timer)
            self._timer.add_done_callback(self._batches.discard)

    async def _later(self) -> None:
        await asyncio.sleep(self.delay)
        self._timer = None  # an update handled from now on starts the next batch
        await self.flush()

    async def flush(self) -> None:
        ids, self._pending = self._pending, []
        if not ids:
            return
        try:
            await asyncio.to_thread(self.ledger.mark_updates_handled, ids, self.clock())
        except Exception as exc:
            log.warning("%d updates not marked handled: %s", len(ids), type(exc).__name__)

    async def stop(self) -> None:
        """Mark what is waiting (at shutdown, once the lanes are drained): the batches under
        way end first (at most `delay`), those being written included, so that no write
        outlives the engine."""
        await asyncio.gather(*self._batches, return_exceptions=True)
        await self.flush()


class UpdatePoller:
    """getUpdates in a loop; each batch is recorded before the next request acknowledges it."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        ledger: UpdateLedger,
        allowed_updates: list[str],
        clock: Clock = _now,
    ) -> None:
        self.application = application
        self.ledger = ledger
        self.allowed_updates = allowed_updates
        self.clock = clock
        self._task: asyncio.Task[None] | None = None
        quiet_api_request(_GET_UPDATES)

    async def start(self) -> None:
        await self.application.bot.delete_webhook()  # polling and a webhook exclude each other
        self._task = asyncio.create_task(self._run(), name="telegram-poller")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        offset = 0
        wait = 1.0
        while True:
            try:
                raw = await self._get_updates(offset)
                if raw:
                    # Recorded as Telegram sent them: no `Update.to_dict` to make them again
                    # (0.05 ms of the event loop's time per update).
                    batch = [(int(data["update_id"]), json.dumps(data)) for data in raw]
                    updates = Update.de_list(raw, self.application.bot)
                    fresh = set(
                        await asyncio.to_thread(self.ledger.claim_updates, batch, self.clock())
                    )
                    for update in updates:
                        if update.update_id in fresh:
                            await self.application.update_queue.put(update)
                        else:
                            log.info("update %s telegram.duplicate_dropped", update.update_id)
                    offset = batch[-1][0] + 1  # acknowledged by the next request only
                wait = 1.0
            except InvalidToken:
                log.error("telegram: the bot token was refused; polling stopped")
                return
            except Exception as exc:
                # Telegram or the database unreachable: nothing acknowledged, try again.
                log.warning(
                    "telegram polling failed: %s; retry in %.0f s", type(exc).__name__, wait
                )
                await asyncio.sleep(wait)
                wait = min(wait * 2, _RETRY_MAX)

    async def _get_updates(self, offset: int) -> list[dict[str, Any]]:
        """getUpdates as `Bot.get_updates` sends it (the read timeout its request's, plus
        the poll's), its JSON left as Telegram sent it."""
        bot = self.application.bot
        result = await bot.do_api_request(
            _GET_UPDATES,
            api_kwargs={
                "offset": offset,
                "timeout": _POLL_TIMEOUT,
                "allowed_updates": self.allowed_updates,
            },
            read_timeout=_READ_TIMEOUT + _POLL_TIMEOUT,
        )
        return list(result) if isinstance(result, list) else []


class UpdateReplay:
    """Takes over updates a dead instance recorded and never handled, and queues them."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        ledger: UpdateLedger,
        clock: Clock = _now,
    ) -> None:
        self.application = application
        self.ledger = ledger
        self.clock = clock

    def schedule(self) -> None:
        jq = self.application.job_queue
        if jq is None:
            raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
        jq.run_repeating(self._job, interval=REPLAY_EVERY, first=1.0, name="telegram-replay")

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.replay()

    async def replay(self) -> int:
        """One look; returns how many updates were queued again."""
        now = self.clock()
        try:
            taken = await asyncio.to_thread(
                self.ledger.take_over_updates, now, now - LEASE, _REPLAY_BATCH
            )
        except Exception as exc:
            log.warning("telegram replay skipped: %s", type(exc).__name__)
            return 0
        for update_id, payload in taken:
            try:
                update = Update.de_json(json.loads(payload), self.application.bot)
            except Exception as exc:  # unreadable: mark it so it is not tried forever
                log.error("update %s not replayable: %s", update_id, type(exc).__name__)
                await asyncio.to_thread(self.ledger.mark_updates_handled, [update_id], now)
                continue
            log.warning("update %s telegram.replayed (its instance stopped before answering)",
                        update_id)  # fmt: skip
            await self.application.update_queue.put(update)
        return len(taken)
