"""Typed replies inside a request flow (core.replies, read by core.dialogue): places, yes and
no, an address inside a sentence, corrections, a question asked mid-flow; never a dead end."""

from __future__ import annotations

import pytest
from test_request_dialogue import EN, FR, NOW, TEXTS, press, say, start, verify

from privbot.core import dialogue as dg
from privbot.core import replies as rp
from privbot.core.model import Jurisdiction, Language, Reply, RequestType

EU, UK, CAL, QC, CH, OTHER = (
    Jurisdiction.EU,
    Jurisdiction.UK,
    Jurisdiction.CALIFORNIA,
    Jurisdiction.QUEBEC,
    Jurisdiction.SWITZERLAND,
    Jurisdiction.OTHER,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("france", EU), ("France", EU), ("UE", EU), ("Belgique", EU), ("europe", EU),
        ("I live in Germany", EU), ("j'habite en Allemagne", EU), ("España", EU),
        ("Pays-Bas", EU), ("belgiqe", EU), ("Norvège", EU), ("Iceland", EU), ("DE", EU),
        ("Irlande", EU), ("Northern Ireland", UK), ("U.K.", UK), ("Angleterre", UK),
        ("Royaume Uni", UK), ("londres", UK), ("Californie", CAL), ("los angeles", CAL),
        ("au Québec", QC), ("quebec", QC), ("Montréal", QC), ("Texas", OTHER),
        ("Ontario", OTHER), ("colombie-britannique", OTHER), ("Japon", OTHER),
        ("New York", OTHER), ("suisse", CH), ("Genève", CH), ("Zurich", CH),
    ],
)  # fmt: skip
def test_place_names_map_to_one_jurisdiction(text: str, expected: Jurisdiction) -> None:
    assert rp.place(text).jurisdiction is expected


@pytest.mark.parametrize("text", ["CA", "USA", "the US", "États-Unis", "Canada", "ca"])
def test_a_place_spanning_laws_is_ambiguous(text: str) -> None:
    assert rp.place(text).ambiguous


@pytest.mark.parametrize("text", ["no", "j'ai eu un problème", "it", "on verra", "hello"])
def test_words_that_only_look_like_codes_are_no_place(text: str) -> None:
    assert not rp.place(text).found


@pytest.mark.parametrize(
    "text",
    ["yes", "Yes!", "yep", "yeah sure", "ok", "okay", "oui", "Oui, effacer", "ouais",
     "d'accord", "dac", "yesss", "ouiii", "yse", "oiu", "c'est bon", "vas-y", "yes please"],
)  # fmt: skip
def test_yes(text: str) -> None:
    assert rp.yes_no(text) is rp.Answer.YES


@pytest.mark.parametrize(
    "text", ["no", "No.", "nope", "nah", "non", "non merci", "nan", "nooon", "no thanks",
             "pas du tout", "surtout pas"],
)  # fmt: skip
def test_no(text: str) -> None:
    assert rp.yes_no(text) is rp.Answer.NO


@pytest.mark.parametrize(
    "text", ["oui... enfin non", "yes but why do you need it", "what?", "nobody", "noted"]
)
def test_neither_yes_nor_no(text: str) -> None:
    assert rp.yes_no(text) is None


def test_email_inside_a_sentence_and_two_addresses() -> None:
    assert rp.find_email("my email is Ann@Example.com.") == "Ann@Example.com"
    assert rp.find_email("c'est jean.dupont@exemple.fr merci") == "jean.dupont@exemple.fr"
    assert rp.find_email("a@b.fr or c@d.fr") is None
    assert rp.find_email("no address") is None


@pytest.mark.parametrize(
    ("text", "target"),
    [("wait, wrong email", rp.Target.EMAIL), ("je veux changer d'adresse", rp.Target.EMAIL),
     ("je me suis trompé", rp.Target.EMAIL), ("oops I made a typo", rp.Target.EMAIL),
     ("wrong country", rp.Target.JURISDICTION), ("changer de pays", rp.Target.JURISDICTION),
     ("yes", None), ("what is the deadline", None)],
)  # fmt: skip
def test_corrections(text: str, target: rp.Target | None) -> None:
    assert rp.correction(text) is target


@pytest.mark.parametrize(
    ("text", "lang"),
    [("in English please", Language.EN), ("en français", Language.FR),
     ("english?", Language.EN), ("can you speak french", Language.FR),
     ("anglais svp", Language.EN), ("is my data sent to English companies?", None),
     ("je parle français mais j'ai une question", None)],
)  # fmt: skip
def test_language_switch_in_words(text: str, lang: Language | None) -> None:
    assert rp.language_switch(text) is lang


# --- in the flow -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "jur"),
    [("france", EU), ("UE", EU), ("Belgique", EU), ("europe", EU), ("england", UK), ("Québec", QC)],
)
def test_typed_country_answers_the_jurisdiction(text: str, jur: Jurisdiction) -> None:
    s = say(start(RequestType.ACCESS, FR), text)
    assert s.state is not None and s.state.jurisdiction is jur
    assert s.state.step == "field:format"


def test_ambiguous_country_asks_which_one() -> None:
    s = say(start(RequestType.ACCESS), "USA")
    assert s.state is not None and s.state.step == "jurisdiction"
    assert "California has its own law" in s.replies[0].text
    assert len(s.replies[-1].options) == 7


@pytest.mark.parametrize(
    ("text", "step"), [("yes", "email"), ("oui", "email"), ("ouais", "email"), ("yep", "email")]
)
def test_typed_yes_at_close_account(text: str, step: str) -> None:
    s = say(press(start(RequestType.ERASURE), "eu"), text)
    assert s.state is not None and s.state.step == step


def test_typed_no_at_close_account_ends_without_request() -> None:
    s = say(press(start(RequestType.ERASURE, FR), "eu"), "non")
    assert s.state is None and s.effects == (dg.DiscardFlow(),)


def test_something_else_at_close_account_asks_yes_or_no() -> None:
    s = say(press(start(RequestType.ERASURE), "eu"), "maybe later")
    assert s.state is not None and s.state.step == "field:close_account"
    assert "yes or no" in s.replies[0].text


def test_typed_yes_at_the_summary_submits_and_no_edits() -> None:
    s = verify(press(press(start(RequestType.ACCESS, FR), "eu"), "pdf"))
    assert s.state is not None and s.state.step == "summary"
    confirmed = say(s, "oui")
    assert confirmed.state is not None and confirmed.state.step == "submitting"
    assert isinstance(confirmed.effects[0], dg.SubmitRequest)
    edit = say(s, "non")
    assert edit.state is not None and edit.state.step == "edit"


def test_email_in_a_sentence_sends_the_code() -> None:
    s = press(press(start(RequestType.ACCESS), "eu"), "pdf")
    s = say(s, "sure, my email is ann@example.com thanks")
    assert s.effects == (dg.SendCode("ann@example.com", EN),)


def test_wrong_email_at_the_code_step_goes_back_to_the_email() -> None:
    s = press(press(start(RequestType.ACCESS), "eu"), "pdf")
    s = say(s, "ann@exmaple.com")
    s = dg.step(s.state, dg.CodeSent("ann@exmaple.com"), NOW, TEXTS)
    back = say(s, "wait, wrong email")
    assert back.state is not None and back.state.step == "email" and not back.state.verified
    assert back.state.email == "ann@exmaple.com"  # where its code went, should it come back
    assert "fix that" in back.replies[0].text
    # Typed back, that address gets its code again, or "already sent" (never "none went").
    assert say(back, "ann@exmaple.com").effects == (dg.SendCode("ann@exmaple.com", EN, again=True),)
    # A new address typed at the code step is used at once.
    again = say(s, "sorry it is ann@example.com")
    assert again.effects == (dg.SendCode("ann@example.com", EN),)
    # And a button to change it.
    assert any(o.value.endswith(":change_email") for o in s.state.options)  # type: ignore[union-attr]
    changed = press(s, "change_email")
    assert changed.state is not None and changed.state.step == "email"


def test_changer_d_adresse_at_the_summary() -> None:
    s = verify(press(press(start(RequestType.ACCESS, FR), "eu"), "pdf"))
    back = say(s, "je veux changer d'adresse")
    assert back.state is not None and back.state.step == "email" and not back.state.verified


def test_not_a_code_at_the_code_step_says_what_to_do() -> None:
    s = press(press(start(RequestType.ACCESS), "eu"), "pdf")
    s = dg.step(say(s, "ann@example.com").state, dg.CodeSent("ann@example.com"), NOW, TEXTS)
    s = say(s, "hmm")
    assert s.state is not None and s.state.step == "code"
    assert "not a code" in s.replies[0].text and "resend" in s.replies[-1].options[0].value


def test_resend_in_words() -> None:
    s = press(press(start(RequestType.ACCESS, FR), "eu"), "pdf")
    s = dg.step(say(s, "ann@example.com").state, dg.CodeSent("ann@example.com"), NOW, TEXTS)
    assert say(s, "je n'ai rien reçu").effects == (dg.SendCode("ann@example.com", FR),)


def test_question_mid_flow_is_answered_then_the_prompt_again() -> None:
    s = press(press(start(RequestType.ACCESS), "eu"), "pdf")
    asked = say(s, "why do you need my email?")
    assert asked.effects == (dg.AskMatcher("why do you need my email?", EN),)
    answer = (Reply("Section 6. ..."),)
    s2 = dg.step(asked.state, dg.Answered("why do you need my email?", True, answer), NOW, TEXTS)
    assert s2.replies[0] == answer[0]
    assert "Back to your request" in s2.replies[1].text
    assert s2.state is not None and s2.state.step == "email"
    assert "e-mail address" in s2.replies[-1].text


def test_free_text_step_keeps_a_non_question_as_the_answer() -> None:
    s = press(start(RequestType.RECTIFICATION), "eu")
    s = say(s, "my email address is wrong")
    assert s.state is not None and s.state.details.get("wrong") == "my email address is wrong"
    s = say(s, "what do you mean?")
    assert s.effects == (dg.AskMatcher("what do you mean?", EN),)
    s = dg.step(s.state, dg.Answered("what do you mean?", False), NOW, TEXTS)
    assert s.state is not None and s.state.details.get("correct") == "what do you mean?"
