"""/privacy: see, export (JSON) and erase, in both languages, with the hand-written fakes."""

from __future__ import annotations

import json
from datetime import timedelta

from test_conversation_service import USER, Bot, erasure

from privbot.core.model import Language, UserKey


def _exported(bot: Bot) -> dict:  # type: ignore[type-arg]
    """The export: a `.json` attachment under a one-line caption."""
    assert bot.last is not None
    (reply,) = bot.last.replies
    assert reply.attachment is not None and reply.attachment.filename.endswith(".json")
    assert "{" not in reply.text
    return json.loads(reply.attachment.content)  # type: ignore[no-any-return]


def test_privacy_shows_exports_and_erases_in_english() -> None:
    bot = Bot()
    ref = erasure(bot)
    bot.say("I want access to my data")  # a flow left half-way
    bot.say("/privacy")
    text = bot.text()
    assert "English" in text and "a request being filled in" in text
    assert f"{ref}: in progress, kept until it is closed" in text
    labels = [o.label for o in bot.last.replies[-1].options]  # type: ignore[union-attr]
    assert labels == ["Export my data (JSON)", "Erase my data"]

    bot.press("export")  # the summary's button (its value carries a nonce)
    data = _exported(bot)
    assert data["profile"]["language"] == "en"
    assert data["requests"][0]["reference"] == ref
    assert data["requests"][0]["email"] == "ann@example.com"
    assert data["request_being_filled_in"]["request_type"] == "access"
    assert "code" not in json.dumps(data["verification_code"] or {}).replace("the code", "")

    bot.say("/privacy")
    bot.press("privacy:erase")
    assert "Do you confirm?" in bot.text() and ref in bot.text()
    bot.press("erase_confirm")
    assert "Done:" in bot.text() and f"{ref}: in progress" in bot.text()
    assert USER not in bot.repo.users and USER not in bot.repo.flows
    assert USER not in bot.repo.codes
    assert bot.repo.get_request(ref) is not None  # the record of the request stays


def test_privacy_in_french_closed_request_dates_and_keep() -> None:
    bot = Bot()
    ref = erasure(bot)
    bot.requests.complete(ref, "staff", None, bot.now)
    bot.now += timedelta(days=1)
    bot.say("/language fr")
    bot.say("/privacy")
    assert "Français" in bot.text()
    assert f"{ref} : clôturée, conservée jusqu'au 2 mars 2028" in bot.text()
    assert bot.last.replies[-1].options[0].label == "Exporter mes données (JSON)"  # type: ignore[union-attr]
    bot.press("privacy:erase")
    bot.press("privacy:keep")
    assert bot.text() == "Entendu, rien n'a été effacé."
    assert USER in bot.repo.users


def test_privacy_of_a_stranger_holds_nothing() -> None:
    bot = Bot()
    other = UserKey("test", "new")
    bot.say("/privacy", other, forced_language=Language.EN)
    assert "You have made no rights requests" in bot.text()
    bot.say("", other, choice="privacy:export")
    data = _exported(bot)
    assert data["requests"] == [] and data["request_being_filled_in"] is None
    assert data["profile"]["language"] == "en"
    asked = bot.say("", other, choice="privacy:erase")
    yes = next(o.value for r in asked.replies for o in r.options if o.value.endswith("_confirm"))
    bot.say("", other, choice=yes)
    assert "Done:" in bot.text()
    assert other not in bot.repo.users  # erasing does not re-create the profile


def test_an_expired_button_leaves_the_erase_question_asked() -> None:
    """A stale button pressed while "erase everything?" waits: "expired: nothing was done",
    and so it is: the question is still asked, and a "yes" typed next erases."""
    bot = Bot()
    bot.say("/language en")
    bot.say("", choice="privacy:erase")
    assert "Do you confirm?" in bot.text()
    out = bot.say("", choice="section:99")
    assert "nothing was done" in bot.text() and out.expired
    bot.say("yes")
    assert "Done:" in bot.text()
    assert USER not in bot.repo.users
