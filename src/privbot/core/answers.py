"""Understanding -> channel-neutral replies: policy answers, clarifications, fallback.

A policy answer reads: the short answer (the intent's `answer:`), then the policy's words
that support it, quoted with their section number (`core.passages`), then a button to read
the whole section. `Reply.answer` carries the same parts for channels that format them.

The options it offers (`core.choices`): a section, a whole section or an intent to answer
(resolved here by `resolve_choice`), a request to start or the list of rights (the
conversation starts those).
"""

from __future__ import annotations

from collections.abc import Iterable

from privbot.core import choices as ch
from privbot.core import messages as M
from privbot.core.catalogue import Catalogue
from privbot.core.model import (
    AnswerParts,
    Candidate,
    IntentKind,
    IntentSet,
    Language,
    Option,
    Policy,
    Reply,
    ReplyKind,
    RequestType,
    Section,
    Understanding,
)
from privbot.core.passages import Passages, by_concept
from privbot.core.terms import TermMaker

TELEGRAM_LIMIT = 4096
# A request the question also resembles is offered under the answer from this score on.
# Below it the resemblance is a shared word ("has this system been hacked?" and erasure,
# "is it HIPAA compliant?" and consent, 0.14-0.25 on PrivacyQA's train split), and the
# button reads as a non sequitur.
OFFER_FLOOR = 0.3


class AnswerRenderer:
    """Renders what the matcher understood, in the user's language."""

    def __init__(
        self,
        policy: Policy,
        intents: IntentSet,
        catalogue: Catalogue,
        contact_email: str,
        maker: TermMaker | None = None,
    ) -> None:
        self.policy = policy
        self.intents = intents
        self.texts = catalogue
        self.contact_email = contact_email
        # The matcher's term maker when given (building one costs tens of milliseconds).
        self.passages = Passages(policy, maker)
        # The terms of each short answer (content: as many as the intents' answers), made at
        # its first answer rather than at every one (a hundred microseconds each).
        self._hints: dict[tuple[str, Language], tuple[str, ...]] = {}

    def render(self, u: Understanding) -> tuple[Reply, ...]:
        """The replies for one understood question (REQUEST is the flow's to answer)."""
        lang = u.language
        if u.kind is ReplyKind.ANSWER and u.section:
            return self.section_answer(u.section, lang, u)
        if u.kind is ReplyKind.SMALLTALK and u.intent:
            intent = self.intents.get(u.intent)
            text = intent.replies.get(lang) if intent else None
            if text:
                return (Reply(self._fill(text)),)
        if u.kind is ReplyKind.CLARIFY:
            options = tuple(self._option(c, lang) for c in u.alternatives)
            return (Reply(self.texts.text(lang, M.DID_YOU_MEAN), options),)
        if u.kind is ReplyKind.REQUEST and u.request_type:
            right = self.texts.text(lang, M.right_noun(u.request_type))
            return (Reply(self.texts.text(lang, M.REQUEST_START, right=right)),)
        return (self.fallback(lang),)

    def fallback(self, lang: Language) -> Reply:
        """The polite "I can't help with that", pointing at the policy's contact section."""
        where = ""
        contact = self._contact_section(lang)
        if contact is not None:
            where = self.texts.text(lang, M.FALLBACK_WHERE, id=contact.id, title=contact.title)
        text = self.texts.text(lang, M.FALLBACK, email=self.contact_email, where=where)
        return Reply(text, (self.person_offer(lang),))

    def person_offer(self, lang: Language) -> Option:
        """The button that offers to write to a person of the privacy team."""
        return Option(self.texts.text(lang, M.OFFER_PERSON), ch.handoff(ch.HandoffAction.OFFER))

    def more_on(self, topic: str, lang: Language) -> Reply:
        """The answer to "is that all?" after `topic` (a section or intent choice value): the
        policy says no more; the privacy contact can."""
        choice = ch.parse(topic)
        where = ""
        if choice is not None and choice.kind is ch.ChoiceKind.SECTION:
            section = self.policy.section(choice.argument, lang)
            if section is not None:
                where = self.texts.text(lang, M.FALLBACK_WHERE, id=section.id, title=section.title)
        text = self.texts.text(lang, M.TOPIC_MORE, where=where, email=self.contact_email)
        return Reply(text, (self.person_offer(lang),))

    def right_answer(
        self, right: RequestType, lang: Language, u: Understanding
    ) -> tuple[str, tuple[Reply, ...]] | None:
        """The section describing `right` and its answer (with the request it offers), if a
        section describes it."""
        section_id = self.intents.section_describing(right)
        if section_id is None:
            return None
        return section_id, self.section_answer(section_id, lang, u)

    def section_terms(self, section_id: str, lang: Language) -> frozenset[str]:
        """Every canonical term of a section's text (subsections included)."""
        return self.passages.section_terms(section_id, lang)

    def topic_hint(self, topic: str, lang: Language) -> str:
        """Words that say what `topic` is about (its section title, or the intent's shortest
        example in `lang`: the fewest words besides the follow-up's own), to read a
        follow-up against."""
        choice = ch.parse(topic)
        if choice is None:
            return ""
        if choice.kind is ch.ChoiceKind.SECTION:
            section = self.policy.section(choice.argument, lang)
            return section.title if section is not None else ""
        intent = self.intents.get(choice.argument) if choice.kind is ch.ChoiceKind.INTENT else None
        if intent is None:
            return ""
        return min((p.text for p in intent.examples if p.language is lang), key=len, default="")

    def _contact_section(self, lang: Language) -> Section | None:
        doc = self.policy.documents.get(lang) or next(iter(self.policy.documents.values()), None)
        if doc is None:
            return None
        for section in reversed(doc.sections):  # contact details usually close a policy
            if "contact" in section.title.lower():
                return section
        return None

    def section_answer(
        self, section_id: str, lang: Language, u: Understanding | None = None
    ) -> tuple[Reply, ...]:
        """The answer first: the intent's short answer (or, on a kind of data the policy does
        not list, that it does not), then the section's passage that best supports it, then
        the button to read the whole section (and the requests a rights section offers)."""
        section = self.policy.section(section_id, lang)
        if section is None:
            return (self.fallback(lang),)
        intent = self.intents.answer_intent(section_id, u.intent if u else None)
        short = self._fill(intent.answers.get(lang, "")) if intent else ""
        hint = self._hint(short, lang) if short else ()
        # by_concept reads a stem followed by its concept: terms in their order, once.
        asked = by_concept(list(u.terms)) if u else []
        silent = self.intents.silent.get(u.silent) if u and self.intents.silent else None
        if silent is not None:
            # Its words are nowhere in the policy: what else the question asks about (a
            # concept: "sell" in "do you sell my photos?") picks the passage, or else the
            # short answer does.
            unlisted = {t for p in silent.phrases for t in self.passages.terms(p, lang)}
            asked = [t for t in asked if t.isupper() and t not in unlisted]
        quote = self.passages.quote(section_id, lang, asked, hint)
        if quote is None:  # a bare heading: nothing to quote but the section itself
            return self.full_section(section_id, lang, u)
        if silent is not None:
            where = self.texts.text(lang, M.FALLBACK_WHERE, id=section.id, title=section.title)
            what = silent.names.get(lang, "")
            key = M.SILENT if silent.section is None else M.SILENT_USE
            short = self.texts.text(lang, key, what=what, where=where, email=self.contact_email)
        quoted = self.policy.section(quote.section, lang) or section
        heading = self._heading(quoted)
        block = self.texts.text(lang, M.QUOTE, heading=heading, quote=quote.text)
        text = "\n\n".join(p for p in (short, block) if p)
        # On data the policy never mentions, a request the words happen to resemble is noise
        # ("does it listen to my mic?" is no portability request).
        options = self._offers(section_id, lang, None if silent is not None else u)
        if not quote.whole:  # the whole section first among the buttons
            whole = Option(self.texts.text(lang, M.READ_SECTION), ch.full_section(section_id))
            options = (whole, *options)
        parts = AnswerParts(
            section_id=section.id,
            section_title=section.title,
            short=short,
            quote=quote.text,
            intent=intent.id if intent else None,
            silent=silent is not None,
            quote_section=quote.section,
        )
        return (Reply(text, options, parts),)

    def full_section(
        self, section_id: str, lang: Language, u: Understanding | None = None
    ) -> tuple[Reply, ...]:
        """A section's title, text (with its subsections) and the last-updated date."""
        section = self.policy.section(section_id, lang)
        if section is None:
            return (self.fallback(lang),)
        parts = [f"{self._heading(section)}\n\n{section.text.strip()}"]
        for child in self._children(section_id, lang):
            parts.append(f"{self._heading(child)}\n\n{child.text.strip()}")
        updated = self.policy.last_updated(lang)
        if updated:
            parts.append(self.texts.text(lang, M.LAST_UPDATED, date=updated))
        body = self._fill("\n\n".join(parts))
        chunks = split_text(body)
        options = self._offers(section_id, lang, u)
        intent = self.intents.answer_intent(section_id, u.intent if u else None)
        answer = AnswerParts(
            section.id, section.title, "", "", intent.id if intent else None, full=True
        )
        return tuple(
            Reply(c, options if i == len(chunks) - 1 else (), answer) for i, c in enumerate(chunks)
        )

    def resolve_choice(self, value: str, lang: Language) -> tuple[Reply, ...] | None:
        """Replies for a section or intent option value, or None if it is not one."""
        choice = ch.parse(value)
        if choice is None:
            return None
        kind, key = choice.kind, choice.argument
        if kind is ch.ChoiceKind.SECTION and key in self.policy.section_ids():
            return self.section_answer(key, lang)
        if kind is ch.ChoiceKind.FULL_SECTION and key in self.policy.section_ids():
            return self.full_section(key, lang)
        if kind is ch.ChoiceKind.INTENT and (intent := self.intents.get(key)):
            if intent.kind is IntentKind.ANSWER and intent.section:
                u = Understanding(
                    ReplyKind.ANSWER, lang, 1.0, intent=intent.id, section=intent.section
                )
                return self.section_answer(intent.section, lang, u)
            if intent.kind is IntentKind.SMALLTALK:
                u = Understanding(ReplyKind.SMALLTALK, lang, 1.0, intent=intent.id)
                return self.render(u)
        return None

    def _hint(self, short: str, lang: Language) -> tuple[str, ...]:
        found = self._hints.get((short, lang))
        if found is None:
            found = self._hints[(short, lang)] = tuple(self.passages.terms(short, lang))
        return found

    def _fill(self, text: str) -> str:
        return text.replace("{contact_email}", self.contact_email)

    def _heading(self, section: Section) -> str:
        lang = section.language
        if section.id == "intro":
            return section.title or self.texts.text(lang, M.INTRO_HEADING)
        heading = self.texts.text(lang, M.SECTION_HEADING, id=section.id, title=section.title)
        return heading.rstrip(". ")

    def _children(self, section_id: str, lang: Language) -> list[Section]:
        doc = self.policy.documents.get(lang) or next(iter(self.policy.documents.values()))
        prefix = section_id + "."
        return [s for s in doc.sections if s.id.startswith(prefix)]

    def _option(self, c: Candidate, lang: Language) -> Option:
        if c.kind is IntentKind.REQUEST and c.request_type:
            return self._offer(c.request_type, lang)
        if c.section:
            section = self.policy.section(c.section, lang)
            title = section.title if section else c.section
            prefix = "" if c.section == "intro" else f"{c.section}. "
            return Option(f"{prefix}{title}", ch.section(c.section))
        return Option(c.intent or "?", ch.intent(c.intent or "?"))

    def _offers(
        self, section_id: str, lang: Language, u: Understanding | None
    ) -> tuple[Option, ...]:
        """An answer about a right, or to a question that also resembles a request, offers
        to exercise it."""
        if u is not None:
            for c in u.candidates[:2]:
                if c.kind is IntentKind.REQUEST and c.request_type and c.score >= OFFER_FLOOR:
                    return (self._offer(c.request_type, lang), self._any_offer(lang))
        rights = self.intents.rights_section(section_id)
        if rights is None:
            return ()
        if rights.offers is None:
            return (self._any_offer(lang),)
        return (self._offer(rights.offers, lang), self._any_offer(lang))

    def _offer(self, request_type: RequestType, lang: Language) -> Option:
        right = self.texts.text(lang, M.right_noun(request_type))
        label = self.texts.text(lang, M.OFFER_REQUEST, right=right)
        return Option(label, ch.request(request_type))

    def _any_offer(self, lang: Language) -> Option:
        return Option(self.texts.text(lang, M.OFFER_ANY_REQUEST), ch.request(None))


def split_text(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split at paragraph boundaries (then lines, then words) so each part fits `limit`."""
    if len(text) <= limit:
        return [text]
    return join_paragraphs(
        (piece for para in text.split("\n\n") for piece in _hard_split(para, limit)), limit
    )


def join_paragraphs(pieces: Iterable[str], limit: int) -> list[str]:
    """Consecutive pieces (each at most `limit` long) joined by a blank line into as few
    parts of at most `limit` characters as they fit in."""
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n\n{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return parts


def _hard_split(para: str, limit: int) -> list[str]:
    """Split one over-long paragraph at spaces, cutting words only when they alone overflow."""
    if len(para) <= limit:
        return [para]
    out: list[str] = []
    current = ""
    for word in para.split(" "):
        while len(word) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) > limit:
            out.append(current)
            current = word
        else:
            current = candidate
    if current:
        out.append(current)
    return out
