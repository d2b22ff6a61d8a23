"""langdetect, seeded and restricted to the bot's languages, as a core NgramScorer."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from privbot.core.language import NgramScorer
from privbot.core.model import Language


def langdetect_scorer() -> NgramScorer:
    """Build the scorer. Only the French and English profiles are loaded, so langdetect
    can no longer answer Catalan or Welsh; seeding makes it deterministic."""
    import langdetect
    from langdetect.detector_factory import DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    profiles = Path(langdetect.__file__).parent / "profiles"
    factory = DetectorFactory()
    factory.load_json_profile([(profiles / lang.value).read_text("utf-8") for lang in Language])
    factory.seed = 0

    def score(text: str) -> Mapping[Language, float]:
        try:
            detector = factory.create()
            detector.append(text)
            probs = {p.lang: p.prob for p in detector.get_probabilities()}
        except LangDetectException:
            return {}
        return {lang: probs.get(lang.value, 0.0) for lang in Language}

    return score
