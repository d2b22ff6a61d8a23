"""Normalisation and language detection on short, sloppy messages."""

from __future__ import annotations

import pytest

from privbot.adapters.langdetect_scorer import langdetect_scorer
from privbot.core.language import LanguageDetector
from privbot.core.model import Language
from privbot.core.text import normalise

FR, EN = Language.FR, Language.EN


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
