"""The term index the matcher scores questions against.

Every intent example, synonym, section title and section sentence becomes a small document
of canonical terms, grouped by outcome (one policy section, one request type, one smalltalk
or out-of-scope intent). Built once per knowledge load; three views of it are queried:
idf-weighted overlap with each document (an inverted index: a question visits only the
documents that share one of its terms), a tf-idf centroid per outcome (Rocchio), and a
multinomial naive-Bayes posterior. Plain Python: indices and weights are kept in `array`s
(4 and 8 bytes an item); numpy cost a start 12 MB and 0.03 s of CPU to import for sums a
question makes over a few hundred postings.
Without intents (a policy answered from its text alone) there are no examples to compare
with: each section is one document instead, ranked by Okapi BM25 (`SectionIndex`).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass

from privbot.core.fuzzy import sorted_words
from privbot.core.model import Intent, IntentKind, IntentSet, Language, Policy
from privbot.core.passages import split
from privbot.core.terms import TermMaker
from privbot.core.text import normalise


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
    canonical: str  # its terms' words, sorted (as token_sort_ratio compares them)
    query_weight: float  # how much of the *question* must be covered (long docs: high)
    weight: float

    def __reduce__(self) -> tuple[type[Doc], tuple[object, ...]]:
        # Unpickled by __init__, not by the __setstate__ of a frozen slotted dataclass,
        # which looks its fields up for each of the 4,849 (with model.Phrase's 4,659: the
        # cached knowledge loads in 10 ms, not 17).
        fields = (self.outcome, self.intent, self.terms, self.canonical)
        return Doc, (*fields, self.query_weight, self.weight)


COMMON_TERMS = 8  # the terms of longest postings (a byte's bits), whose documents may be skipped


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
                        sorted_words(" ".join(terms)),
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
        # Each term's runs (its documents, its outcomes' centroid and naive-Bayes values)
        # lie in flat arrays, found by the term's number: arrays of their own, three or
        # five a term, cost the shipped content's knowledge 1.6 MB in their overhead.
        self._term = {t: k for k, t in enumerate(postings)}
        self._docs = array("i")
        self._docs_at = array("i", [0])  # term k's documents: from _docs_at[k] to [k + 1]
        for ix in postings.values():
            self._docs.extend(ix)
            self._docs_at.append(len(self._docs))
        # Lists, not arrays, for what is read for every document a question reaches: a list
        # gives its float as is where an array makes a new one. Weights and query weights are
        # the documents' own floats; `doc_sq` is read for a few dozen documents a question.
        doc_sq = [sum(self.idf[t] ** 2 for t in d.terms) for d in docs] or [1.0]
        self.doc_sq = array("d", doc_sq)
        self.query_weight = [d.query_weight for d in docs] or [0.5]
        self.weight = [d.weight for d in docs] or [1.0]
        # A document's score (d / q)^a (d / s)^(1 - a) w, for its overlap d with a question
        # of norm q, is d q^-a s^(a - 1) w: its own part s^(a - 1) w, made once, lets a
        # question estimate every score with two products (`matching._contenders`).
        self.rank_key = [
            s ** (a - 1) * w for s, a, w in zip(doc_sq, self.query_weight, self.weight, strict=True)
        ]
        self.query_weights = tuple(set(self.query_weight))  # its values (two: 0.6, 0.75)
        self._common(COMMON_TERMS)
        self._centroids(docs)
        self._bayes(docs)

    def _common(self, n: int) -> None:
        """The `n` terms of longest postings (DATA, ASK, WANT, "dat", « donn »...), and for each
        document which of them it has, as bits, and for each the highest `rank_key` of its
        documents per query weight: a question may then skip their documents, when those
        cannot be among its best (`matching._rare_documents`)."""
        size = {t: self._docs_at[k + 1] - self._docs_at[k] for t, k in self._term.items()}
        common = sorted(size, key=size.__getitem__, reverse=True)[:n]  # of equal: the first
        self.common_bits = {t: 1 << j for j, t in enumerate(common)}
        has = bytearray(len(self.rank_key))
        self.common_key: dict[str, dict[float, float]] = {}
        for t, bit in self.common_bits.items():
            top = dict.fromkeys(self.query_weights, 0.0)
            for i in self.posting(t) or ():
                has[i] |= bit
                top[self.query_weight[i]] = max(top[self.query_weight[i]], self.rank_key[i])
            self.common_key[t] = top
        self.common_of = bytes(has)

    def _centroids(self, docs: list[Doc]) -> None:
        """One normalised tf-idf centroid per outcome (a Rocchio classifier).

        The best single document can be fooled by one short example that shares a word;
        the centroid weighs what is typical of *all* of an outcome's examples.
        """
        self.outcomes = list(dict.fromkeys(d.outcome for d in docs))
        index = {o: i for i, o in enumerate(self.outcomes)}
        # each document's outcome, by its number in `outcomes`
        self.doc_outcome = array("i", [index[d.outcome] for d in docs] or [0])
        sums: list[dict[str, float]] = [defaultdict(float) for _ in self.outcomes]
        for d in docs:
            norm = math.sqrt(sum(self.idf[t] ** 2 for t in d.terms))
            acc = sums[index[d.outcome]]
            for t in d.terms:
                acc[t] += d.weight * self.idf[t] / norm
        columns: dict[str, dict[int, float]] = defaultdict(dict)
        for o, acc in enumerate(sums):
            norm = math.sqrt(sum(v * v for v in acc.values())) or 1.0
            for t, v in acc.items():
                columns[t][o] = v / norm
        # Term k's outcomes (those of its documents), in order, from _outcomes_at[k] to
        # [k + 1], with their centroid's value for it; `_bayes` adds its values alike.
        self._outcomes = array("i")
        self._outcomes_at = array("i", [0])
        self._centroid = array("d")
        for t in self._term:
            self._outcomes.extend(columns[t])
            self._outcomes_at.append(len(self._outcomes))
            self._centroid.extend(columns[t].values())

    def _bayes(self, docs: list[Doc]) -> None:
        """Multinomial naive Bayes over outcomes: which outcome's vocabulary the words fit."""
        n = len(self.outcomes)
        totals = [0.0] * n
        counts: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for d, o in zip(docs, self.doc_outcome, strict=False):
            for t in d.terms:
                counts[t][o] += d.weight
                totals[o] += d.weight
        alpha = 0.1
        denom = [total + alpha * max(len(counts), 1) for total in totals]
        base = self._nb_base = array("d", [math.log(alpha / d) for d in denom])
        self._nb = array("d")  # beside `_outcomes`, in its order
        for t in self._term:
            c, outcomes = counts[t], self._outcomes[self._run(t) or slice(0)]
            self._nb.extend(math.log((c[o] + alpha) / denom[o]) - base[o] for o in outcomes)

    def _run(self, term: str) -> slice | None:
        """Where a term's outcomes and their values lie; None for a term no document has."""
        k = self._term.get(term)
        return None if k is None else slice(self._outcomes_at[k], self._outcomes_at[k + 1])

    def posting(self, term: str) -> array[int] | None:
        """The documents a term is found in, in order; None for a term no document has."""
        k = self._term.get(term)
        return None if k is None else self._docs[self._docs_at[k] : self._docs_at[k + 1]]

    def bayes_posterior(self, qterms: list[str]) -> list[float]:
        """P(outcome | words) under naive Bayes; unknown words are ignored."""
        known = [at for at in map(self._run, qterms) if at is not None]
        logp = [b * len(known) for b in self._nb_base]
        for at in known:
            for o, g in zip(self._outcomes[at], self._nb[at], strict=True):
                logp[o] += g
        top = max(logp)
        p = [math.exp(v - top) for v in logp]
        total = math.fsum(p)
        return [v / total for v in p]

    def centroid_scores(self, qterms: list[str], q_norm: float) -> list[float]:
        """Cosine of the question with each outcome's centroid."""
        scores = [0.0] * len(self.outcomes)
        for t in qterms:
            at = self._run(t)
            if at is not None:
                idf = self.idf[t]
                for o, v in zip(self._outcomes[at], self._centroid[at], strict=True):
                    scores[o] += idf * v
        return [s / q_norm for s in scores]


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
        lengths = [float(len(terms)) for terms in sections.values()]
        n = len(counts)
        avg = sum(lengths) / n or 1.0
        df = Counter(t for c in counts for t in c)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.unknown_idf = math.log(1 + (n - 0.5) / 1.5)  # a word no section has: as rare as any
        norm = [self.K1 * (1 - self.B + self.B * length / avg) for length in lengths]
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for i, c in enumerate(counts):
            for t, f in c.items():
                postings[t][0].append(i)
                postings[t][1].append(self.idf[t] * f * (self.K1 + 1) / (f + norm[i]))
        self.postings = {t: (array("i", ix), array("d", v)) for t, (ix, v) in postings.items()}

    def scores(self, weights: dict[str, float]) -> list[float]:
        """Each section's BM25 score over the (weighted) terms, divided by the score a
        section made of nothing but the question would tend to: 0..1."""
        out = [0.0] * len(self.outcomes)
        bound = 0.0
        for t, w in weights.items():
            posting = self.postings.get(t)
            if posting is not None:
                for i, v in zip(posting[0], posting[1], strict=True):
                    out[i] += w * v
            bound += w * self.idf.get(t, self.unknown_idf) * (self.K1 + 1)
        return [s / bound for s in out] if bound else out


def outcome_of(intent: Intent) -> Outcome:
    if intent.kind is IntentKind.ANSWER:
        return Outcome(IntentKind.ANSWER, intent.section or "")
    if intent.kind is IntentKind.REQUEST:
        return Outcome(IntentKind.REQUEST, str(intent.request_type))
    return Outcome(intent.kind, intent.id)
