"""Fixtures for the Telegram end-to-end tests (imported by test_telegram*.py): a loopback Bot
API server, a real SMTP server on loopback, and `privbot run`'s Service on a SQLite file."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import AsyncIterator, Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from privbot.bootstrap import build_app, build_knowledge
from privbot.config import Settings
from privbot.content.knowledge import Knowledge
from privbot.runtime import Service
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def code(self, timeout: float = 5.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.messages:
                body = self.messages[-1].get_payload(decode=True)
                text = body.decode() if isinstance(body, bytes) else str(self.messages[-1])
                found = re.search(r"\b(\d{6})\b", text)
                if found:
                    return found.group(1)
            time.sleep(0.02)
        raise AssertionError("no code received by the SMTP server")


@pytest.fixture(scope="session")
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return build_knowledge(
        Settings(intents_dir=ROOT / "intents", corpus_dir=ROOT / "policy_corpus")
    )


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def settings(tmp_path: Path, tg: FakeTelegram, smtp: tuple[Inbox, int]) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'privbot.sqlite3'}",
        telegram_token=tg.token,
        telegram_api_url=tg.url,
        smtp_url=f"smtp://127.0.0.1:{smtp[1]}",
        intents_dir=ROOT / "intents",
        corpus_dir=ROOT / "policy_corpus",
    )


class Running:
    """Starts and stops `privbot run`'s Service; `restart()` starts a fresh one on the same DB."""

    def __init__(self, settings: Settings, knowledge: Knowledge) -> None:
        self.settings = settings
        self.knowledge = knowledge
        self.service: Service | None = None

    async def start(self, **overrides: Any) -> Service:
        settings = self.settings.model_copy(update=overrides) if overrides else self.settings
        app = build_app(settings, knowledge=self.knowledge)
        self.service = Service(settings, app=app)
        await self.service.start()
        return self.service

    async def stop(self) -> None:
        if self.service is not None:
            await self.service.stop()
            self.service = None


@pytest.fixture
async def bot(settings: Settings, knowledge: Knowledge) -> AsyncIterator[Running]:
    running = Running(settings, knowledge)
    try:
        yield running
    finally:
        await running.stop()
