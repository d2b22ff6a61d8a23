"""👍 / 👎 on answers in the database (SQLite and PostgreSQL): one vote per answer token, the
counts per intent, and where staff read them (the daily digest, `intents eval --report`)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes.slack_server import FakeSlack
from fakes.slack_world import make_world, settings_for

from privbot.adapters.persistence.feedback import FeedbackStore
from privbot.bootstrap import build_repository
from privbot.cli import main
from privbot.config import load_settings
from privbot.core.feedback import FeedbackCount, RecordFeedback

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def vote(token: str, positive: bool, intent: str | None = "sale_of_data") -> RecordFeedback:
    return RecordFeedback(token, "12", intent, positive)


def test_one_vote_per_answer_and_counts_per_intent(db_overrides: dict[str, Any]) -> None:
    repo = build_repository(load_settings(**db_overrides))
    assert repo.record_feedback(vote("a", True), NOW)
    assert not repo.record_feedback(vote("a", False), NOW)  # the same answer: not counted
    assert repo.record_feedback(vote("b", False), NOW)
    assert repo.record_feedback(vote("c", False), NOW)
    assert repo.record_feedback(vote("d", True, intent=None), NOW - timedelta(days=2))
    store = FeedbackStore(repo.engine)
    assert store.feedback_counts() == [
        FeedbackCount("12", "sale_of_data", 1, 2),
        FeedbackCount("12", None, 1, 0),
    ]
    assert store.feedback_counts(NOW - timedelta(days=1)) == [
        FeedbackCount("12", "sale_of_data", 1, 2)
    ]
    assert FeedbackCount("12", None, 1, 0).label == "section 12"


async def test_the_digest_shows_the_day_s_votes(tmp_path: Path, slack: FakeSlack) -> None:
    world = make_world(settings_for(tmp_path, slack.url))
    world.repo.record_feedback(vote("a", False), NOW - timedelta(hours=3))
    world.repo.record_feedback(vote("b", True, "cookies"), NOW - timedelta(hours=2))
    world.repo.record_feedback(vote("c", True, "cookies"), NOW - timedelta(days=3))  # older
    digest = await world.reminders.digest(NOW)
    assert digest is not None and digest.today == date(2026, 3, 2)
    (post,) = slack.posts()
    text = json.dumps(post["blocks"], ensure_ascii=False)
    assert "👍 1 · 👎 1" in text
    assert "`sale_of_data`: 👍 0 · 👎 1" in text and "`cookies`: 👍 1 · 👎 0" in text
    assert text.index("sale_of_data") < text.index("cookies")  # most 👎 first


def test_eval_report_writes_the_votes(
    tmp_path: Path, db_overrides: dict[str, Any], db_env: dict[str, str], monkeypatch: Any
) -> None:
    repo = build_repository(load_settings(**db_overrides))
    repo.record_feedback(vote("a", False), NOW)
    for name, value in db_env.items():
        monkeypatch.setenv(name, value)
    report = tmp_path / "report"
    result = CliRunner().invoke(main, ["intents", "eval", "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert "Feedback from users: 0 👍, 1 👎" in result.output
    assert "sale_of_data: 0 👍, 1 👎" in result.output
    rows = json.loads((report / "feedback.json").read_text("utf-8"))
    assert rows == [{"intent": "sale_of_data", "section": "12", "up": 0, "down": 1}]


def test_eval_report_without_a_database_creates_none(tmp_path: Path, monkeypatch: Any) -> None:
    missing = tmp_path / "nowhere" / "bot.sqlite3"
    monkeypatch.setenv("PRIVBOT_DATABASE_URL", f"sqlite:///{missing}")
    result = CliRunner().invoke(main, ["intents", "eval", "--report", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "Feedback: no database with votes yet." in result.output
    assert not missing.parent.exists()


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
