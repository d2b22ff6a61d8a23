"""Question -> ranked outcomes (policy sections, request types, smalltalk), with confidence.

Every intent example, synonym, section title and section paragraph becomes a small
document of canonical terms (see `terms.py`), indexed once at load. A question is scored
against the documents by idf-weighted overlap (an inverted index with numpy, so 50k examples
stay fast), the best documents are re-scored with rapidfuzz over their canonical strings, and
documents are grouped by outcome: one policy section, one request type, one smalltalk intent,
or the fallback. A clear winner is answered; two close outcomes ask "did you mean"; a weak or
off-topic best is the fallback.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz import fuzz

from privbot.core.language import LanguageDetector, NgramScorer
from privbot.core.model import (
    Candidate,
    Intent,
    IntentKind,
    IntentSet,
    Language,
    Policy,
    ReplyKind,
    RequestType,
    Understanding,
)
from privbot.core.terms import TermMaker

# The section that describes each right (the policy lists them in 6; the sale in 12).
RIGHTS_SECTION: dict[RequestType, str] = {t: "6" for t in RequestType} | {
    RequestType.OPT_OUT_SALE: "12"
}
_SECOND_PERSON = frozenset({"you", "u", "vous", "tu", "pourriez", "pouvez", "peux-tu"})


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision rule; calibrated on the evaluation set in tests/."""

    answer: float = 0.36  # below: fallback
    margin: float = 0.03  # two in-scope outcomes closer than this: clarify
    clarify_floor: float = 0.36  # the runner-up must be at least this good to be offered
    centroid_weight: float = 0.3  # share of the outcome-centroid score beside the best example


# Answering from section text alone: scores run lower (long sentences, no examples), and a
# "did you mean" between two sections of an unknown policy helps less than the best one.
TEXT_ONLY = Thresholds(answer=0.12, margin=0.0, clarify_floor=1.0)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a document leads to; documents of one outcome compete as one."""

    kind: IntentKind
    key: str  # section id, request type, or intent id (smalltalk / out of scope)


@dataclass(frozen=True, slots=True)
class _Doc:
    outcome: _Outcome
    intent: str | None
    terms: frozenset[str]
    canonical: str
    query_weight: float  # how much of the *question* must be covered (long docs: high)
    weight: float


class Matcher:
    """Understands questions against a policy and an intent set (both optional)."""

    def __init__(
        self,
        policy: Policy | None,
        intents: IntentSet,
        *,
        ngram_scorer: NgramScorer | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.policy = policy
        self.intents = intents
        self.thresholds = thresholds or (Thresholds() if intents.intents else TEXT_ONLY)
        self._maker = TermMaker(function_words=bool(intents.intents))
        docs, vocab = self._documents(policy, intents)
        self._docs = docs
        self._maker.learn(w for words in vocab.values() for w in words)
        self._language = LanguageDetector(vocab, ngram_scorer)
        self._index(docs)

    # -- building -----------------------------------------------------------------

    def _documents(
        self, policy: Policy | None, intents: IntentSet
    ) -> tuple[list[_Doc], dict[Language, list[str]]]:
        docs: list[_Doc] = []
        vocab: dict[Language, list[str]] = {lang: [] for lang in Language}

        def add(
            text: str,
            lang: Language,
            outcome: _Outcome,
            intent: str | None,
            weight: float,
            query_weight: float,
            context: tuple[str, ...] = (),
        ) -> None:
            vocab[lang].extend(TermMaker.words(text))
            terms = self._maker.terms(text, lang)
            if terms:
                terms += context
                docs.append(
                    _Doc(outcome, intent, frozenset(terms), " ".join(terms), query_weight, weight)
                )

        for intent in intents.intents:
            outcome = _outcome_of(intent)
            for ex in intent.examples:
                add(ex.text, ex.language, outcome, intent.id, 1.0, 0.6)
            for syn in intent.synonyms:
                add(syn, Language.EN, outcome, intent.id, 0.9, 0.6)
        if policy is not None:
            # Without intents the section text is all there is: each sentence carries its
            # section's and parent's titles as context, and an empty parent (a bare heading
            # whose text is in its subsections) is not an answer of its own.
            text_only = not intents.intents
            for doc in policy.documents.values():
                titles = {sec.id: sec.title for sec in doc.sections}
                for section in doc.sections:
                    outcome = _Outcome(IntentKind.ANSWER, section.id)
                    context: tuple[str, ...] = ()
                    if text_only:
                        parent = titles.get(section.id.rpartition(".")[0], "")
                        context = tuple(
                            self._maker.terms(f"{section.title} {parent}", doc.language)
                        )
                    if not (text_only and not section.text.strip()):
                        add(section.title, doc.language, outcome, None, 0.92, 0.6)
                    for sentence in _passages(section.text):
                        add(sentence, doc.language, outcome, None, 0.85, 0.75, context)
        return docs, vocab

    def _index(self, docs: list[_Doc]) -> None:
        df: dict[str, int] = defaultdict(int)
        for d in docs:
            for t in d.terms:
                df[t] += 1
        n = max(len(docs), 1)
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self._max_idf = math.log(1 + n)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(docs):
            for t in d.terms:
                postings[t].append(i)
        self._postings = {t: np.asarray(ix, dtype=np.int32) for t, ix in postings.items()}
        self._doc_sq = np.asarray(
            [sum(self._idf[t] ** 2 for t in d.terms) for d in docs] or [1.0], dtype=np.float64
        )
        self._qweight = np.asarray([d.query_weight for d in docs] or [0.5], dtype=np.float64)
        self._weight = np.asarray([d.weight for d in docs] or [1.0], dtype=np.float64)
        self._centroids(docs)

    def _centroids(self, docs: list[_Doc]) -> None:
        """One normalised tf-idf centroid per outcome (a Rocchio classifier).

        The best single document can be fooled by one short example that shares a word;
        the centroid weighs what is typical of *all* of an outcome's examples.
        """
        self._outcomes = list(dict.fromkeys(d.outcome for d in docs))
        index = self._outcome_index = {o: i for i, o in enumerate(self._outcomes)}
        self._doc_outcome = np.asarray([index[d.outcome] for d in docs] or [0], dtype=np.int32)
        sums: list[dict[str, float]] = [defaultdict(float) for _ in self._outcomes]
        for d in docs:
            norm = math.sqrt(sum(self._idf[t] ** 2 for t in d.terms))
            acc = sums[index[d.outcome]]
            for t in d.terms:
                acc[t] += d.weight * self._idf[t] / norm
        columns: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for o, acc in enumerate(sums):
            norm = math.sqrt(sum(v * v for v in acc.values())) or 1.0
            for t, v in acc.items():
                columns[t][0].append(o)
                columns[t][1].append(v / norm)
        self._centroid = {
            t: (np.asarray(ix, dtype=np.int32), np.asarray(vals, dtype=np.float64))
            for t, (ix, vals) in columns.items()
        }

    def _centroid_scores(self, qterms: list[str], q_norm: float) -> np.ndarray:
        scores = np.zeros(len(self._outcomes), dtype=np.float64)
        for t in qterms:
            col = self._centroid.get(t)
            if col is not None:
                scores[col[0]] += self._idf[t] * col[1]
        return scores / q_norm

    # -- understanding ------------------------------------------------------------

    def detect_language(
        self, text: str, previous: Language | None = None, channel: Language | None = None
    ) -> Language:
        """The language of a message, with priors for very short ones."""
        return self._language.detect(text, previous=previous, channel=channel).language

    def rank(self, text: str, language: Language) -> list[Candidate]:
        """Every outcome that shares a term with the question, best first."""
        terms = self._maker.terms(text, language, fix_typos=True)
        if not terms or not self._docs:
            return []
        qterms = list(dict.fromkeys(terms))
        q_sq = sum(self._idf.get(t, self._max_idf) ** 2 for t in qterms)
        dot = np.zeros(len(self._docs), dtype=np.float64)
        for t in qterms:
            ix = self._postings.get(t)
            if ix is not None:
                dot[ix] += self._idf[t] ** 2
        hit = np.nonzero(dot)[0]
        if hit.size == 0:
            return []
        cov_q = dot[hit] / q_sq
        cov_d = dot[hit] / self._doc_sq[hit]
        a = self._qweight[hit]
        scores = np.power(cov_q, a) * np.power(cov_d, 1 - a) * self._weight[hit]
        top = hit[np.argsort(-scores)[:60]]
        base = dict(zip(hit.tolist(), scores.tolist(), strict=True))
        qcanon = " ".join(terms)
        per_outcome: dict[_Outcome, list[tuple[float, _Doc]]] = defaultdict(list)
        for i in top.tolist():
            doc = self._docs[i]
            s = base[i]
            if doc.query_weight <= 0.6:  # short examples: spelling/order similarity helps
                s = 0.8 * s + 0.2 * fuzz.token_sort_ratio(qcanon, doc.canonical) / 100
            per_outcome[doc.outcome].append((s, doc))
        centroid = self._centroid_scores(qterms, math.sqrt(q_sq))
        w = self.thresholds.centroid_weight
        scored = []
        for outcome, hits in per_outcome.items():
            hits.sort(key=lambda h: -h[0])
            cent = float(centroid[self._outcome_index[outcome]])
            scored.append(((1 - w) * hits[0][0] + w * cent, outcome, hits[0][1]))
        scored.sort(key=lambda x: -x[0])
        return [_candidate(o, s, d, qterms) for s, o, d in scored]

    def understand(
        self,
        text: str,
        *,
        forced_language: Language | None = None,
        previous_language: Language | None = None,
        channel_language: Language | None = None,
    ) -> Understanding:
        """Decide what a question means: answer, request, smalltalk, clarify or fallback."""
        language = forced_language or self.detect_language(
            text, previous_language, channel_language
        )
        ranked = self.rank(text, language)
        th = self.thresholds
        if not ranked or ranked[0].score < th.answer:
            top = ranked[0].score if ranked else 0.0
            return Understanding(
                ReplyKind.FALLBACK, language, round(1 - top, 3), candidates=tuple(ranked[:5])
            )
        first = ranked[0]
        if first.kind is IntentKind.OUT_OF_SCOPE:
            return Understanding(
                ReplyKind.FALLBACK,
                language,
                round(first.score, 3),
                intent=first.intent,
                candidates=tuple(ranked[1:6]),
            )
        rivals = [c for c in ranked[1:] if c.kind is not IntentKind.OUT_OF_SCOPE]
        if (
            rivals
            and rivals[0].score >= th.clarify_floor
            and (first.score - rivals[0].score < th.margin)
        ):
            return Understanding(
                ReplyKind.CLARIFY,
                language,
                round(first.score, 3),
                candidates=tuple(ranked[:5]),
                alternatives=(first, rivals[0]),
            )
        if first.kind is IntentKind.REQUEST and self._asks_about_right(text, language):
            # "Do I have the right to / can I erase my data?" asks about the right: answer
            # the section on rights; the renderer offers the request (still a candidate).
            section = RIGHTS_SECTION.get(first.request_type or RequestType.ACCESS, "6")
            about = next((c for c in ranked if c.section == section), None)
            if about is not None:
                rest = (first, *(c for c in ranked[1:6] if c is not about))
                return _decided(replace(about, score=first.score), language, rest)
        return _decided(first, language, tuple(c for c in ranked[1:6]))

    def _asks_about_right(self, text: str, language: Language) -> bool:
        """A question about a right rather than an order to act on it."""
        words = set(TermMaker.words(text))
        terms = set(self._maker.terms(text, language, fix_typos=True))
        if "WANT" in terms:
            return False
        if "RIGHT" in terms:
            return True
        # "can I / is it possible to delete...?" asks; "can you delete...?" asks us to act.
        return "ASK" in terms and not words & _SECOND_PERSON

    def suggest(self, text: str, limit: int = 5) -> tuple[Candidate, ...]:
        """The best outcomes with their scores and matched words, for admins."""
        language = self.detect_language(text)
        return tuple(self.rank(text, language)[:limit])


def _outcome_of(intent: Intent) -> _Outcome:
    if intent.kind is IntentKind.ANSWER:
        return _Outcome(IntentKind.ANSWER, intent.section or "")
    if intent.kind is IntentKind.REQUEST:
        return _Outcome(IntentKind.REQUEST, str(intent.request_type))
    return _Outcome(intent.kind, intent.id)


def _candidate(outcome: _Outcome, score: float, doc: _Doc, qterms: Iterable[str]) -> Candidate:
    matched = tuple(t for t in qterms if t in doc.terms)
    kind = outcome.kind
    return Candidate(
        score=round(min(score, 1.0), 4),
        intent=doc.intent,
        section=outcome.key if kind is IntentKind.ANSWER else None,
        kind=kind,
        request_type=RequestType(outcome.key) if kind is IntentKind.REQUEST else None,
        matched_words=matched,
    )


def _decided(c: Candidate, language: Language, rest: tuple[Candidate, ...]) -> Understanding:
    kind = {
        IntentKind.ANSWER: ReplyKind.ANSWER,
        IntentKind.REQUEST: ReplyKind.REQUEST,
        IntentKind.SMALLTALK: ReplyKind.SMALLTALK,
        IntentKind.OUT_OF_SCOPE: ReplyKind.FALLBACK,
    }[c.kind]
    return Understanding(
        kind,
        language,
        round(min(c.score, 1.0), 3),
        intent=c.intent,
        section=c.section,
        request_type=c.request_type,
        candidates=rest,
    )


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


def _passages(text: str) -> list[str]:
    """Sentences and bullet lines: each is retrievable on its own."""
    out: list[str] = []
    for block in text.split("\n"):
        block = block.strip().lstrip("-•* ").strip()
        out.extend(s for s in _SENTENCE_END.split(block) if len(s) > 2)
    return out
