"""Floors on the held-out question set (tests/data/eval_questions.txt).

The set is written independently of the intent examples: typos, missing accents,
informal and very short questions, mixed languages, and out-of-scope questions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from eval_questions import load_cases, score

from privbot.adapters.langdetect_scorer import langdetect_scorer
from privbot.content.knowledge import Knowledge, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "data" / "dev_questions.txt"
REGRESSIONS = ROOT / "tests" / "data" / "regression_questions.txt"
REAL_FR = ROOT / "tests" / "data" / "real_questions_fr.txt"
REAL_EN = ROOT / "tests" / "data" / "real_questions_en.txt"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(
        contact_email="privacy@example.test",
        corpus_dir=ROOT / "policy_corpus",
        intents_dir=ROOT / "intents",
        ngram_scorer=langdetect_scorer(),
    )


def test_eval_set_is_big_and_varied() -> None:
    cases = load_cases()
    assert len(cases) >= 200
    assert sum(c.expected == "fallback" for c in cases) >= 30
    assert {c.language.value for c in cases} == {"fr", "en"}


def test_accuracy_and_language_floors(knowledge: Knowledge) -> None:
    accuracy, language, misses = score(knowledge, load_cases())
    report = "\n".join(misses)
    assert accuracy >= 0.93, f"accuracy {accuracy:.3f}\n{report}"
    assert language >= 0.97, f"language {language:.3f}\n{report}"


def test_out_of_scope_never_gets_a_section(knowledge: Knowledge) -> None:
    cases = [c for c in load_cases() if c.expected == "fallback"]
    wrong = [c.text for c in cases if knowledge.matcher.understand(c.text).section]
    assert len(wrong) <= 3, wrong


def test_development_set_floor(knowledge: Knowledge) -> None:
    """tests/data/dev_questions.txt: written apart from the intents, then used for tuning."""
    accuracy, language, misses = score(knowledge, load_cases(DEV))
    report = "\n".join(misses)
    assert accuracy >= 0.95, f"accuracy {accuracy:.3f}\n{report}"
    assert language >= 0.98, f"language {language:.3f}\n{report}"


def test_real_question_regressions(knowledge: Knowledge) -> None:
    """tests/data/regression_questions.txt: kinds of real question once missed, each exact."""
    cases = load_cases(REGRESSIONS)
    assert len(cases) >= 20
    accuracy, language, misses = score(knowledge, cases)
    assert (accuracy, language) == (1.0, 1.0), "\n".join(misses)


def test_real_french_questions_floor(knowledge: Knowledge) -> None:
    """tests/data/real_questions_fr.txt: French questions published on public pages
    (regulators' and help-centre FAQs, consumer associations, news), each with its source."""
    cases = load_cases(REAL_FR)
    assert len(cases) >= 56 and {c.language.value for c in cases} == {"fr"}
    accuracy, language, misses = score(knowledge, cases)
    report = "\n".join(misses)
    # Measured 44 of 49 right (the first 25: 22, two of them since issue 12's sixth round;
    # the 24 added later: 19 on their first run, 22 now) and 49 of 49 in French on
    # 2026-12-01; the 7 added in the public-pages round: 4 of 7 on their first run; 50 of 56 at
    # the start of issue 12's seventh round, 51 after it.
    assert accuracy >= 0.8, f"accuracy {accuracy:.3f}\n{report}"
    assert language >= 0.98, f"language {language:.3f}\n{report}"


def test_real_english_questions_floor(knowledge: Knowledge) -> None:
    """tests/data/real_questions_en.txt: English questions published on public pages
    (regulators' and help-centre FAQs, privacy notices, issue trackers), each with its source."""
    cases = load_cases(REAL_EN)
    assert len(cases) >= 75 and {c.language.value for c in cases} == {"en"}
    assert sum(c.expected == "fallback" for c in cases) >= 8
    accuracy, language, misses = score(knowledge, cases)
    report = "\n".join(misses)
    # Their first run, the expected outcomes committed before it (2026-12-01): 60 of 75 right,
    # 75 of 75 in English. The floor is that first run.
    assert accuracy >= 0.8, f"accuracy {accuracy:.3f}\n{report}"
    assert language >= 0.98, f"language {language:.3f}\n{report}"


REAL_EN2 = ROOT / "tests" / "data" / "real_questions_en2.txt"
REAL_FR2 = ROOT / "tests" / "data" / "real_questions_fr2.txt"
REAL_EN3 = ROOT / "tests" / "data" / "real_questions_en3.txt"
REAL_FR3 = ROOT / "tests" / "data" / "real_questions_fr3.txt"
REAL_EN4 = ROOT / "tests" / "data" / "real_questions_en4.txt"
REAL_FR4 = ROOT / "tests" / "data" / "real_questions_fr4.txt"
REAL_EN5 = ROOT / "tests" / "data" / "real_questions_en5.txt"
REAL_FR5 = ROOT / "tests" / "data" / "real_questions_fr5.txt"
REAL_EN6 = ROOT / "tests" / "data" / "real_questions_en6.txt"
REAL_FR6 = ROOT / "tests" / "data" / "real_questions_fr6.txt"


@pytest.mark.parametrize(
    ("path", "language", "first_run", "size", "off_topic"),
    [
        # The second sets, gathered in issue 12's fresh-evidence round. Their first run, the
        # expected outcomes committed before it (2026-12-01): 53 of 74 right (the 61
        # answerable refused 3, the 13 off-topic refused 8), 74 of 74 in English.
        (REAL_EN2, "en", 53, 74, 13),
        # 54 of 73 right (the 59 answerable refused 1, the 14 off-topic refused 11), 73 of 73
        # in French.
        (REAL_FR2, "fr", 54, 73, 14),
        # The third sets, gathered after issue 12's tuning rounds and never tuned on. Their
        # first run, the expected outcomes committed before it (2026-12-01, on 65dcda7): 35 of
        # 60 right (the 50 answerable refused 5, asked back 4; the 10 off-topic refused 7),
        # 60 of 60 in English.
        (REAL_EN3, "en", 35, 60, 10),
        # 36 of 58 right (the 48 answerable refused 4, asked back 3; the 10 off-topic refused
        # 10), 58 of 58 in French.
        (REAL_FR3, "fr", 36, 58, 10),
        # The fourth sets, gathered as evidence while real questions were being added as intent
        # examples, their failures never read until those were in; on the code before both
        # (6c9e78d), less the lines whose page a helper had quoted: 36 of 52 right (the 44
        # answerable refused 3; the 8 off-topic refused 6), 52 of 52 in English.
        (REAL_EN4, "en", 36, 52, 8),
        # 35 of 55 right (the 48 answerable refused 2, asked back 1; the 7 off-topic refused
        # 4), 55 of 55 in French.
        (REAL_FR4, "fr", 35, 55, 7),
        # The fifth sets, gathered in session 25 and run once, counting only, on the code it
        # started from (3d0942f): 37 of 60 right (the 50 answerable refused 5; the 10
        # off-topic refused 7), 60 of 60 in English.
        (REAL_EN5, "en", 37, 60, 10),
        # 35 of 60 right (the 50 answerable refused 3, asked back 2; the 10 off-topic refused
        # 7), 60 of 60 in French.
        (REAL_FR5, "fr", 35, 60, 10),
        # The sixth sets, session 25's evidence (mostly GitHub issues), never tuned on: 33 of
        # 60 right on the code the session started from (3d0942f) and on its final code (the
        # 50 answerable refused 7, then 6; the 10 off-topic refused 9), 60 of 60 in English.
        (REAL_EN6, "en", 33, 60, 10),
        # 27 of 60 right at the start, 28 at the end (the 50 answerable refused 11, then 10;
        # the 10 off-topic refused 7), 60 of 60 in French.
        (REAL_FR6, "fr", 27, 60, 10),
    ],
)
def test_real_questions_first_run_floor(
    knowledge: Knowledge, path: Path, language: str, first_run: int, size: int, off_topic: int
) -> None:
    """tests/data/real_questions_{en,fr}{2,...,6}.txt: questions published on public pages, each
    set gathered in one of issue 12's rounds; the floor is their first run, not above."""
    cases = load_cases(path)
    assert len(cases) == size and {c.language.value for c in cases} == {language}
    assert sum(c.expected == "fallback" for c in cases) == off_topic
    accuracy, language_right, misses = score(knowledge, cases)
    report = "\n".join(misses)
    assert round(accuracy * len(cases)) >= first_run, f"accuracy {accuracy:.3f}\n{report}"
    assert language_right >= 0.98, f"language {language_right:.3f}\n{report}"
