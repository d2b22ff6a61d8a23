"""The policy's sentences, and the ones that answer a question: the quote under an answer.

A section's text is cut into passages (sentences and bullet lines, as the matcher indexes
them). A question's canonical terms (`Understanding.terms`) are scored against each passage
of the answered section and its subsections by idf-weighted overlap, the admin's short
answer breaking ties; the best passage is the quote, with the list it introduces when it
ends with a colon (its lines, or the titles of its subsections), and the next sentence when
that one matches as well.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from privbot.core.lexicon import FUNCTION_CONCEPTS
from privbot.core.model import Language, Policy, PolicyDocument
from privbot.core.terms import TermMaker

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_BULLET = re.compile(r"^\s*[-•*]\s+")
CLOSE = 0.8  # a neighbouring sentence at least this good is quoted too
MAX_QUOTE = 700  # characters: a list introduced by the best sentence stops before this
MAX_ITEMS = 8  # ... or after this many items


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence or bullet line of a section; `first` when it starts a line."""

    text: str
    bullet: bool = False
    first: bool = True

    @property
    def lead_in(self) -> bool:
        """A sentence that introduces the list after it ("..., including:")."""
        return not self.bullet and self.text.rstrip().endswith(":")


@dataclass(frozen=True, slots=True)
class Quote:
    """The passage(s) quoted from `section`; `whole` when they are all the section says."""

    section: str
    text: str
    whole: bool


def by_concept(terms: list[str]) -> list[str]:
    """Terms (`TermMaker.terms`) with a word that has a concept counted by its concept only,
    and without the concepts that say how something is asked. Among the sentences of one
    section the stem misleads: "utilisateurs" (users) would outrank "utilisons" (we use).

    A word gives its stem (lower case) then its concepts (upper case), so a stem followed by
    a concept is such a word's."""
    out: list[str] = []
    for i, term in enumerate(terms):
        following = terms[i + 1] if i + 1 < len(terms) else ""
        if term.islower() and following.isupper():
            continue
        if term not in FUNCTION_CONCEPTS:
            out.append(term)
    return out


def split(text: str) -> list[Passage]:
    """Sentences and bullet lines: each is retrievable on its own."""
    out: list[Passage] = []
    for block in text.split("\n"):
        bullet = _BULLET.match(block) is not None
        block = block.strip().lstrip("-•* ").strip()
        sentences = [s for s in _SENTENCE_END.split(block) if len(s) > 2]
        out.extend(Passage(s, bullet, i == 0) for i, s in enumerate(sentences))
    return out


@dataclass(frozen=True, slots=True)
class _Indexed:
    section: str
    passage: Passage
    terms: frozenset[str]


class Passages:
    """Every passage of the policy with its terms, per language and section, built once."""

    def __init__(self, policy: Policy, maker: TermMaker | None = None) -> None:
        self.policy = policy
        self._maker = maker or TermMaker(function_words=False)
        self._by: dict[tuple[Language, str], list[_Indexed]] = defaultdict(list)
        df: dict[str, int] = defaultdict(int)
        count = 0
        for doc in policy.documents.values():
            for section in doc.sections:
                for p in split(section.text):
                    terms = frozenset(self.terms(p.text, doc.language))
                    self._by[(doc.language, section.id)].append(_Indexed(section.id, p, terms))
                    count += 1
                    for t in terms:
                        df[t] += 1
        self._idf = {t: math.log(1 + count / n) for t, n in df.items()}

    def terms(self, text: str, language: Language) -> list[str]:
        """The canonical terms of a text that can tell passages apart (see `by_concept`)."""
        return by_concept(self._maker.terms(text, language))

    def quote(
        self,
        section_id: str,
        language: Language,
        question: Iterable[str] = (),
        hint: Iterable[str] = (),
    ) -> Quote | None:
        """The passage(s) of `section_id` (subsections included) that best answer a question
        of terms `question`, ties broken by the terms `hint` (both already through
        `by_concept`, as `terms` gives them); the section's first passage when nothing
        matches; None for a section without text."""
        found = self._section(section_id, language)
        if not found:
            return None
        q = frozenset(question)
        h = frozenset(hint)
        q_weight, h_weight = self._weight(q), self._weight(h)  # once, not once a passage
        # The question's words first; on a tie the section's own text (a subsection says
        # less than its parent), a sentence that introduces a list (quoted with it), the
        # short answer's words, the earlier passage.
        ranks = [
            (
                round(self._score(q, q_weight, p.terms), 3),
                p.section == section_id,
                p.passage.lead_in,
                self._score(h, h_weight, p.terms),
            )
            for p in found
        ]
        pool = list(range(len(found)))
        if not q:  # nothing asked (a button, a silent topic): a sentence, not one list item
            pool = [i for i in pool if not found[i].passage.bullet] or pool
        best = max(pool, key=lambda i: (ranks[i], -i))
        lead = found[best]
        cut = False
        if lead.passage.bullet:  # an item, after the sentence that introduces its list
            intro = _lead_in_of(found, best)
            chosen = [best] if intro is None else [intro, best]
        elif lead.passage.lead_in:
            items, cut = _list_after(found, best)
            chosen = [best, *items]
        else:  # with the sentence before or after it when they match nearly as well
            score = ranks[best][0]
            near = [
                n
                for n in (best - 1, best + 1)
                if score > 0
                and 0 <= n < len(found)
                and found[n].section == lead.section
                and not (found[n].passage.bullet or found[n].passage.lead_in)
                and ranks[n][0] >= CLOSE * score
            ]
            chosen = sorted([best, *near])
        text = _join([found[i].passage for i in chosen])
        if cut:
            text += "\n- …"
        elif lead.passage.lead_in and len(chosen) == 1:  # its list is the subsections
            titles = self._child_titles(lead.section, language)
            text = "\n".join([text, *(f"- {t}" for t in titles)])
        return Quote(lead.section, text, whole=len(chosen) == len(found) and not cut)

    def _weight(self, terms: frozenset[str]) -> float:
        """The terms' idf weight."""
        return sum(self._idf.get(t, 1.0) for t in terms)

    def _score(self, terms: frozenset[str], weight: float, passage: frozenset[str]) -> float:
        """Share of the terms' idf weight (`weight`, their `_weight`) the passage covers
        (0..1)."""
        if not terms:
            return 0.0
        return sum(self._idf.get(t, 1.0) for t in terms & passage) / weight

    def section_terms(self, section_id: str, language: Language) -> frozenset[str]:
        """Every canonical term of a section's passages (subsections included)."""
        return frozenset(t for p in self._section(section_id, language) for t in p.terms)

    def _section(self, section_id: str, language: Language) -> list[_Indexed]:
        doc = self._document(section_id, language)
        if doc is None:
            return []
        prefix = section_id + "."
        return [
            p
            for s in doc.sections
            if s.id == section_id or s.id.startswith(prefix)
            for p in self._by.get((doc.language, s.id), ())
        ]

    def _document(self, section_id: str, language: Language) -> PolicyDocument | None:
        """The user's language if it has the section, else any language that does."""
        found = self.policy.section(section_id, language)
        return self.policy.documents[found.language] if found is not None else None

    def _child_titles(self, section_id: str, language: Language) -> list[str]:
        doc = self._document(section_id, language)
        if doc is None:
            return []
        return [f"{s.id}. {s.title}" for s in doc.sections if s.id.rpartition(".")[0] == section_id]


def _lead_in_of(found: list[_Indexed], item: int) -> int | None:
    """The sentence that introduces the list an item belongs to, if any."""
    i = item
    while i > 0 and found[i - 1].passage.bullet and found[i - 1].section == found[item].section:
        i -= 1
    before = i - 1
    if (
        before >= 0
        and found[before].section == found[item].section
        and found[before].passage.lead_in
    ):
        return before
    return None


def _list_after(found: list[_Indexed], lead: int) -> tuple[list[int], bool]:
    """The lines right after a lead-in sentence (its bullets, or else its short lines, as in
    a postal address) within the quote's limits, and whether the list was cut short."""
    out: list[int] = []
    length = len(found[lead].passage.text)
    bullets = lead + 1 < len(found) and found[lead + 1].passage.bullet
    for i in range(lead + 1, len(found)):
        item = found[i]
        same = item.section == found[lead].section and item.passage.bullet == bullets
        if not (same and item.passage.first):
            break
        length += len(item.passage.text) + 3
        if len(out) == MAX_ITEMS or length > MAX_QUOTE:
            return out, True
        out.append(i)
    return out, False


def _join(passages: list[Passage]) -> str:
    """Sentences side by side; the items of a list after its lead-in, one per line."""
    lines: list[str] = []
    for p in passages:
        if p.first and lines:
            lines.append(f"- {p.text}" if p.bullet else p.text)
        elif lines:
            lines[-1] += f" {p.text}"
        else:
            lines.append(p.text)
    return "\n".join(lines)
