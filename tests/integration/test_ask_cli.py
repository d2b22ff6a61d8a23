"""`privbot ask`: the JSON interface (README.md), stdin mode, other policies,
answering without intents, and refusing broken intent files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIELDS = {
    "language", "kind", "section", "request_type", "intent", "confidence", "options",
    "candidates", "reply", "short_answer", "quote", "quote_section", "silent",
}  # fmt: skip
RETENTION_FR = (
    "Nous conservons vos informations personnelles aussi longtemps que nécessaire pour "
    "atteindre les objectifs décrits dans cette politique, sauf si une période de conservation "
    "plus longue est requise ou autorisée par la loi."
)


def ask(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PRIVBOT_CONTACT_EMAIL": "dpo@example.test"}
    return subprocess.run(
        [sys.executable, "-m", "privbot", "ask", *args],
        input=stdin, capture_output=True, text=True, cwd=cwd, env=env, timeout=120,
    )  # fmt: skip


def test_one_question_as_json() -> None:
    out = ask("--json", "Combien de temps gardez-vous mes données ?")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == FIELDS
    assert (data["language"], data["kind"], data["section"]) == ("fr", "answer", "5")
    assert 0 <= data["confidence"] <= 1
    assert all({"section", "intent", "score"} <= set(c) for c in data["candidates"])
    scores = [c["score"] for c in data["candidates"]]
    assert scores == sorted(scores, reverse=True)
    assert data["short_answer"].startswith("La politique ne fixe aucune durée de conservation")
    assert (data["quote"], data["quote_section"], data["silent"]) == (RETENTION_FR, "5", False)
    short, quote = data["reply"].split("\n\n")
    assert short == data["short_answer"]
    assert quote == f"Section 5. Conservation des Données :\n« {RETENTION_FR} »"


def test_a_kind_of_data_the_policy_does_not_list_is_said_so() -> None:
    data = json.loads(ask("--json", "do you record audio through the microphone?").stdout)
    assert (data["kind"], data["section"], data["silent"]) == ("answer", "1", True)
    assert data["short_answer"].startswith(
        "The policy's list of collected data does not mention the microphone or audio."
    )
    assert "dpo@example.test" in data["short_answer"]
    assert data["quote_section"] in {"1.1", "1.2"} and data["quote"]
    assert data["reply"].startswith(data["short_answer"] + "\n\nSection 1.")
    other = json.loads(ask("--json", "hi").stdout)
    assert (other["short_answer"], other["quote"], other["silent"]) == (None, None, False)


def test_stdin_gives_one_line_per_question_in_order() -> None:
    questions = ["delete my data", "", "what's the weather?", "quels sont mes droits", "hi"]
    out = ask("--json", "-", stdin="\n".join(questions) + "\n")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == len(questions)
    assert [d["kind"] for d in lines] == ["request", "fallback", "fallback", "answer", "smalltalk"]
    assert lines[0]["request_type"] == "erasure" and lines[3]["section"] == "6"
    assert "dpo@example.test" in lines[2]["reply"]


def test_lang_overrides_the_reply_language() -> None:
    data = json.loads(
        ask("--json", "--lang", "en", "combien de temps gardez-vous mes données").stdout
    )
    assert data["language"] == "en" and "Data Retention" in data["reply"]


def test_clarify_lists_its_options() -> None:
    data = json.loads(ask("--json", "conservation et transfert").stdout)
    assert data["kind"] == "clarify" and data["section"] is None
    assert {o["value"] for o in data["options"]} == {"section:5", "section:10"}


@pytest.mark.parametrize("fmt", ["seed", "markdown", "html"])
def test_answers_from_one_policy_file_without_intents(tmp_path: Path, fmt: str) -> None:
    text = (ROOT / "tests" / "data" / "seed-privacy-policy.fr.txt").read_text("utf-8")
    if fmt == "markdown":
        text = (ROOT / "policy_corpus" / "en.md").read_text("utf-8")
    elif fmt == "html":
        body = "".join(
            f"<h2>{line[3:]}</h2>" if line.startswith("## ") else f"<p>{line}</p>"
            for line in (ROOT / "policy_corpus" / "en.md").read_text("utf-8").split("\n")
            if line.strip() and not line.startswith(("---", "language:", "title:", "tagline:",
                                                      "last_updated:", "category:", "#  "))
        )  # fmt: skip
        text = f"<html><body>{body}</body></html>"
    policy = tmp_path / f"policy.{ {'seed': 'txt', 'markdown': 'md', 'html': 'html'}[fmt] }"
    policy.write_text(text, "utf-8")
    q = (
        "combien de temps conservez-vous mes informations"
        if fmt == "seed"
        else ("how long do you keep my information")
    )
    data = json.loads(ask("--json", "--policy", str(policy), "--intents", "none", q).stdout)
    ranked = [data["section"], *(c["section"] for c in data["candidates"])]
    assert "5" in ranked[:3], ranked
    assert data["intent"] is None
    # No admin-written answer: the reply starts with the best sentence, quoted with its section.
    assert data["short_answer"] is None and data["quote"]
    assert data["reply"].startswith(f"Section {data['quote_section']}")
    assert data["quote"] in data["reply"].split("\n\n")[0]
    if data["section"] == "5":
        assert data["quote"].startswith(("Nous conservons", "We retain"))


def test_broken_intents_refuse_to_start_with_file_and_line(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "intents", tmp_path / "intents")
    broken = tmp_path / "intents" / "smalltalk.yaml"
    broken.write_text(broken.read_text("utf-8") + "\n  - id: [oops\n", "utf-8")
    out = ask("--json", "--intents", str(tmp_path / "intents"), "hello")
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.startswith(f"{broken}:") and "smalltalk.yaml:" in out.stderr


def test_an_over_long_question_gets_the_chat_paths_answer_and_the_next_one_is_answered() -> None:
    # Two and a half thousand times the chat path's cap would take minutes to match.
    long_line = "combien de temps gardez-vous mes données " * 125_000  # 5 MB
    result = ask("--json", "-", stdin=long_line + "\nQuels cookies utilisez-vous ?\n")
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["kind"] == "fallback" and first["section"] is None
    assert f"({len(long_line)} caractères, 2000 au plus)" in first["reply"]
    assert second["kind"] == "answer"
    one = json.loads(ask("--json", "Quels cookies utilisez-vous ? " * 70).stdout)
    assert (one["kind"], one["language"]) == ("fallback", "fr")
