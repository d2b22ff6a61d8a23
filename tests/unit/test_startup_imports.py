"""What a start loads: from the knowledge cache, with the default settings (SQLite, no Slack,
no webhook), building the app and answering a question imports none of the libraries that
only building the knowledge, migrating, PostgreSQL, Slack, the webhook, a deadline, an
e-mail address or a stored value's encryption need (a fresh interpreter: the test process
has imported them all)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

NOT_AT_START = (
    "pydantic",  # the intent files' schemas: building only
    "pydantic_settings",
    "sqlmodel",
    "yaml",  # reading the content: building only
    "bs4",
    "alembic",  # migrations: only when the schema is behind
    "mako",
    "holidays",  # a request's legal dates
    "email_validator",  # an e-mail address typed in a flow
    "starlette",  # the HTTP listener and the webhook
    "slack_sdk",
    "slack_bolt",
    "sqlalchemy.dialects.postgresql",
    "sqlalchemy.orm",  # none at all: the tables are Core (6 MB resident and its mapping)
    "matplotlib",
    "telegram",  # `privbot chat` has no Telegram
    "privbot.content.evaluation",  # the test phrases: checked at a reload
    "cryptography",  # the first value encrypted or decrypted; the key check does without
    "snowballstemmer",  # its package loads every language: French and English are loaded alone
    "rapidfuzz",  # none at all: core.fuzzy computes its measures (3.7 MB resident)
    "numpy",  # none at all: the index is plain Python (12 MB and 0.03 s of CPU a start)
)

SCRIPT = """
import json, sys
from datetime import UTC, datetime
from privbot.bootstrap import build_app
from privbot.config import load_settings
from privbot.core.model import Incoming, UserKey
app = build_app(load_settings())
out = app.conversation.handle(
    Incoming(user=UserKey("console", "t"), text="How long do you keep my data?"),
    datetime.now(UTC),
)
assert out.replies
print(json.dumps(sorted(sys.modules)))
"""


# `privbot chat` answering one question: the garbage collections that ran inside the command
# before its start was settled (frozen), and the collector's state once it is done.
CHAT = """
import gc, json, sys
from click.testing import CliRunner
from privbot.cli import main
early = []
def seen(phase, info):
    frame = sys._getframe()
    while phase == "start" and not gc.get_freeze_count() and frame is not None:
        if frame.f_code.co_name == "chat" and frame.f_code.co_filename.endswith("chat.py"):
            early.append(info["generation"])
        frame = frame.f_back
gc.callbacks.append(seen)
done = CliRunner().invoke(main, ["chat", "--lang", "en"], input="How long do you keep my data?\\n")
print(json.dumps([done.exit_code, early, gc.get_freeze_count() > 0, gc.isenabled()]))
"""


def _run(tmp_path: Path, script: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PRIVBOT_")}
    environ |= {
        "PRIVBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'privbot.sqlite3'}",
        "PRIVBOT_CACHE_DIR": str(tmp_path / "cache"),
        "PRIVBOT_INTENTS_DIR": str(ROOT / "intents"),
        "PRIVBOT_CORPUS_DIR": str(ROOT / "policy_corpus"),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=environ | env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.splitlines()[-1]


def _start(tmp_path: Path) -> set[str]:
    return set(json.loads(_run(tmp_path, SCRIPT)))


def test_a_start_from_the_cache_loads_only_what_answering_needs(tmp_path: Path) -> None:
    first = _start(tmp_path)  # a new database and no cache: migrates and builds
    # the check below would see them (a new database stores its key check, encrypted)
    assert {"alembic", "yaml", "cryptography"} <= first
    loaded = _start(tmp_path)
    assert "privbot.content.cache" in loaded and "sqlalchemy" in loaded
    assert not [m for m in NOT_AT_START if m in loaded]


def test_snowball_stems_alike_when_its_files_are_laid_out_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The French and English stemmers are loaded alone from snowballstemmer's files; a
    release laid out otherwise falls back to the package's own loader, with the same stems."""
    from privbot.core import terms

    words = ["données", "partagées", "sharing", "collected", "conservation"]
    alone = {lang: terms._snowball(lang) for lang in ("french", "english")}
    monkeypatch.setattr(terms.importlib.util, "find_spec", lambda name: None)
    monkeypatch.delitem(sys.modules, terms._SNOWBALL, raising=False)
    for lang, stem in alone.items():
        fallback = terms._snowball(lang)
        assert [fallback(w) for w in words] == [stem(w) for w in words]


def test_no_garbage_collection_runs_before_the_start_is_settled(tmp_path: Path) -> None:
    assert json.loads(_run(tmp_path, CHAT)) == [0, [], True, True]
    # a start that fails turns the collector back on too
    code, _, settled, enabled = json.loads(_run(tmp_path, CHAT, PRIVBOT_LOG_LEVEL="LOUD"))
    assert code == 1 and not settled and enabled
