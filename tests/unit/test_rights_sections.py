"""The sections about rights: marked once in the intent files, read by matching and answers."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from privbot.adapters.langdetect_scorer import langdetect_scorer
from privbot.content.intents import check_intent_files
from privbot.content.knowledge import Knowledge, load_knowledge
from privbot.core.answers import AnswerRenderer
from privbot.core.matching import Matcher
from privbot.core.model import Language, ReplyKind, RequestType, RightsSection

ROOT = Path(__file__).resolve().parents[2]
EN = Language.EN


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(
        contact_email="dpo@example.test",
        corpus_dir=ROOT / "policy_corpus",
        intents_dir=ROOT / "intents",
        ngram_scorer=langdetect_scorer(),
    )


def requests_offered(answers: AnswerRenderer, section: str) -> list[str]:
    """The requests an answer of `section` offers (beside the button to read it whole)."""
    options = answers.section_answer(section, EN)[-1].options
    return [o.value for o in options if not o.value.startswith("full:")]


def offers(knowledge: Knowledge, section: str) -> list[str]:
    return requests_offered(knowledge.answers, section)


def test_section_11_is_about_rights_and_offers_the_list_of_rights(knowledge: Knowledge) -> None:
    """Section 11 grants "additional rights under the GDPR"; the one it adds, a complaint to a
    supervisory authority, is not a request to the company, so it describes no request type:
    its answer offers the list of rights (which EU users hold, section 6), and nothing else."""
    policy_text = knowledge.policy.section("11", EN)
    assert policy_text is not None and "additional rights" in policy_text.text
    marked = knowledge.intents.rights_section("11")
    assert marked == RightsSection("11")
    assert offers(knowledge, "11") == ["request:menu"]


def test_matcher_and_answers_agree_on_every_section(knowledge: Knowledge) -> None:
    """The defect: two tables of rights sections, which disagreed about section 11."""
    offering = {s for s in knowledge.policy.section_ids() if offers(knowledge, s)}
    assert offering == knowledge.matcher.rights_sections == {"6", "11", "12"}


def test_an_order_worded_like_section_11_is_no_request(knowledge: Knowledge) -> None:
    """Section 11 describes no request type: an order about a complaint stays its answer."""
    u = knowledge.matcher.understand("send a complaint to the authority for me")
    assert (u.kind, u.section) == (ReplyKind.ANSWER, "11")


def test_offers_of_the_shipped_marking(knowledge: Knowledge) -> None:
    assert offers(knowledge, "6") == ["request:menu"]
    assert offers(knowledge, "12") == ["request:opt_out_sale", "request:menu"]
    assert offers(knowledge, "5") == []
    assert knowledge.intents.section_describing(RequestType.ERASURE) == "6"
    assert knowledge.intents.section_describing(RequestType.OPT_OUT_SALE) == "12"


def test_matching_and_answers_read_the_same_marking(knowledge: Knowledge) -> None:
    """Move the description of erasure to section 12: both sides follow the content."""
    question = "could I get my account erased"
    assert knowledge.matcher.understand(question, forced_language=EN).section == "6"
    rights = (
        RightsSection("6", (RequestType.ACCESS,)),
        RightsSection("12", (RequestType.ERASURE,), RequestType.ERASURE),
    )
    intents = replace(knowledge.intents, rights=rights)
    matcher = Matcher(knowledge.policy, intents)
    u = matcher.understand(question, forced_language=EN)
    assert (u.kind, u.section) == (ReplyKind.ANSWER, "12")
    answers = AnswerRenderer(knowledge.policy, intents, knowledge.catalogue, "dpo@example.test")
    assert requests_offered(answers, "12") == ["request:erasure", "request:menu"]
    assert requests_offered(answers, "11") == []


def test_the_marking_is_checked(tmp_path: Path) -> None:
    text = """\
    rights:
      - section: "6"
        describes: [access, erasure]
      - section: "99"
      - section: "12"
        describes: [erasure, teleport]
        offers: erasure
    """
    rights = tmp_path / "rights.yaml"
    rights.write_text(textwrap.dedent(text), encoding="utf-8")
    found = check_intent_files(tmp_path, ("6", "11", "12"))
    assert len(found) == 1 and found[0].startswith(f"{rights}:6: rights.2.describes.1: Input")
    rights.write_text(textwrap.dedent(text).replace(", teleport", ""), encoding="utf-8")
    more = tmp_path / "z_more.yaml"
    more.write_text('rights:\n  - section: "11"\n', encoding="utf-8")
    assert check_intent_files(tmp_path, ("6", "11", "12")) == [
        f"{rights}:4: rights: unknown section '99' (known: 6, 11, 12)",
        f"{rights}:6: rights: 'erasure' is already described by section '6'",
        f"{more}:1: rights are already given in {rights}:1",
    ]


def test_an_order_to_stop_a_practice_is_a_request_and_an_order_to_show_is_not(
    knowledge: Knowledge,
) -> None:
    for text in (
        "stop sharing my email with third parties",
        "arrêtez de partager mes données",
        "unsubscribe me",
        "stop tracking me",
        # an order not to: worded like the practice's section, far from any request example
        "don't share my data with anyone",
        "ne collectez plus mes données",
        "Je ne souhaite plus que vous transmettiez mon adresse mail à des tiers",
    ):
        u = knowledge.matcher.understand(text)
        assert (u.kind, u.request_type) == (ReplyKind.REQUEST, RequestType.OBJECTION), text
    # orders that ask to be shown or told something are answered, not turned into requests
    for text in (
        "show me your cookie policy",
        "give me the list of third parties you share my data with",
        "Expliquez-moi le partage de mes données avec des tiers",
        "email me the privacy policy",
        "update me on any policy changes",
        # stopping something that is no practice on the user's data
        "stop the data breach",
        "stop the cookie popups",
        "arrêtez de changer votre politique",
        "don't you share my data?",  # a question
    ):
        u = knowledge.matcher.understand(text)
        assert u.kind is not ReplyKind.REQUEST, text
