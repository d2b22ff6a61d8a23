"""👍 / 👎 under policy answers: the buttons (core.feedback) and the service counting a vote
once per answer message, with the hand-written fakes."""

from __future__ import annotations

import random

from fakes.rights import (
    FakeAnswers,
    FakeKnowledge,
    FakeMailer,
    FakeRepository,
    MemoryLimits,
    shipped_catalogue,
)
from test_conversation_service import NOW, USER

from privbot.core import choices as ch
from privbot.core import feedback as fb
from privbot.core.model import (
    AnswerParts,
    Incoming,
    Language,
    Option,
    Outgoing,
    Reply,
    Understanding,
)
from privbot.services import ConversationService, RequestService

PARTS = AnswerParts("12", "Sale of data", "No.", "We do not sell personal data.", "sale_of_data")


class PolicyAnswers(FakeAnswers):
    """Every question gets a policy answer (with its parts)."""

    def render(self, u: Understanding) -> tuple[Reply, ...]:
        return (Reply("No.", (Option("Read section 12", "section:12"),), PARTS),)


def service(repo: FakeRepository) -> ConversationService:
    knowledge = FakeKnowledge(answers=PolicyAnswers())
    requests = RequestService(repo, set(), NOW.tzinfo, shipped_catalogue)  # type: ignore[arg-type]
    return ConversationService(
        repo, requests, FakeMailer(), lambda: knowledge, b"s" * 32, random.Random(1), MemoryLimits()
    )


def ask(svc: ConversationService, text: str = "", choice: str | None = None) -> Outgoing:
    return svc.handle(Incoming(USER, text, choice=choice, forced_language=Language.EN), NOW)


def votes(out: Outgoing) -> list[Option]:
    return [o for r in out.replies for o in r.options if ch.is_feedback(o.value)]


def test_offer_puts_both_buttons_on_the_last_policy_answer_only() -> None:
    texts = shipped_catalogue()
    replies = (Reply("first", answer=PARTS), Reply("second", answer=PARTS), Reply("no answer"))
    out = fb.offer(replies, "tok", Language.FR, texts)
    assert [len(r.options) for r in out] == [0, 2, 0]
    up, down = out[1].options
    assert up.label.startswith("👍") and down.label.startswith("👎")
    assert fb.read(up.value) == fb.RecordFeedback("tok", "12", "sale_of_data", True)
    assert fb.read(down.value) == fb.RecordFeedback("tok", "12", "sale_of_data", False)
    assert fb.offer((Reply("hello"),), "tok", Language.FR, texts) == (Reply("hello"),)
    for bad in ("fb:tok:maybe:12:x", "fb:tok:y::x", "fb:tok:y", "section:12"):
        assert fb.read(bad) is None


def test_a_vote_is_counted_once_per_answer_without_text_or_user() -> None:
    repo = FakeRepository()
    svc = service(repo)
    first = ask(svc, "do you sell my data?")
    up, down = votes(first)
    assert next(o.label for r in first.replies for o in r.options) == "Read section 12"
    thanks = ask(svc, choice=up.value)
    assert thanks.replies[0].text.startswith("Thank you")
    assert ask(svc, choice=up.value).replies[0].text.startswith("Your feedback")  # replayed
    assert ask(svc, choice=down.value).replies[0].text.startswith("Your feedback")  # same answer
    (vote,) = repo.votes.values()
    assert (vote.intent, vote.section, vote.positive) == ("sale_of_data", "12", True)
    second = ask(svc, "and do you sell it to advertisers?")
    _, down2 = votes(second)
    assert down2.value != down.value  # a new answer, a new token
    sorry = ask(svc, choice=down2.value)
    assert "person" in sorry.replies[0].text and sorry.replies[0].options[0].value.startswith(
        "handoff:"
    )
    assert [v.positive for v in repo.votes.values()] == [True, False]


def test_the_start_menu_offers_four_ways_in() -> None:
    svc = service(FakeRepository())
    out = ask(svc, "/start")
    options = [o for r in out.replies for o in r.options]
    assert [o.label for o in options] == ["Ask a question", "Exercise a right", "My requests",
                                          "My data"]  # fmt: skip
    assert "for example" in ask(svc, choice=options[0].value).replies[0].text
    assert ask(svc, choice=options[1].value).replies[0].options  # the rights
    assert "You have no request" in ask(svc, choice=options[2].value).replies[0].text
    assert "What I hold about you" in ask(svc, choice=options[3].value).replies[0].text
