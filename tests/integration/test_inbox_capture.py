"""The inbox on a real database (SQLite, and PostgreSQL when configured): what is captured,
redacted, with no user; a "did you mean" settled by the next message or by the sweep; the
retention purge; `PRIVBOT_INBOX=0`; `/privacy` says so."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from shipped_bot import clarifying
from sqlalchemy import text

from privbot.bootstrap import App, build_app, retention_policy
from privbot.config import load_settings
from privbot.content.knowledge import Knowledge
from privbot.core import choices as ch
from privbot.core.inbox import CLARIFY_MINUTES, Outcome
from privbot.core.model import Incoming, Language, Outgoing, UserKey
from privbot.services.retention import purge

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PERSONAL = "my name is John Smith, write to john.smith@example.org or +44 7700 900123"
FALLBACK = f"{PERSONAL}, what is the weather in Paris"


def make_app(db_overrides: dict[str, Any], knowledge: Knowledge, **more: Any) -> App:
    settings = load_settings(
        **db_overrides,
        intents_dir=ROOT / "intents",
        corpus_dir=ROOT / "policy_corpus",
        **more,
    )
    return build_app(settings, knowledge=knowledge)


def say(
    app: App, user: str, text: str = "", choice: str | None = None, at: datetime = NOW
) -> Outgoing:
    incoming = Incoming(UserKey("telegram", user), text, choice=choice)
    return app.conversation.handle(incoming, at)


def stored(app: App) -> str:
    """Every value of the inbox and topic tables, as one string."""
    with app.engine.connect() as conn:
        rows = [
            *conn.execute(text("SELECT * FROM inbox_entries")).all(),
            *conn.execute(text("SELECT * FROM conversation_topics")).all(),
        ]
    return json.dumps([[str(v) for v in r] for r in rows])


def test_fallback_is_kept_redacted_without_the_user(
    db_overrides: dict[str, Any], knowledge: Knowledge
) -> None:
    app = make_app(db_overrides, knowledge)
    say(app, "501", FALLBACK)
    [entry] = app.repo.inbox_entries()
    assert entry.outcome is Outcome.FALLBACK and entry.language is Language.EN
    assert entry.day == NOW.date()
    assert "<name>" in entry.text and "<email>" in entry.text and "<phone>" in entry.text
    assert entry.text.endswith("what is the weather in Paris")
    assert entry.guesses[0].intent == "oos_weather"
    with app.engine.connect() as conn:
        columns = list(conn.execute(text("SELECT * FROM inbox_entries")).keys())
    assert not {"channel", "external_id", "user"} & set(columns)
    everything = stored(app)
    for secret in ("John", "Smith", "john.smith", "7700", "900123", "501"):
        assert secret not in everything
    assert app.repo.question_counts(NOW.date()) == {}  # counted in memory until a flush
    say(app, "502", "combien de temps gardez-vous mes données ?")
    assert app.conversation.flush_counts() == 2 and app.conversation.flush_counts() == 0
    assert app.repo.question_counts(NOW.date()) == {"fallback": 1, "answer": 1}
    again = make_app(db_overrides, knowledge)  # another instance adds to the same counts
    say(again, "503", FALLBACK)
    again.conversation.flush_counts()
    assert app.repo.question_counts(NOW.date()) == {"fallback": 2, "answer": 1}
    again.engine.dispose()
    app.engine.dispose()


def test_did_you_mean_unresolved_by_text_resolved_by_button_or_swept(
    db_overrides: dict[str, Any], knowledge: Knowledge
) -> None:
    clarify = clarifying(knowledge)
    app = make_app(db_overrides, knowledge)
    out = say(app, "601", clarify)
    offered = [o.value for r in out.replies for o in r.options]
    assert offered and app.repo.inbox_entries() == []  # not yet: it may be answered
    say(app, "601", choice=offered[0])  # resolved by one of its buttons
    say(app, "601", "/help")
    assert app.repo.inbox_entries() == []

    say(app, "602", clarify)
    say(app, "602", "something else entirely")  # the next message is not a button
    entries = app.repo.inbox_entries()
    assert [e.outcome for e in entries].count(Outcome.UNRESOLVED) == 1
    unresolved = next(e for e in entries if e.outcome is Outcome.UNRESOLVED)
    assert unresolved.text == clarify
    assert unresolved.language is knowledge.matcher.understand(clarify).language
    assert len(unresolved.guesses) >= 2

    say(app, "603", clarify)  # and then nothing: the sweep moves it once it is stale
    assert app.repo.sweep_inbox(NOW + timedelta(minutes=1)) == 0
    later = NOW + timedelta(minutes=CLARIFY_MINUTES + 1)
    assert app.repo.sweep_inbox(later) == 1
    assert app.repo.sweep_inbox(later) == 0  # once
    assert sum(e.outcome is Outcome.UNRESOLVED for e in app.repo.inbox_entries()) == 2
    say(app, "603", "hello", at=later)  # nothing left to settle
    assert sum(e.outcome is Outcome.UNRESOLVED for e in app.repo.inbox_entries()) == 2
    app.engine.dispose()


def test_retention_purges_the_inbox(db_overrides: dict[str, Any], knowledge: Knowledge) -> None:
    app = make_app(db_overrides, knowledge, inbox_retention_days=7)
    say(app, "701", FALLBACK)
    say(app, "702", FALLBACK, at=NOW + timedelta(days=5))
    app.conversation.flush_counts()
    policy = retention_policy(app.settings)
    purge(app.repo, policy, NOW + timedelta(days=7))
    assert len(app.repo.inbox_entries()) == 2  # the first is 7 days old: kept that day
    counts = purge(app.repo, policy, NOW + timedelta(days=8))
    assert counts.inbox == 1 and len(app.repo.inbox_entries()) == 1
    assert app.repo.question_counts(NOW.date()) == {"fallback": 1}  # the later day's
    purge(app.repo, policy, NOW + timedelta(days=13))
    assert app.repo.inbox_entries() == []
    assert app.repo.question_counts(NOW.date()) == {}
    app.engine.dispose()


def test_inbox_off_keeps_nothing_and_privacy_says_what_is_kept(
    db_overrides: dict[str, Any], knowledge: Knowledge
) -> None:
    clarify = clarifying(knowledge)
    off = make_app(db_overrides, knowledge, inbox=False)
    say(off, "801", FALLBACK)
    say(off, "801", clarify)
    say(off, "801", "other")
    off.conversation.flush_counts()
    assert off.repo.inbox_entries() == [] and off.repo.question_counts(NOW.date()) == {}
    assert clarify not in stored(off)
    summary = say(off, "801", "/privacy").replies[0].text
    assert "keep its wording" not in summary
    off.engine.dispose()
    on = make_app(db_overrides, knowledge, inbox_retention_days=14)
    say(on, "802", "/language en")
    summary = say(on, "802", "/privacy").replies[0].text
    assert "keep its wording for 14 days" in summary
    say(on, "803", "/language fr")
    assert "j'en garde le texte 14 jours" in say(on, "803", "/privacy").replies[0].text
    on.engine.dispose()


def test_thumbs_down_keeps_the_rated_question_redacted(
    db_overrides: dict[str, Any], knowledge: Knowledge
) -> None:
    """The 👍 / 👎 buttons of an answer (`core.feedback`) carry its section: pressed here by
    value, as Telegram sends them back."""
    clarify = clarifying(knowledge)
    app = make_app(db_overrides, knowledge)
    question = "je m'appelle Léa Martin, combien de temps gardez-vous mes données ?"
    tokens = iter(range(100))

    def vote(section: str, positive: bool) -> str:
        return ch.feedback(f"t{next(tokens)}", positive, section, None)

    say(app, "901", question)
    say(app, "901", choice=vote("5", True))  # a 👍 keeps nothing
    assert app.repo.inbox_entries() == []
    say(app, "902", question)
    down = vote("5", False)
    say(app, "902", choice=down)
    [entry] = app.repo.inbox_entries()
    assert entry.outcome is Outcome.DISLIKED and entry.language is Language.FR
    assert entry.text == "je m'appelle <name>, combien de temps gardez-vous mes données ?"
    assert entry.guesses[0].outcome == "section:5"
    say(app, "902", choice=down)  # the same vote again: counted once, kept once
    assert len(app.repo.inbox_entries()) == 1
    assert "Léa" not in stored(app) and "Martin" not in stored(app)
    say(app, "906", question)  # what /privacy's export shows of it, while it is kept
    exported = app.conversation.privacy.export_data(UserKey("telegram", "906"), NOW)
    assert exported["last_topic"]["topic"] == "section:5"
    assert exported["last_topic"]["question_redacted"] == entry.text

    # A 👎 more than an hour later, or on another answer than the last one, keeps nothing.
    say(app, "903", question)
    say(app, "903", choice=vote("5", False), at=NOW + timedelta(minutes=61))
    say(app, "904", question)
    say(app, "904", "how do you protect my data against hackers")
    say(app, "904", choice=vote("5", False))
    assert len(app.repo.inbox_entries()) == 1

    # A "did you mean" answered by its button, then that answer marked 👎.
    out = say(app, "905", clarify)
    offered = [o.value for r in out.replies for o in r.options if o.value.startswith("section:")]
    say(app, "905", choice=offered[1])
    say(app, "905", choice=vote(offered[1].split(":", 1)[1], False))
    last = app.repo.inbox_entries()[-1]
    assert last.outcome is Outcome.DISLIKED and last.text == clarify
    assert last.guesses[0].outcome == offered[1]
    app.engine.dispose()
