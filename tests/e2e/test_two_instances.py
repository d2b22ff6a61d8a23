"""Two `privbot run` processes in webhook mode on one database (a SQLite file, and PostgreSQL
when PRIVBOT_TEST_POSTGRES_URL is set), one loopback Bot API server, a real SMTP server on
loopback. The test plays the load balancer: it posts each webhook update to one instance or the
other, and a redelivered update to both."""

from __future__ import annotations

import asyncio
import copy
import itertools
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from privbot.adapters.crypto import Cipher, parse_keys
from privbot.adapters.persistence.repository import SqlRepository
from privbot.core.model import Language, UserKey
from privbot.core.records import Notification
from tests.dbfixtures import TEST_KEY
from tests.e2e.telegram_support import ROOT, Inbox, free_port, smtp, tg  # noqa: F401
from tests.fakes.telegram_server import FakeTelegram, button

PRIVBOT = str(Path(sys.executable).with_name("privbot"))
SECRET = "two_instances-secret"
HOOK = "https://bot.example.org/telegram/hook"
USER = 3003
EMAIL = "two.instances@example.org"


class Instance:
    """One `privbot run` subprocess; its stderr (start-up lines and logs) is kept in `lines`."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.port = free_port()
        self.env = {**env, "PRIVBOT_HTTP_LISTEN": f"127.0.0.1:{self.port}"}
        self.lines: list[str] = []
        self.proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            PRIVBOT, "run", env=self.env, cwd=ROOT, stderr=asyncio.subprocess.PIPE
        )
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        async for line in self.proc.stderr:
            self.lines.append(line.decode(errors="replace"))

    async def started(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any("started HTTP on" in line for line in self.lines):
            assert self.proc is not None
            if self.proc.returncode is not None or time.monotonic() > deadline:
                await asyncio.sleep(0.2)
                raise AssertionError(f"instance {self.name} did not start:\n{self.log}")
            await asyncio.sleep(0.05)

    async def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), 20)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
        if self._reader is not None:
            await asyncio.wait_for(self._reader, 5)
        return self.proc.returncode

    @property
    def log(self) -> str:
        return "".join(self.lines)


@pytest.fixture
async def pair(
    tg: FakeTelegram,  # noqa: F811
    smtp: tuple[Inbox, int],  # noqa: F811
    db_url: str,
) -> AsyncIterator[tuple[Instance, Instance]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRIVBOT_")}
    env.update(
        PRIVBOT_TELEGRAM_TOKEN=tg.token,
        PRIVBOT_TELEGRAM_API_URL=tg.url,
        PRIVBOT_TELEGRAM_WEBHOOK_URL=HOOK,
        PRIVBOT_TELEGRAM_WEBHOOK_SECRET=SECRET,
        PRIVBOT_DATABASE_URL=db_url,
        PRIVBOT_ENCRYPTION_KEY=TEST_KEY,
        PRIVBOT_AUTO_MIGRATE="1",
        PRIVBOT_SMTP_URL=f"smtp://127.0.0.1:{smtp[1]}",
        PRIVBOT_LOG_LEVEL="DEBUG",
    )
    a, b = Instance("A", env), Instance("B", env)
    try:
        await asyncio.gather(a.start(), b.start())  # together, on a fresh database
        await asyncio.gather(a.started(), b.started())
        yield a, b
    finally:
        codes = await asyncio.gather(a.stop(), b.stop())
        assert list(codes) == [0, 0], a.log + b.log


class Balancer:
    """Posts webhook updates to the instances, as Telegram behind a load balancer would."""

    def __init__(self, server: FakeTelegram, client: httpx.AsyncClient) -> None:
        self.tg = server
        self.client = client
        self._ids = itertools.count(700_000)

    async def post(self, to: Instance, update: dict[str, Any]) -> None:
        r = await self.client.post(
            f"{to.url}/telegram/hook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert r.status_code == 200, r.text

    def message(self, text: str) -> dict[str, Any]:
        return {"update_id": next(self._ids), **self.tg.update_message(USER, text)}

    def press(self, message: dict[str, Any], label: str) -> dict[str, Any]:
        query = {
            "id": f"cb{next(self._ids)}",
            "from": self.tg.user(USER),
            "chat_instance": "ci",
            "message": copy.deepcopy(message),
            "data": button(message, label)["callback_data"],
        }
        return {"update_id": next(self._ids), "callback_query": query}

    async def exchange(self, to: Instance, update: dict[str, Any]) -> list[dict[str, Any]]:
        mark = self.tg.mark()
        await self.post(to, update)
        replies = await self.tg.wait_messages(USER, mark, quiet=0.3, timeout=8)
        assert replies, f"no reply from instance {to.name}"
        return replies


def _with_buttons(server: FakeTelegram, replies: list[dict[str, Any]]) -> dict[str, Any]:
    """The stored message (with its message_id) of the last reply that has buttons."""
    return server.stored(next(r for r in reversed(replies) if r.get("reply_markup")))


async def test_two_instances_serve_one_user_alternately(
    tg: FakeTelegram,  # noqa: F811
    smtp: tuple[Inbox, int],  # noqa: F811
    pair: tuple[Instance, Instance],
    db_url: str,
) -> None:
    a, b = pair
    inbox, _ = smtp
    async with httpx.AsyncClient(timeout=10) as client:
        for inst in (a, b):
            assert (await client.get(f"{inst.url}/healthz")).status_code == 200
            ready = await client.get(f"{inst.url}/readyz")
            assert ready.status_code == 200, ready.text
        lb = Balancer(tg, client)
        first = tg.mark()

        # An erasure request started on A, continued on B, the code entered on A, confirmed on B.
        replies = await lb.exchange(a, lb.message("je veux supprimer mes données"))
        replies = await lb.exchange(b, lb.press(_with_buttons(tg, replies), "UE"))
        replies = await lb.exchange(a, lb.press(_with_buttons(tg, replies), "Oui"))
        before = len(inbox.messages)
        await lb.exchange(b, lb.message(EMAIL))
        assert len(inbox.messages) == before + 1
        code = inbox.code()
        replies = await lb.exchange(a, lb.message(code))
        replies = await lb.exchange(b, lb.press(_with_buttons(tg, replies), "Confirmer"))
        assert "DSR-" in " ".join(r["text"] for r in replies)
        status = await lb.exchange(a, lb.message("/status"))
        assert "DSR-" in status[0]["text"]

        # Telegram delivers one update again, and the two deliveries reach both instances.
        duplicate = lb.message("Quels cookies utilisez-vous ?")
        mark = tg.mark()
        await asyncio.gather(lb.post(a, duplicate), lb.post(b, duplicate))
        answers = await tg.wait_messages(USER, mark, quiet=1.0, timeout=8)
        assert len(answers) == 1 and "ookies" in answers[0]["text"]

        texts = [m["text"] for m in tg.messages(USER, first)]
        assert len(texts) == len(set(texts))  # each reply sent once

        # Notifications queued by staff: both instances sweep the outbox, each is sent once.
        engine = create_engine(db_url)
        repo = SqlRepository(engine, Cipher(parse_keys(TEST_KEY)))
        mark = tg.mark()
        now = datetime.now(UTC)
        notes = [f"Notification {i}" for i in range(12)]
        repo.enqueue(
            [Notification(UserKey("telegram", str(USER)), Language.FR, t, now) for t in notes]
        )
        delivered = await tg.wait_messages(USER, mark, count=len(notes), quiet=3.5, timeout=12)
        assert sorted(m["text"] for m in delivered) == sorted(notes)
        assert repo.pending_notifications("telegram") == []

    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status FROM requests")).all()
    engine.dispose()
    assert len(rows) == 1 and rows[0][0] != "received"  # stored once, verified

    await asyncio.gather(a.stop(), b.stop())
    logs = a.log + b.log
    assert "outbox.given_up" not in logs
    assert "telegram.duplicate_dropped" in logs
    for secret in (EMAIL, code, "supprimer", "cookies"):
        assert secret not in logs
