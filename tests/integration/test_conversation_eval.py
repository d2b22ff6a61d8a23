"""The multi-turn evaluation (tests/data/conversations/): the share of turns handled right
through `ConversationService.handle`, on SQLite with a fixed clock, and its floor."""

from __future__ import annotations

from pathlib import Path

import pytest
from conversation_eval import (
    Conversation,
    Turn,
    load_conversations,
    report,
    run_all,
    share_right,
)

FLOOR = 0.95


def test_conversations_load_and_ids_are_unique() -> None:
    conversations = load_conversations()
    assert len({c.id for c in conversations}) == len(conversations)
    assert all(c.turns for c in conversations)


def test_share_of_turns_handled_right_meets_the_floor(tmp_path: Path) -> None:
    results = run_all(tmp_path, load_conversations())
    right, total = share_right(results)
    print(report(results))
    assert total > 0
    assert right / total >= FLOOR, report([r for r in results if r.right < len(r.turns)])


def test_a_wrong_expectation_is_counted_wrong(tmp_path: Path) -> None:
    """The runner can fail a turn: a conversation whose expectations are false scores 0."""
    wrong = Conversation(
        "wrong",
        "inline",
        (
            Turn("say", "hello", {"contains": "no such text anywhere", "flow": "email"}),
            Turn("say", "I want to delete my data", {"matched": False, "requests": 3}),
        ),
    )
    results = run_all(tmp_path, [wrong])
    assert share_right(results) == (0, 2)
    problems = [p for t in results[0].turns for p in t.problems]
    assert any("missing" in p for p in problems) and any("flow at" in p for p in problems)
    assert any("matcher consulted" in p for p in problems)


def test_an_unknown_expectation_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("conversations:\n- id: x\n  turns:\n  - say: hi\n    expect: {contain: hi}\n")
    with pytest.raises(ValueError, match="unknown expectations"):
        load_conversations(tmp_path)
