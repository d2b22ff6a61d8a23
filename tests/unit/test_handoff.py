"""A person when needed: "talk to a human" offers to write to the privacy team; once agreed,
what the user writes is relayed (not matched) until /cancel; the fallback offers it too;
billing and password questions are said to be outside the privacy team's remit."""

from __future__ import annotations

from shipped_bot import USER, Bot, text

from privbot.core import choices as ch

OFFER = ch.handoff(ch.HandoffAction.OFFER)
OPEN = ch.handoff(ch.HandoffAction.OPEN)


def test_talk_to_a_human_offers_a_person_and_relays_until_cancel() -> None:
    bot = Bot()
    out = bot.say("I need to talk to a real person")
    assert "a person from the privacy team can answer you" in text(out)
    assert [o.value for o in out.replies[-1].options] == [OPEN, ch.handoff(ch.HandoffAction.NO)]
    assert "Send /cancel" in text(bot.say("", choice=OPEN))
    said = text(bot.say("how long do you keep my data?"))
    assert said == "Passed on to the privacy team."  # relayed, not answered by the bot
    assert bot.repo.relayed == [(1, "how long do you keep my data?")]
    assert "conversation with the privacy team is over" in text(bot.say("/cancel"))
    assert "Section 5" in text(bot.say("how long do you keep my data?"))
    events = [(e.reference, e.event, e.actor) for e in bot.repo.audit]
    assert events == [
        ("HUM-000001", "handoff_opened", "user"),
        ("HUM-000001", "handoff_closed", "user"),
    ]


def test_french_human_and_declining() -> None:
    bot = Bot()
    out = bot.say("je veux parler à un humain")
    assert "une personne de l'équipe confidentialité" in text(out)
    assert "Posez-moi votre question" in text(bot.say("", choice=ch.handoff(ch.HandoffAction.NO)))
    assert bot.repo.handoffs == []


def test_the_fallback_offers_a_person() -> None:
    bot = Bot()
    out = bot.say("what's the weather in Paris tomorrow?")
    assert OFFER in [o.value for o in out.replies[-1].options]
    assert "a person from the privacy team" in text(bot.say("", choice=OFFER))


def test_billing_and_password_questions_are_not_sent_to_the_privacy_mailbox() -> None:
    bot = Bot()
    for question in ("I forgot my password", "how much does the premium plan cost?"):
        out = bot.say(question)
        assert "not a privacy question" in text(out), question
        assert "privacy@qazar.cloud" not in text(out), question
        assert [o.value for o in out.replies[-1].options] == [OFFER]
    assert "pas une question de confidentialité" in text(bot.say("j'ai oublié mon mot de passe"))
    assert USER not in bot.repo.flows
