"""The unanswered-questions inbox: what users asked that the bot could not answer, kept
minimised so admins can teach the bot their wording (`privbot intents inbox`).

Captured: a question that ends in the fallback; a "did you mean" the user did not resolve
(their next message is not one of the offered buttons, or they send nothing more within
`CLARIFY_MINUTES`); an answer the user marked 👎. What is kept is the text after `redact`
(no e-mail address, phone number, long digit run, URL, handle or name given after a cue
such as "my name is" / « je m'appelle »), its language, the outcome, the best candidate
outcomes with their scores and the day; never who asked.

Grouping (`group`) puts similar questions together by the engine's own canonical terms
(concepts and stems, so a French and an English wording of one question meet). Pure: no I/O,
the terms function and the day are passed in.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from privbot.core import choices as ch
from privbot.core.model import Candidate, IntentKind, Language, ReplyKind, Understanding
from privbot.core.text import normalise

MAX_CHARS = 300  # of the redacted text: enough for a question, not for a life story
MAX_CANDIDATES = 3
CLARIFY_MINUTES = 5  # a "did you mean" not answered by then is unresolved
FEEDBACK_MINUTES = 60  # how long an answered question is kept for a 👎 on its answer
SIMILAR = 0.5  # share of canonical terms two questions of one group have in common
EXAMPLES = 3

EMAIL = "<email>"
URL = "<url>"
PHONE = "<phone>"
NUMBER = "<number>"
IBAN = "<iban>"
HANDLE = "<user>"
NAME = "<name>"
PLACEHOLDERS = (EMAIL, URL, PHONE, NUMBER, IBAN, HANDLE, NAME)

_AT = r"(?:@|\(at\)|\[at\]|\{at\})"
_DOT = r"(?:\.|\(dot\)|\[dot\]|\{dot\})"
_EMAIL = re.compile(rf"[\w.+\-']+\s*{_AT}\s*[\w\-]+(?:\s*{_DOT}\s*[\w\-]+)+", re.IGNORECASE)
_TLDS = "com|org|net|fr|eu|io|co|uk|de|be|ch|ca|info|app|cloud|biz|me|ly|gl|gg|tv|us|xyz"
_URL = re.compile(
    rf"\b(?:[a-z][a-z0-9+.\-]*://|www\.)\S+|\b(?:[\w\-]+\.)+(?:{_TLDS})\b(?:/\S*)?",
    re.IGNORECASE,
)
# An IBAN: country, check digits, then groups of four letters or digits (spaced or not).
_IBAN = re.compile(r"\b[a-z]{2}\d{2}(?:[ \-]?[a-z0-9]{4}){2,8}(?:[ \-]?[a-z0-9]{1,3})?\b", re.I)
# Digits with separators between them: a phone number, a card or account number, a date.
_DIGITS = re.compile(r"\+?\(?\d(?:[\s.\-/()]{0,2}\d)+")
_HANDLE = re.compile(r"(?<![\w.])@\w{2,}")
_APOSTROPHE = "['’`´]"
_NAME_CUES = re.compile(
    r"\b(?:"
    r"my\s+(?:full\s+|first\s+|last\s+|sur)?name\s*(?:is|'s|’s|:|=)"
    rf"|(?:i\s+am|i{_APOSTROPHE}?m)\s+called|call\s+me|name\s*:"
    rf"|je\s+m{_APOSTROPHE}?\s*appel+e?|j\s*m{_APOSTROPHE}?\s*appel+e?"
    r"|je\s+me\s+(?:nomme|prénomme|prenomme)"
    r"|mon\s+(?:nom|prénom|prenom)(?:\s+de\s+famille|\s+complet)?\s*(?:est|c\W?est|:|=)"
    r"|(?:nom|prénom|prenom)\s*:"
    r")",
    re.IGNORECASE,
)
# What ends a name given after a cue: punctuation, or a word that starts the next clause.
_CLAUSE_END = re.compile(r"[.,;:!?()\[\]\n]")
_CONNECTORS = frozenset(
    "and but so i im my me please can could would how what why when where who which "
    "do does is are want delete send give tell et mais donc je j mon ma mes svp stp "
    "pouvez pourriez voudrais veux comment pourquoi quand ou qui quoi quel quelle est "
    "supprimer supprimez effacer envoyer".split()
)


def redact(text: str) -> str:
    """`text` with every e-mail address, URL, handle, IBAN, digit run of five or more
    (phones with at least six), and the name after a cue ("my name is", « je m'appelle »,
    « mon nom est »...) replaced by a placeholder; cut to `MAX_CHARS` after redacting."""
    out = _EMAIL.sub(EMAIL, text)
    out = _URL.sub(URL, out)
    out = _HANDLE.sub(HANDLE, out)
    out = _IBAN.sub(_iban, out)
    out = _DIGITS.sub(_digits, out)
    out = _names(out)
    out = " ".join(out.split())
    if len(out) > MAX_CHARS:
        out = out[:MAX_CHARS].rsplit(" ", 1)[0] + " …"
    return out


def _iban(m: re.Match[str]) -> str:
    # Letters and digits mixed: an account number, not a word followed by a year.
    return IBAN if sum(c.isdigit() for c in m.group()) >= 8 else m.group()


def _digits(m: re.Match[str]) -> str:
    found = m.group()
    digits = sum(c.isdigit() for c in found)
    spaced = any(not c.isdigit() for c in found.lstrip("+("))
    if digits < (6 if spaced else 5):
        return found  # "section 3.1", "in 2024", "30 days"
    phone_like = found.startswith(("+", "(", "0")) and 8 <= digits <= 15
    return PHONE if phone_like else NUMBER


def _names(text: str) -> str:
    """Replace the words after each name cue, up to the end of the clause."""
    out: list[str] = []
    pos = 0
    for cue in _NAME_CUES.finditer(text):
        if cue.start() < pos:
            continue
        out.append(text[pos : cue.end()])
        rest = text[cue.end() :]
        taken = 0
        words = 0
        for word in re.finditer(r"\S+", rest):
            head = _CLAUSE_END.search(word.group())
            bare = normalise(word.group()).replace(" ", "")
            if words and bare in _CONNECTORS:
                break
            words += 1
            if head is not None and (head.start() > 0 or words > 1):
                taken = word.start() + head.start()
                break
            taken = word.end()
        out.append(f" {NAME}" if words else "")
        pos = cue.end() + taken
    out.append(text[pos:])
    return "".join(out)


# --- what is captured ------------------------------------------------------------------------
class Outcome(StrEnum):
    """Why a question is in the inbox."""

    FALLBACK = "fallback"  # the bot did not understand it
    UNRESOLVED = "unresolved"  # a "did you mean" the user did not answer with a button
    DISLIKED = "disliked"  # the user marked its answer 👎


@dataclass(frozen=True, slots=True)
class Guess:
    """One candidate outcome of a captured question: `outcome` is a button value
    (`section:3`, `request:erasure`, `fallback`, `smalltalk`), `intent` the intent behind it."""

    outcome: str
    score: float
    intent: str | None = None

    @property
    def label(self) -> str:
        return self.intent or self.outcome


def guess_of(c: Candidate) -> Guess:
    if c.kind is IntentKind.ANSWER and c.section is not None:
        outcome = ch.section(c.section)
    elif c.kind is IntentKind.REQUEST:
        outcome = ch.request(c.request_type)
    else:
        outcome = "smalltalk" if c.kind is IntentKind.SMALLTALK else "fallback"
    return Guess(outcome, round(c.score, 3), c.intent)


@dataclass(frozen=True, slots=True)
class Question:
    """A question as the inbox may keep it (already redacted), with what the bot made of it
    and, for a "did you mean", the button values it offered."""

    text: str
    language: Language
    kind: ReplyKind
    guesses: tuple[Guess, ...]
    at: datetime
    offered: tuple[str, ...] = ()

    def entry(self, outcome: Outcome) -> Entry:
        return Entry(self.text, self.language, outcome, self.guesses, self.at.date())

    def unresolved_by(self, choice: str | None) -> bool:
        """A "did you mean" left unanswered: the next message is not one of its buttons."""
        return self.kind is ReplyKind.CLARIFY and choice not in self.offered

    def chosen(self, value: str) -> Question:
        """This "did you mean" answered by the button `value`: now an answer, its guess first."""
        choice = ch.parse(value)
        picked = choice.argument if choice is not None else ""
        first = [g for g in self.guesses if g.outcome == value or g.intent == picked]
        rest = [g for g in self.guesses if g not in first]
        return replace(self, kind=ReplyKind.ANSWER, guesses=(*first, *rest), offered=())

    def rated_by(self, section: str, now: datetime) -> bool:
        """A 👎 on the answer of `section` rates this question (its answer, not expired)."""
        return (
            self.kind is ReplyKind.ANSWER
            and bool(self.guesses)
            and self.guesses[0].outcome == ch.section(section)
            and not self.expired(now)
        )

    def expired(self, now: datetime) -> bool:
        minutes = CLARIFY_MINUTES if self.kind is ReplyKind.CLARIFY else FEEDBACK_MINUTES
        return now - self.at > timedelta(minutes=minutes)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "language": str(self.language),
            "kind": str(self.kind),
            "guesses": guesses_json(self.guesses),
            "at": self.at.isoformat(),
            "offered": list(self.offered),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Question:
        return cls(
            str(data["text"]),
            Language(data["language"]),
            ReplyKind(data["kind"]),
            guesses_from_json(data["guesses"]),
            datetime.fromisoformat(data["at"]),
            tuple(str(v) for v in data.get("offered", ())),
        )


def question_of(
    text: str, u: Understanding, now: datetime, offered: Sequence[str] = ()
) -> Question:
    """The inbox's view of a question: redacted, with its best candidates."""
    ranked = list(u.alternatives) + [c for c in u.candidates if c not in u.alternatives]
    guesses: list[Guess] = []
    decided = _decided(u)
    if decided is not None:  # the candidates of a decision are the ones it beat
        guesses.append(decided)
    for c in ranked:
        g = guess_of(c)
        if all(x.label != g.label for x in guesses):
            guesses.append(g)
    return Question(
        redact(text), u.language, u.kind, tuple(guesses[:MAX_CANDIDATES]), now, tuple(offered)
    )


def _decided(u: Understanding) -> Guess | None:
    """What the matcher decided, as a guess (None for a "did you mean" or a fallback that
    no intent explains)."""
    if u.kind is ReplyKind.ANSWER and u.section is not None:
        return Guess(ch.section(u.section), round(u.confidence, 3), u.intent)
    if u.kind is ReplyKind.REQUEST:
        return Guess(ch.request(u.request_type), round(u.confidence, 3), u.intent)
    if u.kind in (ReplyKind.SMALLTALK, ReplyKind.FALLBACK) and u.intent is not None:
        return Guess(str(u.kind), round(u.confidence, 3), u.intent)
    return None


def guesses_json(guesses: Iterable[Guess]) -> list[dict[str, Any]]:
    return [{"outcome": g.outcome, "score": g.score, "intent": g.intent} for g in guesses]


def guesses_from_json(data: Iterable[dict[str, Any]]) -> tuple[Guess, ...]:
    return tuple(Guess(str(d["outcome"]), float(d["score"]), d.get("intent")) for d in data)


@dataclass(frozen=True, slots=True)
class Entry:
    """One captured question: redacted text, language, outcome, candidates, the day."""

    text: str
    language: Language
    outcome: Outcome
    guesses: tuple[Guess, ...]
    day: date
    id: int | None = None  # once stored


# --- grouping ------------------------------------------------------------------------------
TermsOf = Callable[[str, Language], Iterable[str]]


@dataclass(frozen=True, slots=True)
class Group:
    """Similar captured questions: `id` is stable while its first question is kept."""

    id: str
    count: int
    examples: tuple[Entry, ...]  # distinct wordings, most frequent first
    guesses: tuple[Guess, ...]  # the best candidates, mean score over the group
    languages: tuple[tuple[Language, int], ...]
    outcomes: tuple[tuple[Outcome, int], ...]
    members: tuple[Entry, ...]

    def teachable(self) -> dict[Language, list[str]]:
        """The group's distinct wordings by language, without those with a placeholder (an
        example that says `<email>` teaches nothing)."""
        out: dict[Language, list[str]] = {}
        seen: set[str] = set()
        for e in _by_frequency(self.members):
            norm = normalise(e.text)
            if not norm or norm in seen or any(p in e.text for p in PLACEHOLDERS):
                continue
            seen.add(norm)
            out.setdefault(e.language, []).append(e.text.rstrip(" …"))
        return out


def group(entries: Sequence[Entry], terms_of: TermsOf) -> list[Group]:
    """Similar entries together (each joins the group whose first question is the most
    `similarity`-alike, at least `SIMILAR`), most frequent first."""
    leaders: list[tuple[frozenset[str], Entry, list[Entry]]] = []
    by_term: dict[str, list[int]] = {}  # the leaders having each term: only those can match
    for e in sorted(entries, key=lambda x: x.day):
        terms = frozenset(terms_of(e.text, e.language)) or frozenset({normalise(e.text)})
        best: int | None = None
        best_share = SIMILAR
        for i in sorted({i for t in terms for i in by_term.get(t, ())}):
            share = similarity(terms, leaders[i][0])
            if share >= best_share:
                best, best_share = i, share
        if best is None:
            for t in terms:
                by_term.setdefault(t, []).append(len(leaders))
            leaders.append((terms, e, [e]))
        else:
            leaders[best][2].append(e)
    groups = [_group(leader, members) for _, leader, members in leaders]
    groups.sort(key=lambda g: (-g.count, g.id))
    return groups


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared terms over all terms; or, when both name two concepts or more, shared concepts
    over all concepts (a French and an English wording share concepts, not stems)."""
    share = len(a & b) / len(a | b)
    ca = {t for t in a if t.isupper()}
    cb = {t for t in b if t.isupper()}
    if len(ca) >= 2 and len(cb) >= 2:
        share = max(share, len(ca & cb) / len(ca | cb))
    return share


def _group(leader: Entry, members: list[Entry]) -> Group:
    key = f"{leader.language}:{normalise(leader.text)}"
    gid = hashlib.sha256(key.encode()).hexdigest()[:6]
    distinct: list[Entry] = []
    seen: set[str] = set()
    for e in _by_frequency(members):
        if normalise(e.text) not in seen:
            seen.add(normalise(e.text))
            distinct.append(e)
    totals: dict[str, float] = {}
    first: dict[str, Guess] = {}
    for e in members:
        for g in e.guesses:
            totals[g.label] = totals.get(g.label, 0.0) + g.score
            first.setdefault(g.label, g)
    ranked = sorted(totals, key=lambda label: -totals[label])[:MAX_CANDIDATES]
    guesses = tuple(
        Guess(first[x].outcome, round(totals[x] / len(members), 3), first[x].intent) for x in ranked
    )
    languages = Counter(e.language for e in members).most_common()
    outcomes = Counter(e.outcome for e in members).most_common()
    return Group(
        gid,
        len(members),
        tuple(distinct[:EXAMPLES]),
        guesses,
        tuple(languages),
        tuple(outcomes),
        tuple(members),
    )


def _by_frequency(entries: Iterable[Entry]) -> list[Entry]:
    items = list(entries)
    counts = Counter(normalise(e.text) for e in items)
    return sorted(items, key=lambda e: -counts[normalise(e.text)])


def find_group(groups: Sequence[Group], ref: str) -> Group | None:
    """A group by its id, or by its position (1-based) in the listing."""
    if ref.isdigit() and 1 <= int(ref) <= len(groups):
        return groups[int(ref) - 1]
    return next((g for g in groups if g.id == ref.lower()), None)
