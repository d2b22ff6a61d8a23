"""Normalisation and language detection on short, sloppy messages."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import pytest
from eval_questions import load_cases
from shipped_bot import knowledge as shipped_knowledge

from privbot.adapters.langdetect_scorer import langdetect_scorer
from privbot.core.index import TermIndex
from privbot.core.language import LanguageDetector
from privbot.core.model import Language
from privbot.core.terms import TermMaker
from privbot.core.text import normalise

FR, EN = Language.FR, Language.EN
DEV = Path(__file__).parents[1] / "data" / "dev_questions.txt"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Qu'est-ce que vous COLLECTEZ ?", "est-ce que vous collectez".replace("-", " ")),
        ("L'accès à mes données", "acces a mes donnees"),
        ("j’ai oublié", "ai oublie"),
        ("Cœur & âme!!!", "coeur ame"),
        ("write to me@example.com.", "write to me@example.com"),
        # Invisible format characters are removed, never turned into spaces that split words.
        ("coo\u200bkies", "cookies"),
        ("co\u00adokies and\u2060 da\u200cta\u200d\ufeff", "cookies and data"),
        ("\u202ecookies\u202c \u2066data\u2069", "cookies data"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    vocab = {FR: "donnees supprimer droits politique".split(), EN: "data delete rights".split()}
    return LanguageDetector(vocab, langdetect_scorer())


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("delete my data", EN),
        ("supprimer mes donnees", FR),
        ("SUPPRIMEZ MES DONNEES", FR),
        ("WHAT ARE MY RIGHTS", EN),
        ("quels sont mes droits", FR),
        ("mes droits", FR),
        ("my rights?", EN),
        ("comment vous contacter", FR),
        ("how do u use my info", EN),
        ("vous gardez mes infos combien de temps", FR),
        ("c'est quoi", FR),
        ("je veux delete my account", FR),
        ("what does l'application collect", EN),
        ("bonjour", FR),
        ("hello", EN),
        ("merci", FR),
        ("thx", EN),
    ],
)
def test_detects_short_messages(detector: LanguageDetector, text: str, lang: Language) -> None:
    assert detector.detect(text).language is lang


def test_priors_decide_only_when_the_text_is_silent(detector: LanguageDetector) -> None:
    assert detector.detect("ok", previous=FR).language is FR
    assert detector.detect("ok", channel=EN).language is EN
    # The text wins over a prior when it says something.
    assert detector.detect("how long do you keep my data", previous=FR).language is EN
    assert detector.detect("combien de temps gardez-vous mes données", channel=EN).language is FR


def test_detection_is_deterministic(detector: LanguageDetector) -> None:
    results = {detector.detect("politique de confidentialite data").log_odds for _ in range(20)}
    assert len(results) == 1


def _always_ngram(vocab: LanguageDetector, text: str, previous: Language | None) -> Language:
    """The decision as it was made before langdetect became lazy: its clamped say always
    added to the other evidence."""
    score = vocab.detect(text, previous=previous).log_odds  # no scorer: the rest alone
    if len(TermMaker.words(text)) >= 3:
        probs = langdetect_scorer()(text)
        fr, en = probs.get(FR, 0.0), probs.get(EN, 0.0)
        if fr + en > 0:
            score += max(-2.0, min(2.0, math.log((fr + 1e-3) / (en + 1e-3)) / 2))
    return EN if abs(score) < 0.4 else (FR if score > 0 else EN)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # French inversion beside a brand name and a word both languages share
        ("Facebook scanne-t-il vos photos ?", FR),
        ("Google lit-il mes mails ?", FR),
        ("is the add-on tracking me", EN),
    ],
)
def test_french_inversion_is_french(text: str, lang: Language) -> None:
    assert shipped_knowledge().matcher.detect_language(text) is lang


def test_langdetect_is_asked_only_when_it_could_change_the_decision() -> None:
    knowledge = shipped_knowledge()
    matcher = knowledge.matcher
    vocab = TermIndex(matcher.policy, matcher.intents, TermMaker()).pop_vocabulary()
    calls: list[str] = []
    scorer = langdetect_scorer()

    def counting(text: str) -> Mapping[Language, float]:
        calls.append(text)
        return scorer(text)

    lazy = LanguageDetector(vocab, counting)
    bare = LanguageDetector(vocab)
    texts = [c.text for c in load_cases()] + [c.text for c in load_cases(DEV)]
    for previous in (None, FR, EN):
        for text in texts:
            assert lazy.detect(text, previous=previous).language is _always_ngram(
                bare, text, previous
            ), text
    # Most questions say their language plainly: langdetect is the exception.
    assert len(calls) < 0.5 * 3 * len(texts)
    assert lazy.detect("how long do you keep my data and why").language is EN
    before = len(calls)
    lazy.detect("how long do you keep my data and why")
    assert len(calls) == before  # decided by the words


def test_one_vocabulary_alone_says_nothing_about_the_language() -> None:
    """A policy in one language answered from its text alone: its words are no evidence
    for the other language (each of them used to count as French beside no French words)."""
    policy_words = TermMaker.words(
        "We collect information you give us when you create an account, and we share it "
        "with service providers. You can opt out of marketing emails at any time."
    )
    detector = LanguageDetector({EN: policy_words})
    for text in ("Does this website collect my information?", "can I opt out of marketing emails?"):
        assert detector.detect(text).language is EN, text
    assert detector.detect("est-ce que vous partagez mes données ?").language is FR
