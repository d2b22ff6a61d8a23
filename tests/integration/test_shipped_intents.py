"""The shipped `intents/` cover the whole policy, every right, smalltalk and off-topic."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from privbot.content.corpus import load_policy
from privbot.content.intents import load_intents
from privbot.core.model import IntentKind, IntentSet, Language, RequestType

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped() -> tuple[tuple[str, ...], IntentSet]:
    policy = load_policy(ROOT / "policy_corpus", "privacy@example.com")
    sections = policy.section_ids()
    return sections, load_intents(ROOT / "intents", sections)


def test_every_policy_section_has_an_answer_intent(
    shipped: tuple[tuple[str, ...], IntentSet],
) -> None:
    sections, intents = shipped
    answered = {i.section for i in intents.intents if i.kind is IntentKind.ANSWER}
    assert set(sections) <= answered
    assert {"intro", "1", "1.1", "1.2", "3.1", "3.2", "3.3", "3.4", "14"} <= answered


def test_every_request_type_has_a_request_intent(
    shipped: tuple[tuple[str, ...], IntentSet],
) -> None:
    _, intents = shipped
    requested = {i.request_type for i in intents.intents if i.kind is IntentKind.REQUEST}
    assert requested == set(RequestType)


def test_smalltalk_and_out_of_scope_are_covered(shipped: tuple[tuple[str, ...], IntentSet]) -> None:
    _, intents = shipped
    ids = {i.id for i in intents.intents}
    assert {"greet", "thanks", "help", "goodbye", "bot_identity"} <= ids
    off_topic = {i.id for i in intents.intents if i.kind is IntentKind.OUT_OF_SCOPE}
    assert {"oos_weather", "oos_pricing", "oos_app_bug", "oos_login", "oos_jokes"} <= off_topic


def test_enough_examples_and_tests_in_both_languages(
    shipped: tuple[tuple[str, ...], IntentSet],
) -> None:
    _, intents = shipped
    for intent in intents.intents:
        examples = Counter(p.language for p in intent.examples)
        tests = Counter(p.language for p in intent.tests)
        floor = 10 if intent.kind in (IntentKind.ANSWER, IntentKind.REQUEST) else 7
        for lang in Language:
            assert examples[lang] >= floor, (intent.id, lang)
            assert tests[lang] >= (4 if floor == 10 else 3), (intent.id, lang)
    assert 0 < intents.eval_threshold <= 1


def test_shipped_files_pass_intents_check() -> None:
    """`privbot intents check` on what ships: no problem, no losing test phrase."""
    from click.testing import CliRunner

    from privbot.cli import main

    result = CliRunner().invoke(
        main,
        [
            "intents",
            "check",
            "--dir",
            str(ROOT / "intents"),
            "--corpus",
            str(ROOT / "policy_corpus"),
        ],
    )
    assert result.exit_code == 0, result.output
