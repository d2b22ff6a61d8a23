"""Topic memory: a short follow-up ("and how long?", « et pour les cookies ? », "c'est tout
?") is read against what the user asked about last, for a few minutes.

Only the topic's id is kept (a policy section or an intent, as a `core.choices` value),
never the user's words; with the inbox on, also the question *redacted* (`core.inbox.Question`),
for as long as a "did you mean" may be answered or an answer marked 👎. Pure: the time of the
last answer is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from privbot.core import choices as ch
from privbot.core.inbox import Question
from privbot.core.lexicon import (
    DATA_KINDS,
    FUNCTION_CONCEPTS,
    PRACTICES,
    PRIVACY_CONCEPTS,
    STOP_WORDS,
    WORD_CONCEPTS,
)
from privbot.core.model import RequestType
from privbot.core.text import normalise

TOPIC_MINUTES = 5  # after this, a follow-up is a new question
MAX_FOLLOW_UP_WORDS = 8

_OPENERS = frozenset(
    "and et also aussi but mais what about quid ok so alors then puis ensuite plus".split()
)
_MORE = (
    "est tout",  # « c'est tout » (the elision is dropped)
    "cest tout",
    "is that all",
    "thats all",
    "is it all",
    "rien autre",
    "rien de plus",
    "nothing else",
    "nothing more",
    "anything else",
    "pas plus",
    "no more",
    "more detail",
    "more details",
    "plus de detail",
    "plus de details",
    "plus precis",
    "plus precise",
    "duree precise",
    "more precise",
    "precisely",
    "precisement",
)

# Words that point back at what was asked last: "how can I turn them off?", "is that safe?",
# « comment les désactiver ? ». A demonstrative only when it stands for something ("is that
# safe?"), not before a noun ("who gets that data?"): at the end, after "is" or before a
# verb; « les » only before a verb.
_POINTERS = frozenset("it its them they their theirs ca cela ceci ils elles eux leur leurs".split())
_DEMONSTRATIVES = frozenset("that this those these".split())
_AFTER_DEMONSTRATIVE = frozenset(
    "is are was were will would can could do does did mean means include includes also too "
    "all for ok okay".split()
)
_BEFORE_DEMONSTRATIVE = frozenset("is are was were".split())
_OBJECT_PRONOUNS = frozenset("les le la l".split())  # « l' » elided: « je peux l'arrêter ? »
_VERB_ENDINGS = ("er", "ir", "re", "ez", "ons", "ent")
# A topic that is the data itself (what is collected): there "it" or "them" is the data,
# and the follow-up's own words say what is asked of it ("who gets it?" is about sharing).
_THE_DATA = frozenset({"DATA", "PERSONAL", "COLLECT"}) | DATA_KINDS
_CONCEPTS = frozenset(WORD_CONCEPTS.values())
_DATA_NAMED = _THE_DATA - {"COLLECT"}
# What a follow-up may ask of the topic in words of its own: how long (« ils les gardent
# combien de temps ? » after sharing), a copy, what is collected, is it safe...
_OWN_QUESTION = PRACTICES | {"COPY", "KEEP", "COLLECT"}


# A right's action a follow-up asks of the topic ("can I stop that?" after sharing), and the
# right it is: answered by the section describing that right when the topic's own section
# does not name the action (after cookies, "can I delete them?" stays with cookies). Not
# seeing or a copy: "who can see it?" and "a copy of it" are asked of the topic.
_RIGHTS_ASKED: dict[str, RequestType] = {
    "STOP": RequestType.OBJECTION,
    "OBJECT": RequestType.OBJECTION,
    "DELETE": RequestType.ERASURE,
    "MODIFY": RequestType.RECTIFICATION,
    "RESTRICT": RequestType.RESTRICTION,
    "WITHDRAW": RequestType.WITHDRAW_CONSENT,
    "PORTABLE": RequestType.PORTABILITY,
}


@dataclass(frozen=True, slots=True)
class Topic:
    """What the user's last question was about: `value` is a section or intent choice value
    ("" when only `question` is kept: a "did you mean" waiting for its answer)."""

    value: str
    at: datetime
    question: Question | None = None

    @property
    def section(self) -> str | None:
        c = ch.parse(self.value)
        return c.argument if c is not None and c.kind is ch.ChoiceKind.SECTION else None

    @property
    def intent(self) -> str | None:
        c = ch.parse(self.value)
        return c.argument if c is not None and c.kind is ch.ChoiceKind.INTENT else None

    def fresh(self, now: datetime) -> bool:
        """A topic a follow-up may be read against."""
        return bool(self.value) and timedelta(0) <= now - self.at <= timedelta(
            minutes=TOPIC_MINUTES
        )


def is_follow_up(words: list[str]) -> bool:
    """Short, or opening like a continuation ("and...", « et pour... »)."""
    return bool(words) and (len(words) <= MAX_FOLLOW_UP_WORDS or words[0] in _OPENERS)


# How a new message continues the last one: "and Facebook?", "what about Google?", "not
# even to Google?", « et avec Facebook ? », « même pas à Google ? »
_CONTINUING = frozenset("and et also aussi but mais plus puis ensuite then quid even meme".split())
_CONTINUING_PAIRS = frozenset(
    {("what", "about"), ("how", "about"), ("what", "if"), ("not", "even"), ("meme", "pas")}
)
# Question words and talk with no topic of their own: "which ones?", « lesquels ? », "tell
# me more", "what do you mean?", « pk ? »
_NO_TOPIC_WORDS = frozenset(
    "which what where why how when whom quoi quel quels quelle quelles lequel laquelle "
    "lesquels lesquelles ou pourquoi comment quand combien pk pq pkoi pourkoi wy wht abt "
    "tell explain mean meant means dire expliquer expliquez comprends comprend understand "
    "repeat repeter repetez huh hein really vraiment serieux sure tho though again encore "
    "plain english francais yes no oui non".split()
)


def opens_continuation(words: list[str]) -> bool:
    """ "And Facebook?", "what about Google?", « même pas à Google ? »: a message worded as
    the continuation of the last one."""
    return bool(words) and (words[0] in _CONTINUING or tuple(words[:2]) in _CONTINUING_PAIRS)


def continues(words: list[str], terms: tuple[str, ...], pointing: bool) -> bool:
    """Whether a message the matcher could not place may be read with the last topic's words:
    it points back ("how do I turn them off?"), opens like a continuation ("and Facebook?",
    "what about Google?"), names a privacy concept or a right's action, or says nothing of
    its own ("who?", « comment faire ? »). "Who pays for the app?" right after an answer
    does none of these: it is a new question, not one about the topic."""
    if pointing or opens_continuation(words):
        return True
    if PRIVACY_CONCEPTS.intersection(terms) or _RIGHTS_ASKED.keys() & set(terms):
        return True  # « je peux l'arrêter ? » (its « l' » is dropped with the elision)
    return all(
        w in STOP_WORDS or w in _NO_TOPIC_WORDS or WORD_CONCEPTS.get(w) in FUNCTION_CONCEPTS
        for w in words
    )


def points_back(words: list[str]) -> bool:
    """Whether a follow-up names what it is about with a pronoun standing for the last
    topic ("can I refuse them?", "is that safe?", « on peut les refuser ? »)."""
    for i, word in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else ""
        if word in _POINTERS:
            return True
        if word in _DEMONSTRATIVES and (
            not after
            or after in _AFTER_DEMONSTRATIVE
            or (i and words[i - 1] in _BEFORE_DEMONSTRATIVE)
        ):
            return True
        if word in _OBJECT_PRONOUNS and len(after) > 3 and after.endswith(_VERB_ENDINGS):
            return True
    return False


def practices_asked(terms: tuple[str, ...]) -> frozenset[str]:
    """The practices a follow-up's canonical terms ask of the topic in words of their own (how
    long, a copy, sharing, safety...): the topic's section answers them only if its text
    names them ("is that safe?" after transfers and their safeguards), else their own
    section does (« combien de temps ? » after sharing: retention)."""
    return frozenset(t for t in terms if t in _OWN_QUESTION)


def right_asked(terms: tuple[str, ...]) -> tuple[str, RequestType] | None:
    """The right's action a follow-up's canonical terms ask of the topic, and that right, if
    it asks one as the user's own ("can I...", « comment... »: a question, not an order)."""
    if "ASK" not in terms:
        return None
    return next(((t, _RIGHTS_ASKED[t]) for t in terms if t in _RIGHTS_ASKED), None)


def topic_answers(action: str, section_terms: frozenset[str]) -> bool:
    """Whether a section whose text gives `section_terms` answers a right's action asked of it:
    it names the action, or a choice it offers."""
    return action in section_terms or offers_choice(section_terms)


def offers_choice(section_terms: frozenset[str]) -> bool:
    """Whether a section whose text gives `section_terms` offers the user a choice ("you can
    control cookie preferences": "can I refuse them?" after cookies is asked of it)."""
    return "CHOICE" in section_terms


def names_data(terms: tuple[str, ...]) -> bool:
    """Whether a follow-up names data itself: its pronoun then stands for that data, not for
    the topic (« mes données sont-elles en sécurité ? » after transfers)."""
    return any(t in _DATA_NAMED for t in terms)


def about_the_data(terms: tuple[str, ...]) -> bool:
    """Whether a topic whose words give these canonical terms (`core.terms`) is the data
    itself, what is collected, rather than something done with it or a practice."""
    concepts = {t for t in terms if t in _CONCEPTS}
    return bool(concepts) and concepts <= _THE_DATA


def asks_for_more(text: str) -> bool:
    """ "C'est tout ?", "is that all?", "no precise duration?": more than the answer said."""
    said = f" {normalise(text)} "
    return any(f" {cue} " in said for cue in _MORE)


def beside_more(text: str) -> str:
    """What a message says beside asking for more: "" for « plus de détails ? » (whose
    "details" alone would match a section), "cookies" for "more details on cookies"."""
    said = f" {normalise(text)} "
    for cue in _MORE:
        said = said.replace(f" {cue} ", " ")
    return said.strip()
