"""Telegram updates are marked handled a batch at a time (`ledger.HandledMarks`): the updates
handled while the first one's delay runs share one write, and shutdown writes what waits."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from telegram import Update

from privbot.adapters.telegram.ledger import HandledMarks

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


class Ledger:
    """Only what `HandledMarks` calls; the other `UpdateLedger` calls are never made."""

    def __init__(self) -> None:
        self.writes: list[list[int]] = []

    def mark_updates_handled(self, update_ids: list[int], now: datetime) -> None:
        self.writes.append(list(update_ids))


async def test_updates_handled_together_are_marked_in_one_write() -> None:
    ledger = Ledger()
    marks = HandledMarks(ledger, lambda: NOW, delay=0.05)  # type: ignore[arg-type]
    for update_id in (1, 2, 3):
        await marks.add(Update(update_id))
    await marks.add(object())  # not an update: nothing to mark
    assert ledger.writes == []  # not before the delay
    await asyncio.sleep(0.2)
    assert ledger.writes == [[1, 2, 3]]
    await marks.add(Update(4))  # a new batch
    await marks.stop()  # shutdown does not lose it
    assert ledger.writes == [[1, 2, 3], [4]]


class SlowLedger(Ledger):
    """A write that takes a while: the batch's delay is over, its write is not."""

    def mark_updates_handled(self, update_ids: list[int], now: datetime) -> None:
        time.sleep(0.2)
        super().mark_updates_handled(update_ids, now)


async def test_shutdown_waits_for_a_batch_being_written() -> None:
    """`stop` returns once every write has ended, so none outlives the database engine."""
    ledger = SlowLedger()
    marks = HandledMarks(ledger, lambda: NOW, delay=0.01)  # type: ignore[arg-type]
    await marks.add(Update(1))
    await asyncio.sleep(0.05)  # the delay is over: the write is under way
    await marks.stop()
    assert ledger.writes == [[1]]
