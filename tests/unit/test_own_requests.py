"""Questions about one's own requests, in words: answered with that user's requests and
their timeline, never by starting a new request (the shipped intents and messages)."""

from __future__ import annotations

from datetime import timedelta

from shipped_bot import NOW, USER, Bot, text

from privbot.core import choices as ch
from privbot.core.model import RequestType, UserKey


def test_a_delay_question_shows_the_request_and_starts_nothing() -> None:
    bot = Bot()
    ref = bot.submit(RequestType.ACCESS)
    bot.requests.acknowledge(ref, "staff:U1", NOW + timedelta(days=1))
    bot.requests.extend(ref, "staff:U1", "many files to gather", NOW + timedelta(days=2))
    out = bot.say("why is my access request delayed to march??")
    said = text(out)
    assert ref in said and "many files to gather" in said
    assert "received on March 2, 2026" in said and "identity verified on March 2, 2026" in said
    assert "acknowledged by the privacy team on March 3, 2026" in said
    assert "extended on March 4, 2026" in said
    assert USER not in bot.repo.flows  # no new access request begun
    assert [o.value for o in out.replies[-1].options] == [ch.cancel_request(ref)]


def test_status_in_words_lists_only_that_users_requests_and_cancels() -> None:
    bot = Bot()
    mine = bot.submit(RequestType.ERASURE)
    theirs = bot.submit(RequestType.ACCESS, UserKey("test", "other"))
    out = bot.say("what's happening with my data request?")
    assert mine in text(out) and theirs not in text(out)
    assert "Section" not in text(out)
    cancel = out.replies[-1].options[0].value
    assert mine in text(bot.say("", choice=cancel))
    assert "cancelled" in text(bot.say("did you receive my request"))


def test_french_status_question() -> None:
    bot = Bot()
    ref = bot.submit(RequestType.PORTABILITY)
    said = text(bot.say("où en est ma demande"))
    assert ref in said and "reçue le 2 mars 2026" in said and "réponse au plus tard" in said


def test_no_request_yet_offers_the_rights_not_a_flow() -> None:
    bot = Bot()
    out = bot.say("did you receive my request?")
    assert "no request" in text(out)
    assert [o.value for o in out.replies[-1].options] == [ch.request(None)]
    assert USER not in bot.repo.flows


def test_how_long_to_answer_gets_the_legal_deadlines_and_the_users_due_date() -> None:
    bot = Bot()
    assert "one month" in text(bot.say("How long do you have to answer me?"))
    ref = bot.submit(RequestType.ACCESS)
    said = text(bot.say("How long do you have to answer me?"))
    assert "one month" in said and "Retention" not in said
    assert f"Your request {ref}" in said and "April 2, 2026" in said


def test_naming_ones_own_request_of_a_type_is_never_a_new_request() -> None:
    bot = Bot()
    ref = bot.submit(RequestType.PORTABILITY)
    for question in (
        "c'est quoi le statut de ma demande de portabilité",
        "where's my access request",
        "my deletion request, any news?",
    ):
        assert ref in text(bot.say(question)), question
        assert USER not in bot.repo.flows, question
    assert "Summary" not in text(bot.say("I want to make my access request"))
    assert USER in bot.repo.flows  # a wish still starts the flow
