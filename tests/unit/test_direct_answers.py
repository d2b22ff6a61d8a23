"""The answer first: a short answer, then the policy's words that support it, then the whole
section on demand; a kind of data the policy does not list is said to be missing (the
shipped intents, policy and messages, through the conversation)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from shipped_bot import Bot, knowledge

from privbot.content.intents import silent_problems
from privbot.content.knowledge import load_knowledge
from privbot.core import choices as ch
from privbot.core.model import Language, Reply, ReplyKind, SilentTopic, SilentTopics
from privbot.core.passages import split

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "privacy@qazar.cloud"
FR, EN = Language.FR, Language.EN

# Ten common questions per language: (question, section, answer intent, words of the quote).
COMMON = {
    EN: [
        ("do you guys sell my data?", "12", "ccpa", "we do not sell personal information"),
        ("how long do you keep my data?", "5", "retention", "as long as necessary"),
        ("do you use cookies?", "7", "cookies", "cookie"),
        ("can my kid use the app?", "9", "children", "under 16"),
        ("is my data sent to other countries?", "10", "international_transfers", "countries"),
        ("is my data safe with you?", "4", "security", "security"),
        ("what are my rights?", "6", "rights", "rights"),
        ("what data do you collect about me?", "1", "data_collected", "collect"),
        ("how do I contact you about privacy?", "14", "contact", "contact us"),
        ("will you tell me if the policy changes?", "13", "policy_changes", "changes"),
    ],
    FR: [
        ("vous vendez mes données ?", "12", "ccpa", "nous ne vendons pas"),
        ("vous les gardez combien de temps", "5", "retention", "aussi longtemps que"),
        ("vous utilisez des cookies ?", "7", "cookies", "cookies"),
        ("mon enfant peut utiliser l'appli ?", "9", "children", "moins de 16 ans"),
        ("mes données partent à l'étranger ?", "10", "international_transfers", "pays"),
        ("mes données sont-elles en sécurité ?", "4", "security", "sécurité"),
        ("quels sont mes droits ?", "6", "rights", "droits"),
        ("quelles données collectez-vous sur moi ?", "1", "data_collected", "collecter"),
        ("comment vous contacter pour la vie privée ?", "14", "contact", "contacter"),
        ("vous me prévenez si la politique change ?", "13", "policy_changes", "changement"),
    ],
}


def passages_of(section_id: str, lang: Language) -> set[str]:
    """Every sentence and list line of a section and its subsections."""
    doc = knowledge().policy.documents[lang]
    return {
        p.text
        for s in doc.sections
        if s.id == section_id or s.id.startswith(section_id + ".")
        for p in split(s.text)
    }


def offered(reply: Reply) -> list[str]:
    """The options of an answer but its 👍 / 👎 (`core.feedback`)."""
    return [o.value for o in reply.options if not ch.is_feedback(o.value)]


def answer_of(bot: Bot, question: str) -> Reply:
    out = bot.say(question)
    assert len(out.replies) == 1, question
    return out.replies[0]


@pytest.mark.parametrize("lang", [FR, EN])
def test_ten_common_questions_get_the_short_answer_then_a_quote_of_their_section(
    lang: Language,
) -> None:
    bot = Bot()
    for question, section, intent_id, words in COMMON[lang]:
        reply = answer_of(bot, question)
        parts = reply.answer
        assert parts is not None and parts.section_id == section, question
        intent = knowledge().intents.get(intent_id)
        assert intent is not None and parts.intent == intent_id
        short = intent.answers[lang].replace("{contact_email}", EMAIL)
        first, second = reply.text.split("\n\n")
        assert first == parts.short == short, question
        # The quote: sentence(s) of the right section, in the user's language, with its number.
        assert parts.quote_section == section or parts.quote_section.startswith(section + ".")
        lines = [line.removeprefix("- ") for line in parts.quote.split("\n")]
        sentences = passages_of(section, lang)
        assert lines[0] in sentences or lines[0].startswith(tuple(sentences)), question
        assert words in parts.quote.lower(), (question, parts.quote)
        assert second.startswith(f"Section {parts.quote_section}.") and parts.quote in second
        assert not parts.silent


def test_the_whole_section_is_one_button_away() -> None:
    bot = Bot()
    reply = answer_of(bot, "how long do you keep my data?")
    assert offered(reply) == ["full:5"]
    assert reply.options[0].label == "Read the whole section"
    whole = bot.say("", choice="full:5").replies
    assert whole[0].text.startswith("Section 5. Data Retention\n\nWe retain")
    assert "January 4, 2025" in whole[-1].text
    assert whole[0].answer is not None and whole[0].answer.full
    rights = answer_of(bot, "what are my rights?")
    assert offered(rights) == ["full:6", "request:menu"]
    # A section quoted whole has no such button.
    consent = knowledge().answers.section_answer("3.4", EN)[0]
    assert consent.answer is not None and consent.answer.quote.startswith("We may share")
    assert offered(consent) == []


def test_a_section_chosen_from_did_you_mean_starts_with_its_short_answer() -> None:
    bot = Bot()
    out = bot.say("", choice="section:10")
    parts = out.replies[0].answer
    intent = knowledge().intents.get("international_transfers")
    assert parts is not None and intent is not None
    assert out.replies[0].text.startswith(intent.answers[FR])  # the bot's first language
    assert parts.quote in passages_of("10", FR)


@pytest.mark.parametrize(
    ("lang", "question", "what"),
    [
        (EN, "do you listen through my microphone?", "does not mention the microphone or audio"),
        (FR, "est-ce que l'appli écoute mon micro ?", "ne mentionne pas le microphone ni l'audio"),
        (FR, "est-ce que vous écoutez mon micro ?", "ne mentionne pas le microphone ni l'audio"),
        (EN, "do you access my contacts?", "does not mention your contacts"),
        (FR, "vous collectez mes données de santé ?", "ne mentionne pas les données de santé"),
        (EN, "do you keep my DNA", "does not mention genetic data (DNA)"),
        (EN, "do you collect sensitive data?", "does not mention sensitive data (health"),
        (FR, "collectez-vous des données sensibles ?", "ne mentionne pas de données sensibles"),
    ],
)
def test_where_the_policy_is_silent_it_says_so(lang: Language, question: str, what: str) -> None:
    reply = answer_of(Bot(), question)
    parts = reply.answer
    assert parts is not None and parts.silent, question
    first = reply.text.split("\n\n")[0]
    assert first == parts.short and what in first and EMAIL in first
    assert f"section {parts.section_id}" in first  # the closest section
    assert parts.quote and f"Section {parts.quote_section}." in reply.text
    # Section 1 offers no request: nor does a request the words happen to resemble.
    kinds = {c.kind for o in reply.options if (c := ch.parse(o.value)) is not None}
    assert ch.ChoiceKind.REQUEST not in kinds, question


def test_silence_keeps_what_the_closest_section_does_say() -> None:
    reply = answer_of(Bot(), "do you sell my photos?")
    parts = reply.answer
    assert parts is not None and parts.silent and parts.section_id == "12"
    assert "does not mention your photos or videos" in parts.short
    assert "we do not sell personal information" in parts.quote


def test_a_kind_of_data_the_policy_lists_is_not_silent() -> None:
    for question in ("do you collect my location?", "do you keep my IP address?"):
        parts = answer_of(Bot(), question).answer
        assert parts is not None and not parts.silent, question


def test_a_silent_topic_the_policy_does_list_is_a_problem() -> None:
    k = knowledge()
    assert silent_problems(k.intents, k.policy) == []
    topic = SilentTopic("avatar", ("avatar", "photo de profil"), {}, "silent.yaml", 7)
    intents = replace(k.intents, silent=SilentTopics("1", (topic,)))
    assert silent_problems(intents, k.policy) == [
        "silent.yaml:7: silent: topic 'avatar': 'avatar' is in the policy's section 1; "
        "the policy is not silent on it"
    ]


def test_without_intents_the_best_sentence_is_quoted_with_its_section_number() -> None:
    bare = load_knowledge(
        contact_email=EMAIL,
        policy_file=ROOT / "tests" / "data" / "seed-privacy-policy.fr.txt",
        intents_dir=None,
        messages_dir=ROOT / "intents",
    )
    u = bare.matcher.understand("combien de temps conservez-vous mes informations")
    (reply,) = bare.answers.render(u)
    parts = reply.answer
    assert parts is not None and parts.short == "" and parts.intent is None
    assert parts.section_id == "5" and parts.quote.startswith("Nous conservons vos informations")
    assert reply.text.startswith("Section 5. Conservation des Données :\n« Nous conservons")
    assert offered(reply) == ["full:5"]


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        (EN, "do you train AI on my data?"),
        (EN, "is my data used for machine learning?"),
        (EN, "will my chats be used for AI training"),  # refused before: nothing else matched
        (EN, "Is my data used to train A.I. models?"),
        (FR, "est-ce que vous utilisez mes données pour l'IA ?"),
    ],
)
def test_a_use_the_policy_is_silent_on_is_answered_with_how_data_is_used(
    lang: Language, question: str
) -> None:
    """Training AI is no kind of data: the policy's uses (section 2) do not mention it,
    whatever section the question's other words come closest to ("my data": security)."""
    reply = answer_of(Bot(), question)
    parts = reply.answer
    assert parts is not None and parts.silent and parts.section_id == "2", question
    said = "among the uses of your data" if lang is EN else "parmi les usages de vos données"
    assert said in parts.short and EMAIL in parts.short
    assert "list of collected data" not in parts.short


def test_a_french_j_ai_is_no_artificial_intelligence() -> None:
    parts = answer_of(
        Bot(), "j'ai une question : combien de temps gardez-vous mes données ?"
    ).answer
    assert parts is not None and not parts.silent and parts.section_id == "5"


def test_a_use_topic_is_checked_against_its_own_section() -> None:
    k = knowledge()
    topic = SilentTopic("ads", ("personalize",), {}, "silent.yaml", 3, section="2")
    intents = replace(k.intents, silent=SilentTopics("1", (topic,)))
    assert silent_problems(intents, k.policy) == [
        "silent.yaml:3: silent: topic 'ads': 'personalize' is in the policy's section 2; "
        "the policy is not silent on it"
    ]


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("how long do you keep my data? asking for the AI team", "5"),
        ("your AI gave me a wrong answer, how do I contact the DPO?", "14"),
        ("I use AI tools at work, do you collect my IP address?", "1.2"),
        ("est-ce que cette IA garde mes messages ?", "5"),
        ("which data does your AI chatbot collect?", "1"),
    ],
)
def test_naming_ai_about_something_else_keeps_that_answer(question: str, section: str) -> None:
    """AI named beside another matter, not as a use of data (found by a review)."""
    parts = answer_of(Bot(), question).answer
    assert parts is not None and not parts.silent and parts.section_id == section, question


def test_an_off_topic_question_naming_ai_stays_refused() -> None:
    u = knowledge().matcher.understand("the AI app crashes when I use it")
    assert u.kind is ReplyKind.FALLBACK and u.silent is None
