"""French or English, for short and sloppy messages.

Evidence is summed as log-odds (positive = French): French-only letters and elisions,
English contractions, the words themselves against each language's vocabulary, an optional
n-gram model (langdetect, restricted to fr/en, passed in by the adapter layer), and priors
(the user's previous language, the channel's user language) that matter most when the text
says little.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from privbot.core.model import Language
from privbot.core.text import normalise, tokens

NgramScorer = Callable[[str], Mapping[Language, float]]
"""Probability of each language for a text (langdetect restricted to fr/en)."""

_FRENCH_LETTERS = re.compile(r"[éèêëàâçùûüôîïœ]", re.IGNORECASE)
_FRENCH_ELISION = re.compile(r"\b(?:l|d|j|qu|n|c|s|m|t)['’]\w", re.IGNORECASE)
# French inversion: « scanne-t-il », « avez-vous », « peut-on » (no English word ends so).
_FRENCH_INVERSION = re.compile(
    r"\w-(?:t-)?(?:il|ils|elle|elles|vous|tu|je|nous)\b|\w-t-on\b", re.IGNORECASE
)
_ENGLISH_CONTRACTION = re.compile(r"\w['’](?:s|t|re|ve|ll|m|d)\b", re.IGNORECASE)

# Function words are the surest sign of a language in two or three words.
_FUNCTION_WORDS: Mapping[Language, frozenset[str]] = {
    Language.FR: frozenset(
        (
            "le la les un une des du de et ou est sont je tu il elle nous vous ils mes mon ma "
            "vos votre notre nos ce cette ces que qui quoi quel quelle quels quelles comment "
            "pourquoi combien quand ou avec pour dans sur pas ne plus mais donc bonjour salut "
            "merci oui non peux pouvez puis veux voudrais suis avez avoir etre faire sont aux "
            "au chez sans leur leurs moi toi ca cela est-ce combien temps donnees "
        ).split()
    ),
    Language.EN: frozenset(
        (
            "the a an and or is are was i you he she we they my your our their this that "
            "these those what which who how why when where with for in on of to do does did "
            "can could would should will not no yes hello hi hey thanks thank please me it "
            "its be have has about from data long keep "
        ).split()
    ),
}
_CAP = 2.5  # no single word decides alone
_NGRAM_CAP = 2.0  # langdetect is overconfident on short inputs: its say is clamped to this
_UNDECIDED = 0.4  # below this much evidence, the default language


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The chosen language and the log-odds behind it (positive favours French; without the
    n-gram term when the other evidence had decided)."""

    language: Language
    log_odds: float


class LanguageDetector:
    """Combines word, letter and n-gram evidence with priors into one decision."""

    def __init__(
        self,
        vocabulary: Mapping[Language, Iterable[str]],
        ngram_scorer: NgramScorer | None = None,
        default: Language = Language.EN,
    ) -> None:
        self._counts = {lang: Counter(vocabulary.get(lang, ())) for lang in Language}
        self._totals = {lang: sum(c.values()) + 1 for lang, c in self._counts.items()}
        # Words weigh only against two vocabularies: with one (a policy in one language
        # answered from its text alone), each of its words would count for the other.
        self._compare_words = all(self._counts.values())
        self._ngram = ngram_scorer
        self._default = default

    def __getstate__(self) -> dict[str, object]:
        """Pickled (the cached knowledge) without the n-gram scorer: `use_ngram_scorer`
        gives it back once loaded."""
        return {**self.__dict__, "_ngram": None}

    def use_ngram_scorer(self, ngram_scorer: NgramScorer | None) -> None:
        """Set the n-gram scorer (before the detector is shared)."""
        self._ngram = ngram_scorer

    def _word_evidence(self, word: str) -> float:
        fr_fn = word in _FUNCTION_WORDS[Language.FR]
        en_fn = word in _FUNCTION_WORDS[Language.EN]
        if fr_fn != en_fn:
            return 1.5 if fr_fn else -1.5
        if not self._compare_words or not (
            self._counts[Language.FR][word] or self._counts[Language.EN][word]
        ):
            return 0.0  # an unknown word says nothing about the language
        fr = (self._counts[Language.FR][word] + 0.5) / self._totals[Language.FR]
        en = (self._counts[Language.EN][word] + 0.5) / self._totals[Language.EN]
        return max(-_CAP, min(_CAP, math.log(fr / en)))

    def detect(
        self,
        text: str,
        *,
        previous: Language | None = None,
        channel: Language | None = None,
    ) -> LanguageGuess:
        """Guess the language of `text`; priors weigh only what the text leaves open."""
        score = 0.0
        score += 2.0 * len(_FRENCH_LETTERS.findall(text))
        score += 2.0 * len(_FRENCH_ELISION.findall(text))
        score += 2.0 * len(_FRENCH_INVERSION.findall(text))
        score -= 1.5 * len(_ENGLISH_CONTRACTION.findall(text.replace("qu'", "")))
        words = tokens(normalise(text))
        score += sum(self._word_evidence(w) for w in words)
        priors = [0.8 if previous is Language.FR else -0.8] if previous is not None else []
        if channel is not None:
            priors.append(0.6 if channel is Language.FR else -0.6)
        # langdetect (sampling, the costliest step) is asked only when its clamped say could
        # change the decision: evidence beyond its cap plus the undecided band is settled.
        if (
            self._ngram is not None
            and len(words) >= 3
            and abs(score + sum(priors)) <= _NGRAM_CAP + _UNDECIDED + 1e-9
        ):
            probs = self._ngram(text)
            fr, en = probs.get(Language.FR, 0.0), probs.get(Language.EN, 0.0)
            if fr + en > 0:
                ratio = math.log((fr + 1e-3) / (en + 1e-3)) / 2
                score += max(-_NGRAM_CAP, min(_NGRAM_CAP, ratio))
        for prior in priors:
            score += prior
        if abs(score) < _UNDECIDED:
            # Words used alike in both languages ("cookies?", "contact"): no real evidence.
            return LanguageGuess(self._default, score)
        return LanguageGuess(Language.FR if score > 0 else Language.EN, score)
