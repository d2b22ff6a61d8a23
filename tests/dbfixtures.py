"""Database fixtures (a pytest plugin, loaded by tests/conftest.py).

`db_url` is parametrised over SQLite (a file in the test's temporary folder) and PostgreSQL
(only when PRIVBOT_TEST_POSTGRES_URL is set, as `.ci/run` and `scripts/test.sh` do). Each
test run creates its own PostgreSQL database (so several runs can share one server) and each
test gets an empty `public` schema. `db_overrides` are the settings to pass to
`load_settings(**...)`: the URL, an encryption key, and migrations applied at start.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("PRIVBOT_TEST_POSTGRES_URL")
TEST_KEY = "x7cR1n0l3Q8m2YkA5d3g7Jp9sT1u4vW6z8B0c2E4f6H="  # a fixed Fernet key for tests

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not PG_URL, reason="PRIVBOT_TEST_POSTGRES_URL is not set"),
        ],
    ),
]


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A database of its own for this test run on the PostgreSQL server; dropped at the end."""
    assert PG_URL
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"privbot_t{os.getpid()}_{secrets.token_hex(3)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def empty_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    url: str = request.getfixturevalue("pg_database")
    empty_schema(url)
    return url


@pytest.fixture
def db_overrides(db_url: str) -> dict[str, Any]:
    return {"database_url": db_url, "encryption_key": TEST_KEY, "auto_migrate": True}


@pytest.fixture
def db_env(db_overrides: dict[str, Any]) -> dict[str, str]:
    """The same as PRIVBOT_* environment variables (for CLI tests)."""
    return {
        "PRIVBOT_DATABASE_URL": db_overrides["database_url"],
        "PRIVBOT_ENCRYPTION_KEY": TEST_KEY,
        "PRIVBOT_AUTO_MIGRATE": "1",
    }
