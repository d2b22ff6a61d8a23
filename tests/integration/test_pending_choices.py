"""Menus and yes/no questions outside a request flow, on a real database (SQLite, and
PostgreSQL when configured) with the shipped content: `/cancel` closes the one waiting (the
menu of rights, "erase everything?", "write to a person?", a "did you mean") and says so, a
closed menu's buttons do nothing afterwards, and a typed answer ("yes please", « non merci »,
"delete") answers as its button would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from shipped_bot import clarifying

from privbot.bootstrap import App, build_app
from privbot.config import load_settings
from privbot.content.knowledge import Knowledge
from privbot.core.model import Incoming, Language, Outgoing, UserKey

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Chat:
    """One Telegram user talking to one instance of the bot."""

    def __init__(self, app: App, user: str = "7", lang: Language = Language.EN) -> None:
        self.app, self.key, self.now = app, UserKey("telegram", user), NOW
        self.last: Outgoing | None = None
        self.say(f"/language {lang}")

    def say(self, text: str = "", choice: str | None = None) -> Outgoing:
        self.now += timedelta(seconds=5)
        out = self.app.conversation.handle(Incoming(self.key, text, choice=choice), self.now)
        self.last = out if any(r.options for r in out.replies) else self.last
        self.said = out
        return out

    def button(self, option_id: str) -> str:
        assert self.last is not None
        values = [o.value for r in self.last.replies for o in r.options]
        return next(v for v in values if v.endswith(":" + option_id))

    def text(self) -> str:
        return "\n".join(r.text for r in self.said.replies)

    def flow(self) -> dict[str, Any] | None:
        """The request being filled in (not a menu waiting beside it)."""
        stored = self.app.repo.load_flow(self.key)
        return stored[0] if stored and "request_type" in stored[0] else None


@pytest.fixture
def app(db_overrides: dict[str, Any], knowledge: Knowledge) -> App:
    settings = load_settings(
        **db_overrides, intents_dir=ROOT / "intents", corpus_dir=ROOT / "policy_corpus"
    )
    return build_app(settings, knowledge=knowledge)


def test_cancel_closes_the_menu_of_rights_and_its_buttons(app: App) -> None:
    chat = Chat(app)
    chat.say("/request")
    erasure = chat.button("erasure")
    chat.say("/cancel")
    assert chat.text() == (
        "Cancelled: no request was started. Type /request whenever you want to exercise a right."
    )
    out = chat.say(choice=erasure)  # the closed menu's button
    assert out.expired and "nothing was done" in chat.text()
    assert chat.flow() is None
    chat.say("/cancel")
    assert chat.text() == "There is nothing in progress to cancel."


def test_cancel_under_the_menu_does_not_offer_to_cancel_sent_requests(app: App) -> None:
    """With a request sent, /cancel under the menu closes the menu; it does not list the
    requests to cancel (that is /cancel with nothing open)."""
    chat = Chat(app, lang=Language.FR)
    chat.say("je veux me désinscrire de la vente de mes données")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("confirm"))
    assert "DSR-" in chat.text()
    chat.say("/request")
    chat.say("/cancel")
    assert chat.text().startswith("C'est annulé : aucune demande n'a été commencée.")
    assert not chat.said.replies[-1].options
    chat.say("/cancel")  # nothing waiting any more: the sent request may be cancelled
    assert chat.said.replies[-1].options[0].label.startswith("DSR-")


def test_cancel_under_the_menu_of_requests_to_cancel_closes_it_and_its_buttons(
    app: App,
) -> None:
    """/cancel with a request sent offers to cancel it; /cancel again closes that menu (it
    offered the same menu again), and its buttons then cancel nothing."""
    chat = Chat(app)
    chat.say("I want to opt out of the sale of my data")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("confirm"))
    [reference] = re.findall(r"DSR-\d{4}-\d{6}", chat.text())
    chat.say("/cancel")
    cancel = chat.button(reference)
    chat.say("/cancel")
    assert chat.text() == "All right: none of your requests was cancelled."
    assert chat.say(choice=cancel).expired
    assert app.requests.get(reference).is_open
    chat.say("/cancel")  # a new menu: its button cancels the request
    chat.say(choice=chat.button(reference))
    assert chat.text() == f"Your request {reference} is cancelled."


def test_a_menu_button_still_works_until_cancelled_and_an_older_menu_is_replaced(
    app: App,
) -> None:
    chat = Chat(app)
    chat.say("/request")
    older = chat.button("access")
    chat.say("what is a cookie?")  # a question between: the menu stays open
    chat.say("/request")
    out = chat.say(choice=older)  # a second /request replaced the first menu
    assert out.expired and chat.flow() is None
    chat.say(choice=chat.button("access"))
    assert "Where do you live?" in chat.text()


@pytest.mark.parametrize(
    ("lang", "typed", "asked"),
    [
        (Language.EN, "delete", "erasure"),
        (Language.FR, "accéder", "access"),
        (Language.EN, "3", "erasure"),
    ],
)
def test_a_right_typed_under_the_menu_starts_it(
    app: App, lang: Language, typed: str, asked: str
) -> None:
    chat = Chat(app, lang=lang)
    chat.say("/request")
    chat.say(typed)
    flow = chat.flow()
    assert flow is not None and flow["request_type"] == asked


def test_cancel_closes_the_erase_question_and_its_yes_erases_nothing(app: App) -> None:
    chat = Chat(app)
    chat.say("/privacy")
    chat.say(choice=chat.button("erase"))
    confirm = chat.button("erase_confirm")
    chat.say("/cancel")
    assert chat.text() == "All right, nothing was erased."
    out = chat.say(choice=confirm)
    assert out.expired and app.repo.get_user(chat.key) is not None


@pytest.mark.parametrize(
    ("lang", "answer", "opened"),
    [
        (Language.EN, "yes please", True),
        (Language.EN, "nope", False),
        (Language.FR, "ouais", True),
        (Language.FR, "non merci", False),
    ],
)
def test_a_typed_yes_or_no_answers_the_offer_of_a_person(
    app: App, lang: Language, answer: str, opened: bool
) -> None:
    chat = Chat(app, lang=lang)
    chat.say("I want to talk to a human" if lang is Language.EN else "je veux parler à un humain")
    assert chat.button("open")
    chat.say(answer)
    assert (app.repo.handoff_open_of(chat.key) is not None) is opened
    said = {
        (Language.EN, True): "Done: write your message",
        (Language.EN, False): "All right. Ask me your question whenever you like.",
        (Language.FR, True): "C'est noté : écrivez votre message",
        (Language.FR, False): "D'accord. Posez-moi votre question quand vous voulez.",
    }[lang, opened]
    assert chat.text().startswith(said)


def test_cancel_closes_the_offer_of_a_person_and_its_yes(app: App) -> None:
    chat = Chat(app)
    chat.say("I want to talk to a human")
    yes = chat.button("open")
    chat.say("/cancel")
    assert chat.text() == "All right. Ask me your question whenever you like."
    assert chat.say(choice=yes).expired
    assert app.repo.handoff_open_of(chat.key) is None


def test_cancel_closes_a_did_you_mean(app: App, knowledge: Knowledge) -> None:
    chat = Chat(app)
    chat.say(clarifying(knowledge))
    assert chat.said.replies[-1].options
    chat.say("/cancel")
    assert chat.text() == "Cancelled. Ask your question in other words whenever you like."
    chat.say("/cancel")
    assert chat.text() == "There is nothing in progress to cancel."


@pytest.mark.parametrize(
    ("lang", "first", "asked"),
    [
        (Language.EN, "", "can I cancel my request?"),
        (Language.FR, "où en est ma demande ?", "je peux l'annuler ?"),  # a follow-up
    ],
)
def test_asking_to_cancel_one_s_request_offers_the_requests_to_cancel(
    app: App, lang: Language, first: str, asked: str
) -> None:
    """ "Can I cancel my request?" was "I can only answer questions about the privacy
    policy"; it now offers the open requests to cancel, as /cancel does."""
    chat = Chat(app, lang=lang)
    chat.say("I want to opt out of the sale of my data")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("confirm"))
    [reference] = re.findall(r"DSR-\d{4}-\d{6}", chat.text())
    if first:
        chat.say(first)
    chat.say(asked)
    offered = [o.value for r in chat.said.replies for o in r.options]  # by this very reply
    assert [v for v in offered if v.endswith(":" + reference)], chat.text()
    chat.say(choice=chat.button(reference))
    assert not app.requests.get(reference).is_open


@pytest.mark.parametrize(
    ("lang", "start", "asked", "said", "kept"),
    [
        (Language.EN, "I want to access my data", "can I cancel my request?",
         "stops the request you are filling in", "cancelled"),
        (Language.FR, "je veux accéder à mes données", "comment annuler ma demande ?",
         "arrête la demande que vous êtes en train de remplir", "annulée"),
    ],
)  # fmt: skip
def test_asking_to_cancel_mid_flow_says_cancel_stops_the_request_being_filled_in(
    app: App, lang: Language, start: str, asked: str, said: str, kept: str
) -> None:
    """Mid-request, "can I cancel my request?" was answered "send /cancel: it lists your open
    requests", but /cancel there drops the request being filled in and lists nothing; it is
    now told so, and how to cancel one already sent."""
    chat = Chat(app, lang=lang)
    chat.say("I want to opt out of the sale of my data")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("confirm"))
    [reference] = re.findall(r"DSR-\d{4}-\d{6}", chat.text())
    chat.say(start)
    assert chat.flow() is not None
    chat.say(asked)
    assert said in chat.text() and "/cancel" in chat.text()
    assert chat.flow() is not None  # the question is answered, the request goes on
    chat.say("/cancel")  # what the answer said it does
    assert chat.flow() is None and kept in chat.text().lower()
    assert app.requests.get(reference).is_open
