"""Crash windows on the Telegram side: an update is recorded (with its content, encrypted)
before Telegram is told it arrived, and an update recorded by an instance that died before
answering it is answered by the next one."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Row, select

from privbot.adapters.persistence.tables import telegram_updates
from privbot.adapters.telegram.ledger import MARK_AFTER
from privbot.core.model import Incoming, Outgoing, UserKey
from privbot.core.ports import Save
from tests.e2e.telegram_support import Running
from tests.fakes.telegram_server import FakeTelegram

USER = 3001


def _rows(bot: Running) -> dict[int, Row[Any]]:
    assert bot.service is not None and bot.service.app is not None
    with bot.service.app.engine.connect() as c:
        return {r.update_id: r for r in c.execute(select(telegram_updates)).all()}


async def _handled(bot: Running, update_id: int, timeout: float = 10) -> Row[Any]:
    """The update's row once marked handled (marks are written a batch at a time)."""
    deadline = time.monotonic() + timeout
    while (row := _rows(bot)[update_id]).handled_at is None and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return row


async def test_a_polled_update_is_recorded_before_telegram_is_told(
    tg: FakeTelegram, bot: Running
) -> None:
    await bot.start()
    assert bot.service is not None and bot.service.app is not None
    repo = bot.service.app.repo
    recorded_at: dict[int, int] = {}
    recorded: dict[int, str] = {}
    claim = repo.claim_updates

    def spy(updates: list[tuple[int, str]], now: datetime) -> list[int]:
        fresh = claim(updates, now)
        for update_id in fresh:
            recorded_at[update_id] = tg.mark()  # where in the server's call log it happened
        recorded.update(updates)
        return fresh

    repo.claim_updates = spy  # type: ignore[method-assign]
    mark = tg.mark()
    # With a field python-telegram-bot does not know: kept, as Telegram sent it.
    sent = tg.update_message(USER, "Quels cookies utilisez-vous ?")
    sent["message"]["newer_field"] = {"x": 1}
    update_id = tg.push(sent)
    assert await tg.wait_messages(USER, mark)
    confirmed = next(
        i
        for i, c in enumerate(tg.calls)
        if c.method == "getUpdates" and int(c.params.get("offset") or 0) > update_id
    )
    assert update_id in recorded_at and recorded_at[update_id] <= confirmed
    assert json.loads(recorded[update_id]) == sent
    row = await _handled(bot, update_id)
    assert row.handled_at is not None and row.payload is None  # content dropped once handled


async def test_an_update_left_unanswered_by_a_dead_instance_is_answered(
    tg: FakeTelegram, bot: Running
) -> None:
    # What an instance that died between recording and answering leaves behind.
    service = await bot.start()
    assert service.app is not None
    update = tg.update_message(USER, "Quels cookies utilisez-vous ?")
    update["update_id"] = 9_000
    long_ago = datetime.now(UTC) - timedelta(minutes=30)
    await bot.stop()
    service = await bot.start()
    assert service.app is not None
    mark = tg.mark()
    assert service.app.repo.claim_update(9_000, long_ago, json.dumps(update))
    replies = await tg.wait_messages(USER, mark, timeout=20)
    assert replies and "ookies" in replies[0]["text"]
    assert (await _handled(bot, 9_000)).handled_at is not None


async def test_an_answer_goes_before_its_topic_is_written_and_is_marked_handled_after(
    tg: FakeTelegram, bot: Running
) -> None:
    """A policy answer is sent before its topic and the language seen last are committed,
    and its update is marked handled only once they are: an instance stopped in between
    leaves the update to be answered again, and written then."""
    service = await bot.start()
    assert service.app is not None
    app = service.app
    engine, release = app.conversation.answer, threading.Event()

    def held(incoming: Incoming, now: datetime) -> tuple[Outgoing, Save | None]:
        out, save = engine(incoming, now)
        assert save is not None

        def later() -> None:
            release.wait(10)
            save()

        return out, later

    app.conversation.answer = held  # type: ignore[method-assign]
    mark = tg.mark()
    update_id = tg.push(tg.update_message(USER, "Quels cookies utilisez-vous ?"))
    replies = await tg.wait_messages(USER, mark, quiet=2 * MARK_AFTER)
    key = UserKey("telegram", str(USER))
    assert "ookies" in replies[0]["text"]
    assert app.repo.get_topic(key) is None and _rows(bot)[update_id].handled_at is None
    release.set()
    assert (await _handled(bot, update_id)).handled_at is not None
    assert app.repo.get_topic(key) is not None


async def test_a_topic_not_written_after_its_answer_brings_no_apology(
    tg: FakeTelegram, bot: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """The answer is out when its topic's commit fails (twice: `_save_late` tries again): that
    is logged as an error (its type and where, no content), and no apology follows."""
    service = await bot.start()
    assert service.app is not None
    app = service.app
    engine = app.conversation.answer

    def failing(incoming: Incoming, now: datetime) -> tuple[Outgoing, Save | None]:
        out, save = engine(incoming, now)
        assert save is not None

        def broken() -> None:
            raise RuntimeError("database gone")

        return out, broken

    app.conversation.answer = failing  # type: ignore[method-assign]
    mark = tg.mark()
    tg.push(tg.update_message(USER, "Quels cookies utilisez-vous ?"))
    replies = await tg.wait_messages(USER, mark, quiet=0.5)
    assert len(replies) == 1 and "ookies" in replies[0]["text"]
    logged = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any(
        m.startswith("a message's topic and profile not saved: RuntimeError at ") for m in logged
    )
