"""The multi-turn evaluation: conversations written as data, played through the real engine.

Each file `tests/data/conversations/*.yaml` holds a list `conversations:`; each conversation
has an `id` (unique across files), an optional `channel_language` (`fr`/`en`, what Telegram
would say), optional `note`, and `turns`. A turn is one input and, optionally, what the reply
must satisfy (`expect`); only turns with `expect` are scored.

Inputs (exactly one per turn):
    say: TEXT          the user types TEXT; `{code}` inside it is replaced by the last code
                       mailed to this user (a wrong code: `say: "000000"`)
    press: ID|LABEL    the user presses a button of the last reply: its option id (`eu`,
                       `confirm`, `erase_confirm`, `lang:en`...) or its exact label
    wait: MINUTES      no message: the clock moves on (no `expect` allowed)

Expectations (all optional, all must hold):
    contains: TEXT | [TEXT...]      in the replies' text (case-insensitive)
    not_contains: TEXT | [TEXT...]
    language: fr|en                 the language of the reply
    options: [ID...]                buttons offered by the last reply (ids as for `press`)
    flow: STEP | none               the step the user's flow is at after the turn
    jurisdiction: J                 the flow's jurisdiction (or the profile's if no flow)
    email: ADDRESS | none           the address the flow is set to use (one held for the resend
                                    first; none while it asks for one)
    matched: false | KIND[:ID]      false: the question matcher was not consulted; else what
                                    it understood: `answer:3.4`, `smalltalk:thanks`,
                                    `request:erasure`, `fallback`, `clarify`
    requests: N                     how many requests the user has
    request: {type: T, status: S}   the user's latest request
    profile: none | present         whether the bot still holds a profile for the user
    mails: N                        how many e-mails this user has been sent so far

The runner uses the shipped intents and messages, the real repository on SQLite and a fixed
clock (ten seconds between turns, every conversation from the same start, each with verification
limits of its own), through
`ConversationService.handle`, the same entry point every channel uses.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from fakes.rights import MemoryLimits

from privbot.bootstrap import build_app, build_knowledge
from privbot.config import load_settings
from privbot.content.knowledge import Knowledge
from privbot.core import choices as ch
from privbot.core.catalogue import Catalogue
from privbot.core.flows import FlowState
from privbot.core.model import (
    Incoming,
    Language,
    Outgoing,
    ReplyKind,
    Understanding,
    UserKey,
)
from privbot.core.ports import Understander
from privbot.services import ConversationService
from privbot.services.ports import Answers

DATA = Path(__file__).parent / "data" / "conversations"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, no holiday
TURN_GAP = timedelta(seconds=10)

_INPUTS = {"say", "press", "wait"}
_EXPECTS = {
    "contains",
    "not_contains",
    "language",
    "options",
    "flow",
    "jurisdiction",
    "email",
    "matched",
    "requests",
    "request",
    "profile",
    "mails",
}
_TURN_KEYS = _INPUTS | {"expect", "note"}
_CONV_KEYS = {"id", "turns", "channel_language", "note"}


@dataclass(frozen=True)
class Turn:
    kind: str  # say | press | wait
    value: str
    expect: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Conversation:
    id: str
    source: str
    turns: tuple[Turn, ...]
    channel_language: Language | None = None


@dataclass
class TurnResult:
    index: int
    given: str
    problems: list[str]
    replies: str

    @property
    def right(self) -> bool:
        return not self.problems


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: list[TurnResult]

    @property
    def right(self) -> int:
        return sum(t.right for t in self.turns)


# --- loading ------------------------------------------------------------------------------
def load_conversations(folder: Path = DATA) -> list[Conversation]:
    """Every conversation of every file, checked: an unknown key is an error, not ignored."""
    found: list[Conversation] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        for raw in data.get("conversations", []):
            where = f"{path.name}:{raw.get('id', '?')}"
            if set(raw) - _CONV_KEYS:
                raise ValueError(f"{where}: unknown keys {sorted(set(raw) - _CONV_KEYS)}")
            if raw["id"] in seen:
                raise ValueError(f"{where}: duplicate id")
            seen.add(raw["id"])
            turns = tuple(_turn(t, where) for t in raw["turns"])
            lang = raw.get("channel_language")
            found.append(
                Conversation(raw["id"], path.name, turns, Language(lang) if lang else None)
            )
    return found


def _turn(raw: dict[str, Any], where: str) -> Turn:
    if set(raw) - _TURN_KEYS:
        raise ValueError(f"{where}: unknown turn keys {sorted(set(raw) - _TURN_KEYS)}")
    inputs = [k for k in _INPUTS if k in raw]
    if len(inputs) != 1:
        raise ValueError(f"{where}: a turn has exactly one of say/press/wait")
    expect = raw.get("expect") or {}
    if set(expect) - _EXPECTS:
        raise ValueError(f"{where}: unknown expectations {sorted(set(expect) - _EXPECTS)}")
    if inputs[0] == "wait" and expect:
        raise ValueError(f"{where}: a wait has no reply to expect anything of")
    return Turn(inputs[0], str(raw[inputs[0]]), expect)


# --- running ------------------------------------------------------------------------------
class RecordingMailer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


class _RecordingMatcher:
    def __init__(self, inner: Understander) -> None:
        self.inner = inner
        self.last: Understanding | None = None

    def understand(
        self,
        text: str,
        *,
        forced_language: Language | None = None,
        previous_language: Language | None = None,
        channel_language: Language | None = None,
    ) -> Understanding:
        self.last = self.inner.understand(
            text,
            forced_language=forced_language,
            previous_language=previous_language,
            channel_language=channel_language,
        )
        return self.last


class _RecordingKnowledge:
    """The shipped knowledge, with a matcher that remembers what it understood last."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.recorder = _RecordingMatcher(knowledge.matcher)

    @property
    def matcher(self) -> Understander:
        return self.recorder

    @property
    def answers(self) -> Answers:
        return self.knowledge.answers

    @property
    def catalogue(self) -> Catalogue:
        return self.knowledge.catalogue


class Runner:
    """Plays conversations against one SQLite database, one user per conversation."""

    def __init__(self, database_url: str) -> None:
        settings = load_settings(database_url=database_url)
        knowledge = build_knowledge(settings)
        self.mailer = RecordingMailer()
        self.app = build_app(settings, knowledge=knowledge, mailer=self.mailer)
        self.view = _RecordingKnowledge(knowledge)
        base = self.app.conversation
        self.service = ConversationService(
            self.app.repo,
            self.app.requests,
            self.mailer,
            lambda: self.view,
            base.code_secret,
            random.Random(20260302),
            base.limits,
        )

    def play(self, conv: Conversation) -> ConversationResult:
        """Play `conv` from START, as a user of its own: the verification limits (per address,
        hour and day) start afresh, so conversations reusing an address do not meet them."""
        user = UserKey("eval", conv.id)
        now = START
        self.service.limits = MemoryLimits()
        last: Outgoing | None = None
        results: list[TurnResult] = []
        for i, turn in enumerate(conv.turns):
            if turn.kind == "wait":
                now += timedelta(minutes=float(turn.value))
                continue
            now += TURN_GAP
            self.view.recorder.last = None
            mails_before = len(self.mailer.sent)
            try:
                incoming = self._incoming(conv, user, turn, last)
                last = self.service.handle(incoming, now)
                problems = self._check(turn.expect, user, last, mails_before)
            except Exception as exc:  # a crash is a wrong turn, and ends the conversation
                problems = [f"error: {type(exc).__name__}: {exc}"]
                results.append(TurnResult(i, turn.value, problems, ""))
                break
            if turn.expect:
                results.append(TurnResult(i, f"{turn.kind}: {turn.value}", problems, _text(last)))
        return ConversationResult(conv, results)

    def _incoming(
        self, conv: Conversation, user: UserKey, turn: Turn, last: Outgoing | None
    ) -> Incoming:
        if turn.kind == "press":
            return Incoming(
                user,
                "",
                choice=_find_option(last, turn.value),
                channel_language=conv.channel_language,
            )
        text = turn.value
        if "{code}" in text:
            text = text.replace("{code}", self._last_code(user))
        return Incoming(user, text, channel_language=conv.channel_language)

    def _last_code(self, user: UserKey) -> str:
        del user  # mails are read in order; the conversations run one at a time
        for _, _, body in reversed(self.mailer.sent):
            found = re.search(r"\b(\d{6})\b", body)
            if found:
                return found.group(1)
        raise AssertionError("no code was mailed")

    def _check(
        self, expect: dict[str, Any], user: UserKey, out: Outgoing, mails_before: int
    ) -> list[str]:
        problems: list[str] = []
        text = _text(out).casefold()
        for want in _list(expect.get("contains")):
            if want.casefold() not in text:
                problems.append(f"missing {want!r}")
        for unwanted in _list(expect.get("not_contains")):
            if unwanted.casefold() in text:
                problems.append(f"unexpected {unwanted!r}")
        if "language" in expect and out.language.value != expect["language"]:
            problems.append(f"language {out.language.value}, expected {expect['language']}")
        if "options" in expect:
            offered = _option_ids(out)
            for want in _list(expect["options"]):
                if want not in offered:
                    problems.append(f"no option {want!r} (offered {sorted(offered)})")
        stored = self.app.repo.load_flow(user)
        state = _flow(stored[0]) if stored else None
        if "flow" in expect:
            step = state.step if state else "none"
            if step != str(expect["flow"]):
                problems.append(f"flow at {step}, expected {expect['flow']}")
        if "jurisdiction" in expect:
            profile = self.app.repo.get_user(user)
            jur = state.jurisdiction if state and state.jurisdiction else None
            jur = jur or (profile.jurisdiction if profile else None)
            if str(jur) != str(expect["jurisdiction"]):
                problems.append(f"jurisdiction {jur}, expected {expect['jurisdiction']}")
        if "email" in expect:
            asking = state is None or state.step == "email"
            email = None if asking else (state.held or state.email)
            if str(email).lower() != str(expect["email"]).lower():
                problems.append(f"email {'set' if email else 'none'}, not the one expected")
        if "matched" in expect:
            problems += _check_matched(expect["matched"], self.view.recorder.last)
        reqs = self.app.repo.list_requests(user=user)
        if "requests" in expect and len(reqs) != int(expect["requests"]):
            problems.append(f"{len(reqs)} requests, expected {expect['requests']}")
        if "request" in expect:
            want = expect["request"]
            latest = reqs[-1] if reqs else None
            got = {"type": str(latest.type), "status": str(latest.status)} if latest else {}
            if any(got.get(k) != str(v) for k, v in want.items()):
                problems.append(f"latest request {got or None}, expected {want}")
        if "profile" in expect:
            held = "present" if self.app.repo.get_user(user) else "none"
            if held != expect["profile"]:
                problems.append(f"profile {held}, expected {expect['profile']}")
        if "mails" in expect:
            mine = [m for m in self.mailer.sent[mails_before:]]
            if len(mine) != int(expect["mails"]):
                problems.append(f"{len(mine)} mails this turn, expected {expect['mails']}")
        return problems


def _check_matched(want: Any, got: Understanding | None) -> list[str]:
    if want is False:
        return [] if got is None else [f"matcher consulted ({_describe(got)})"]
    if got is None:
        return [f"matcher not consulted, expected {want}"]
    kind, _, ident = str(want).partition(":")
    described = _describe(got)
    if got.kind is not ReplyKind(kind):
        return [f"understood {described}, expected {want}"]
    if ident and ident not in (got.section, got.intent, str(got.request_type)):
        return [f"understood {described}, expected {want}"]
    return []


def _describe(u: Understanding) -> str:
    ident = u.section or u.intent or (str(u.request_type) if u.request_type else "")
    return f"{u.kind.value}:{ident}" if ident else u.kind.value


def _flow(stored: dict[str, Any]) -> FlowState | None:
    try:
        return FlowState.from_json(stored)
    except (KeyError, ValueError, TypeError):
        return None  # not a flow (a pending confirmation)


def _text(out: Outgoing | None) -> str:
    return "\n".join(r.text for r in out.replies) if out else ""


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _option_id(value: str) -> str:
    choice = ch.parse(value)
    if choice is None:
        return value
    if choice.kind is ch.ChoiceKind.FLOW:
        return ch.flow_option_id(choice.argument)
    if choice.kind is ch.ChoiceKind.LANGUAGE:
        return value
    if choice.kind in (ch.ChoiceKind.REQUEST, ch.ChoiceKind.CANCEL_REQUEST, ch.ChoiceKind.PRIVACY):
        return ch.menu_parts(choice.argument)[0]
    return choice.argument


def _option_ids(out: Outgoing | None) -> set[str]:
    if out is None or not out.replies:
        return set()
    last = out.replies[-1]
    return {_option_id(o.value) for o in last.options} | {o.label for o in last.options}


def _find_option(out: Outgoing | None, wanted: str) -> str:
    for reply in reversed(out.replies if out else ()):
        for o in reply.options:
            if wanted in (o.label, o.value, _option_id(o.value)):
                return o.value
    raise AssertionError(f"no button {wanted!r} in the last reply")


# --- scoring ------------------------------------------------------------------------------
@contextmanager
def runner(folder: Path) -> Iterator[Runner]:
    """A runner on a new SQLite file in `folder`."""
    r = Runner(f"sqlite:///{folder / 'conversations.sqlite3'}")
    try:
        yield r
    finally:
        r.app.engine.dispose()


def run_all(folder: Path, conversations: list[Conversation]) -> list[ConversationResult]:
    with runner(folder) as r:
        return [r.play(c) for c in conversations]


def share_right(results: list[ConversationResult]) -> tuple[int, int]:
    """(turns handled right, turns scored)."""
    return sum(r.right for r in results), sum(len(r.turns) for r in results)


def report(results: list[ConversationResult], verbose: bool = False) -> str:
    lines = []
    for r in results:
        mark = "ok  " if r.right == len(r.turns) else "FAIL"
        lines.append(
            f"{mark} {r.conversation.id} ({r.conversation.source}): {r.right}/{len(r.turns)}"
        )
        for t in r.turns:
            if t.problems:
                lines.append(f"       turn {t.index} [{t.given}]: {'; '.join(t.problems)}")
                if verbose:
                    lines += [f"         | {line}" for line in t.replies.splitlines()[:8]]
    right, total = share_right(results)
    lines.append(f"turns handled right: {right}/{total} = {right / max(total, 1):.1%}")
    return "\n".join(lines)
