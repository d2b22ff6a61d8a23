"""ConversationService and RequestService with hand-written fakes (no DB, no SMTP)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from fakes.rights import (
    FakeKnowledge,
    FakeMailer,
    FakeRepository,
    MemoryLimits,
    shipped_catalogue,
)

from privbot.core import choices as ch
from privbot.core.flows import FlowState
from privbot.core.model import (
    Establishment,
    Incoming,
    Jurisdiction,
    Language,
    Outgoing,
    RequestType,
    UserKey,
)
from privbot.core.requests import RequestStatus, RightsRequest
from privbot.errors import InvalidTransition, RequestNotFound
from privbot.services import ConversationService, RequestService

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
USER = UserKey("test", "42")


class Bot:
    def __init__(self, establishment: Establishment = Establishment.EU) -> None:
        self.repo = FakeRepository()
        self.mailer = FakeMailer()
        self.requests = RequestService(self.repo, set(), UTC, shipped_catalogue, establishment)
        knowledge = FakeKnowledge()
        self.service = ConversationService(
            self.repo,
            self.requests,
            self.mailer,
            lambda: knowledge,
            b"s" * 32,
            random.Random(7),
            MemoryLimits(),
        )
        self.now = NOW
        self.last: Outgoing | None = None

    def say(self, text: str, user: UserKey = USER, **kw: object) -> Outgoing:
        self.last = self.service.handle(Incoming(user, text, **kw), self.now)  # type: ignore[arg-type]
        return self.last

    def press(self, label_or_id: str) -> Outgoing:
        assert self.last is not None
        for r in self.last.replies:
            for o in r.options:
                if label_or_id in (o.label, o.value) or o.value.endswith(":" + label_or_id):
                    return self.say("", choice=o.value)
        raise AssertionError(f"no option {label_or_id}")

    def text(self) -> str:
        assert self.last is not None
        return "\n".join(r.text for r in self.last.replies)


def erasure(bot: Bot, user: UserKey = USER) -> str:
    bot.say("I want to delete my data", user)
    bot.press("eu")
    bot.press("yes")
    bot.say("ann@example.com", user)
    assert "6-digit code" in bot.text()
    bot.say(bot.mailer.last_code(), user)
    assert "Summary" in bot.text()
    bot.press("confirm")
    assert "DSR-2026-" in bot.text()
    return bot.repo.list_requests(user=user)[-1].reference


def test_erasure_end_to_end_with_fakes() -> None:
    bot = Bot()
    ref = erasure(bot)
    req = bot.repo.requests[ref]
    assert req.status is RequestStatus.VERIFIED and req.email == "ann@example.com"
    assert [e.event for e in bot.repo.audit] == ["received", "verified"]
    assert bot.repo.users[USER].jurisdiction is Jurisdiction.EU
    assert USER not in bot.repo.flows and USER not in bot.repo.codes
    assert "April 2, 2026" in bot.text()


def test_duplicate_gets_existing_reference() -> None:
    bot = Bot()
    ref = erasure(bot)
    bot.now += timedelta(minutes=1)  # a new flow does not skip the resend cooldown
    bot.say("I want to delete my data")
    assert bot.repo.users[USER].jurisdiction is Jurisdiction.EU  # not asked again
    bot.press("yes")
    bot.say("ann@example.com")
    bot.say(bot.mailer.last_code())
    bot.press("confirm")
    assert f"already have an open request of this type: {ref}" in bot.text()
    assert len(bot.repo.requests) == 1


def test_request_choice_menu_status_and_language() -> None:
    bot = Bot()
    out = bot.say("/request", channel_language=Language.EN)
    assert out.language is Language.EN and len(out.replies[0].options) == 8
    bot.press("opt_out_sale")
    assert "we do not sell personal information" in bot.text()
    bot.press("california")
    bot.press("confirm")
    assert "DSR-2026-000001" in bot.text()
    bot.say("/status")
    assert "DSR-2026-000001" in bot.text() and "received, no verification needed" in bot.text()
    out = bot.say("/language fr")
    assert out.language is Language.FR and "français" in bot.text()
    out = bot.say("I want the status", channel_language=Language.EN)
    assert out.language is Language.FR  # the saved choice wins


def test_question_outside_flow_goes_to_answers_and_choices_resolve() -> None:
    bot = Bot()
    assert bot.say("the weather").replies[0].text == "answer:fallback:en"
    taken = bot.say("", choice="section:6")
    assert taken.replies[0].text == "resolved:section:6" and not taken.expired
    for stale in ("section:99", "flow:abc:yes"):  # not offered: said, and flagged, expired
        out = bot.say("", choice=stale)
        assert "expired" in out.replies[0].text and out.expired
    assert "empty" in bot.say("   ").replies[0].text


def test_resend_cooldown_and_new_code_invalidates_old() -> None:
    bot = Bot()
    bot.say("I want access to my data")
    bot.press("eu")
    bot.press("json")
    bot.say("ann@example.com")
    first = bot.mailer.last_code()
    bot.press("resend")
    assert "wait 60 s" in bot.text() and len(bot.mailer.sent) == 1
    bot.now += timedelta(seconds=61)
    bot.press("resend")
    second = bot.mailer.last_code()
    assert len(bot.mailer.sent) == 2
    if first != second:
        bot.say(first)
        assert "not right" in bot.text()
    bot.say(second)
    assert "verified" in bot.text()


def test_staff_actions_notify_user_in_their_language() -> None:
    bot = Bot()
    ref = erasure(bot)
    bot.say("/language fr")
    svc = bot.requests
    svc.acknowledge(ref, "U1", NOW)
    svc.assign(ref, "U1", NOW)
    with pytest.raises(InvalidTransition):
        svc.extend(ref, "U1", "  ", NOW)
    svc.extend(ref, "U1", "Demande complexe", NOW)
    with pytest.raises(InvalidTransition):
        svc.extend(ref, "U1", "encore", NOW)
    svc.deny(ref, "U1", "Identité non établie", NOW)
    texts = [n.text for n in bot.repo.outbox]
    assert len(texts) == 4 and all(n.language is Language.FR for n in bot.repo.outbox)
    assert "prolongé jusqu'au 2 juin 2026" in texts[2] and "Demande complexe" in texts[2]
    assert "Identité non établie" in texts[3] and "réclamation" in texts[3]
    assert [e.event for e in svc.audit(ref)][-4:] == [
        "acknowledged",
        "assigned",
        "extended",
        "denied",
    ]
    with pytest.raises(RequestNotFound):
        svc.get("DSR-2026-999999")


def test_user_cancels_submitted_request() -> None:
    bot = Bot()
    ref = erasure(bot)
    other = UserKey("test", "other")
    bot.say(f"/cancel {ref}", other)
    assert bot.repo.requests[ref].status is RequestStatus.VERIFIED
    bot.say("/cancel")
    bot.press(ref)  # the button of the /cancel menu for that request
    assert bot.repo.requests[ref].status is RequestStatus.CANCELLED
    bot.say(f"/cancel {ref}")
    assert "can no longer be cancelled" in bot.text()


def test_help_at_a_free_text_step_shows_the_question_again_and_stores_nothing() -> None:
    bot = Bot()
    bot.say("/request", channel_language=Language.EN)
    bot.press("rectification")
    bot.press("eu")
    assert bot.last is not None
    question = bot.last.replies[-1]
    assert "Which information is wrong?" in question.text
    for command in ("/help", "/HELP", "/help@privbot_bot"):
        out = bot.say(command)
        assert out.replies[-1].text == question.text
        assert [o.label for o in out.replies[-1].options] == [o.label for o in question.options]
        state = FlowState.from_json(bot.repo.flows[USER][0])
        assert state.step == "field:wrong" and not state.details.items
    bot.say("My name is misspelt")
    assert "What is the correct value?" in bot.text()


def test_a_message_that_is_not_text_outside_a_flow_says_so_and_shows_the_help() -> None:
    bot = Bot()
    out = bot.say("", not_text=True, channel_language=Language.EN)
    assert out.replies[0].text == "I can only read text."
    assert "/request" in out.replies[-1].text and USER not in bot.repo.flows


def test_an_unknown_command_inside_a_flow_is_not_an_answer() -> None:
    bot = Bot()
    bot.say("/request", channel_language=Language.EN)
    bot.press("rectification")
    bot.press("eu")
    bot.say("/frobnicate")
    assert "Which information is wrong?" in bot.text()
    assert not FlowState.from_json(bot.repo.flows[USER][0]).details.items


def access_request(bot: Bot, residence: str) -> str:
    bot.say("I want access to my data")
    bot.press(residence)
    bot.press("pdf")
    bot.say("ann@example.com")
    bot.say(bot.mailer.last_code())
    bot.press("confirm")
    return bot.repo.list_requests(user=USER)[-1].reference


def test_a_california_user_of_an_eu_controller_is_due_by_the_gdpr_date() -> None:
    # NOW is Monday 2 March 2026: GDPR one month -> Thursday 2 April; CCPA 45 days -> 16 April.
    bot = Bot()
    ref = access_request(bot, "california")
    req = bot.repo.requests[ref]
    assert req.jurisdiction is Jurisdiction.CALIFORNIA
    assert req.dates.due.isoformat() == "2026-04-02"
    assert "CCPA" in req.dates.explanation["due"] and "EU GDPR" in req.dates.explanation["due"]
    assert "April 2, 2026" in bot.text()
    alone = Bot(Establishment.OTHER)
    ref = access_request(alone, "california")
    assert alone.repo.requests[ref].due.isoformat() == "2026-04-16"


def test_switzerland_is_offered_and_kept() -> None:
    bot = Bot(Establishment.OTHER)
    bot.say("I want access to my data")
    assert "Switzerland" in [o.label for r in bot.last.replies for o in r.options]  # type: ignore[union-attr]
    bot.say("Switzerland")
    bot.press("pdf")
    bot.say("ann@example.com")
    bot.say(bot.mailer.last_code())
    bot.press("confirm")
    req = bot.repo.list_requests(user=USER)[-1]
    assert req.jurisdiction is Jurisdiction.SWITZERLAND
    assert req.due.isoformat() == "2026-04-01"  # 30 calendar days
    assert bot.repo.users[USER].jurisdiction is Jurisdiction.SWITZERLAND


@pytest.mark.parametrize(
    ("establishment", "told"), [(Establishment.EU, True), (Establishment.OTHER, False)]
)
def test_a_denial_names_the_complaint_right_where_the_gdpr_applies(
    establishment: Establishment, told: bool
) -> None:
    bot = Bot(establishment)
    ref = access_request(bot, "california")
    bot.requests.deny(ref, "staff", "no such account", bot.now)
    assert ("supervisory authority" in bot.repo.outbox[-1].text) is told


def start_right(bot: Bot, request_type: RequestType) -> None:
    bot.say("", choice=ch.request(request_type), channel_language=Language.EN)
    bot.press("eu")


def verify_and_confirm(bot: Bot) -> RightsRequest:
    bot.say("ann@example.com")
    bot.say(bot.mailer.last_code())
    bot.press("confirm")
    return bot.repo.list_requests(user=USER)[-1]


def test_a_withdrawal_of_consent_takes_effect_now() -> None:
    bot = Bot()
    start_right(bot, RequestType.WITHDRAW_CONSENT)
    bot.press("marketing_emails")
    req = verify_and_confirm(bot)
    assert req.takes_effect_at_once and req.due == NOW.date() and req.dates.extended_due is None
    assert "takes effect now" in bot.text() and "We will answer by" not in bot.text()
    assert bot.repo.audit[0].detail == "type withdraw_consent; effective at once"
    bot.say("/status")
    assert f"in effect since {NOW:%B} {NOW.day}, {NOW.year}" in bot.text()


@pytest.mark.parametrize(("processing", "at_once"), [("marketing", True), ("analytics", False)])
def test_only_an_objection_to_direct_marketing_takes_effect_now(
    processing: str, at_once: bool
) -> None:
    bot = Bot()
    start_right(bot, RequestType.OBJECTION)
    bot.press(processing)
    req = verify_and_confirm(bot)
    assert req.takes_effect_at_once is at_once
    assert (req.due == NOW.date()) is at_once
    assert ("takes effect now" in bot.text()) is at_once


def test_an_opt_out_is_received_without_verification_never_verified() -> None:
    bot = Bot()
    bot.say("", choice=ch.request(RequestType.OPT_OUT_SALE), channel_language=Language.EN)
    bot.press("california")
    assert "no identity verification needed" in bot.text()
    bot.press("confirm")
    req = bot.repo.list_requests(user=USER)[-1]
    assert req.verification_skipped and req.email is None
    bot.say("/status")
    assert "received, no verification needed" in bot.text()
    assert "verified" not in bot.text().replace("no verification", "")
    bot.say("/language fr")
    bot.say("/status")
    assert "reçue, sans vérification nécessaire" in bot.text()


# --- replies to a pending question (issue: typed answers were sent to the matcher) -----------
def _erase_asked(bot: Bot, lang: Language = Language.EN) -> None:
    bot.say("hello the bot" if lang is Language.EN else "bonjour", channel_language=lang)
    bot.say("/privacy", channel_language=lang)
    bot.press("erase")
    assert USER in bot.repo.users


def test_typed_yes_at_the_erase_confirmation_erases() -> None:
    bot = Bot()
    _erase_asked(bot)
    out = bot.say("yes")
    assert USER not in bot.repo.users and out.language is Language.EN
    assert "Done" in bot.text() and "answer:" not in bot.text()


def test_typed_non_at_the_erase_confirmation_keeps_everything() -> None:
    bot = Bot()
    _erase_asked(bot, Language.FR)
    bot.say("non")
    assert USER in bot.repo.users and "rien n'a été effacé" in bot.text()


def test_the_pending_confirmation_is_stored_not_kept_in_memory() -> None:
    bot = Bot()
    _erase_asked(bot)
    other = ConversationService(
        bot.repo,
        bot.requests,
        bot.mailer,
        FakeKnowledge,
        b"s" * 32,
        random.Random(1),
        bot.service.limits,
    )  # another instance of the bot, same database
    other.handle(Incoming(USER, "yes"), NOW)
    assert USER not in bot.repo.users


def test_the_pending_confirmation_expires() -> None:
    bot = Bot()
    _erase_asked(bot)
    bot.now = NOW + timedelta(minutes=30)
    bot.say("yes")
    assert USER in bot.repo.users


def test_bare_no_after_thanks_is_not_a_question() -> None:
    bot = Bot()
    bot.say("merci", channel_language=Language.FR)
    out = bot.say("non")
    assert "answer:" not in bot.text() and out.language is Language.FR
    assert "disposition" in bot.text()


def test_language_switch_in_words_reshows_the_flow_question() -> None:
    bot = Bot()
    bot.say("I want to delete my data")
    out = bot.say("en français svp")
    assert out.language is Language.FR
    assert "Où résidez-vous" in bot.text() and len(out.replies[-1].options) == 7


def test_language_command_reshows_the_pending_confirmation() -> None:
    bot = Bot()
    _erase_asked(bot, Language.FR)
    out = bot.say("/language en")
    assert out.language is Language.EN and "I will erase" in bot.text()
    bot.say("yes")
    assert USER not in bot.repo.users and "Done" in bot.text()
