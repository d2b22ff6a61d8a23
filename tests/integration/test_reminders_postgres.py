"""Reminders exactly once with two schedulers on one PostgreSQL database (the claim is an
INSERT ... ON CONFLICT DO NOTHING there). Runs when PRIVBOT_TEST_POSTGRES_URL is set; each
test gets a throwaway database of its own."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from fakes.slack_server import FakeSlack
from fakes.slack_world import (
    PARIS,
    add_request,
    make_world,
    settings_for,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from privbot.core.model import UserKey

pytestmark = pytest.mark.postgres
BASE = os.environ.get("PRIVBOT_TEST_POSTGRES_URL")


@pytest.fixture
def database() -> Iterator[str]:
    if not BASE:
        pytest.skip("PRIVBOT_TEST_POSTGRES_URL is not set")
    name = f"privbot_rem_{uuid.uuid4().hex[:10]}"
    admin = create_engine(BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(BASE).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


async def test_two_schedulers_on_postgres_send_each_once(
    tmp_path: Path, slack: FakeSlack, database: str
) -> None:
    key = Fernet.generate_key().decode()
    settings = settings_for(
        tmp_path, slack.url, database_url=database, encryption_key=key, auto_migrate=True
    )
    a, b = make_world(settings), make_world(settings)
    received = datetime(2026, 2, 16, 10, tzinfo=PARIS)
    for i in range(4):
        add_request(a.repo, received + timedelta(days=i), user=UserKey("telegram", str(i)))
    day = date(2026, 2, 20)
    await asyncio.gather(a.poster.post_new(datetime(2026, 2, 20, 9, tzinfo=PARIS)),
                         b.poster.post_new(datetime(2026, 2, 20, 9, tzinfo=PARIS)))  # fmt: skip
    assert len(slack.posts()) == 4
    slack.fail_next("chat.postMessage", 500)
    day = date(2026, 3, 8)
    while day <= date(2026, 3, 24):
        for hour in (0, 12):
            now = datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)
            await asyncio.gather(a.reminders.sweep(now), b.reminders.sweep(now))
        day += timedelta(days=1)
    sent = a.store.sent_claims()
    assert len(sent) == len(set(sent)) and len(slack.replies()) == len(sent)
    for ref in {r for r, _, _ in sent}:
        keys = [k for _, k, _ in a.store.sent_claims(ref)]
        assert keys[:4] == ["due_minus_7", "due_minus_3", "due_minus_1", "due_today"]
        assert len(keys) == len(set(keys))
    assert len({r for r, _, _ in sent}) == 4
