"""The request conversation as a pure state machine: every type, choices, cancel, nonces."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from fakes.rights import shipped_catalogue

from privbot.core import dialogue as dg
from privbot.core import messages as M
from privbot.core.flows import FlowState
from privbot.core.model import Jurisdiction, Language, RequestType
from privbot.core.verification import CheckOutcome

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
EN, FR = Language.EN, Language.FR
OK = CheckOutcome.OK
TEXTS = shipped_catalogue()


def start(t: RequestType, lang: Language = EN, jur: Jurisdiction | None = None) -> dg.Step:
    return dg.step(None, dg.Start(t, lang, jur), NOW, TEXTS)


def press(s: dg.Step, label_or_id: str) -> dg.Step:
    assert s.state is not None
    for o in s.state.options:
        if o.label == label_or_id or o.value.endswith(":" + label_or_id):
            return dg.step(s.state, dg.Choice(o.value), NOW, TEXTS)
    raise AssertionError(f"no option {label_or_id} in {s.state.options}")


def say(s: dg.Step, text: str) -> dg.Step:
    return dg.step(s.state, dg.Text(text), NOW, TEXTS)


def verify(s: dg.Step, email: str = "ann@example.com") -> dg.Step:
    s = say(s, email)
    assert s.effects == (dg.SendCode(email, s.state.language),)  # type: ignore[union-attr]
    s = dg.step(s.state, dg.CodeSent(email), NOW, TEXTS)
    s = say(s, "123456")
    assert s.effects == (dg.CheckCode(email, "123456"),)
    return dg.step(s.state, dg.CodeChecked(CheckOutcome.OK), NOW, TEXTS)


CASES = [
    (RequestType.ACCESS, ["pdf"], {"format": "pdf"}),
    (RequestType.PORTABILITY, ["csv"], {"format": "csv"}),
    (RequestType.RECTIFICATION, ["My name is misspelt", "Ann Smith"],
     {"wrong": "My name is misspelt", "correct": "Ann Smith"}),
    (RequestType.OBJECTION, ["other", "Newsletter profiling"],
     {"processing": "other", "processing_other": "Newsletter profiling"}),
    (RequestType.RESTRICTION, ["legal_claim"], {"ground": "legal_claim"}),
    (RequestType.ERASURE, ["yes"], {"close_account": "yes"}),
    (RequestType.WITHDRAW_CONSENT, ["location"], {"consent": "location"}),
]  # fmt: skip


@pytest.mark.parametrize(("rtype", "answers", "details"), CASES)
def test_each_type_to_submission(rtype: RequestType, answers: list[str], details: dict) -> None:
    s = start(rtype)
    assert "policy section" in s.replies[0].text
    s = press(s, "eu")
    for a in answers:
        s = press(s, a) if s.state and s.state.options and len(s.state.options) > 1 else say(s, a)
    s = verify(s)
    assert s.state is not None and s.state.step == "summary"
    assert "Summary" in s.replies[-1].text
    s = press(s, "confirm")
    (effect,) = s.effects
    assert isinstance(effect, dg.SubmitRequest)
    assert effect.details.as_dict() == details and effect.verified
    assert effect.jurisdiction is Jurisdiction.EU and effect.email == "ann@example.com"
    s = dg.step(s.state, dg.Submitted("DSR-2026-000007", date(2026, 3, 12)), NOW, TEXTS)
    assert s.state is None
    assert "DSR-2026-000007" in s.replies[0].text and "March 12, 2026" in s.replies[0].text


def test_opt_out_of_sale_quotes_policy_and_skips_verification() -> None:
    s = start(RequestType.OPT_OUT_SALE, FR)
    assert "nous ne vendons pas d'informations personnelles" in s.replies[0].text
    s = press(s, "california")
    assert s.state is not None and s.state.step == "summary"
    assert "CCPA §7026" in s.replies[-1].text
    s = press(s, "confirm")
    (effect,) = s.effects
    assert isinstance(effect, dg.SubmitRequest) and not effect.verified and effect.email is None
    s = dg.step(s.state, dg.Submitted("DSR-2026-000001", date(2026, 3, 12)), NOW, TEXTS)
    assert "12 mars 2026" in s.replies[0].text


def test_known_jurisdiction_is_not_asked() -> None:
    s = start(RequestType.ACCESS, EN, Jurisdiction.UK)
    assert s.state is not None and s.state.step == "field:format"


@pytest.mark.parametrize("text", ["2", "United Kingdom", "united kingdon", "kingdom"])
def test_choice_by_number_label_or_fuzzy(text: str) -> None:
    s = say(start(RequestType.ACCESS), text)
    assert s.state is not None and s.state.jurisdiction is Jurisdiction.UK


@pytest.mark.parametrize(
    ("request_type", "lang", "typed", "field", "value"),
    [
        (RequestType.ACCESS, EN, "pdf please", "format", "pdf"),
        (RequestType.ACCESS, FR, "en json svp", "format", "json"),
        (RequestType.PORTABILITY, EN, "as a csv file", "format", "csv"),
        (RequestType.OBJECTION, EN, "the marketing one", "processing", "marketing"),
        (RequestType.WITHDRAW_CONSENT, FR, "les cookies", "consent", "analytics_cookies"),
        (RequestType.RESTRICTION, EN, "it's unlawful", "ground", "unlawful"),
    ],
)
def test_a_word_naming_one_option_answers_a_choice(
    request_type: RequestType, lang: Language, typed: str, field: str, value: str
) -> None:
    """A typed answer that names one option in a few words, not its whole label, is that
    option (it was "please pick one of these options")."""
    s = say(start(request_type, lang, Jurisdiction.EU), typed)
    assert s.state is not None and s.state.details.get(field) == value, s.replies


@pytest.mark.parametrize("typed", ["not the pdf", "pdf or json?", "pdf and json", "is pdf ok?"])
def test_a_word_naming_an_option_under_a_negation_or_a_question_is_not_an_answer(
    typed: str,
) -> None:
    s = say(start(RequestType.ACCESS, EN, Jurisdiction.EU), typed)
    assert s.state is not None and s.state.details.get("format") is None


@pytest.mark.parametrize(
    ("request_type", "lang", "typed", "field"),
    [
        (RequestType.RESTRICTION, EN, "my data is being processed illegally", "ground"),
        (RequestType.ACCESS, FR, "pour lire sur mon téléphone", "format"),
        (RequestType.ACCESS, FR, "un fichier pour l'imprimer", "format"),
    ],
)
def test_a_function_word_of_a_label_names_no_option(
    request_type: RequestType, lang: Language, typed: str, field: str
) -> None:
    """'being' (« My objection is being considered ») or « pour » (« JSON (pour machine) »)
    is in one label only, yet names nothing: the options are asked again."""
    s = say(start(request_type, lang, Jurisdiction.EU), typed)
    assert s.state is not None and s.state.details.get(field) is None, s.state.details


def test_free_text_at_a_choice_repeats_the_options() -> None:
    s0 = start(RequestType.ACCESS)
    s = say(s0, "blue")
    assert s.state is not None and s.state.step == "jurisdiction"
    assert "pick one" in s.replies[0].text and len(s.replies[-1].options) == 7
    # A question is offered to the matcher first; not answered, the options again.
    s = say(s0, "what is a jurisdiction?")
    assert s.effects == (dg.AskMatcher("what is a jurisdiction?", EN),)
    s = dg.step(s.state, dg.Answered("what is a jurisdiction?", False), NOW, TEXTS)
    assert s.state is not None and s.state.step == "jurisdiction"
    assert "pick one" in s.replies[0].text and len(s.replies[-1].options) == 7


def test_stale_or_forged_button_changes_nothing() -> None:
    s0 = start(RequestType.ACCESS)
    s1 = press(s0, "eu")
    old_value = s0.state.options[0].value  # type: ignore[union-attr]
    s = dg.step(s1.state, dg.Choice(old_value), NOW, TEXTS)
    assert s.state == s1.state and "expired" in s.replies[0].text
    assert s.replies[0].expired and not s1.replies[-1].expired  # not to be shown as chosen
    s = dg.step(s1.state, dg.Choice("flow:deadbeef:pdf"), NOW, TEXTS)
    assert s.state == s1.state and not s.effects


@pytest.mark.parametrize("steps", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("how", ["/cancel", "annuler", "Stop", "button"])
def test_cancel_at_each_step(steps: int, how: str) -> None:
    s = start(RequestType.ERASURE)
    actions = [lambda x: press(x, "eu"), lambda x: press(x, "yes"),
               lambda x: say(x, "ann@example.com"),
               lambda x: dg.step(x.state, dg.CodeSent("ann@example.com"), NOW, TEXTS),
               lambda x: dg.step(say(x, "123456").state, dg.CodeChecked(OK), NOW,
                                 TEXTS)]  # fmt: skip
    for act in actions[:steps]:
        s = act(s)
    s = press(s, "cancel") if how == "button" else say(s, how)
    assert s.state is None and dg.DiscardFlow() in s.effects
    text = s.replies[0].text
    assert "cancelled" in text
    if steps >= 4:  # the address is the flow's once its code went (CodeSent)
        assert "e-mail address" in text


def test_erasure_declined_ends_without_request() -> None:
    s = press(press(start(RequestType.ERASURE), "eu"), "no")
    assert s.state is None and not any(isinstance(e, dg.SubmitRequest) for e in s.effects)


@pytest.mark.parametrize(
    ("lang", "answer"),
    [
        (EN, "No"),
        (EN, "nope"),
        (EN, "no delete but not close my account"),  # fuzzily close to the yes label
        (EN, "don't close my account"),
        (EN, "No, keep everything"),
        (EN, "2"),
        (FR, "non"),
        (FR, "supprimer sans fermer le compte"),  # was taken for "yes": erasure went on
        (FR, "Non, tout garder"),
    ],
)
def test_no_at_the_account_closure_question_stops_the_erasure(lang: Language, answer: str) -> None:
    s = say(press(start(RequestType.ERASURE, lang), "eu"), answer)
    assert s.state is None and dg.DiscardFlow() in s.effects
    assert not any(isinstance(e, dg.SubmitRequest) for e in s.effects)
    assert s.replies[0].text == TEXTS.text(lang, M.ERASURE_DECLINED)


@pytest.mark.parametrize(
    ("lang", "answer"), [(EN, "delete"), (EN, "close my account"), (FR, "fermer")]
)
def test_a_vague_answer_at_the_account_closure_question_is_asked_again(
    lang: Language, answer: str
) -> None:
    s = say(press(start(RequestType.ERASURE, lang), "eu"), answer)
    assert s.state is not None and s.state.step == "field:close_account" and not s.effects


@pytest.mark.parametrize(
    ("lang", "answer"),
    [(EN, "yes"), (EN, "1"), (FR, "oui"), (EN, "Yes, erase my data and close my account")],
)
def test_a_plain_yes_goes_on(lang: Language, answer: str) -> None:
    s = say(press(start(RequestType.ERASURE, lang), "eu"), answer)
    assert s.state is not None and s.state.step == "email"
    assert s.state.details.get("close_account") == "yes"


def test_the_account_closure_buttons_say_what_they_do() -> None:
    for lang, labels in [
        (EN, ["Yes, erase my data and close my account", "No, keep everything", "Cancel"]),
        (FR, ["Oui, effacer mes données et fermer mon compte", "Non, tout garder", "Annuler"]),
    ]:
        s = press(start(RequestType.ERASURE, lang), "eu")
        assert [o.label for o in s.replies[-1].options] == labels


def test_invalid_email_is_asked_again() -> None:
    s = press(press(start(RequestType.ACCESS), "eu"), "json")
    s = say(s, "not-an-address")
    assert s.state is not None and s.state.step == "email" and not s.effects
    assert "does not look like" in s.replies[0].text


def test_wrong_code_then_resend_with_cooldown() -> None:
    s = say(press(press(start(RequestType.ACCESS), "eu"), "json"), "ann@example.com")
    s = dg.step(s.state, dg.CodeSent("ann@example.com"), NOW, TEXTS)
    s = dg.step(say(s, "000000").state, dg.CodeChecked(CheckOutcome.WRONG, 4), NOW, TEXTS)
    assert "4 attempt" in s.replies[0].text and s.state and s.state.step == "code"
    s = press(s, "resend")
    assert s.effects == (dg.SendCode("ann@example.com", EN),)
    s = dg.step(s.state, dg.CodeSent(wait_seconds=42), NOW, TEXTS)
    assert "42 s" in s.replies[0].text
    s = dg.step(say(s, "111111").state, dg.CodeChecked(CheckOutcome.EXPIRED), NOW, TEXTS)
    assert "expired" in s.replies[0].text


def test_the_same_address_typed_again_at_the_code_step_asks_for_the_code_again() -> None:
    """Also what the replay of the address's message finds (its instance stopped after the
    step was stored): a new code unless the one stored was mailed, never "not a code"."""
    s = say(press(press(start(RequestType.ACCESS), "eu"), "json"), "ann@example.com")
    s = dg.step(s.state, dg.CodeSent("ann@example.com"), NOW, TEXTS)
    for typed in ("ann@example.com", " Ann@Example.com", "my address is ann@example.com"):
        again = say(s, typed)
        assert again.effects == (dg.SendCode("ann@example.com", EN, again=True),), typed
    fixed = say(s, "wrong email, it is ann@example.com")  # the same one, as a correction
    assert fixed.effects == (dg.SendCode("ann@example.com", EN, again=True),)
    other = say(s, "wrong email, it is bob@example.com")
    assert other.effects == (dg.SendCode("bob@example.com", EN),)
    s = dg.step(s.state, dg.CodeSent("ann@example.com", already=True), NOW, TEXTS)
    assert s.state is not None and s.state.step == "code"
    assert "already sent to this address" in s.replies[0].text
    assert "resend" in [o.value.rsplit(":", 1)[-1] for o in s.state.options]


@pytest.mark.parametrize("step", ["email", "code", "summary"])
def test_an_address_typed_during_the_resend_wait_is_held_for_the_resend(step: str) -> None:
    """A send the resend wait refuses holds the new address for the next resend, not typed
    again; the flow's address stays the one the stored code went to: never 'already sent'
    for the held one, and a code typed meanwhile is checked for the address it went to."""
    s = press(press(start(RequestType.ACCESS), "eu"), "json")
    if step != "email":
        s = say(s, "ann@example.com")
        s = dg.step(s.state, dg.CodeSent("ann@example.com"), NOW, TEXTS)
    if step == "summary":
        s = dg.step(say(s, "123456").state, dg.CodeChecked(OK), NOW, TEXTS)
    before = s.state
    assert before is not None
    typed = "bob@example.com" if step == "email" else "wrong email, it is bob@example.com"
    s = say(s, typed)
    assert s.effects == (dg.SendCode("bob@example.com", EN),)
    s = dg.step(s.state, dg.CodeSent(wait_seconds=30, held="bob@example.com"), NOW, TEXTS)
    assert s.state is not None
    assert (s.state.step, s.state.email, s.state.held, s.state.verified) == (
        "code", before.email, "bob@example.com", before.verified)  # fmt: skip
    assert "wait 30 s" in s.replies[0].text and "No code has gone" in s.replies[-1].text
    for again in ("bob@example.com", "wrong email, it is bob@example.com"):
        assert say(s, again).effects == (dg.SendCode("bob@example.com", EN),), again
    assert press(s, "resend").effects == (dg.SendCode("bob@example.com", EN),)
    assert dg.FlowState.from_json(s.state.to_json()) == s.state
    if before.email is not None:  # a code typed meanwhile: for the address it went to
        assert say(s, "123456").effects == (dg.CheckCode(before.email, "123456"),)
    s = dg.step(say(s, "bob@example.com").state, dg.CodeSent("bob@example.com"), NOW, TEXTS)
    assert s.state is not None and (s.state.step, s.state.email) == ("code", "bob@example.com")
    assert s.state.held is None and not s.state.verified and "sent" in s.replies[0].text
    assert say(s, "123456").effects == (dg.CheckCode("bob@example.com", "123456"),)


def test_back_to_the_address_the_code_went_to_after_a_held_one() -> None:
    """A typo typed during the wait, then the right address again: its code still works
    ('already sent'), and so does the code itself, typed at once."""
    s = say(press(press(start(RequestType.ACCESS), "eu"), "json"), "ann@example.com")
    s = dg.step(s.state, dg.CodeSent("ann@example.com"), NOW, TEXTS)
    s = say(s, "wrong email, it is bob@exmple.com")
    s = dg.step(s.state, dg.CodeSent(wait_seconds=50, held="bob@exmple.com"), NOW, TEXTS)
    assert s.state is not None and s.state.held == "bob@exmple.com"
    back = say(s, "ann@example.com")
    assert back.effects == (dg.SendCode("ann@example.com", EN, again=True),)
    done = dg.step(back.state, dg.CodeSent("ann@example.com", already=True), NOW, TEXTS)
    assert done.state is not None and done.state.held is None
    assert "already sent to this address" in done.replies[0].text
    refused = dg.step(back.state, dg.CodeSent(wait_seconds=40, held="ann@example.com"), NOW, TEXTS)
    assert refused.state is not None and refused.state.held is None
    assert "Type the 6-digit code" in refused.replies[-1].text
    checked = dg.step(say(s, "123456").state, dg.CodeChecked(OK), NOW, TEXTS)
    assert checked.state is not None and checked.state.verified and checked.state.held is None
    assert checked.state.email == "ann@example.com" and checked.state.step == "summary"


def test_a_send_refused_otherwise_leaves_the_flow_as_it_was() -> None:
    s = say(press(press(start(RequestType.ACCESS), "eu"), "json"), "ann@example.com")
    s = dg.step(s.state, dg.CodeSent("ann@example.com"), NOW, TEXTS)
    before = s.state
    s = dg.step(say(s, "wrong email, it is bob@example.com").state,
                dg.CodeSent(retry_at=NOW), NOW, TEXTS)  # fmt: skip
    assert s.state is not None and before is not None
    assert (s.state.step, s.state.email, s.state.held) == ("code", before.email, None)
    assert "Resend" in s.state.options[0].label


def test_edit_from_summary_returns_to_summary() -> None:
    s = verify(press(press(start(RequestType.PORTABILITY), "eu"), "json"))
    s = press(press(s, "edit"), "field:format")
    assert s.state is not None and s.state.step == "field:format"
    s = press(s, "csv")
    assert s.state is not None and s.state.step == "summary" and s.state.verified
    s = press(press(s, "edit"), "email")
    assert s.state is not None and s.state.step == "email" and not s.state.verified


@pytest.mark.parametrize(("text", "word"), [("", "empty"), ("x" * 2001, "too long")])
def test_empty_or_long_message(text: str, word: str) -> None:
    s0 = start(RequestType.RECTIFICATION, EN, Jurisdiction.EU)
    s = say(s0, text)
    assert word in s.replies[0].text and s.state is not None and s.state.step == "field:wrong"
    assert dg.length_problem("x" * 2000, EN, TEXTS) is None


def test_state_round_trips_through_json() -> None:
    s = say(press(start(RequestType.OBJECTION, FR), "quebec"), "Autre")
    assert s.state is not None
    data = json.loads(json.dumps(s.state.to_json()))
    assert FlowState.from_json(data) == s.state


@pytest.mark.parametrize(
    "typed",
    [
        "ann\x00@example.com",
        "ann\x07@example.com",
        "ann\u202e@example.com",
        "an\u200bn@example.com",
        "a" * 240 + "@example.com",
        ".ann@example.com",
        "ann..lee@example.com",
        "ann.@example.com",
        "ann@example",
        "ann@exa_mple.com",
    ],
)
@pytest.mark.parametrize(("lang", "words"), [(EN, "e-mail address"), (FR, "adresse e-mail")])
def test_unsafe_or_malformed_email_never_reaches_the_mailer(
    typed: str, lang: Language, words: str
) -> None:
    s = say(press(press(start(RequestType.ACCESS, lang), "eu"), "json"), typed)
    assert s.state is not None and s.state.step == "email" and s.state.email is None
    assert not s.effects  # no SendCode: nothing is passed to the mail server
    assert words in s.replies[0].text


def test_valid_email_is_sent_normalised() -> None:
    s = say(press(press(start(RequestType.ACCESS), "eu"), "json"), "  Ann.Lee+x@Example.COM ")
    assert s.effects == (dg.SendCode("Ann.Lee+x@example.com", EN),)


@pytest.mark.parametrize(
    ("lang", "answers", "said"),
    [
        (EN, [], "nope"),
        (FR, [], "non merci"),
        (EN, ["eu"], "no thanks"),  # the format
        (FR, ["eu", "pdf"], "non"),  # the e-mail address
    ],
)
def test_a_no_where_the_question_is_not_yes_or_no_says_how_to_stop(
    lang: Language, answers: list[str], said: str
) -> None:
    """ "No thanks" to "where do you live?", to the format or to the e-mail address: nothing
    is taken, and the reply says nothing was sent and how to drop the request (it was "pick
    one of these options", or "not a valid address")."""
    s = start(RequestType.ACCESS, lang)
    for a in answers:
        s = press(s, a)
    step = s.state.step  # type: ignore[union-attr]
    s = say(s, said)
    assert s.state is not None and s.state.step == step
    assert s.replies[0].text.startswith(
        {EN: "Nothing has been sent.", FR: "Rien n'a été envoyé."}[lang]
    )
    assert "/cancel" in s.replies[0].text and s.replies[-1].options


def test_a_row_that_marked_its_address_as_sent_no_code_reads_as_held() -> None:
    """2b3c5dc wrote an address typed during the wait as the flow's with `code_sent: false`:
    read back, it is held, so no code is checked for it and no 'already sent' answers it."""
    s = say(press(press(start(RequestType.ACCESS), "eu"), "json"), "ann@example.com")
    s = dg.step(s.state, dg.CodeSent("ann@example.com"), NOW, TEXTS)
    assert s.state is not None
    row = {**s.state.to_json(), "email": "bob@example.com", "code_sent": False}
    row.pop("held")
    state = dg.FlowState.from_json(row)
    assert (state.email, state.held) == (None, "bob@example.com")
