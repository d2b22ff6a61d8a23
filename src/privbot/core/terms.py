"""From normalised text to the canonical terms the matcher compares.

Each word is spelling-corrected against the known vocabulary (`fuzzy`), mapped to its
bilingual concept when it has one, and otherwise stemmed in its language (Snowball).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import re
import sys
import types
from collections import Counter
from collections.abc import Callable, Iterable

from privbot.core.common_words import COMMON_WORDS, FREQUENT_WORDS
from privbot.core.fuzzy import Vocabulary
from privbot.core.lexicon import (
    BROADER,
    DATA_ACTIONS,
    FUNCTION_CONCEPTS,
    INTERCHANGEABLE,
    PHRASE_LENGTH,
    PHRASES,
    SAME_AS,
    SHIPPING,
    STOP_WORDS,
    TRACKING,
    UNRELATED,
    UNRELATED_IN,
    WORD_CONCEPTS,
)
from privbot.core.model import Language
from privbot.core.phrasing import (
    app_asks_access,
    app_perceives,
    app_sends,
    asks_who,
    names_owner,
    starts_with_imperative,
    user_leaves,
    user_watches,
)
from privbot.core.text import normalise, tokens

_STEMMERS = {Language.FR: "french", Language.EN: "english"}
# snowballstemmer's own package imports all of its 30-odd languages (3 MB): its French and
# English modules are loaded under this private name instead, from the same files.
_SNOWBALL = "_privbot_snowball"
_CACHE_LIMIT = 20_000
_SHORT_WORD = 4  # letters
_VISIBILITY = frozenset({"SEE", "COPY"})
_SENT_ELSEWHERE = DATA_ACTIONS | {"ME"}
# A question may follow a title or a remark: « Accès aux données : qui peut les obtenir ? »
_CLAUSES = re.compile(r"[:;?!.]\s|[:;?!]")


class _Stemmer:
    """Snowball stemming of one language, with a bounded cache of the words seen.

    Picklable (the cached knowledge keeps the cache); Snowball itself is loaded at the first
    word not in the cache, so a knowledge loaded from the cache starts without it.
    """

    __slots__ = ("_cache", "_language", "_stem")

    def __init__(self, language: Language, cache: dict[str, str] | None = None) -> None:
        self._language = language
        self._stem: Callable[[str], str] | None = None
        self._cache: dict[str, str] = cache if cache is not None else {}

    def __call__(self, word: str) -> str:
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) >= _CACHE_LIMIT:  # users' words are unbounded: keep memory flat
                self._cache.clear()
            if self._stem is None:
                self._stem = _snowball(_STEMMERS[self._language])
            found = self._cache[word] = self._stem(word)
        return found

    def __reduce__(self) -> tuple[type[_Stemmer], tuple[Language, dict[str, str]]]:
        return (_Stemmer, (self._language, self._cache))


def _snowball(algorithm: str) -> Callable[[str], str]:
    """Snowball's stemmer `algorithm` (its module `<algorithm>_stemmer`), without loading the
    other languages: the package is registered under a private name, its `__init__` not run.
    A release laid out otherwise gets the package's own way (every language loaded)."""
    try:
        if _SNOWBALL not in sys.modules:
            spec = importlib.util.find_spec("snowballstemmer")  # finds it, does not import it
            if spec is None or spec.submodule_search_locations is None:
                raise ImportError("snowballstemmer")
            package = types.ModuleType(_SNOWBALL)
            package.__path__ = list(spec.submodule_search_locations)
            sys.modules[_SNOWBALL] = package
        module = importlib.import_module(f"{_SNOWBALL}.{algorithm}_stemmer")
        stemmer = getattr(module, f"{algorithm.capitalize()}Stemmer")()
    except (ImportError, AttributeError):
        import snowballstemmer

        stemmer = snowballstemmer.stemmer(algorithm)
    stem: Callable[[str], str] = stemmer.stemWord
    return stem


class TermMaker:
    """Turns text into canonical terms; learns the vocabulary it may correct towards."""

    def __init__(self, *, function_words: bool = True) -> None:
        # Question, wish and negation words separate intents ("can I..." vs "delete...");
        # against section text alone they are noise, so they can be dropped like stop words
        # (function_words=False), and so are the policy's owner named with a determiner
        # ("the company") and the stems of interchangeable words (INTERCHANGEABLE).
        self._function_words = function_words
        self._stem = {lang: _Stemmer(lang) for lang in Language}
        # Stems of concept words, so "supprimées" or "deleting" find their concept too.
        self._stem_concepts: dict[str, str] = {}
        stemmers: tuple[Callable[[str], str], ...] = (*self._stem.values(), self._double_stem)
        for word, concept in WORD_CONCEPTS.items():
            for stem in stemmers:
                self._stem_concepts.setdefault(stem(word), concept)
        self._known: Counter[str] = Counter(set(WORD_CONCEPTS) | set(STOP_WORDS))
        self._vocabulary = Vocabulary(())
        self._known_stems: set[str] = set()
        self._corrections: dict[str, str | None] = {}

    def _double_stem(self, word: str) -> str:
        """French then English stemming: one language-independent key per word."""
        return self._stem[Language.EN](self._stem[Language.FR](word))

    def _stems(self, word: str) -> set[str]:
        """A word's French, English and double stems: forms of one word share one of them
        (Snowball's French stemmer cuts "transmit" to "transm", not "transmitted")."""
        return _stems(self._stem[Language.FR], self._stem[Language.EN], word)

    def learn(self, words: Iterable[str]) -> None:
        """Add words that queries may be corrected towards."""
        # Two-letter "words" are noise here; numbers are never corrected.
        self._known.update(w for w in words if len(w) > 1)
        self._vocabulary = Vocabulary(sorted(self._known))
        # Everyday words are real words too, though not the policy's: never corrected.
        self._known_stems = {s for w in self._vocabulary.words for s in self._stems(w)}
        self._known_stems |= _everyday_stems()
        self._corrections.clear()

    @property
    def vocabulary(self) -> Vocabulary:
        """The words queries may be corrected towards."""
        return self._vocabulary

    def correct(self, word: str) -> str:
        """The closest known word for a misspelt one, or the word itself."""
        if (
            word in self._known
            or word in COMMON_WORDS
            or word in FREQUENT_WORDS
            or len(word) < 3
            or word.isdigit()
        ):
            return word
        cached = self._corrections.get(word, "")
        if cached != "":
            return cached or word
        fixed = None
        # Another form of a known or everyday word ("vendant" beside "vendez", "transmitted"
        # beside "transmit") is not a typo.
        if self._known_stems.isdisjoint(self._stems(word)) and (
            self._double_stem(word) not in self._stem_concepts
        ):
            # Optimal string alignment: a swapped pair of letters ("tmeps") costs one edit.
            found = self._vocabulary.extract(word, cutoff=0.75, limit=8)
            if len(word) <= _SHORT_WORD:
                # In a short word one letter changed is as likely another word as a typo
                # ("usps" is not "uses"): only a letter missing, added or swapped is fixed.
                found = [f for f in found if _same_letters(word, f[0])]
            if found:
                # Among the closest, prefer the same length, then the more frequent word.
                best = max(
                    found,
                    key=lambda f: (round(f[1], 3), len(f[0]) == len(word), self._known[f[0]]),
                )
                fixed = best[0]
        if len(self._corrections) >= _CACHE_LIMIT:
            self._corrections.clear()
        self._corrections[word] = fixed
        return fixed or word

    def word_terms(self, word: str, language: Language) -> tuple[str, ...]:
        """The canonical terms of one normalised word: its stem, plus its concept if any.

        Keeping the stem beside the concept makes the exact word count more than a synonym
        ("access" beats "see"), while the concept still bridges languages and synonyms.
        """
        if word in STOP_WORDS:
            return ()
        if word in UNRELATED:
            return (UNRELATED[word],)
        if word in UNRELATED_IN[language]:
            return (word,)
        stem = self._stem[Language.EN](self._stem[Language.FR](word))
        concept = WORD_CONCEPTS.get(word) or self._stem_concepts.get(self._stem[language](word))
        if concept == "NEG" and word not in WORD_CONCEPTS:
            # negation is its listed words alone: « donnes » and "notez" only share a stem
            # with "don't" and "not", "arena" with "aren't"
            concept = None
        if concept in FUNCTION_CONCEPTS and not self._function_words:
            return ()
        if not concept or concept == stem:
            return (stem,)
        if concept in INTERCHANGEABLE and not self._function_words:
            # against section text, "data" would favour the sections that say "data" over
            # those that say "information"
            return (concept,)
        broader = BROADER.get(concept)
        return (stem, concept, broader) if broader else (stem, concept)

    def concept_of(self, term: str) -> str | None:
        """The concept a canonical term stands for (itself for a concept), if any."""
        return term if term.isupper() else self._stem_concepts.get(term)

    def terms(self, text: str, language: Language, *, fix_typos: bool = False) -> list[str]:
        """Canonical terms of a raw text, in order, stop words dropped."""
        out: list[str] = []
        words = tokens(normalise(text))
        fixed = _join_phrases([self.correct(w) for w in words] if fix_typos else words)
        fixed = [SAME_AS.get(w, w) for w in fixed]
        if language is Language.FR:
            fixed = self._first_plural(fixed)
        # "how do I track my goals?": the user watches, no practice of ours is named
        own = user_watches(fixed) if self._function_words else frozenset()
        leaving = user_leaves(fixed)
        for i, word in enumerate(fixed):
            if i in leaving:
                # "when I close my account": leaving is the circumstance, one concept
                # whatever the verb, and no wish to delete
                out.extend((*self.word_terms(word, language)[:1], "LEAVE"))
                continue
            if i in own or (
                word in TRACKING and SHIPPING.intersection(fixed[max(0, i - 3) : i + 4])
            ):
                # the user's own watching, or a parcel's tracking: the word as itself
                out.extend(self.word_terms(word, language)[:1])
                continue
            if names_owner(fixed, i):
                if self._function_words:
                    # "the website", "this company": the policy's owner, no third party
                    out.extend(self.word_terms(word, language)[:1])
                continue
            out.extend(self.word_terms(word, language))
        if self._function_words and starts_with_imperative(words):
            out.append("WANT")  # "send me...", "supprimez...": an order is a wish to act
        if _VISIBILITY.intersection(out) and any(
            asks_who(tokens(normalise(clause))) for clause in _CLAUSES.split(text)
        ):
            out.append("OTHERS")  # "who can see my data?": other people, though unnamed
        elif app_perceives(words) and _VISIBILITY.intersection(out):
            # "can the app access my photos?" asks what is collected, not for a copy
            out = ["COLLECT" if t in _VISIBILITY else t for t in out]
            if app_asks_access(words):
                out = [t for t in out if t != "WANT"]  # the app's wish, not the user's
        if self._function_words and not _SENT_ELSEWHERE.intersection(out) and app_sends(words):
            # "does the app send my data anywhere?": data leaving the phone is collected,
            # unless it is sent to the user ("can you send me my data?") or the question
            # names what else is done with it ("send or keep")
            out.append("COLLECT")
        return out

    def _first_plural(self, words: list[str]) -> list[str]:
        """« Conservons-nous », « nous protégeons »: a verb beside « nous » whose « -ons »
        Snowball's French stemmer keeps (« conservon » names no keeping) is cut to its root
        when that root names a concept (not « raisons nous... »), so it meets the examples'
        stem too."""
        out = list(words)
        for i, word in enumerate(words):
            if len(word) < 7 or not word.endswith("ons"):
                continue
            before = words[i - 1] if i else ""
            after = words[i + 1] if i + 1 < len(words) else ""
            # « nous protégeons », or inverted at the start or after a question word
            # (« comment protégeons-nous »), not a noun before « nous » (« quelles
            # permissions nous sont demandées ? »)
            if before != "nous" and not (after == "nous" and before in _INVERSION_AFTER):
                continue
            root = word[:-4] if word.endswith("geons") else word[:-3]  # « protégeons »
            if len(self.word_terms(root, Language.FR)) >= 2:
                out[i] = root
        return out

    @staticmethod
    def words(text: str) -> list[str]:
        """The normalised words of a raw text."""
        return tokens(normalise(text))


# Where a French verb inverted with « nous » may stand: first, or after a question word.
_INVERSION_AFTER = frozenset({"", "comment", "ou", "pourquoi", "quand", "combien", "que", "qu"})


def _same_letters(a: str, b: str) -> bool:
    """Are the letters of one word all in the other (nothing but added or moved)?"""
    ca, cb = Counter(a), Counter(b)
    return ca <= cb or cb <= ca


def _stems(fr: Callable[[str], str], en: Callable[[str], str], word: str) -> set[str]:
    return {fr(word), en(word), en(fr(word))}


@functools.cache
def _everyday_stems() -> frozenset[str]:
    """The stems of COMMON_WORDS, made once a process with stemmers of their own (the
    knowledge's stemmer caches keep the words questions use)."""
    fr, en = _Stemmer(Language.FR), _Stemmer(Language.EN)
    return frozenset(s for word in COMMON_WORDS for s in _stems(fr, en, word))


def _join_phrases(words: list[str]) -> list[str]:
    """The words with each phrase of the lexicon ("sold out", "opt out") made one word."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(PHRASE_LENGTH, len(words) - i), 1, -1):
            joined = PHRASES.get(tuple(words[i : i + n]))
            if joined is not None:
                out.append(joined)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out
