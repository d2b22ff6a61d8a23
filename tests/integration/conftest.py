"""Integration fixtures: a loopback Slack Web API server and a wired app around it, and the
shipped knowledge built once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.slack_server import FakeSlack
from fakes.slack_world import World, make_world, settings_for
from shipped_bot import knowledge as shipped_knowledge

from privbot.content.knowledge import Knowledge


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def world(tmp_path: Path, slack: FakeSlack) -> World:
    return make_world(settings_for(tmp_path, slack.url))


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The shipped intents and policy, built once for every test that reads them (a
    Knowledge is never changed: a new one replaces it)."""
    return shipped_knowledge()
