"""Frozen dataclasses and StrEnums shared across the core and its adapters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Language(StrEnum):
    """The bot's languages."""

    FR = "fr"
    EN = "en"


class IntentKind(StrEnum):
    """What an intent leads to."""

    ANSWER = "answer"  # answer a policy section
    REQUEST = "request"  # start a rights request of a type
    SMALLTALK = "smalltalk"  # greetings, thanks, help...
    OUT_OF_SCOPE = "out_of_scope"  # known off-topic questions: answered with the fallback


class RequestType(StrEnum):
    """The data rights a user can exercise."""

    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    PORTABILITY = "portability"
    OBJECTION = "objection"
    RESTRICTION = "restriction"
    WITHDRAW_CONSENT = "withdraw_consent"
    OPT_OUT_SALE = "opt_out_sale"


class Jurisdiction(StrEnum):
    """Where the user lives, which sets the legal deadlines."""

    EU = "eu"
    UK = "uk"
    CALIFORNIA = "california"
    QUEBEC = "quebec"
    SWITZERLAND = "switzerland"
    OTHER = "other"


class Establishment(StrEnum):
    """Where the controller is established (`PRIVBOT_CONTROLLER_ESTABLISHMENT`): its own law
    applies to every user, beside the law of the user's residence (`core.deadlines`)."""

    EU = "eu"
    UK = "uk"
    SWITZERLAND = "switzerland"
    OTHER = "other"  # elsewhere: only the laws of the user's residence apply


class ReplyKind(StrEnum):
    """The outcome of understanding one message (the `kind` of `privbot ask --json`)."""

    ANSWER = "answer"
    REQUEST = "request"
    SMALLTALK = "smalltalk"
    CLARIFY = "clarify"
    FALLBACK = "fallback"


@dataclass(frozen=True, slots=True)
class Section:
    """One section of the policy in one language. `text` may hold `{contact_email}`."""

    id: str
    title: str
    text: str
    language: Language


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """The policy in one language: ordered sections and the last-updated date."""

    language: Language
    sections: tuple[Section, ...]
    last_updated: date | None = None

    def section(self, section_id: str) -> Section | None:
        for s in self.sections:
            if s.id == section_id:
                return s
        return None


@dataclass(frozen=True, slots=True)
class Policy:
    """The policy in every language, aligned by section id."""

    documents: Mapping[Language, PolicyDocument]

    def section(self, section_id: str, language: Language) -> Section | None:
        doc = self.documents.get(language)
        found = doc.section(section_id) if doc else None
        if found is None:
            # Fall back to any language rather than lose the answer.
            for other in self.documents.values():
                found = other.section(section_id)
                if found:
                    break
        return found

    def section_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for doc in self.documents.values():
            for s in doc.sections:
                seen.setdefault(s.id, None)
        return tuple(seen)

    def last_updated(self, language: Language) -> date | None:
        doc = self.documents.get(language)
        return doc.last_updated if doc else None


@dataclass(frozen=True, slots=True)
class Phrase:
    """An example or test phrase, with its language and where it was written."""

    text: str
    language: Language
    line: int = 0

    def __reduce__(self) -> tuple[type[Phrase], tuple[str, Language, int]]:
        # Unpickled by __init__: the __setstate__ of a frozen slotted dataclass looks its
        # fields up for every object, and the knowledge cache holds thousands (index.Doc).
        return Phrase, (self.text, self.language, self.line)


@dataclass(frozen=True, slots=True)
class Intent:
    """What a user may mean, as an admin wrote it in `intents/`."""

    id: str
    kind: IntentKind
    examples: tuple[Phrase, ...]
    section: str | None = None  # for ANSWER intents
    request_type: RequestType | None = None  # for REQUEST intents
    synonyms: tuple[str, ...] = ()
    replies: Mapping[Language, str] = field(default_factory=dict)
    tests: tuple[Phrase, ...] = ()
    source: str = ""  # file the intent came from, for `file:line` messages
    line: int = 0
    # ANSWER intents: the short answer admins wrote (`answer:`), said before the policy quote
    answers: Mapping[Language, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RightsSection:
    """A policy section about the user's rights, as the intent files mark it.

    A question about a right ("can I delete my data?") is answered by the section that
    `describes` its request type, and an order worded like that section means a request; the
    answer of a rights section offers the request `offers` (if any), then the list of rights.
    """

    section: str
    describes: tuple[RequestType, ...] = ()
    offers: RequestType | None = None


@dataclass(frozen=True, slots=True)
class SilentTopic:
    """A kind of data the policy's list of collected data does not mention, or a use of data
    its `section` does not (`silent:` in the intent files): a question that names one of its
    `phrases` is told so, then pointed to the closest section and to the privacy contact."""

    id: str
    phrases: tuple[str, ...]  # normalised (`core.text.normalise`), matched as whole words
    names: Mapping[Language, str]  # what the policy does not mention, inside a sentence
    source: str = ""  # file and line of its `id`, for `file:line` messages
    line: int = 0
    # Not a kind of data but something done with it ("training AI"): the section whose
    # silence is meant (how data is used), answered whatever the question came closest to,
    # when the question also names one of `also` (normalised: "train", "use"...), if given.
    section: str | None = None
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SilentTopics:
    """The kinds of data the policy is silent on, and the section that lists what it
    collects (the closest section when a question names nothing the policy answers)."""

    section: str
    topics: tuple[SilentTopic, ...] = ()

    def get(self, topic_id: str | None) -> SilentTopic | None:
        return next((t for t in self.topics if t.id == topic_id), None)


@dataclass(frozen=True, slots=True)
class IntentSet:
    """Every intent, plus what the intent files say beside them (the eval threshold, the
    sections about rights, the kinds of data the policy is silent on)."""

    intents: tuple[Intent, ...]
    eval_threshold: float = 0.9
    rights: tuple[RightsSection, ...] = ()
    silent: SilentTopics | None = None

    def get(self, intent_id: str) -> Intent | None:
        for i in self.intents:
            if i.id == intent_id:
                return i
        return None

    def rights_section(self, section_id: str | None) -> RightsSection | None:
        """The marking of `section_id` if it is about rights, else None."""
        return next((r for r in self.rights if r.section == section_id), None)

    def section_describing(self, request_type: RequestType) -> str | None:
        """The section that describes the right `request_type`, if one is marked."""
        return next((r.section for r in self.rights if request_type in r.describes), None)

    def answer_intent(self, section_id: str, intent_id: str | None = None) -> Intent | None:
        """The answer intent `intent_id` if it answers `section_id`, else the first answer
        intent of that section (whose short answer an answer of the section starts with)."""
        answering = [
            i for i in self.intents if i.kind is IntentKind.ANSWER and i.section == section_id
        ]
        return next((i for i in answering if i.id == intent_id), None) or next(
            iter(answering), None
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ranked interpretation of a question."""

    score: float  # 0..1
    intent: str | None = None
    section: str | None = None
    kind: IntentKind = IntentKind.ANSWER
    request_type: RequestType | None = None
    matched_words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Option:
    """A choice offered to the user; adapters render it as a button or a numbered line."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Understanding:
    """What the matcher made of one question."""

    kind: ReplyKind
    language: Language
    confidence: float
    intent: str | None = None
    section: str | None = None
    request_type: RequestType | None = None
    candidates: tuple[Candidate, ...] = ()
    alternatives: tuple[Candidate, ...] = ()  # the close candidates offered when CLARIFY
    # The question's canonical terms (`core.terms`), to pick the policy sentences that
    # answer it; never logged.
    terms: tuple[str, ...] = ()
    silent: str | None = None  # the `SilentTopic` the question names, if any


@dataclass(frozen=True, slots=True)
class AnswerParts:
    """The structure of a policy answer, for channels that format it (Telegram's HTML, the
    feedback buttons): the short answer first, then the passage that supports it, then the
    whole section on demand. `Reply.text` stays the plain rendering of the same answer: the
    short answer (if any), a blank line, then `answer.quote` of the catalogue (the quote's
    heading, a colon, the quote in quotation marks). A quote is sentences, or a sentence that
    introduces a list and its items, one per line ("- " before a bullet). With `full`, the
    text is the whole section as the policy writes it, and `short` and `quote` are empty."""

    section_id: str
    section_title: str
    short: str  # the admin-written short answer (`answer:` in the intent), or ""
    quote: str  # the sentence(s) of the section that support it, or ""
    intent: str | None = None  # the answer intent, for feedback counts
    silent: bool = False  # the policy says nothing on what was asked (e.g. the microphone)
    quote_section: str = ""  # the section (or subsection) the quote is from
    full: bool = False  # the whole section (its "read in full" button), not a short answer


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file that goes with a reply (the `/privacy` export): Telegram sends it as a document
    captioned with the reply's text; the terminal prints it after the text."""

    filename: str
    content: str  # UTF-8 text


@dataclass(frozen=True, slots=True)
class Reply:
    """One channel-neutral message to the user."""

    text: str
    options: tuple[Option, ...] = ()
    answer: AnswerParts | None = None  # set on a policy answer
    attachment: Attachment | None = None
    expired: bool = False  # says the button pressed is not offered any more: nothing was done


@dataclass(frozen=True, slots=True)
class UserKey:
    """A user as a channel knows them ("telegram", "123456"; "console", "local")."""

    channel: str
    external_id: str


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message from a user, channel-neutral.

    `choice` is the value of a pressed button (or a numbered answer in the console);
    `channel_language` is the channel's idea of the user's language (Telegram's
    language_code), used only as a prior for very short messages; `not_text` marks a
    message with nothing to read (a sticker, a photo, a file).
    """

    user: UserKey
    text: str
    choice: str | None = None
    channel_language: Language | None = None
    forced_language: Language | None = None  # --lang, or the user's saved /language choice
    not_text: bool = False


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What the engine answers to one Incoming: replies in one language."""

    language: Language
    replies: tuple[Reply, ...]

    @property
    def expired(self) -> bool:
        """The button pressed was not taken (a channel must not show it as chosen)."""
        return any(r.expired for r in self.replies)
