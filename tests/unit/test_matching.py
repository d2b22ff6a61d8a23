"""Matcher behaviour: outcomes, cross-language, typos, clarify, fallback, answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from privbot.adapters.langdetect_scorer import langdetect_scorer
from privbot.content.knowledge import Knowledge, load_knowledge
from privbot.core.answers import split_text
from privbot.core.matching import Matcher
from privbot.core.model import (
    Intent,
    IntentKind,
    IntentSet,
    Language,
    Phrase,
    Policy,
    PolicyDocument,
    ReplyKind,
    RequestType,
    Section,
)

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "dpo@example.test"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(
        contact_email=EMAIL,
        corpus_dir=ROOT / "policy_corpus",
        intents_dir=ROOT / "intents",
        ngram_scorer=langdetect_scorer(),
    )


@pytest.fixture(scope="module")
def bare(knowledge: Knowledge) -> Matcher:
    """The policy alone, no intents: answers from the section text."""
    return Matcher(knowledge.policy, IntentSet(intents=()))


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("combien de temps gardez-vous mes données", "5"),
        ("how long do you keep my data", "5"),
        ("cookies?", "7"),
        ("do you encrypt my data", "4"),
        ("quels sont mes droits", "6"),
    ],
)
def test_answers_sections(knowledge: Knowledge, text: str, section: str) -> None:
    u = knowledge.matcher.understand(text)
    assert (u.kind, u.section) == (ReplyKind.ANSWER, section)


def test_typos_and_missing_accents(knowledge: Knowledge) -> None:
    for text in ("combien de tmeps vous concervez mes donnes", "how lnog do you kep my dta"):
        assert knowledge.matcher.understand(text).section == "5", text


def test_doing_is_a_request_asking_is_an_answer(knowledge: Knowledge) -> None:
    do = knowledge.matcher.understand("supprimez mes données")
    ask = knowledge.matcher.understand("what are my rights?")
    assert (do.kind, do.request_type) == (ReplyKind.REQUEST, RequestType.ERASURE)
    assert (ask.kind, ask.section) == (ReplyKind.ANSWER, "6")
    copy = knowledge.matcher.understand("send me a copy of my data")
    assert copy.request_type is RequestType.ACCESS


def test_out_of_scope_gets_the_fallback_with_the_contact(knowledge: Knowledge) -> None:
    for text in ("what's the weather in Paris", "raconte-moi une blague", "I can't log in"):
        u = knowledge.matcher.understand(text)
        assert u.kind is ReplyKind.FALLBACK, text
        reply = knowledge.answers.render(u)[0].text
        assert EMAIL in reply and "[email" not in reply


def test_cross_language_example_matching() -> None:
    """An English question finds an intent whose only examples are French."""
    intents = IntentSet(
        intents=(
            Intent(
                "cookies_fr",
                IntentKind.ANSWER,
                (Phrase("quels cookies utilisez-vous", Language.FR),),
                section="7",
            ),
            Intent(
                "delete_fr",
                IntentKind.REQUEST,
                (Phrase("supprimez mes données personnelles", Language.FR),),
                request_type=RequestType.ERASURE,
            ),
        )
    )
    m = Matcher(None, intents)
    assert m.understand("which cookies do you use").section == "7"
    assert m.understand("erase my personal data").request_type is RequestType.ERASURE


def _tied(first: str, second: str) -> Matcher:
    """Two sections with the same example: every question that reaches one ties them."""
    return Matcher(
        None,
        IntentSet(
            intents=(
                Intent("a", IntentKind.ANSWER, (Phrase("data sharing", Language.EN),), first),
                Intent("b", IntentKind.ANSWER, (Phrase("data sharing", Language.FR),), second),
            )
        ),
    )


def test_two_tied_outcomes_ask_which(knowledge: Knowledge) -> None:
    u = _tied("3", "10").understand("data sharing")
    assert u.kind is ReplyKind.CLARIFY
    replies = knowledge.answers.render(u)
    assert {o.value for o in replies[0].options} == {"section:3", "section:10"}


def test_candidates_are_ranked_and_distinct(knowledge: Knowledge) -> None:
    u = knowledge.matcher.understand("do you share my data with other companies")
    scores = [c.score for c in u.candidates]
    assert scores == sorted(scores, reverse=True)
    keys = [
        (c.section, c.request_type, c.intent if c.section is None else None) for c in u.candidates
    ]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("how long do you retain personal information", "5"),
        ("do you use cookies", "7"),
        ("can children use the apps", "9"),
        ("is my data encrypted", "4"),
        ("do you transfer data to other countries", "10"),
        ("combien de temps conservez-vous mes informations", "5"),
        ("qui sont vos prestataires de services", "3.1"),
    ],
)
def test_section_text_alone(bare: Matcher, text: str, section: str) -> None:
    ranked = [c.section for c in bare.rank(text, bare.detect_language(text))[:3]]
    assert section in ranked, ranked


def test_section_text_alone_ranks_whole_sections() -> None:
    """Without intents a section is ranked whole: three of the question's words spread over
    its sentences beat one word in a short sentence elsewhere."""

    def section(sid: str, text: str) -> Section:
        return Section(sid, "", text, Language.EN)

    policy = Policy(
        {
            Language.EN: PolicyDocument(
                Language.EN,
                (
                    section("1", "Gift cards are sold in our stores."),
                    section(
                        "2",
                        "We never rent the information you give us to other companies for "
                        "their marketing. When we process an order, the shipping address goes "
                        "to the carrier and nowhere else. We do not trade lists of customers "
                        "with partners of ours or with anyone else.",
                    ),
                    section("3", "Our stores open at nine in the morning."),
                ),
            )
        }
    )
    matcher = Matcher(policy, IntentSet(intents=()))
    ranked = matcher.rank("do you sell, rent or trade my address?", Language.EN)
    assert [c.section for c in ranked] == ["2", "1"]
    assert set(ranked[0].matched_words) == {"rent", "trad", "address"}  # stems


def test_answer_names_section_and_date_and_offers_a_request(knowledge: Knowledge) -> None:
    u = knowledge.matcher.understand("quels sont mes droits")
    replies = knowledge.answers.render(u)
    intent = knowledge.intents.get("rights")
    assert intent is not None
    short, quote = replies[0].text.split("\n\n")
    assert short == intent.answers[Language.FR].replace("{contact_email}", EMAIL)
    assert quote.startswith("Section 6.") and "{contact_email}" not in quote
    options = [o.value for o in replies[-1].options]
    assert options[0] == "full:6"
    assert any(o.startswith("request:") for o in options)
    whole = knowledge.answers.resolve_choice("full:6", Language.FR)
    assert whole is not None
    text = whole[0].text
    assert text.startswith("Section 6.") and "4 janvier 2025" in text
    assert EMAIL in text and "{contact_email}" not in text
    assert any(o.value.startswith("request:") for o in whole[-1].options)
    assert all(not o.value.startswith("full:") for o in whole[-1].options)


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        ("can i delete my data?", "request:erasure"),
        ("do you sell my data?", "request:opt_out_sale"),
        ("has this system ever been hacked in the past?", None),  # erasure, 0.19
        ("who controls my data?", None),  # portability, 0.15
    ],
)
def test_a_request_is_offered_under_an_answer_only_when_the_question_resembles_it(
    knowledge: Knowledge, text: str, offered: str | None
) -> None:
    u = knowledge.matcher.understand(text)
    assert u.kind is ReplyKind.ANSWER
    values = [o.value for o in knowledge.answers.render(u)[-1].options]
    requests = [v for v in values if v.startswith("request:") and v != "request:menu"]
    assert requests == ([offered] if offered else [])


def test_parent_section_includes_subsections(knowledge: Knowledge) -> None:
    text = knowledge.answers.full_section("1", Language.EN)[0].text
    assert "1.1" in text and "1.2" in text


def test_split_text_at_paragraphs() -> None:
    paras = [("word " * 150).strip() for _ in range(12)]
    parts = split_text("\n\n".join(paras), limit=4096)
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert "\n\n".join(parts) == "\n\n".join(paras)
    huge = split_text("x" * 10000, limit=4096)
    assert all(len(p) <= 4096 for p in huge) and "".join(huge) == "x" * 10000


def test_a_message_of_stop_words_only_is_matched_whole() -> None:
    """'who are you?' leaves no content word; its all-stop-word example still matches."""
    intents = IntentSet(
        intents=(
            Intent(
                "bot_identity",
                IntentKind.SMALLTALK,
                (Phrase("who are you", Language.EN), Phrase("qui es-tu", Language.FR)),
                replies={Language.EN: "A bot.", Language.FR: "Un bot."},
            ),
        )
    )
    m = Matcher(None, intents)
    for text in ("who are you?", "Qui es tu"):
        u = m.understand(text)
        assert (u.kind, u.intent) == (ReplyKind.SMALLTALK, "bot_identity"), text
    assert m.understand("are we there").kind is ReplyKind.FALLBACK


@pytest.mark.parametrize(
    "question", ["do you use coo\u200bkies", "what are cook\u200dies used for"]
)
def test_zero_width_character_inside_a_word_changes_nothing(
    knowledge: Knowledge, question: str
) -> None:
    assert knowledge.matcher.understand(question).section == "7"


def test_an_unsure_privacy_question_is_offered_sections(knowledge: Knowledge) -> None:
    """Weak but in the domain (it names data and what is done with it): "did you mean"
    with the best sections, never the fallback nor an off-topic intent."""
    for text in (
        "mes trajets en voiture, vous les gardez et les partagez ?",
        "my notes and privacy?",
    ):
        u = knowledge.matcher.understand(text)
        assert u.kind is ReplyKind.CLARIFY, text
        assert 2 <= len(u.alternatives) <= 3, text
        assert all(c.kind is not IntentKind.OUT_OF_SCOPE for c in u.alternatives), text


def test_a_weak_off_topic_fit_does_not_refuse_a_privacy_matter_it_leaves_out(
    knowledge: Knowledge,
) -> None:
    """A product-support example fits "how does ... work?" a little better than any
    section, but says nothing of privacy: the sections are offered, not the fallback."""
    for text in (
        "how does the browser's privacy mode work?",
        "comment fonctionne le mode confidentiel du navigateur ?",
    ):
        u = knowledge.matcher.understand(text)
        assert u.kind is ReplyKind.CLARIFY and 2 <= len(u.alternatives) <= 3, text
        assert all(c.kind is IntentKind.ANSWER for c in u.alternatives), text


def test_a_weak_off_topic_question_still_gets_the_fallback(knowledge: Knowledge) -> None:
    for text in ("the button colours look odd", "la couleur des boutons est bizarre"):
        assert knowledge.matcher.understand(text).kind is ReplyKind.FALLBACK, text


def test_an_off_topic_example_sharing_a_word_does_not_take_a_privacy_question(
    knowledge: Knowledge,
) -> None:
    # "photos" is also in examples about posting photos; selling them is a privacy matter.
    u = knowledge.matcher.understand("do you sell my photos to anyone?")
    assert u.kind is not ReplyKind.FALLBACK
    assert {"3", "12"} & {u.section, *(c.section for c in u.alternatives)}


def test_a_weak_section_clearly_ahead_is_answered_in_the_domain(knowledge: Knowledge) -> None:
    u = knowledge.matcher.understand("could my gps trail end up somewhere")
    assert (u.kind, u.section) == (ReplyKind.ANSWER, "1.2")
    u = knowledge.matcher.understand("is the stuff i type kept somewhere")
    assert (u.kind, u.section) == (ReplyKind.ANSWER, "5")
    assert u.confidence < knowledge.matcher.thresholds.answer  # answered though below the floor


def test_a_question_joining_two_things_done_with_data_offers_both(knowledge: Knowledge) -> None:
    u = knowledge.matcher.understand("will my info be hacked or sold?")
    assert u.kind is ReplyKind.CLARIFY
    assert {c.section for c in u.alternatives} == {"4", "12"}


def test_privacy_itself_marks_the_domain(knowledge: Knowledge) -> None:
    """ "privacy" names no section of its own, but a question about it is not off-topic."""
    for text in (
        "what can i do to control my privacy in the app?",
        "comment protéger ma vie privée dans l'appli ?",
    ):
        assert knowledge.matcher.understand(text).kind is not ReplyKind.FALLBACK, text
    u = knowledge.matcher.understand("is there two-factor authentication?")
    assert u.section == "4"


def test_a_question_naming_nothing_but_data_asks_which_section(knowledge: Knowledge) -> None:
    for text in ("mes données", "personal data", "my info"):
        u = knowledge.matcher.understand(text)
        assert u.kind is ReplyKind.CLARIFY, text
        assert 2 <= len(u.alternatives) <= 3 and all(c.section for c in u.alternatives), text
    assert knowledge.matcher.understand("my location data").kind is ReplyKind.ANSWER


def test_a_section_and_its_own_subsection_are_no_choice_to_offer() -> None:
    # section 1 and its subsection 1.2 tie: the question is answered, not asked back
    u = _tied("1", "1.2").understand("data sharing")
    assert (u.kind, u.section) == (ReplyKind.ANSWER, "1")


def test_who_controls_the_data_is_not_the_user_controlling_it(knowledge: Knowledge) -> None:
    for text in ("who controls my data?", "qui contrôle mes données ?"):
        assert knowledge.matcher.understand(text).section == "intro", text
    for text in (
        "do I have any control over my privacy in the app?",
        "est-ce que je contrôle ma vie privée dans l'appli ?",
    ):
        assert knowledge.matcher.understand(text).section == "6", text


def test_buying_something_is_paying_not_a_merger(knowledge: Knowledge) -> None:
    u = knowledge.matcher.understand("when i buy something in the app, do you keep my card?")
    assert (u.kind, u.section) == (ReplyKind.ANSWER, "1.1")
    assert knowledge.matcher.understand("what if google buys qazar").section == "3.3"


def test_how_long_about_something_the_policy_never_names_is_off_topic(
    knowledge: Knowledge,
) -> None:
    for text in ("how long is the warranty?", "how long does the battery last?"):
        assert knowledge.matcher.understand(text).kind is ReplyKind.FALLBACK, text
    for text in ("how long?", "combien de temps ?", "how long until you forget me?"):
        assert knowledge.matcher.understand(text).section == "5", text


def test_an_off_topic_example_that_explains_no_named_kind_of_data_gives_way(
    knowledge: Knowledge,
) -> None:
    # "comment ... utilise ... application" fits product support; the camera and the
    # microphone are what is asked about (tests/data/real_questions_fr.txt, CNIL)
    text = (
        "Comment savoir si une application utilise la caméra ou le microphone de notre "
        "iPhone ou iPad?"
    )
    u = knowledge.matcher.understand(text)
    assert (u.kind, u.section) == (ReplyKind.ANSWER, "1")
    # a feature question that names a photo is still off-topic
    assert knowledge.matcher.understand("how do I post photos").kind is ReplyKind.FALLBACK
