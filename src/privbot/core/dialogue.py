"""The rights-request conversation as a pure state machine.

    step(state | None, event, now, texts) -> Step(state | None, replies, effects)

Events are what happened (the user typed, pressed a button; a service reports the outcome of
an effect); effects are what the service must do (send a code, check one, store the request)
and it feeds their outcome back as the next event. What it says comes from `texts`, the
message catalogue. No I/O, no clock, no randomness here.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime

from privbot.core import choices as ch
from privbot.core import messages as M
from privbot.core import replies as rp
from privbot.core.catalogue import Catalogue
from privbot.core.flows import (
    FIELDS,
    JURISDICTIONS,
    MAX_TEXT_FIELD,
    NEEDS_VERIFICATION,
    FlowState,
    field_of,
    next_step,
)
from privbot.core.lexicon import STOP_WORDS
from privbot.core.model import Jurisdiction, Language, Option, Reply, RequestType
from privbot.core.requests import Details
from privbot.core.text import normalise
from privbot.core.verification import (
    CODE_DIGITS,
    VALIDITY_MINUTES,
    CheckOutcome,
    looks_like_code,
)

MAX_MESSAGE = 2000
CANCEL_WORDS = frozenset({"/cancel", "cancel", "annuler", "stop", "abandon", "abandonner"})
_EMAIL = re.compile(r"^[^@\s<>,;:\"()\[\]]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


# --- events -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Start:
    request_type: RequestType
    language: Language
    jurisdiction: Jurisdiction | None = None  # the user's saved one, if any


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Choice:
    value: str  # a button's value, as offered in `FlowState.options`


@dataclass(frozen=True, slots=True)
class Cancel:
    """The user cancelled the flow (`/cancel`; typed words like "annuler" arrive as Text)."""


@dataclass(frozen=True, slots=True)
class Reprompt:
    """Ask the current question again, after `notice` if any: the user asked for help, typed
    an unknown command or sent something that is not text (none of these is an answer)."""

    notice: M.Key | None = None


@dataclass(frozen=True, slots=True)
class CodeSent:
    """What came of a SendCode. `email`: the address the code went to (or is going to), which
    becomes the flow's; None when the limits refused the send, and the flow's address stays
    the one its stored code was issued for. Refused by the resend wait, the address asked for
    (`held`) waits beside it for the next resend rather than being typed again."""

    email: str | None = None
    wait_seconds: int = 0  # > 0: refused, the resend cooldown is still running
    held: str | None = None  # refused by that wait: the address the code was asked for
    failed: bool = False  # the mail could not be delivered
    already: bool = False  # none sent: the one stored was mailed (SendCode.again)
    retry_at: datetime | None = None  # refused by a limit until then (service time zone)


@dataclass(frozen=True, slots=True)
class CodeChecked:
    outcome: CheckOutcome
    attempts_left: int = 0
    retry_at: datetime | None = None  # LOCKED: no code is checked until then


@dataclass(frozen=True, slots=True)
class Submitted:
    reference: str
    due: date
    duplicate: bool = False
    at_once: bool = False  # a withdrawal or an objection to direct marketing: in effect now


@dataclass(frozen=True, slots=True)
class Answered:
    """The outcome of AskMatcher: the answer's replies when the text was understood as a
    question about the policy (`answered`), else nothing."""

    text: str
    answered: bool
    replies: tuple[Reply, ...] = ()


Event = Start | Text | Choice | Cancel | Reprompt | CodeSent | CodeChecked | Submitted | Answered


# --- effects ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SendCode:
    """Issue a new code for `email` (replacing any previous one) and mail it; reply CodeSent.
    `again`: the address was typed again at the code step, "send me the code": a new one
    unless the one stored for it was mailed and still works."""

    email: str
    language: Language
    again: bool = False


@dataclass(frozen=True, slots=True)
class CheckCode:
    """Check the code the user typed for `email`; reply CodeChecked."""

    email: str
    entered: str


@dataclass(frozen=True, slots=True)
class SubmitRequest:
    """Store the request (or find the open duplicate); reply Submitted."""

    request_type: RequestType
    jurisdiction: Jurisdiction
    details: Details
    email: str | None
    language: Language
    verified: bool


@dataclass(frozen=True, slots=True)
class DiscardFlow:
    """The flow ended without a request: forget its codes."""


@dataclass(frozen=True, slots=True)
class AskMatcher:
    """A question typed in the middle of the flow: answer it if it is one; reply Answered."""

    text: str
    language: Language


Effect = SendCode | CheckCode | SubmitRequest | DiscardFlow | AskMatcher


@dataclass(frozen=True, slots=True)
class Step:
    state: FlowState | None
    replies: tuple[Reply, ...] = ()
    effects: tuple[Effect, ...] = ()


# --- helpers ------------------------------------------------------------------------------
def length_problem(text: str, language: Language, texts: Catalogue) -> str | None:
    """The answer to an empty or over-long message, else None."""
    if not text.strip():
        return texts.text(language, M.EMPTY)
    if len(text) > MAX_MESSAGE:
        return texts.text(language, M.TOO_LONG, length=len(text), limit=MAX_MESSAGE)
    return None


def is_cancel(text: str) -> bool:
    return normalise(text) in {normalise(w) for w in CANCEL_WORDS} or text.strip() == "/cancel"


def checked_email(text: str) -> tuple[str | None, M.Key]:
    """(the address, normalised, BAD_EMAIL) or (None, the message explaining why not).

    `email-validator` in strict mode, syntax only (no DNS here): no control, bidi or
    zero-width characters, at most 64 characters before the @, no leading, trailing or
    double dots; and a dotted domain. Nothing rejected is ever handed to the mailer.
    """
    value = text.strip()
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
        return None, M.BAD_EMAIL_CHARS
    if len(value) > 254 or not _EMAIL.match(value):
        return None, M.BAD_EMAIL
    from email_validator import EmailNotValidError, validate_email  # loads at the first address

    try:
        checked = validate_email(value, check_deliverability=False, strict=True)
    except EmailNotValidError:
        return None, M.BAD_EMAIL
    return checked.normalized, M.BAD_EMAIL


def option_number(text: str, options: tuple[Option, ...]) -> Option | None:
    """The option numbered `text` ("1".."n", written plainly): "000001" or "01" is a code
    someone typed, never option 1."""
    raw = text.strip()
    if raw.isascii() and raw.isdigit() and not raw.startswith("0") and int(raw) <= len(options):
        return options[int(raw) - 1]
    return None


def resolve_option(text: str, options: tuple[Option, ...], numbers: bool = True) -> Option | None:
    """The option meant by `text`: its number, its label, or a close/unique partial match."""
    raw = text.strip()
    if numbers and (numbered := option_number(raw, options)) is not None:
        return numbered
    said = normalise(raw)
    if not said:
        return None
    labels = [normalise(o.label) for o in options]
    ids = [_option_id(o.value).replace("_", " ") for o in options]
    for i, (lab, oid) in enumerate(zip(labels, ids, strict=True)):
        if said in (lab, oid):
            return options[i]
    if not numbers:  # free-text steps: only an exact label counts as a button
        return None
    partial = [i for i, lab in enumerate(labels) if len(said) >= 3 and said in lab.split(" ")]
    partial = partial or [i for i, lab in enumerate(labels) if len(said) >= 4 and said in lab]
    if len(partial) == 1:
        return options[partial[0]]
    close = difflib.get_close_matches(said, labels, n=2, cutoff=0.75)
    if len(close) == 1 or (close and close[0] != close[-1]):
        return options[labels.index(close[0])]
    return None


def named_option(text: str, options: tuple[Option, ...]) -> Option | None:
    """The one option a word of `text` names alone ("pdf please", « les cookies », "it's
    unlawful"): a word of its label or id (four letters or more, or the id itself) that no
    other option's has. None for a question, a negation ("not the pdf") or words naming
    several options."""
    said = set(normalise(text).split())
    if said & _NEGATIONS or rp.looks_like_question(text):
        return None
    names = [_names(o) for o in options]
    hits = [
        i
        for i, own in enumerate(names)
        if said & own.difference(*(other for j, other in enumerate(names) if j != i))
    ]
    return options[hits[0]] if len(hits) == 1 else None


def _names(option: Option) -> set[str]:
    oid = _option_id(option.value)
    words = f"{normalise(option.label)} {oid.replace('_', ' ')}".split()
    # A function word ('being', « pour », « plus ») names nothing, though no other label has it.
    return {w for w in words if (len(w) >= 4 and w not in STOP_WORDS) or w == oid}


# Words that make an answer to a yes/no question a "no" (accent-folded, as `normalise` gives).
_NEGATIONS = frozenset(
    "no non not nope nah don dont never without keep pas ne sans jamais garder gardez".split()
)
_YES_WORDS = frozenset({"yes", "oui", "y", "o", "yep", "yeah", "ok", "okay", "accord"})


def _is_yes_no(state: FlowState) -> bool:
    f = field_of(state.request_type, state.step[6:]) if state.step.startswith("field:") else None
    return f is not None and f.options == ("yes", "no")


def resolve_yes_no(text: str, options: tuple[Option, ...]) -> Option | None:
    """The answer to a yes/no question whose "yes" has consequences (erasure closes the
    account): any negation means "no", and "yes" needs a plain yes (its number, its label or a
    yes word), never a fuzzy match, so "delete without closing the account" cannot mean
    "delete and close"."""
    by_id = {_option_id(o.value): o for o in options}
    said = normalise(text)
    if text.strip().isdigit():
        return resolve_option(text, options)
    if set(said.split()) & _NEGATIONS:
        return by_id.get("no")
    if said in _YES_WORDS:
        return by_id.get("yes")
    picked = resolve_option(text, options)
    if picked is None or _option_id(picked.value) != "yes":
        return picked
    return picked if said == normalise(picked.label) else None


def _option_id(value: str) -> str:
    """The flow option id of a button value (`core.choices.flow`)."""
    choice = ch.parse(value)
    return ch.flow_option_id(choice.argument) if choice else value


# --- prompts ------------------------------------------------------------------------------
def _prompt(
    state: FlowState, now: datetime, texts: Catalogue, before: tuple[str, ...] = ()
) -> Step:
    """Ask for `state.step`, offering fresh buttons (new nonce)."""
    lang, step = state.language, state.step
    choices: list[tuple[str, str]] = []  # (id, label)

    def button(option_id: str) -> tuple[str, str]:
        return option_id, texts.text(lang, M.option("flow", option_id))

    if step == "jurisdiction":
        question = texts.text(lang, M.ASK_JURISDICTION)
        choices = [(str(j), texts.text(lang, M.jurisdiction(j))) for j in JURISDICTIONS]
    elif step.startswith(("field:", "other:")):
        kind, key = step.split(":", 1)
        f = field_of(state.request_type, key)
        assert f is not None
        if kind == "other":
            question = texts.text(lang, M.ask_other(f))
        else:
            question = texts.text(lang, M.ask(f))
            choices = [(o, texts.text(lang, M.option(f.group, o))) for o in f.options]
    elif step == "email":
        question = texts.text(lang, M.ASK_EMAIL)
    elif step == "code":
        code = M.CODE_HELD if state.held else M.ASK_CODE
        question = texts.text(lang, code, digits=CODE_DIGITS)
        choices = [button("resend"), button("change_email")]
    elif step == "summary":
        question = _summary(state, texts)
        choices = [button("confirm"), button("edit")]
    else:  # edit
        question = texts.text(lang, M.WHAT_EDIT)
        choices = [("jurisdiction", texts.text(lang, M.LABEL_JURISDICTION))]
        choices += [
            (f"field:{f.key}", texts.text(lang, M.field_label(f)))
            for f in FIELDS[state.request_type]
        ]
        if state.request_type in NEEDS_VERIFICATION:
            choices.append(button("email"))
        choices.append(button("back"))
    choices.append(button("cancel"))
    seq = state.seq + 1
    seed = f"{state.started_at.isoformat()}|{seq}|{step}|{now.isoformat()}"
    nonce = hashlib.sha256(seed.encode()).hexdigest()[:8]
    options = tuple(Option(lb, ch.flow(nonce, oid)) for oid, lb in choices)
    new = replace(state, options=options, nonce=nonce, seq=seq)
    replies = (*(Reply(t) for t in before), Reply(question, options))
    return Step(new, replies)


def _summary(state: FlowState, texts: Catalogue) -> str:
    lang = state.language

    def line(label: str, value: str) -> str:
        return "• " + texts.text(lang, M.SUMMARY_LINE, label=label, value=value)

    lines = [texts.text(lang, M.SUMMARY)]
    right = texts.text(lang, M.right(state.request_type))
    lines.append(line(texts.text(lang, M.LABEL_TYPE), right))
    if state.jurisdiction:
        jur = texts.text(lang, M.jurisdiction(state.jurisdiction))
        lines.append(line(texts.text(lang, M.LABEL_JURISDICTION), jur))
    for f in FIELDS[state.request_type]:
        value = state.details.get(f.key) or ""
        shown = texts.text(lang, M.option(f.group, value)) if f.is_choice else value
        if f.other_text and value == "other":
            shown += f" ({state.details.get(f.other_key) or ''})"
        lines.append(line(texts.text(lang, M.field_label(f)), shown))
    if state.email:
        shown = texts.text(lang, M.VERIFIED_EMAIL, email=state.email)
        lines.append(line(texts.text(lang, M.LABEL_EMAIL), shown))
    elif state.request_type not in NEEDS_VERIFICATION:
        lines.append("• " + texts.text(lang, M.NO_VERIFICATION))
    lines.append(texts.text(lang, M.SUMMARY_END))
    return "\n".join(lines)


def _advance(
    state: FlowState, now: datetime, texts: Catalogue, before: tuple[str, ...] = ()
) -> Step:
    return _prompt(replace(state, step=next_step(state)), now, texts, before)


def _cancel(state: FlowState, texts: Catalogue) -> Step:
    lang = state.language
    what = []
    if state.jurisdiction:
        what.append(texts.text(lang, M.WHAT_JURISDICTION))
    if state.details.items:
        what.append(texts.text(lang, M.WHAT_DETAILS))
    if state.email:
        what.append(texts.text(lang, M.WHAT_EMAIL))
    text = (
        texts.text(lang, M.CANCELLED, what=", ".join(what))
        if what
        else texts.text(lang, M.CANCELLED_NOTHING)
    )
    return Step(None, (Reply(text),), (DiscardFlow(),))


# --- the machine --------------------------------------------------------------------------
def step(state: FlowState | None, event: Event, now: datetime, texts: Catalogue) -> Step:
    """One transition of the request conversation (see the module docstring)."""
    if isinstance(event, Start):
        fresh = FlowState(event.request_type, event.language, "", now, event.jurisdiction)
        explanation = texts.text(event.language, M.explanation(event.request_type))
        return _advance(fresh, now, texts, (explanation,))
    if state is None:
        return Step(None)
    if isinstance(event, Choice):
        if event.value not in {o.value for o in state.options}:
            expired = texts.text(state.language, M.FLOW_EXPIRED_BUTTON)
            return Step(state, (Reply(expired, state.options, expired=True),))
        return _on_choice(state, _option_id(event.value), now, texts)
    if isinstance(event, Text):
        return _on_text(state, event.text, now, texts)
    if isinstance(event, Cancel):
        return _cancel(state, texts)
    if isinstance(event, Reprompt):
        if state.step == "submitting":  # nothing is being asked
            return Step(state)
        notice = () if event.notice is None else (texts.text(state.language, event.notice),)
        return _prompt(state, now, texts, notice)
    if isinstance(event, CodeSent):
        if event.email is not None:  # the flow's address is the one its code went to
            state = replace(state, email=event.email, verified=False, step="code", held=None)
        elif event.held is not None and _same_address(state, event.held):
            back = replace(state, held=None)  # to the address the code went to
            state = replace(back, step=next_step(back))
        elif event.held is not None:  # no code went to it yet: the resend after the wait
            state = replace(state, held=event.held, step="code")
        return _prompt(state, now, texts, (_code_sent(state.language, event, texts),))
    if isinstance(event, CodeChecked):
        return _on_code_checked(state, event, now, texts)
    if isinstance(event, Answered):
        return _on_answered(state, event, now, texts)
    return _on_submitted(state, event, texts)


def _code_sent(lang: Language, event: CodeSent, texts: Catalogue) -> str:
    if event.retry_at is not None:
        return texts.text(lang, M.CODE_SEND_LOCKED, when=event.retry_at)
    if event.failed:
        return texts.text(lang, M.CODE_FAILED)
    if event.wait_seconds:
        return texts.text(lang, M.CODE_WAIT, seconds=event.wait_seconds)
    if event.already:
        return texts.text(lang, M.CODE_ALREADY_SENT, digits=CODE_DIGITS)
    return texts.text(lang, M.CODE_SENT, digits=CODE_DIGITS, minutes=VALIDITY_MINUTES)


def _on_text(state: FlowState, text: str, now: datetime, texts: Catalogue) -> Step:
    lang = state.language
    problem = length_problem(text, lang, texts)
    if problem:
        return _prompt(state, now, texts, (problem,))
    if is_cancel(text):
        return _cancel(state, texts)
    if state.step == "submitting":
        return Step(state)
    choice_step = _is_choice_step(state)
    if choice_step and _is_yes_no(state):
        picked = resolve_yes_no(text, state.options)
    else:
        picked = resolve_option(text, state.options, numbers=choice_step)
        if picked is None and choice_step and state.step.startswith("field:"):
            picked = named_option(text, state.options)  # not at the summary: "can't confirm"
    if picked is not None:
        return _on_choice(state, _option_id(picked.value), now, texts)
    fixed = _correction(state, text, now, texts)
    if fixed is not None:
        return fixed
    meant = _meant_option(state, text)
    if isinstance(meant, str):
        return _on_choice(state, meant, now, texts)
    if state.step in ("email", "code"):
        return _on_address_or_code(state, text, now, texts)
    if choice_step:
        if rp.looks_like_question(text):
            return Step(state, (), (AskMatcher(text, lang),))
        return _prompt(state, now, texts, (texts.text(lang, meant or M.CHOOSE),))
    if text.rstrip().endswith("?") and rp.looks_like_question(text):
        return Step(state, (), (AskMatcher(text, lang),))  # a free-text answer otherwise
    return _store_text(state, text, now, texts)


def _is_choice_step(state: FlowState) -> bool:
    if state.step in ("jurisdiction", "summary", "edit"):
        return True
    f = field_of(state.request_type, state.step[6:]) if state.step.startswith("field:") else None
    return f is not None and f.is_choice


def _store_text(state: FlowState, text: str, now: datetime, texts: Catalogue) -> Step:
    """The answer to a free-text question (`field:` or `other:` step)."""
    kind, key = state.step.split(":", 1)
    f = field_of(state.request_type, key)
    target = f.other_key if f is not None and kind == "other" else key
    details = state.details.with_value(target, text.strip()[:MAX_TEXT_FIELD])
    return _advance(replace(state, details=details), now, texts)


def _meant_option(state: FlowState, text: str) -> str | M.Key | None:
    """The option a typed reply means at this step (a place, a yes or a no, "resend"), or
    the notice to re-ask with when it is ambiguous."""
    step_ = state.step
    answer = rp.yes_no(text)
    if step_ == "jurisdiction":
        where = rp.place(text)
        if where.ambiguous:
            return M.WHICH_PLACE
        if where.jurisdiction is None and answer is rp.Answer.NO:
            return M.HOW_TO_STOP  # "no thanks" to "where do you live?": they may want out
        return str(where.jurisdiction) if where.jurisdiction else None
    if step_ == "code":
        return "resend" if rp.wants_new_code(text) else None
    if step_ == "summary":
        return {rp.Answer.YES: "confirm", rp.Answer.NO: "edit", None: None}[answer]
    if step_ == "edit":
        return "back" if answer is rp.Answer.NO else None
    f = field_of(state.request_type, step_[6:]) if step_.startswith("field:") else None
    if f is not None and set(f.options) == {"yes", "no"}:
        return str(answer) if answer else M.YES_OR_NO
    if f is not None and f.is_choice and answer is rp.Answer.NO:
        return M.HOW_TO_STOP
    return None


def _correction(state: FlowState, text: str, now: datetime, texts: Catalogue) -> Step | None:
    """ "Wait, wrong email", « changer de pays »: back to that step (a new address in the same
    message is taken at once). Not at a free-text step, where "my email is wrong" may be the
    answer itself."""
    step_, lang = state.step, state.language
    free_text = step_.startswith(("field:", "other:")) and not _is_choice_step(state)
    target = None if free_text or step_ == "jurisdiction" else rp.correction(text)
    if target is rp.Target.JURISDICTION:
        notice = texts.text(lang, M.LET_US_FIX)
        return _prompt(
            replace(state, jurisdiction=None, step="jurisdiction"), now, texts, (notice,)
        )
    if target is not rp.Target.EMAIL or state.request_type not in NEEDS_VERIFICATION:
        return None
    if step_ not in ("code", "summary", "edit"):  # at the e-mail step: just a bad address
        return None
    found, _ = checked_email(rp.find_email(text) or "")
    if found is not None:  # the flow takes the address once a code goes to it (CodeSent)
        again = step_ == "code" and _same_address(state, found)
        return Step(state, (), (SendCode(found, lang, again=again),))
    return _prompt(_address_again(state), now, texts, (texts.text(lang, M.LET_US_FIX),))


def _on_address_or_code(state: FlowState, text: str, now: datetime, texts: Catalogue) -> Step:
    """The e-mail step (the address may sit inside a sentence) and the code step (where a
    new address is a correction)."""
    lang, value = state.language, text.strip()
    # A sentence may hold an address; a single word is the address itself, judged whole.
    inside = rp.find_email(text) if len(value.split()) > 1 else None
    if state.step == "email":
        found, why = checked_email(value)
        if found is None and inside is not None:
            found, why = checked_email(inside)
        if found is not None:  # taken once a code goes to it (CodeSent)
            # the address its code went to, typed back after "change address": that code
            return Step(state, (), (SendCode(found, lang, again=_same_address(state, found)),))
        if inside is None and rp.looks_like_question(text):
            return Step(state, (), (AskMatcher(text, lang),))
        if rp.yes_no(text) is rp.Answer.NO:  # "no thanks" to "what is your address?"
            why = M.HOW_TO_STOP
        return _prompt(state, now, texts, (texts.text(lang, why),))
    found, _ = checked_email(inside or value)
    if found is not None and _same_address(state, found) and state.verified:
        return _advance(replace(state, held=None), now, texts)  # back from a held one
    if found is not None and _same_address(state, found):  # again: "send me the code"
        return Step(state, (), (SendCode(state.email or found, lang, again=True),))
    if found is not None:  # a new address typed at the code step (alone or in a sentence)
        return Step(state, (), (SendCode(found, lang),))
    if looks_like_code(value) and state.email is not None:
        return Step(state, (), (CheckCode(state.email, value),))
    if rp.looks_like_question(text):
        return Step(state, (), (AskMatcher(text, lang),))
    return _prompt(state, now, texts, (texts.text(lang, M.NOT_A_CODE, digits=CODE_DIGITS),))


def _address_again(state: FlowState) -> FlowState:
    """Back to the e-mail step. The flow's address stays the one its stored code went to,
    should the user type it back (its code then stands: SendCode.again)."""
    return replace(state, verified=False, step="email", held=None)


def _same_address(state: FlowState, found: str) -> bool:
    """Whether `found` is the address the flow's code was sent to: the flow's address, which
    is only ever one a code went to (CodeSent; one typed during the resend wait is `held`
    beside it); a code proves an address whatever its case."""
    return state.email is not None and found.lower() == state.email.lower()


def _on_answered(state: FlowState, event: Answered, now: datetime, texts: Catalogue) -> Step:
    """After a question typed mid-flow: its answer, then the pending question again; not a
    question after all: a free-text step takes it as the answer, others ask again."""
    lang = state.language
    if event.answered:
        back = _prompt(state, now, texts, (texts.text(lang, M.BACK_TO_REQUEST),))
        return Step(back.state, (*event.replies, *back.replies), back.effects)
    if state.step.startswith(("field:", "other:")) and not _is_choice_step(state):
        return _store_text(state, event.text, now, texts)
    notice = M.BAD_EMAIL if state.step == "email" else M.CHOOSE
    if state.step == "code":
        return _prompt(state, now, texts, (texts.text(lang, M.NOT_A_CODE, digits=CODE_DIGITS),))
    return _prompt(state, now, texts, (texts.text(lang, notice),))


def _on_choice(state: FlowState, option: str, now: datetime, texts: Catalogue) -> Step:
    if option == "cancel":
        return _cancel(state, texts)
    lang, step_ = state.language, state.step
    if step_ == "jurisdiction":
        return _advance(replace(state, jurisdiction=Jurisdiction(option)), now, texts)
    if step_.startswith("field:"):
        key = step_[6:]
        if state.request_type is RequestType.ERASURE and option == "no":
            declined = texts.text(lang, M.ERASURE_DECLINED)
            return Step(None, (Reply(declined),), (DiscardFlow(),))
        details = state.details.with_value(key, option).without(f"{key}_other")
        return _advance(replace(state, details=details), now, texts)
    if step_ == "code" and option == "resend" and (address := state.held or state.email):
        return Step(state, (), (SendCode(address, lang),))
    if step_ == "code" and option == "change_email":
        return _prompt(_address_again(state), now, texts)
    if step_ == "summary" and option == "confirm":
        assert state.jurisdiction is not None
        effect = SubmitRequest(
            state.request_type,
            state.jurisdiction,
            state.details,
            state.email,
            lang,
            state.verified,
        )
        return Step(replace(state, step="submitting", options=()), (), (effect,))
    if step_ == "summary":  # edit
        return _prompt(replace(state, step="edit"), now, texts)
    if step_ == "edit":
        if option == "jurisdiction":
            return _advance(replace(state, jurisdiction=None), now, texts)
        if option == "email":
            return _prompt(_address_again(state), now, texts)
        if option.startswith("field:"):
            key = option[6:]
            return _advance(replace(state, details=state.details.without(key)), now, texts)
        return _prompt(replace(state, step="summary"), now, texts)
    return _prompt(state, now, texts)


def _on_code_checked(state: FlowState, event: CodeChecked, now: datetime, texts: Catalogue) -> Step:
    lang = state.language
    if event.outcome is CheckOutcome.OK:
        ok = texts.text(lang, M.CODE_OK)
        return _advance(replace(state, verified=True, held=None), now, texts, (ok,))
    if event.outcome is CheckOutcome.LOCKED:
        said = texts.text(lang, M.CODE_LOCKED, when=event.retry_at or now)
    elif event.outcome is CheckOutcome.WRONG:
        said = texts.text(lang, M.CODE_WRONG, left=event.attempts_left)
    else:
        said = texts.text(
            lang,
            {
                CheckOutcome.EXPIRED: M.CODE_EXPIRED,
                CheckOutcome.EXHAUSTED: M.CODE_EXHAUSTED,
                CheckOutcome.NO_CODE: M.CODE_NONE,
            }[event.outcome],
        )
    return _prompt(state, now, texts, (said,))


def _on_submitted(state: FlowState, event: Submitted, texts: Catalogue) -> Step:
    lang = state.language
    if event.duplicate:
        text = texts.text(lang, M.DUPLICATE, reference=event.reference, due=event.due)
        return Step(None, (Reply(text),), (DiscardFlow(),))
    if event.at_once:
        right = texts.text(lang, M.right_noun(state.request_type))
        text = texts.text(lang, M.SUBMITTED_AT_ONCE, reference=event.reference, right=right)
        return Step(None, (Reply(text),))
    text = texts.text(lang, M.SUBMITTED, reference=event.reference, due=event.due)
    return Step(None, (Reply(text), Reply(texts.text(lang, M.NEXT_STEPS))))
