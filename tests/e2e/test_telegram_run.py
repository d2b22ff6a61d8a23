"""`privbot run` itself (a subprocess) and webhook mode on the shared HTTP listener."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from privbot.core.model import Incoming, Outgoing, UserKey
from privbot.core.ports import Save
from privbot.errors import ConfigError
from tests.e2e.telegram_support import ROOT, Inbox, Running, free_port
from tests.fakes.telegram_server import FakeTelegram

PRIVBOT = str(Path(sys.executable).with_name("privbot"))


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRIVBOT_")}
    env.update(values)
    return env


async def test_privbot_run_with_nothing_configured_says_what_is_missing(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        PRIVBOT,
        "run",
        env=_env(PRIVBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"),
        cwd=ROOT,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    assert b"PRIVBOT_TELEGRAM_TOKEN" in err and b"PRIVBOT_SLACK_BOT_TOKEN" in err


async def test_privbot_run_subprocess_answers_on_telegram(
    tg: FakeTelegram, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    proc = await asyncio.create_subprocess_exec(
        PRIVBOT,
        "run",
        env=_env(
            PRIVBOT_TELEGRAM_TOKEN=tg.token,
            PRIVBOT_TELEGRAM_API_URL=tg.url,
            PRIVBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            PRIVBOT_SMTP_URL=f"smtp://127.0.0.1:{smtp[1]}",
        ),
        cwd=ROOT,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    try:
        started = b""
        while b"started Telegram" not in started:
            line = await asyncio.wait_for(proc.stderr.readline(), 30)
            assert line, "privbot run exited before starting"
            started += line
        assert b"long polling" in started
        mark = tg.mark()
        tg.send_text(1001, "Quels cookies utilisez-vous ?")
        replies = await tg.wait_messages(1001, mark)
        assert "ookies" in replies[0]["text"]
    finally:
        proc.send_signal(signal.SIGTERM)
        rest = await asyncio.wait_for(proc.stderr.read(), 20)
        await asyncio.wait_for(proc.wait(), 20)
    assert proc.returncode == 0, rest.decode()
    assert b"Quels cookies" not in started + rest  # the message text never reaches the log


async def test_webhook_secret_required(tg: FakeTelegram, bot: Running) -> None:
    with pytest.raises(ConfigError, match="PRIVBOT_TELEGRAM_WEBHOOK_SECRET"):
        await bot.start(
            telegram_webhook_url="https://bot.example.org/telegram/hook",
            http_listen=f"127.0.0.1:{free_port()}",
        )


async def test_webhook_mode_refuses_a_wrong_secret(tg: FakeTelegram, bot: Running) -> None:
    port = free_port()
    service = await bot.start(
        telegram_webhook_url="https://bot.example.org/telegram/hook",
        telegram_webhook_secret="right_secret-123",
        http_listen=f"127.0.0.1:{port}",
    )
    assert tg.webhook is not None and tg.webhook["secret_token"] == "right_secret-123"
    assert not tg.calls_of("getUpdates")
    update = tg.update_message(1001, "Quels cookies utilisez-vous ?")
    update["update_id"] = 77
    url = f"http://127.0.0.1:{port}/telegram/hook"
    async with httpx.AsyncClient() as client:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            mark = tg.mark()
            r = await client.post(url, json=update, headers=headers)
            assert r.status_code == 403
            assert await tg.wait_messages(1001, mark, timeout=0.6) == []
        mark = tg.mark()
        r = await client.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "right_secret-123"}
        )
        assert r.status_code == 200
        replies = await tg.wait_messages(1001, mark)
        assert "ookies" in replies[0]["text"]
        # Malformed bodies with the right secret are refused cleanly, never a 500.
        right = {"X-Telegram-Bot-Api-Secret-Token": "right_secret-123"}
        for body in ("[1, 2]", '"text"', "{not json", '{"update_id": "x", "message": 5}', "{}"):
            r = await client.post(url, content=body, headers=right)
            assert r.status_code == 400, (body, r.status_code)
        assert (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200
        ready = await client.get(f"http://127.0.0.1:{port}/readyz")
        assert ready.status_code == 200, ready.text
    assert service.http is not None


async def test_behind_a_webhook_a_topic_is_written_before_its_answer_goes(
    tg: FakeTelegram, bot: Running
) -> None:
    """Another instance may take the user's next message as soon as the answer is out: its
    topic and the language seen last are committed before it, not after (as in polling)."""
    port = free_port()
    service = await bot.start(
        telegram_webhook_url="https://bot.example.org/telegram/hook",
        telegram_webhook_secret="right_secret-123",
        http_listen=f"127.0.0.1:{port}",
    )
    assert service.app is not None
    app, engine = service.app, service.app.conversation.answer

    def late(incoming: Incoming, now: datetime) -> tuple[Outgoing, Save | None]:
        out, save = engine(incoming, now)  # what polling does, its write held back a while
        return out, None if save is None else (lambda: (time.sleep(2), save())[1])

    app.conversation.answer = late  # type: ignore[method-assign]
    update = tg.update_message(1001, "Quels cookies utilisez-vous ?")
    update["update_id"] = 78
    mark = tg.mark()
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"http://127.0.0.1:{port}/telegram/hook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": "right_secret-123"},
        )
    assert r.status_code == 200
    replies = await tg.wait_messages(1001, mark)
    assert "ookies" in replies[0]["text"]
    assert app.repo.get_topic(UserKey("telegram", "1001")) is not None
