"""Question -> ranked outcomes (policy sections, request types, smalltalk), with confidence.

A question becomes canonical terms (`terms.py`) and is scored against the term index
(`index.py`): its best document by idf-weighted overlap, re-scored by similarity over
canonical strings, blended with the outcome's centroid and scaled by how well the naive-Bayes
posterior fits. A clear winner is answered; two tied outcomes ask "did you mean"; a weak or
off-topic best is the fallback.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from privbot.core.fuzzy import TokenSortRatio, best_ratio
from privbot.core.index import Doc, Outcome, SectionIndex, TermIndex
from privbot.core.language import LanguageDetector, NgramScorer
from privbot.core.lexicon import (
    DATA_ACTIONS,
    DATA_KINDS,
    FUNCTION_CONCEPTS,
    MARKERS,
    PRACTICES,
    PRIVACY_CONCEPTS,
    concept_words,
)
from privbot.core.model import (
    Candidate,
    IntentKind,
    IntentSet,
    Language,
    Policy,
    ReplyKind,
    RequestType,
    SilentTopic,
    Understanding,
)
from privbot.core.phrasing import Asking, asks_about, forbidden_verb, is_order, wishes
from privbot.core.terms import TermMaker
from privbot.core.text import normalise

_WISH_WORDS = concept_words("WANT")
_NOT_POLICY = frozenset({IntentKind.OUT_OF_SCOPE, IntentKind.SMALLTALK})
_CLOSE_ENOUGH = 0.85
_TOP = 60  # documents scored exactly and compared by string similarity
_SLACK = 1e-9  # an estimated score's margin (`_contenders`)
# Too general to tell a privacy question from an off-topic one on their own.
_BROAD_CONCEPTS = frozenset({"DATA", "PERSONAL", "PHONECONTENT", "SENSITIVE", "LOCATION", "LOG"})


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision rule; calibrated on the evaluation set in tests/."""

    answer: float = 0.36  # below: fallback
    # Two in-scope outcomes this close ask "did you mean": only a tie. At 0.005, the best
    # of two near-ties was right more often than the question back (PrivacyQA train split).
    margin: float = 0.0
    clarify_floor: float = 0.36  # the runner-up must be at least this good to be offered
    centroid_weight: float = 0.08  # share of the outcome-centroid score beside the best example
    bayes_weight: float = 0.3  # how much a poor naive-Bayes fit may scale a score down
    long_message: float = 8.0  # from this many terms on, the answer floor goes down
    # Below the answer floor, a question that names a privacy concept is still in the
    # domain: from this score on its best sections are offered ("did you mean") rather
    # than the fallback, unless an off-topic intent fits it better.
    unsure: float = 0.22
    unsure_options: int = 3
    # ... and from this score on, a section that leads every other one by `domain_lead`
    # (the next scores at most that share of it) is answered outright.
    domain_answer: float = 0.25
    domain_lead: float = 0.95
    # Share of its weight a kind of data keeps in a question that names a practice.
    data_kind_weight: float = 0.7
    practice_weight: float = 1.5


# Answering from section text alone: scores run lower (long sentences, no examples), and a
# "did you mean" between two sections of an unknown policy helps less than the best one.
TEXT_ONLY = Thresholds(answer=0.10, clarify_floor=1.0, unsure=1.0, domain_answer=1.0)


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
        self._index = TermIndex(policy, intents, self._maker)
        vocab = self._index.pop_vocabulary()
        self._maker.learn(w for words in vocab.values() for w in words)
        self._language = LanguageDetector(vocab, ngram_scorer)
        # The sections about rights (their answers offer requests), and those among them
        # that describe a request type (an order worded like them means that request).
        self.rights_sections = frozenset(r.section for r in intents.rights)
        self._request_sections = frozenset(r.section for r in intents.rights if r.describes)

    @property
    def term_maker(self) -> TermMaker:
        """The terms questions are made of (the answers pick their quotes with the same)."""
        return self._maker

    def use_ngram_scorer(self, ngram_scorer: NgramScorer | None) -> None:
        """Set language detection's n-gram scorer (a matcher loaded from the knowledge cache
        comes without it); before the matcher is shared."""
        self._language.use_ngram_scorer(ngram_scorer)

    # -- understanding ------------------------------------------------------------

    def detect_language(
        self, text: str, previous: Language | None = None, channel: Language | None = None
    ) -> Language:
        """The language of a message, with priors for very short ones."""
        return self._language.detect(text, previous=previous, channel=channel).language

    def terms(self, text: str, language: Language) -> list[str]:
        """The canonical terms the matcher reads `text` as (the inbox groups by them)."""
        return self._maker.terms(text, language, fix_typos=True)

    def rank(self, text: str, language: Language) -> list[Candidate]:
        """Every outcome that shares a term with the question, best first."""
        return self._rank(self._maker.terms(text, language, fix_typos=True))

    def _rank(self, terms: list[str]) -> list[Candidate]:
        ix = self._index
        qterms = list(dict.fromkeys(terms))
        if ix.sections is not None:
            return _rank_sections(ix.sections, self._term_weights(qterms))
        if not terms or not ix.docs:
            return []
        weight = self._term_weights(qterms)
        for t in qterms:
            # A word no example uses but whose concept the question carries ("bankruptcy",
            # « démarchage »): its concept says what it means; counted as an unknown word
            # too, it would only dilute the match, as if the question were about something else.
            concept = self._maker.concept_of(t)
            if (
                t not in ix.idf
                and concept in qterms
                and concept != t
                and concept not in FUNCTION_CONCEPTS
            ):
                weight[t] = 0.0
        q_sq = sum(weight[t] * ix.idf.get(t, ix.max_idf) ** 2 for t in qterms)
        if q_sq == 0:
            return []
        top = _top_documents(ix, qterms, weight, q_sq)
        if not top:
            return []
        similar = TokenSortRatio(" ".join(terms))
        # Each outcome's best document (the first of equal ones), by the outcome's number.
        best: dict[int, tuple[float, Doc]] = {}
        docs, doc_outcome = ix.docs, ix.doc_outcome
        for i, s in top:
            doc = docs[i]
            o = doc_outcome[i]
            held = best.get(o)
            if doc.query_weight <= 0.6:  # short examples: spelling/order similarity helps
                # Only an outcome's best document counts: one that could not beat it with
                # the words matching exactly is left out unscored.
                if held is not None and _blend(s, 100.0) <= held[0]:
                    continue
                s = _blend(s, similar.sorted(doc.canonical))
            if held is None or s > held[0]:
                best[o] = (s, doc)
        centroid = ix.centroid_scores(qterms, math.sqrt(q_sq))
        posterior = ix.bayes_posterior(qterms)
        w = self.thresholds.centroid_weight
        wb = self.thresholds.bayes_weight
        scored = []
        for o, (top_score, doc) in best.items():
            cent = centroid[o]
            s = (1 - w) * top_score + w * cent
            # The naive-Bayes posterior only scales the score down for outcomes whose
            # vocabulary fits the words worse; it never lifts a weak match above the floor.
            s *= 1 - wb + wb * posterior[o] ** 0.25
            scored.append((s, doc.outcome, doc))
        scored.sort(key=lambda x: -x[0])
        return [_candidate(o, s, d, qterms) for s, o, d in scored]

    def _term_weights(self, qterms: list[str]) -> dict[str, float]:
        """How much each question term counts: a kind of data named beside a practice
        ("is my card secure?", « vendez-vous mes photos ? »), or "personal" (« quelle
        protection pour nos données personnelles ? »), counts less than the practice."""
        concepts = {t: self._maker.concept_of(t) for t in qterms}
        th = self.thresholds
        practice = bool(PRACTICES.intersection(concepts.values()))

        def weight(term: str) -> float:
            concept = concepts[term]
            if term in MARKERS:
                return 0.0
            if practice and (concept in DATA_KINDS or concept == "PERSONAL"):
                return th.data_kind_weight
            return th.practice_weight if concept in _WEIGHTY else 1.0

        return {t: weight(t) for t in qterms}

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
        terms = self._maker.terms(text, language, fix_typos=True)
        u = self._decide(text, language, terms)
        return self._silent(text, replace(u, terms=tuple(terms)))

    def _silent(self, text: str, u: Understanding) -> Understanding:
        """A policy question about a kind of data the policy does not list (`silent:` in the
        intents): answered with the section it came closest to, marked with the topic. A use
        of data named with what is done ("used for AI training": a topic with `also`) is such
        a question even where the matcher found nothing to answer (no off-topic intent)."""
        silent = self.intents.silent
        if silent is None or u.kind not in (
            ReplyKind.ANSWER,
            ReplyKind.CLARIFY,
            ReplyKind.FALLBACK,
        ):
            return u
        words = f" {' '.join(self._maker.correct(w) for w in TermMaker.words(text))} "
        topic = next((t for t in silent.topics if _names(words, t)), None)
        if topic is None:
            return u
        if u.kind is ReplyKind.FALLBACK and (not topic.also or u.intent is not None):
            return u  # refused as off-topic ("the AI app crashes when I use it"), or no use
        closest = u.section or next((c.section for c in u.alternatives if c.section), None)
        section = topic.section or closest or silent.section
        return replace(u, kind=ReplyKind.ANSWER, section=section, silent=topic.id)

    def _decide(self, text: str, language: Language, terms: list[str]) -> Understanding:
        """What the question's terms mean (see `understand`)."""
        ranked = _off_topic_explains(self._rank(terms), terms) or self._bare_match(text)
        th = self.thresholds
        if not ranked or (
            ranked[0].score < self._floor(terms) and not self._leads_in_domain(ranked, terms, text)
        ):
            unsure = self._unsure_options(ranked, terms)
            if unsure:
                return Understanding(
                    ReplyKind.CLARIFY,
                    language,
                    round(unsure[0].score, 3),
                    candidates=tuple(ranked[:5]),
                    alternatives=unsure,
                )
            top = ranked[0].score if ranked else 0.0
            return Understanding(
                ReplyKind.FALLBACK, language, round(1 - top, 3), candidates=tuple(ranked[:5])
            )
        first = ranked[0]
        if first.kind is IntentKind.ANSWER and self._vague(terms):
            # "mes données", "personal data": nothing but data is named, so every section
            # fits about as well; better ask which one than pick.
            options = self._unsure_options(ranked, terms)
            # ... unless one section clearly leads ("what data do you have on me?")
            if len(options) > 1 and options[1].score >= _COMPARABLE * options[0].score:
                return Understanding(
                    ReplyKind.CLARIFY,
                    language,
                    round(first.score, 3),
                    candidates=tuple(ranked[:5]),
                    alternatives=options,
                )
        if first.kind is IntentKind.ANSWER and self._asks_only_how(first, terms):
            # "how long is the warranty?": only the way of asking matched; what is asked
            # about is known from off-topic examples at most
            return Understanding(
                ReplyKind.FALLBACK,
                language,
                round(1 - first.score, 3),
                candidates=tuple(ranked[:5]),
            )
        if first.kind is IntentKind.OUT_OF_SCOPE:
            return Understanding(
                ReplyKind.FALLBACK,
                language,
                round(first.score, 3),
                intent=first.intent,
                candidates=tuple(ranked[1:6]),
            )
        words = TermMaker.words(text)
        about = _asks_about_right(text, words, set(terms))
        claim = first if first.kind is IntentKind.REQUEST else self._close_claim(ranked, about)
        if claim is not None and about is not None:
            # "Can I erase my data?" asks whether one may: the rights section answers it;
            # "do you sell my data?" asks what the company does: its best section does.
            # The renderer still offers the request (it stays a candidate).
            if about is Asking.RIGHT:
                section = self.intents.section_describing(claim.request_type or RequestType.ACCESS)
                answer = self._section_candidate(section, ranked, first.score) if section else None
            else:
                best = next((c for c in ranked if c.kind is IntentKind.ANSWER), None)
                answer = replace(best, score=first.score) if best else None
            if answer is not None:
                rest = tuple(c for c in ranked[:6] if c.section != answer.section)
                return _decided(answer, language, rest)
        # "stop sharing my e-mail...", not "stop the data breach" or "stop the cookie popups"
        forbidden = forbidden_verb(text, words)
        forbidding = forbidden is not None and bool(
            _FORBIDDABLE.intersection(self._maker.word_terms(words[forbidden], language))
        )
        stopping = ("STOP" in terms or forbidding) and (
            bool(_STOPPABLE.intersection(terms)) or {"COOKIE", "ME"} <= set(terms)  # tracking me
        )
        if first.kind is IntentKind.ANSWER and stopping and (is_order(text, words) or forbidding):
            # "Stop sharing my e-mail with third parties", "don't share my data with anyone",
            # « ne collectez plus mes données »: an order to stop a practice on one's data,
            # though worded like that practice's section, is a wish to object (to opt out of
            # a sale), whatever the examples of those requests score.
            order = _stop_request(ranked, terms)
            rest = (first, *(c for c in ranked[1:6] if c.request_type != order.request_type))
            return _decided(replace(order, score=first.score), language, rest)
        if first.section in self._request_sections and is_order(text, words):
            # "Send my info in a format I can reuse": an order, though worded like the
            # rights section; a close request of that kind is what the user wants. ("Show me
            # your cookie policy" is an order too, but worded like no rights section.)
            found = next((c for c in ranked[1:4] if c.kind is IntentKind.REQUEST), None)
            if found is not None and found.score >= _ORDER_CLOSE * first.score:
                rest = (first, *(c for c in ranked[1:6] if c is not found))
                return _decided(replace(found, score=first.score), language, rest)
        rivals = [c for c in ranked[1:] if c.kind is not IntentKind.OUT_OF_SCOPE]
        if about is Asking.PRACTICE:
            # "can you see my contacts?" asks what happens: not an order to weigh against it
            rivals = [c for c in rivals if c.kind is not IntentKind.REQUEST]
        # A second topic the question names is offered from the `unsure` floor on.
        other = _other_topic(first, rivals, text, terms)
        floor = th.unsure
        if (
            other is None
            and rivals
            and first.score - rivals[0].score <= th.margin
            # a section and its own subsection answer the same thing: no question back
            and not _nested(first.section, rivals[0].section)
        ):
            other, floor = rivals[0], th.clarify_floor
        if (
            other is not None
            # "thanks, bye": two pleasantries are not worth a question back
            and not (first.kind is other.kind is IntentKind.SMALLTALK)
            # a question about a right: its answer offers the request anyway
            and not (about is Asking.RIGHT and first.section in self.rights_sections)
            and other.score >= floor
        ):
            return Understanding(
                ReplyKind.CLARIFY,
                language,
                round(first.score, 3),
                candidates=tuple(ranked[:5]),
                alternatives=(first, other),
            )
        return _decided(first, language, tuple(c for c in ranked[1:6]))

    def _close_claim(self, ranked: list[Candidate], about: Asking | None) -> Candidate | None:
        """In a question about a right whose best section only names the data ("how can I
        access the data collected about me?", « que faire pour effacer mon numéro ? »), the
        close request that explains the action asked about."""
        first = ranked[0]
        if (
            about is not Asking.RIGHT
            or first.kind is not IntentKind.ANSWER
            or first.section in self.rights_sections
        ):
            return None
        acts = _RIGHT_ACTIONS - set(first.matched_words)
        return next(
            (
                c
                for c in ranked[1:4]
                if c.kind is IntentKind.REQUEST
                and acts.intersection(c.matched_words)
                and c.score >= _RIGHT_CLOSE * first.score
            ),
            None,
        )

    def _leads_in_domain(self, ranked: list[Candidate], terms: list[str], text: str) -> bool:
        """A privacy question whose best section, though weak, is clearly the one (not one
        half of a question joining two topics: "do you keep and share my trips?")."""
        th = self.thresholds
        first = ranked[0]
        if first.kind is not IntentKind.ANSWER or first.score < th.domain_answer:
            return False
        if not PRIVACY_CONCEPTS.intersection(terms):
            return False
        others = [c for c in ranked[1:] if c.section != first.section]
        if _other_topic(first, others, text, terms) is not None:
            return False
        return not others or others[0].score <= th.domain_lead * first.score

    def _asks_only_how(self, first: Candidate, terms: list[str]) -> bool:
        """Did the best outcome match nothing but how the question is asked ("how long",
        "why am I being charged?"), while the question names something no policy example or
        section knows? A "why" about a kind of data ("why does the shop need my e-mail?")
        asks the purpose of collecting it."""
        ix = self._index
        matched = {self._maker.concept_of(t) or t for t in first.matched_words}
        if ix.sections is not None or not matched <= _ASKING:
            return False  # from section text alone there are no off-topic examples to know
        if "PURPOSE" in matched and _ABOUT_DATA.intersection(terms):
            return False
        return any(
            all(ix.docs[i].outcome.kind in _NOT_POLICY for i in ix.posting(t) or ()) for t in terms
        )

    def _vague(self, terms: list[str]) -> bool:
        """Does the question name nothing but data or privacy in general?"""
        concepts = {self._maker.concept_of(t) for t in terms} - FUNCTION_CONCEPTS
        return bool(concepts) and concepts <= _VAGUE

    def _unsure_options(self, ranked: list[Candidate], terms: list[str]) -> tuple[Candidate, ...]:
        """The sections to offer for an in-domain question too weak to answer, or none.

        In the domain: the question names a privacy concept, its best section reaches the
        `unsure` floor, and no off-topic intent or pleasantry fits it better.
        """
        th = self.thresholds
        if not ranked or not PRIVACY_CONCEPTS.intersection(terms):
            return ()
        sections = [c for c in ranked if c.kind is IntentKind.ANSWER]
        if not sections or sections[0].score < th.unsure:
            return ()
        best = sections[0].score
        # An off-topic intent or pleasantry that fits better wins, unless it leaves a
        # privacy matter the question names unexplained ("will you know the location of
        # my friends?" beside small talk about friends).
        asked = PRIVACY_CONCEPTS.intersection(terms) - _BROAD_CONCEPTS
        if any(
            c.score > best and not (asked - set(c.matched_words))
            for c in ranked
            if c.kind in _NOT_POLICY
        ):
            return ()
        out: list[Candidate] = []
        for c in sections:
            # Two options at least (one would be an answer, not a question); a third only
            # if it is nearly as good.
            if len(out) == th.unsure_options or (len(out) >= 2 and c.score < 0.7 * best):
                break
            # a section and its own subsection answer the same thing: one of them is offered
            if all(o.section != c.section and not _nested(o.section, c.section) for o in out):
                out.append(c)
        return tuple(out)

    def _floor(self, terms: list[str]) -> float:
        """The answer threshold, lower for long messages: in a rambling message the part
        that asks is a smaller share of the words, though no less clear."""
        th = self.thresholds
        n = len(set(terms))
        return th.answer * min(1.0, math.sqrt(th.long_message / max(n, 1)))

    def _bare_match(self, text: str) -> list[Candidate]:
        """For a message with no content word left: the closest all-stop-word example."""
        bare = self._index.bare
        if not bare:
            return []
        found = best_ratio(normalise(text), list(bare), cutoff=85)
        if found is None:
            return []
        outcome, intent = bare[found[0]]
        return [_outcome_candidate(outcome, found[1] / 100, intent)]

    def _section_candidate(
        self, section: str, ranked: list[Candidate], score: float
    ) -> Candidate | None:
        """The ranked candidate for a section, or a new one if the policy has it."""
        found = next((c for c in ranked if c.section == section), None)
        if found is not None:
            return replace(found, score=score)
        if self.policy is not None and section in self.policy.section_ids():
            return Candidate(score, section=section)
        return None

    def suggest(self, text: str, limit: int = 5) -> tuple[Candidate, ...]:
        """The best outcomes with their scores and matched words, for admins."""
        language = self.detect_language(text)
        return tuple(self.rank(text, language)[:limit])


# Sections this close to the best one fit a vague question about as well.
_COMPARABLE = 0.7
# A request this close behind the rights section that best matches an order is what it
# asks for.
_ORDER_CLOSE = 0.8
_STOPPABLE: frozenset[str] = frozenset(
    {
        "SHARE",
        "SELL",
        "MONITOR",
        "COLLECT",
        "MARKETING",
        "ANALYTICS",
        "PERSONALISE",
        "USE",
        "TRANSFER",
    }
)
# The verb an order not to forbids: "tracking" is a cookie word as well as watching.
_FORBIDDABLE = _STOPPABLE | {"COOKIE"}
# A request this close behind a section, naming the right's action the section does not.
_RIGHT_CLOSE = 0.7
_RIGHT_ACTIONS = frozenset(
    {"COPY", "SEE", "DELETE", "MODIFY", "PORTABLE", "OBJECT", "RESTRICT", "WITHDRAW"}
)
# How a question is asked: "how long", "what", "can I", "why"...
_ASKING = FUNCTION_CONCEPTS | {"DURATION", "PURPOSE"}
_ABOUT_DATA = PRIVACY_CONCEPTS | DATA_KINDS
_NAMED_KINDS = frozenset({"PHONECONTENT", "SENSITIVE"})
_NO_TOPIC = FUNCTION_CONCEPTS | _BROAD_CONCEPTS | MARKERS
_VAGUE = frozenset({"DATA", "PERSONAL"}) | MARKERS
_WEIGHTY = PRACTICES | {"OBJECT", "WITHDRAW", "RESTRICT"}
_SHORT = 6  # terms
_CONJUNCTION = re.compile(r"\b(?:and|et|or|ou|plus)\b|[&/+,]", re.IGNORECASE)


def _stop_request(ranked: list[Candidate], terms: list[str]) -> Candidate:
    """The request an order to stop a practice asks for: an opt-out for selling, else an
    objection (its ranked candidate if any, for the intent it came from)."""
    wanted = RequestType.OPT_OUT_SALE if "SELL" in terms else RequestType.OBJECTION
    found = next((c for c in ranked if c.request_type is wanted), None)
    return found or Candidate(0.0, kind=IntentKind.REQUEST, request_type=wanted)


def _nested(a: str | None, b: str | None) -> bool:
    """Is one of two sections a subsection of the other ("1" and "1.2")?"""
    return a is not None and b is not None and (b.startswith(f"{a}.") or a.startswith(f"{b}."))


def _off_topic_explains(ranked: list[Candidate], terms: list[str]) -> list[Candidate]:
    """Drop off-topic intents and pleasantries that leave part of a privacy question unexplained.

    "Do you sell my photos?" shares "photos" with an off-topic example about posting photos,
    but selling is a privacy matter that example does not explain: when a policy outcome
    does explain it, the off-topic intent is not the answer.
    """
    asked = PRIVACY_CONCEPTS.intersection(terms) - (_BROAD_CONCEPTS - _NAMED_KINDS)
    if not asked:
        return ranked
    policy = [c for c in ranked if c.kind not in _NOT_POLICY][:5]
    explained = {t for c in policy for t in c.matched_words} & asked
    if not explained:
        return ranked
    # Only when a policy outcome that explains it comes close: a clearly better off-topic
    # example ("my landlord kept my deposit") still wins.
    close = max(c.score for c in policy if explained & set(c.matched_words)) / _CLOSE_ENOUGH
    return [
        c
        for c in ranked
        if c.kind not in _NOT_POLICY or explained <= set(c.matched_words) or c.score > close
    ]


def _asks_about_right(text: str, words: list[str], terms: set[str]) -> Asking | None:
    """A question about a right (or a practice) rather than an order to act on it."""
    return asks_about(
        text,
        words,
        wish=wishes(words, _WISH_WORDS),
        right="RIGHT" in terms,
        ask="ASK" in terms,
    )


def _other_topic(
    first: Candidate, rivals: list[Candidate], text: str, terms: list[str]
) -> Candidate | None:
    """In a question joining two things done with data ("do you keep and share my
    trips?"), the best rival that explains the other one. A short one ("conservation et
    transfert") names nothing but its two topics, so the weaker one is offered too; in a
    longer one it must come closer."""
    if _CONJUNCTION.search(text) is None or len(DATA_ACTIONS.intersection(terms)) < 2:
        return None
    ratio = 0.5 if len(set(terms)) <= _SHORT else 0.75
    return next((c for c in rivals[:4] if _two_topics(first, c, ratio)), None)


def _two_topics(first: Candidate, second: Candidate, ratio: float) -> bool:
    """ "Conservation et transfert": each outcome explains its own half of the question
    (a concept as broad as "data" is no topic of its own)."""
    a = {w for w in first.matched_words if w.isupper() and w not in _NO_TOPIC}
    b = {w for w in second.matched_words if w.isupper() and w not in _NO_TOPIC}
    return bool(a) and bool(b) and not a & b and second.score >= ratio * first.score


def _rank_sections(sections: SectionIndex, weight: dict[str, float]) -> list[Candidate]:
    """Answering from section text alone: the sections by BM25, best first."""
    scores = sections.scores(weight)
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    return [
        _outcome_candidate(
            sections.outcomes[i],
            float(scores[i]),
            None,
            tuple(t for t in weight if t in sections.terms[i]),
        )
        for i in order
        if scores[i] > 0
    ]


def _overlaps(ix: TermIndex, qterms: list[str], weight: dict[str, float]) -> dict[int, float]:
    """The documents sharing a weighted term with the question, in the order they are
    reached (postings run in order), with their idf-weighted overlap."""
    dot: dict[int, float] = {}
    for t in qterms:
        posting = ix.posting(t)
        if posting is None or not weight[t]:
            continue  # adds nothing to any document (x + 0.0 is x)
        gain = weight[t] * ix.idf[t] ** 2
        if not dot:
            dot = dict.fromkeys(posting, gain)
            continue
        get = dot.get
        for i in posting:
            dot[i] = get(i, 0.0) + gain
    return dot


def _top_documents(
    ix: TermIndex, qterms: list[str], weight: dict[str, float], q_sq: float
) -> list[tuple[int, float]]:
    """The `_TOP` documents of best score with their scores, best first; of equal scores,
    the one `_overlaps` reaches first (a sort is stable, reversed too). Only the documents
    with a rare term of the question are looked at when the others cannot be among them."""
    kept = None
    read_rare = None  # at the second try: the question's rarest common term read as rare
    while (rare := _rare_documents(ix, qterms, weight, q_sq, read_rare)) is not None:
        dot, masks, outside = rare
        estimates, nth = _estimates(ix, dot, q_sq)
        # The documents left out estimate below every contender: the contenders are those
        # of every document (see `_contenders`), and the `_TOP`-th estimate the same.
        if len(dot) > _TOP and outside * (1 + _SLACK) < nth * (1 - _SLACK):
            kept = _contenders(dot, estimates, nth)
            # in `_overlaps`' order: by the first question term they have, then by number
            kept.sort(key=lambda i: ((masks[i] & -masks[i]).bit_length(), i))
            break
        if read_rare is not None:
            break
        # Then the rarest common term's documents are looked at too: most often it is theirs
        # that came too close (72 of the 79 such questions of the five sets).
        common = (t for t in qterms if weight[t] and t in ix.common_bits)
        read_rare = max(common, key=ix.idf.__getitem__)
    if kept is None:
        dot = _overlaps(ix, qterms, weight)
        kept = _contenders(dot, *_estimates(ix, dot, q_sq))
    a, doc_sq, doc_weight = ix.query_weight, ix.doc_sq, ix.weight
    base = {
        i: (dot[i] / q_sq) ** a[i] * (dot[i] / doc_sq[i]) ** (1 - a[i]) * doc_weight[i]
        for i in kept
    }
    return [(i, base[i]) for i in sorted(base, key=base.__getitem__, reverse=True)[:_TOP]]


def _rare_documents(
    ix: TermIndex,
    qterms: list[str],
    weight: dict[str, float],
    q_sq: float,
    read_rare: str | None = None,
) -> tuple[dict[int, float], dict[int, int], float] | None:
    """The documents with a question term that is not one of the index's common ones
    (`TermIndex.common_bits`) or is `read_rare`, with their overlap (as `_overlaps` sums
    it) and the question terms they have (bit k: the k-th of those with documents); and the
    highest estimate (`_estimates`) a document with none but common terms can have. None for
    a question with no common term, or nothing else.

    Such a document's overlap is at most the sum of the gains of the terms it has, and its
    `rank_key` at most the least of their highest: with the terms in decreasing order of
    their highest key (times the question's factor), the best of each first few's gains
    summed times the last one's key bounds every set of them.
    """
    terms = [t for t in qterms if weight[t] and t in ix.idf]
    gains = [weight[t] * ix.idf[t] ** 2 for t in terms]
    common = {
        k: ix.common_bits[t] for k, t in enumerate(terms) if t in ix.common_bits and t != read_rare
    }
    if not common or len(common) == len(terms):
        return None
    factor = _question_factors(ix, q_sq)
    most = {k: max(v * factor[x] for x, v in ix.common_key[terms[k]].items()) for k in common}
    outside = total = 0.0
    for k in sorted(common, key=most.__getitem__, reverse=True):
        total += gains[k]
        outside = max(outside, total * most[k])
    masks: dict[int, int] = {}
    get = masks.get
    for k, t in enumerate(terms):
        if k not in common:
            bit = 1 << k
            for i in ix.posting(t) or ():
                masks[i] = get(i, 0) | bit
    asked = sum(common.values())  # the common terms asked, as the index's bits
    theirs: dict[int, int] = {}  # the index's bits of a document -> the question's
    overlap: dict[int, float] = {}  # the question's bits -> the overlap
    dot: dict[int, float] = {}
    of = ix.common_of
    for i, mask in masks.items():
        has = of[i] & asked
        if has:
            bits = theirs.get(has)
            if bits is None:
                bits = theirs[has] = sum(1 << k for k, c in common.items() if has & c)
            mask |= bits
            masks[i] = mask  # a value changed, no key added: the iteration goes on
        d = overlap.get(mask)
        if d is None:
            d = overlap[mask] = _gains_summed(gains, mask)
        dot[i] = d
    return dot, masks, outside


def _question_factors(ix: TermIndex, q_sq: float) -> dict[float, float]:
    """The question's part q^-a of an estimated score, for each query weight a."""
    return {x: q_sq**-x for x in ix.query_weights}


def _gains_summed(gains: list[float], mask: int) -> float:
    """The gains of the terms in `mask`, summed in the question's order (as `_overlaps`)."""
    d = 0.0  # 0.0 + gain is gain, as dict.fromkeys gives it
    for k, gain in enumerate(gains):
        if mask >> k & 1:
            d += gain
    return d


def _estimates(ix: TermIndex, dot: dict[int, float], q_sq: float) -> tuple[list[float], float]:
    """Each document's estimated score (`_contenders`), and the `_TOP`-th best of them (0.0
    if there are no more)."""
    a, key = ix.query_weight, ix.rank_key
    factor = _question_factors(ix, q_sq)
    estimates = [d * key[i] * factor[a[i]] for i, d in dot.items()]
    return estimates, heapq.nlargest(_TOP, estimates)[-1] if len(dot) > _TOP else 0.0


def _contenders(dot: dict[int, float], estimates: list[float], nth: float) -> list[int]:
    """The documents of `dot` (in its order) that can be among the `_TOP` best, from their
    estimates and the `_TOP`-th best one.

    A document's score, computed as (d / q)^a (d / s)^(1 - a) w, is estimated as
    d q^-a (s^(a - 1) w): the same real number (a + (1 - a) is 1 exactly for a in [0.5, 1],
    and within one rounding otherwise), rounded otherwise. Each of the two is within some
    twenty roundings (2^-53 each; libm's pow is within one) of it, so they differ by a share
    δ < 1e-14. The `_TOP` documents of best estimate E score at least E / (1 + δ), so do the
    `_TOP` best documents and any that ties with the last of them; their estimates are at
    least E (1 - δ) / (1 + δ) > E (1 - _SLACK): all are kept. The kept ones sorted (a stable
    sort, in `dot`'s order) give the same first `_TOP` as all of them sorted.
    """
    floor = nth * (1 - _SLACK)
    return [i for i, e in zip(dot, estimates, strict=True) if e >= floor]


def _blend(score: float, similarity: float) -> float:
    """A short example's score with its string similarity (0-100) to the question."""
    return 0.8 * score + 0.2 * similarity / 100


def _candidate(outcome: Outcome, score: float, doc: Doc, qterms: Iterable[str]) -> Candidate:
    matched = tuple(t for t in qterms if t in doc.terms)
    return _outcome_candidate(outcome, score, doc.intent, matched)


def _outcome_candidate(
    outcome: Outcome, score: float, intent: str | None, matched: tuple[str, ...] = ()
) -> Candidate:
    kind = outcome.kind
    return Candidate(
        score=round(min(score, 1.0), 4),
        intent=intent,
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


def _names(words: str, topic: SilentTopic) -> bool:
    """Whether the question's ` words ` name a silent topic (and one of its `also`, if any:
    "the AI team" alone is no question about training AI)."""
    if not any(f" {p} " in words for p in topic.phrases):
        return False
    return not topic.also or any(f" {p} " in words for p in topic.also)
