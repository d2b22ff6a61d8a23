"""The term index the matcher scores questions against.

Every intent example, synonym, section title and section sentence becomes a small document
of canonical terms, grouped by outcome (one policy section, one request type, one smalltalk
or out-of-scope intent). Built once per knowledge load; three views of it are queried:
idf-weighted overlap with each document (an inverted index in numpy, so 50k examples stay
fast), a tf-idf centroid per outcome (Rocchio), and a multinomial naive-Bayes posterior.
Without intents (a policy answered from its text alone) there are no examples to compare
with: each section is one document instead, ranked by Okapi BM25 (`SectionIndex`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from privbot.core.model import Intent, IntentKind, IntentSet, Language, Policy
from privbot.core.passages import split
from privbot.core.terms import TermMaker
from privbot.core.text import normalise

Floats = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a document leads to; documents of one outcome compete as one."""

    kind: IntentKind
    key: str  # section id, request type, or intent id (smalltalk / out of scope)


@dataclass(frozen=True, slots=True)
class Doc:
    outcome: Outcome
    intent: str | None
    terms: tuple[str, ...]  # distinct; a tuple takes a sixth of a set's memory for a few terms
    canonical: str
    query_weight: float  # how much of the *question* must be covered (long docs: high)
    weight: float


class TermIndex:
    """Documents, idf weights and the per-outcome views, built once."""

    def __init__(self, policy: Policy | None, intents: IntentSet, maker: TermMaker) -> None:
        self._maker = maker
        # Examples made only of stop words ("who are you?", "t'es qui") give no document;
        # they are kept whole (normalised text -> outcome, intent) to be matched as strings.
        self.bare: dict[str, tuple[Outcome, str]] = {}
        # Without intents, whole sections are ranked instead, by Okapi BM25.
        self.sections: SectionIndex | None = None
        self.docs, self._vocabulary = self._documents(policy, intents)
        self._index(self.docs)

    def pop_vocabulary(self) -> dict[Language, list[str]]:
        """The words the documents were read from, per language, with their repeats; given
        once and not kept: only building the matcher needs them (1.3 MB of the knowledge)."""
        vocabulary, self._vocabulary = self._vocabulary, {}
        return vocabulary

    def _documents(
        self, policy: Policy | None, intents: IntentSet
    ) -> tuple[list[Doc], dict[Language, list[str]]]:
        docs: list[Doc] = []
        vocab: dict[Language, list[str]] = {lang: [] for lang in Language}

        def add(
            text: str,
            lang: Language,
            outcome: Outcome,
            intent: str | None,
            weight: float,
            query_weight: float,
        ) -> None:
            vocab[lang].extend(TermMaker.words(text))
            terms = self._maker.terms(text, lang)
            if not terms and intent is not None:
                self.bare[normalise(text)] = (outcome, intent)
            if terms:
                docs.append(
                    Doc(
                        outcome,
                        intent,
                        tuple(frozenset(terms)),
                        " ".join(terms),
                        query_weight,
                        weight,
                    )
                )

        for intent in intents.intents:
            outcome = outcome_of(intent)
            for ex in intent.examples:
                add(ex.text, ex.language, outcome, intent.id, 1.0, 0.6)
            for syn in intent.synonyms:
                add(syn, Language.EN, outcome, intent.id, 0.9, 0.6)
        if policy is not None:
            text_only = not intents.intents
            sections: dict[Outcome, list[str]] = {}
            for doc in policy.documents.values():
                titles = {sec.id: sec.title for sec in doc.sections}
                for section in doc.sections:
                    outcome = Outcome(IntentKind.ANSWER, section.id)
                    if not text_only:
                        add(section.title, doc.language, outcome, None, 0.92, 0.6)
                        for passage in split(section.text):
                            add(passage.text, doc.language, outcome, None, 0.85, 0.75)
                        continue
                    # Without intents the section text is all there is: a section is ranked
                    # whole, with its own and its parent's titles; an empty parent (a bare
                    # heading whose text is in its subsections) is not an answer of its own.
                    vocab[doc.language].extend(TermMaker.words(f"{section.title} {section.text}"))
                    if section.text.strip():
                        parent = titles.get(section.id.rpartition(".")[0], "")
                        sections[outcome] = self._maker.terms(
                            f"{section.title} {parent}\n{section.text}", doc.language
                        )
            if sections:
                self.sections = SectionIndex(sections)
        return docs, vocab

    def _index(self, docs: list[Doc]) -> None:
        df: dict[str, int] = defaultdict(int)
        for d in docs:
            for t in d.terms:
                df[t] += 1
        n = max(len(docs), 1)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.max_idf = math.log(1 + n)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, d in enumerate(docs):
            for t in d.terms:
                postings[t].append(i)
        self.postings = {t: np.asarray(ix, dtype=np.int32) for t, ix in postings.items()}
        self.doc_sq = np.asarray(
            [sum(self.idf[t] ** 2 for t in d.terms) for d in docs] or [1.0], dtype=np.float64
        )
        self.query_weight = np.asarray([d.query_weight for d in docs] or [0.5], dtype=np.float64)
        self.weight = np.asarray([d.weight for d in docs] or [1.0], dtype=np.float64)
        self._centroids(docs)
        self._bayes(docs)

    def _centroids(self, docs: list[Doc]) -> None:
        """One normalised tf-idf centroid per outcome (a Rocchio classifier).

        The best single document can be fooled by one short example that shares a word;
        the centroid weighs what is typical of *all* of an outcome's examples.
        """
        self.outcomes = list(dict.fromkeys(d.outcome for d in docs))
        index = self.outcome_index = {o: i for i, o in enumerate(self.outcomes)}
        self._doc_outcome = np.asarray([index[d.outcome] for d in docs] or [0], dtype=np.int32)
        sums: list[dict[str, float]] = [defaultdict(float) for _ in self.outcomes]
        for d in docs:
            norm = math.sqrt(sum(self.idf[t] ** 2 for t in d.terms))
            acc = sums[index[d.outcome]]
            for t in d.terms:
                acc[t] += d.weight * self.idf[t] / norm
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

    def _bayes(self, docs: list[Doc]) -> None:
        """Multinomial naive Bayes over outcomes: which outcome's vocabulary the words fit."""
        n = len(self.outcomes)
        totals = np.zeros(n, dtype=np.float64)
        counts: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for d, o in zip(docs, self._doc_outcome.tolist(), strict=False):
            for t in d.terms:
                counts[t][o] += d.weight
                totals[o] += d.weight
        alpha = 0.1
        denom = totals + alpha * max(len(counts), 1)
        self._nb_base = np.log(alpha / denom)
        self._nb = {
            t: (
                np.asarray(list(c), dtype=np.int32),
                np.log((np.asarray(list(c.values())) + alpha) / denom[list(c)])
                - self._nb_base[list(c)],
            )
            for t, c in counts.items()
        }

    def bayes_posterior(self, qterms: list[str]) -> Floats:
        """P(outcome | words) under naive Bayes; unknown words are ignored."""
        known = [t for t in qterms if t in self._nb]
        logp = self._nb_base * len(known)
        for t in known:
            ix, gain = self._nb[t]
            logp[ix] += gain
        logp -= logp.max()
        p: Floats = np.exp(logp)
        posterior: Floats = p / p.sum()
        return posterior

    def centroid_scores(self, qterms: list[str], q_norm: float) -> Floats:
        """Cosine of the question with each outcome's centroid."""
        scores = np.zeros(len(self.outcomes), dtype=np.float64)
        for t in qterms:
            col = self._centroid.get(t)
            if col is not None:
                scores[col[0]] += self.idf[t] * col[1]
        return scores / q_norm


class SectionIndex:
    """Okapi BM25 over whole sections, each its titles' and its text's canonical terms.

    Answering from section text alone, a question written in other words than the policy
    ("what choices do I have?" for a section on opting out of e-mails) shares a few terms
    with several sentences of the right section rather than many with one sentence: the
    section's term counts, saturated (k1) and normalised by its length (b), rank it better
    than its best sentence does (PolicyQA's dev split, bench/policyqa.py). b is low: a long
    section of a third-party policy covers more questions, not just more words.
    """

    K1 = 1.2
    B = 0.3

    def __init__(self, sections: dict[Outcome, list[str]]) -> None:
        self.outcomes = list(sections)
        counts = [Counter(terms) for terms in sections.values()]
        self.terms = [frozenset(c) for c in counts]
        lengths = np.asarray([len(terms) for terms in sections.values()], dtype=np.float64)
        avg = float(lengths.mean()) or 1.0
        n = len(counts)
        df = Counter(t for c in counts for t in c)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.unknown_idf = math.log(1 + (n - 0.5) / 1.5)  # a word no section has: as rare as any
        norm = self.K1 * (1 - self.B + self.B * lengths / avg)
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for i, c in enumerate(counts):
            for t, f in c.items():
                postings[t][0].append(i)
                postings[t][1].append(self.idf[t] * f * (self.K1 + 1) / (f + norm[i]))
        self.postings = {
            t: (np.asarray(ix, dtype=np.int32), np.asarray(v, dtype=np.float64))
            for t, (ix, v) in postings.items()
        }

    def scores(self, weights: dict[str, float]) -> Floats:
        """Each section's BM25 score over the (weighted) terms, divided by the score a
        section made of nothing but the question would tend to: 0..1."""
        out = np.zeros(len(self.outcomes), dtype=np.float64)
        bound = 0.0
        for t, w in weights.items():
            posting = self.postings.get(t)
            if posting is not None:
                out[posting[0]] += w * posting[1]
            bound += w * self.idf.get(t, self.unknown_idf) * (self.K1 + 1)
        result: Floats = out / bound if bound else out
        return result


def outcome_of(intent: Intent) -> Outcome:
    if intent.kind is IntentKind.ANSWER:
        return Outcome(IntentKind.ANSWER, intent.section or "")
    if intent.kind is IntentKind.REQUEST:
        return Outcome(IntentKind.REQUEST, str(intent.request_type))
    return Outcome(intent.kind, intent.id)
