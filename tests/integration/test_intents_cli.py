"""`privbot intents check | eval | suggest` on real files (the shipped corpus, tmp intents)."""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from privbot.cli import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "policy_corpus"

EASY = """\
settings:
  eval_threshold: {threshold}
intents:
  - id: cookies
    kind: answer
    section: "7"
    answer: {{fr: Oui., en: Yes.}}
    examples:
      fr: [utilisez-vous des cookies, quels cookies utilisez-vous, désactiver les cookies]
      en: [do you use cookies, which cookies do you use, disable cookies]
    tests:
      fr: [est-ce que vous utilisez des cookies]
      en: [does the site use cookies]
  - id: request_erasure
    kind: request
    request_type: erasure
    examples:
      fr: [supprimez mes données, je veux supprimer mon compte, effacez mes informations]
      en: [delete my data, i want to delete my account, erase my information]
    tests:
      fr: [supprimez toutes mes données svp]
      en: [please delete all my data]
  - id: greet
    kind: smalltalk
    reply: {{fr: Bonjour !, en: Hello!}}
    examples:
      fr: [bonjour, salut, coucou]
      en: [hello, hi, hey]
    tests:
      fr: [bonjour à vous]
      en: [hello there]
"""


def intents_dir(tmp_path: Path, text: str, name: str = "intents") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "main.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    shutil.copy(ROOT / "intents" / "messages.yaml", folder)  # what the bot says, checked too
    return folder


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["intents", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_check_passes_on_good_files(tmp_path: Path) -> None:
    folder = intents_dir(tmp_path, EASY.format(threshold=0.9))
    code, out = run("check", "--dir", str(folder), "--corpus", str(CORPUS))
    assert code == 0, out
    assert out.startswith("OK: 3 intents, 9 French and 9 English examples")
    assert re.search(r"; all \d+ messages in French and English$", out.strip())


def test_check_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    broken = EASY.format(threshold=0.9).replace('section: "7"', 'section: "42"')
    broken = broken.replace("request_type: erasure", "request_type: forget_me")
    folder = intents_dir(tmp_path, broken)
    code, out = run("check", "--dir", str(folder), "--corpus", str(CORPUS))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{folder / 'main.yaml'}:6: intent 'cookies': unknown section '42'")
    assert lines[1].startswith(
        f"{folder / 'main.yaml'}:16: intent 'request_erasure': unknown request type 'forget_me'"
    )
    assert len(lines) == 2


def test_check_reports_bad_yaml(tmp_path: Path) -> None:
    folder = intents_dir(tmp_path, "intents:\n  - id: x\n   kind: answer\n")
    code, out = run("check", "--dir", str(folder), "--corpus", str(CORPUS))
    assert code == 1
    assert out.startswith(f"{folder / 'main.yaml'}:3: bad YAML:")


def test_check_reports_message_problems_as_file_line(tmp_path: Path) -> None:
    folder = intents_dir(tmp_path, EASY.format(threshold=0.9))
    messages = folder / "messages.yaml"
    text = messages.read_text(encoding="utf-8")
    old = "    en: Your request {reference} is being handled.\n"
    messages.write_text(text.replace(old, ""), encoding="utf-8")
    line = text.splitlines().index("  assigned:") + 1
    code, out = run("check", "--dir", str(folder), "--corpus", str(CORPUS))
    assert code == 1
    assert out.splitlines() == [f"{messages}:{line}: notice.assigned: no text in language 'en'"]


def test_check_reports_a_losing_test_phrase(tmp_path: Path) -> None:
    text = EASY.format(threshold=0.9).replace(
        "en: [hello there]", "en: [hello there, do you use cookies on your website]"
    )
    folder = intents_dir(tmp_path, text)
    code, out = run("check", "--dir", str(folder), "--corpus", str(CORPUS))
    assert code == 1
    assert out.splitlines() == [
        f"{folder / 'main.yaml'}:31: test phrase 'do you use cookies on your website' of intent"
        " 'greet' is matched to 'cookies'"
    ]


def test_eval_report_writes_three_files(tmp_path: Path) -> None:
    folder = intents_dir(tmp_path, EASY.format(threshold=0.5))
    report = tmp_path / "report"
    code, out = run("eval", "--dir", str(folder), "--corpus", str(CORPUS), "--report", str(report))
    assert code == 0, out
    assert "Accuracy: 1.000 (6/6" in out
    intent_report = json.loads((report / "intent_report.json").read_text("utf-8"))
    assert intent_report["cookies"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1-score": 1.0,
        "support": 2,
    }
    assert intent_report["accuracy"] == 1.0
    assert json.loads((report / "errors.json").read_text("utf-8")) == []
    png = (report / "confusion_matrix.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_eval_report_without_matplotlib_says_how_to_get_the_png(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as in the service's image
    folder = intents_dir(tmp_path, EASY.format(threshold=0.5))
    report = tmp_path / "report"
    code, out = run("eval", "--dir", str(folder), "--corpus", str(CORPUS), "--report", str(report))
    assert code == 0, out
    written = {p.name for p in report.iterdir()}
    assert {
        "errors.json",
        "intent_report.json",
    } <= written and "confusion_matrix.png" not in written
    assert "pip install 'privbot[reports]'" in out


def test_eval_exits_1_below_threshold_and_lists_errors(tmp_path: Path) -> None:
    text = EASY.format(threshold=0.95).replace(
        "en: [hello there]", "en: [hello there, do you use cookies on your website]"
    )
    folder = intents_dir(tmp_path, text)
    report = tmp_path / "report"
    code, out = run("eval", "--dir", str(folder), "--corpus", str(CORPUS), "--report", str(report))
    assert code == 1
    assert "greet -> cookies: 1" in out
    assert "BELOW THRESHOLD" in out
    [error] = json.loads((report / "errors.json").read_text("utf-8"))
    assert error["text"] == "do you use cookies on your website"
    assert error["intent"] == "greet"
    assert error["intent_prediction"]["name"] == "cookies"
    assert error["line"] == 31


def test_eval_refuses_broken_files(tmp_path: Path) -> None:
    folder = intents_dir(
        tmp_path, EASY.format(threshold=0.9).replace("kind: smalltalk", "kind: chat")
    )
    code, out = run("eval", "--dir", str(folder), "--corpus", str(CORPUS))
    assert code == 1
    assert f"{folder / 'main.yaml'}:" in out


def test_suggest_shows_ranked_candidates_with_matched_words(tmp_path: Path) -> None:
    folder = intents_dir(tmp_path, EASY.format(threshold=0.9))
    code, out = run(
        "suggest", "--dir", str(folder), "--corpus", str(CORPUS), "which cookies do you set"
    )
    assert code == 0, out
    assert "cookies" in out
    first_row = next(line for line in out.splitlines() if line.strip().startswith("│ 1"))
    assert "cookies" in first_row


def test_shipped_intents_pass_the_static_checks() -> None:
    from privbot.content.corpus import load_policy
    from privbot.content.intents import check_intent_files

    policy = load_policy(CORPUS, "privacy@example.com")
    assert check_intent_files(ROOT / "intents", policy.section_ids()) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x: !!python/name:os.system\n", ":1: unsupported tag"),
        ("intents: &a [*a]\n", ":1: an alias refers to itself"),
        ("x: " + "[" * 5000 + "]" * 5000 + "\n", ":1: nested deeper than"),
    ],
)
def test_check_reports_hostile_yaml_without_crashing(
    tmp_path: Path, text: str, message: str
) -> None:
    folder = tmp_path / "intents"
    folder.mkdir()
    (folder / "main.yaml").write_text(text, encoding="utf-8")
    code, out = run("check", "--dir", str(folder), "--corpus", str(CORPUS))
    assert code == 1
    assert out.startswith(f"{folder / 'main.yaml'}{message}"), out


def test_check_refuses_a_shipped_answer_intent_without_its_short_answer(tmp_path: Path) -> None:
    folder = tmp_path / "intents"
    shutil.copytree(ROOT / "intents", folder)
    sections = folder / "sections.yaml"
    text = sections.read_text("utf-8")
    start = text.index("    answer:\n", text.index("  - id: retention\n"))
    end = text.index("    examples:\n", start)
    sections.write_text(text[:start] + text[end:], "utf-8")
    id_at = text[: text.index("  - id: retention\n")].count("\n") + 1  # reported at its id
    code, out = run("check", "--dir", str(folder), "--corpus", str(CORPUS))
    assert code == 1
    assert out.splitlines() == [
        f"{sections}:{id_at}: intent 'retention': an answer intent needs a short 'answer' in 'fr'",
        f"{sections}:{id_at}: intent 'retention': an answer intent needs a short 'answer' in 'en'",
    ]


def test_check_refuses_a_silent_topic_the_policy_lists(tmp_path: Path) -> None:
    folder = tmp_path / "intents"
    shutil.copytree(ROOT / "intents", folder)
    silent = folder / "silent.yaml"
    silent.write_text(
        silent.read_text("utf-8").replace("words: [calendar,", "words: [avatar, calendar,"),
        "utf-8",
    )
    code, out = run("check", "--dir", str(folder), "--corpus", str(CORPUS))
    assert code == 1
    assert out.strip().endswith(
        "silent: topic 'calendar': 'avatar' is in the policy's section 1; the policy is not "
        "silent on it"
    )
    assert out.startswith(f"{silent}:")
