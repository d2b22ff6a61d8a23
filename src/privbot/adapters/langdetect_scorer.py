"""langdetect, seeded and restricted to the bot's languages, as a core NgramScorer."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from privbot.core.language import NgramScorer
from privbot.core.model import Language

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory


@functools.cache
def _factory() -> DetectorFactory:
    """Only the French and English profiles are loaded, so langdetect can no longer answer
    Catalan or Welsh; seeding makes it deterministic. Loaded at the first text that needs
    it (most messages are decided without langdetect, `core.language`)."""
    import langdetect
    from langdetect.detector_factory import DetectorFactory

    profiles = Path(langdetect.__file__).parent / "profiles"
    factory = DetectorFactory()
    factory.load_json_profile([(profiles / lang.value).read_text("utf-8") for lang in Language])
    factory.seed = 0
    return factory


def langdetect_scorer() -> NgramScorer:
    """The scorer; langdetect itself is loaded when first used."""

    def score(text: str) -> Mapping[Language, float]:
        from langdetect.lang_detect_exception import LangDetectException

        try:
            detector = _factory().create()
            detector.append(text)
            probs = {p.lang: p.prob for p in detector.get_probabilities()}
        except LangDetectException:
            return {}
        return {lang: probs.get(lang.value, 0.0) for lang in Language}

    return score
