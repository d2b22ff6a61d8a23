"""/status, and "where is my request?", while a request is being filled in, on a real database
(SQLite, and PostgreSQL when configured) with the shipped content: they say which right is
being prepared and at which step, how to go on or /cancel, then the requests already sent,
then the flow's question again (the flow carries on from there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fakes.rights import FakeMailer
from test_pending_choices import Chat

from privbot.bootstrap import App, build_app
from privbot.config import load_settings
from privbot.content.knowledge import Knowledge
from privbot.core.catalogue import format_date
from privbot.core.model import Jurisdiction, Language, RequestType
from privbot.core.requests import Details

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(db_overrides: dict[str, Any], knowledge: Knowledge) -> App:
    settings = load_settings(
        **db_overrides, intents_dir=ROOT / "intents", corpus_dir=ROOT / "policy_corpus"
    )
    return build_app(settings, knowledge=knowledge, mailer=FakeMailer())


def test_status_at_the_email_and_code_steps_names_the_request_being_prepared(app: App) -> None:
    chat = Chat(app)
    chat.say("I want to access my data")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("pdf"))
    chat.say("/status")
    texts = [r.text for r in chat.said.replies]
    assert texts[0] == (
        'A request is being prepared (access to your data), at the step "E-mail"; it is not '
        "sent yet. Answer the question below to go on, or type /cancel to drop it."
    )
    assert "You have no requests" not in chat.text()
    assert "e-mail address" in texts[-1]  # the question again
    chat.say("ann@example.com")
    chat.say("/status")
    assert 'at the step "Verification code"' in chat.text()
    assert chat.button("resend")  # the code question again, with its buttons
    mailer = app.conversation.mailer
    assert isinstance(mailer, FakeMailer)
    chat.say(mailer.last_code())  # and the flow goes on
    assert chat.button("confirm")


def test_status_in_a_flow_also_lists_the_requests_sent(app: App) -> None:
    chat = Chat(app, lang=Language.FR)
    chat.say("je veux me désinscrire de la vente de mes données")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("confirm"))
    chat.say("je veux supprimer mes données")
    chat.say("/status")
    texts = [r.text for r in chat.said.replies]
    assert texts[0].startswith(
        "Une demande est en cours de préparation (suppression de vos données), à l'étape "
        "« Fermeture du compte »"  # where they live was kept from the first request
    )
    assert texts[1].startswith("Vos demandes :") and "DSR-2026-" in texts[1]
    assert chat.button("yes")  # close the account too? again


@pytest.mark.parametrize(
    ("lang", "asked", "said"),
    [
        (Language.EN, "where is my request?", "A request is being prepared (erasure"),
        (Language.FR, "où en est ma demande ?", "Une demande est en cours de préparation"),
    ],
)
def test_where_is_my_request_in_a_flow_is_about_that_request(
    app: App, lang: Language, asked: str, said: str
) -> None:
    chat = Chat(app, lang=lang)
    chat.say("I want to delete my data" if lang is Language.EN else "je veux supprimer mes données")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("yes"))
    chat.say(asked)
    assert chat.text().startswith(said), chat.text()
    assert chat.button("cancel")  # the e-mail question again


@pytest.mark.parametrize(
    ("lang", "asked", "about"),
    [
        (Language.EN, "and for how long?", "deadline"),
        (Language.EN, "how long will it take?", "deadline"),
        (Language.FR, "et ça prend combien de temps ?", "deadline"),
        (Language.EN, "how long do you keep my data?", "retention"),
    ],
)
def test_how_long_in_a_flow_is_the_request_s_deadline_unless_it_says_otherwise(
    app: App, lang: Language, asked: str, about: str
) -> None:
    """In a request flow, a "how long?" that goes on from what was said, or is not understood
    alone, is about the request being made: its legal deadline; the flow's question follows.
    "How long do you keep my data?" is still about retention."""
    chat = Chat(app, lang=lang)
    chat.say("I want to access my data" if lang is Language.EN else "je veux accéder à mes données")
    chat.say(asked)
    first = chat.said.replies[0].text  # the answer, before the flow's question again
    deadline = {Language.EN: "legal deadline", Language.FR: "délai légal"}[lang]
    if about == "deadline":
        assert deadline in first, chat.text()
    else:
        assert deadline not in first and "Data Retention" in chat.text(), chat.text()
    assert chat.button("eu")  # where do you live? again


@pytest.mark.parametrize("lang", [Language.EN, Language.FR])
def test_how_long_once_the_residence_is_known_gives_the_date_if_sent_today(
    app: App, lang: Language
) -> None:
    """Before the residence, no date (it sets the law); after it, the due date the request
    being prepared would have if sent now, from the same legal rules as a sent one's."""
    chat = Chat(app, lang=lang)
    en = lang is Language.EN
    chat.say("I want to access my data" if en else "je veux accéder à mes données")
    today = {Language.EN: "if you send it today", Language.FR: "si vous l'envoyez aujourd'hui"}
    chat.say("how long will it take?" if en else "et ça prend combien de temps ?")
    assert today[lang] not in chat.text()
    chat.say(choice=chat.button("california"))
    chat.say("how long will it take?" if en else "et ça prend combien de temps ?")
    due = app.requests.dates_if_sent(
        Jurisdiction.CALIFORNIA, RequestType.ACCESS, Details(), chat.now
    ).due
    line = next(line for line in chat.text().splitlines() if today[lang] in line)
    assert format_date(due, lang) in line, line
    assert chat.button("pdf")  # the flow's question again


def test_no_date_if_sent_while_the_same_right_is_open_or_an_objection_s_processing_unknown(
    app: App,
) -> None:
    """Sending again would give the open request (its own date is said), and an objection
    to direct marketing takes effect at once: no promised date then (found by a review)."""
    chat = Chat(app)
    today = "if you send it today"
    chat.say("I want to access my data")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("pdf"))
    chat.say("ann@example.com")
    chat.say(app.conversation.mailer.last_code())  # type: ignore[attr-defined]
    chat.say(choice=chat.button("confirm"))
    assert len(app.repo.list_requests(user=chat.key)) == 1
    chat.say("I want to access my data")  # the residence is known from the first
    chat.say("how long will it take?")
    assert today not in chat.text() and "Your request DSR-" in chat.text(), chat.text()
    chat.say("/cancel")
    chat.say("I object to the processing of my data")  # which processing? (residence known)
    chat.say("how long will it take?")
    assert today not in chat.text() and chat.button("marketing"), chat.text()
