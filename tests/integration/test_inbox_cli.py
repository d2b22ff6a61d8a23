"""`privbot intents inbox`: the groups (text and --json), and teaching one with --add: the
intent file keeps its comments and layout, and an edit that makes a test phrase lose (the
live-reload rule) or fails `intents check` is refused with nothing written."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from privbot.bootstrap import build_repository
from privbot.cli import main
from privbot.config import load_settings
from privbot.core.inbox import Entry, Guess, Outcome
from privbot.core.model import Language

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 3, 2)
MINI = """\
# Mini intents for the inbox tests: comments must survive an edit.
settings:
  eval_threshold: 0.5

intents:
  # Cookies, answered by section 7.
  - id: cookies
    kind: answer
    section: "7"   # the cookies section
    answer: {fr: "Oui, des cookies.", en: "Yes, cookies."}
    examples:
      fr:
        - utilisez-vous des cookies
        - quels cookies utilisez-vous
      en:
        - do you use cookies   # the classic
        - which cookies do you use
        # more to come
    tests:
      fr: [est-ce que vous utilisez des cookies]
      en: [does the site use cookies]

  - id: greet
    kind: smalltalk
    reply: {fr: Bonjour !, en: Hello!}
    examples:
      fr:
      - bonjour
      - salut
      en:
      - hello
      - hi
    tests:
      fr: [bonjour à vous]
      en: [hello there]
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "intents"
    folder.mkdir()
    shutil.copy(ROOT / "intents" / "messages.yaml", folder)
    (folder / "mini.yaml").write_text(MINI, "utf-8")
    return {
        "PRIVBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "PRIVBOT_INTENTS_DIR": str(folder),
        "PRIVBOT_CORPUS_DIR": str(ROOT / "policy_corpus"),
    }


def keep(env: dict[str, str], *texts: str, lang: Language = Language.EN) -> None:
    repo = build_repository(load_settings(database_url=env["PRIVBOT_DATABASE_URL"]))
    guess = (Guess("section:7", 0.31, "cookies"),)
    for t in texts:
        repo.add_inbox_entry(Entry(t, lang, Outcome.FALLBACK, guess, DAY))
    repo.engine.dispose()


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["intents", "inbox", *args], env=env)
    return result.exit_code, result.output


def test_inbox_lists_groups_and_teaches_one_keeping_comments(env: dict[str, str]) -> None:
    same = "are cookies stored on my computer"
    keep(env, same, "cookies stored on my computer?", same, "are cookies stored on <email>")
    keep(env, "des cookies sont stockés sur mon ordinateur ?", lang=Language.FR)
    code, out = run(env, "--json")
    assert code == 0, out
    groups = json.loads(out)
    first = groups[0]
    assert first["rank"] == 1 and first["count"] == 5
    assert first["languages"] == {"en": 4, "fr": 1}
    assert first["candidates"][0] == {"intent": "cookies", "outcome": "section:7", "score": 0.31}
    assert 2 <= len(first["examples"]) <= 3
    code, text = run(env, "--days", "7")  # kept on 2026-03-02: not in the last week
    assert code == 0 and "The inbox is empty" in text
    code, text = run(env)
    assert code == 0 and "1. [" in text and "5x" in text and "cookies 0.31" in text

    mini = Path(env["PRIVBOT_INTENTS_DIR"]) / "mini.yaml"
    code, out = run(env, "--add", first["id"], "--to", "cookies")
    assert code == 0, out
    edited = mini.read_text("utf-8")
    assert edited == MINI.replace(
        "        - which cookies do you use\n",
        "        - which cookies do you use\n"
        "        - are cookies stored on my computer\n"
        "        - cookies stored on my computer?\n",
    ).replace(
        "        - quels cookies utilisez-vous\n",
        "        - quels cookies utilisez-vous\n"
        "        - des cookies sont stockés sur mon ordinateur ?\n",
    )
    assert "OK: 3 example(s) added" in out
    assert CliRunner().invoke(main, ["intents", "check"], env=env).exit_code == 0
    _, out = run(env, "--json")
    assert all(g["id"] != first["id"] for g in json.loads(out))  # taught: out of the inbox


def test_teaching_that_makes_a_test_phrase_lose_is_refused(env: dict[str, str]) -> None:
    keep(env, "does the site use cookies please", "does the site use cookies now",
         "does this site use cookies")  # fmt: skip
    mini = Path(env["PRIVBOT_INTENTS_DIR"]) / "mini.yaml"
    code, out = run(env, "--add", "1", "--to", "greet")
    assert code == 1
    assert "refused, nothing written" in out and "does the site use cookies" in out
    assert mini.read_text("utf-8") == MINI
    code, out = run(env, "--add", "1", "--to", "nonesuch")
    assert code == 1 and "no such intent" in out
    code, out = run(env, "--add", "7", "--to", "cookies")
    assert code == 1 and "no group '7'" in out


def test_new_intent_needs_both_languages(env: dict[str, str], tmp_path: Path) -> None:
    keep(env, "do you use local storage", "do you use local storage in the browser")
    code, out = run(env, "--add", "1", "--new-intent", "storage", "--section", "7")
    assert code == 1 and "no examples in language 'fr'" in out
    assert not (Path(env["PRIVBOT_INTENTS_DIR"]) / "taught.yaml").exists()
    keep(env, "utilisez-vous le stockage local", "stockage local du navigateur utilisé ?",
         lang=Language.FR)  # fmt: skip
    code, out = run(env, "--json")
    assert json.loads(out)[0]["count"] == 4, out
    code, out = run(env, "--add", "1", "--new-intent", "storage", "--section", "7")
    assert code == 0, out
    taught = (Path(env["PRIVBOT_INTENTS_DIR"]) / "taught.yaml").read_text("utf-8")
    assert taught.startswith("intents:\n  - id: storage\n    kind: answer\n")
    assert "    answer:\n      fr: Oui, des cookies.\n      en: Yes, cookies.\n" in taught
    assert CliRunner().invoke(main, ["intents", "check"], env=env).exit_code == 0
