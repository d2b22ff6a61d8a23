"""`core.fuzzy` computes what rapidfuzz computed for the matcher, float for float, on the
shipped vocabulary and question sets: the spelling corrections' candidates (OSA similarity,
the 8 closest from 0.75, in rapidfuzz's order), the short examples' re-scoring
(`token_sort_ratio`) and the all-stop-word match (`ratio`, the best from 85). rapidfuzz is a
test dependency only: the bot no longer loads it (3.7 MB resident)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from eval_questions import load_cases
from shipped_bot import knowledge as shipped_knowledge

from privbot.content.knowledge import Knowledge
from privbot.core import fuzzy
from privbot.core.fuzzy import best_ratio, osa_distance, ratio, token_sort_ratio
from privbot.core.model import Language
from privbot.core.terms import TermMaker

rapidfuzz = pytest.importorskip("rapidfuzz")
from rapidfuzz import fuzz, process  # noqa: E402
from rapidfuzz.distance import OSA  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SETS = ("eval_questions.txt", "dev_questions.txt", "regression_questions.txt",
        "real_questions_fr.txt")  # fmt: skip
LETTERS = "abcdefghijklmnopqrstuvwxyzéèàçô'-"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return shipped_knowledge()


def questions() -> list[tuple[str, Language]]:
    """(text, language) of every question of the four sets."""
    return [(c.text, c.language) for name in SETS for c in load_cases(ROOT / "tests/data" / name)]


def typo(word: str, rng: random.Random, edits: int) -> str:
    """`word` with `edits` random letters changed, dropped, added or swapped."""
    letters = list(word)
    for _ in range(edits):
        at = rng.randrange(max(len(letters), 1))
        kind = rng.randrange(4)
        if kind == 0 and letters:
            letters[at] = rng.choice(LETTERS)
        elif kind == 1 and len(letters) > 1:
            del letters[at]
        elif kind == 2:
            letters.insert(at, rng.choice(LETTERS))
        elif at + 1 < len(letters):
            letters[at], letters[at + 1] = letters[at + 1], letters[at]
    return "".join(letters)


def test_corrections_are_rapidfuzz_s(knowledge: Knowledge) -> None:
    """Every word of the question sets and 4,000 misspelt known words (1 to 3 edits)."""
    vocabulary = knowledge.matcher.term_maker.vocabulary
    known = vocabulary.words
    assert len(known) > 3000
    rng = random.Random(16)
    asked = {w for text, _ in questions() for w in TermMaker.words(text)}
    misspelt = {typo(rng.choice(known), rng, rng.randint(1, 3)) for _ in range(4000)}
    words = sorted(w for w in asked | misspelt if len(w) >= 3)
    assert len(words) > 4500
    for word in words:
        theirs = process.extract(
            word, known, scorer=OSA.normalized_similarity, score_cutoff=0.75, limit=8
        )
        assert vocabulary.extract(word, cutoff=0.75, limit=8) == [tuple(f) for f in theirs], word


def test_osa_distance_is_rapidfuzz_s(knowledge: Knowledge) -> None:
    known = knowledge.matcher.term_maker.vocabulary.words
    rng = random.Random(3)
    pairs = [(w, typo(w, rng, rng.randint(0, 4))) for w in rng.sample(known, 2000)]
    pairs += [(rng.choice(known), rng.choice(known)) for _ in range(2000)]
    pairs += [("", ""), ("", "abc"), ("ab", "ba"), ("abc", "ca"), ("aaaa", "aa"), ("ca", "abc")]
    for a, b in pairs:
        assert osa_distance(a, b) == OSA.distance(a, b), (a, b)


def test_token_sort_ratio_is_rapidfuzz_s(knowledge: Knowledge) -> None:
    """Each question's canonical terms against short examples' (as the ranking compares)."""
    maker = knowledge.matcher.term_maker
    rng = random.Random(5)
    examples = [p for i in knowledge.intents.intents for p in i.examples]
    canon = [" ".join(maker.terms(p.text, p.language)) for p in rng.sample(examples, 300)]
    for text, language in questions():
        query = " ".join(knowledge.matcher.terms(text, language))
        for other in rng.sample(canon, 25):
            assert token_sort_ratio(query, other) == fuzz.token_sort_ratio(query, other)
            assert ratio(query, other) == fuzz.ratio(query, other)
    for a, b in (("", ""), ("a", ""), ("", "b a"), (" b  a ", "a b"), ("été", "ete")):
        assert token_sort_ratio(a, b) == fuzz.token_sort_ratio(a, b), (a, b)
        assert ratio(a, b) == fuzz.ratio(a, b), (a, b)


def test_best_ratio_is_extract_one_s() -> None:
    choices = ["merci", "merci beaucoup", "thanks", "thank you", "thank you so much", "merci"]
    rng = random.Random(9)
    texts = [typo(c, rng, rng.randint(0, 2)) for c in choices for _ in range(40)]
    for text in [*texts, "", "ok"]:
        theirs = process.extractOne(text, choices, scorer=fuzz.ratio, score_cutoff=85)
        assert best_ratio(text, choices, cutoff=85) == (theirs[:2] if theirs else None), text


def test_a_word_longer_than_any_known_one_is_not_searched() -> None:
    """A pasted string of thousands of letters (a group message is matched before any
    length check) is no typo of a known word: the search stops before the table of edits
    allowed, whose size grows as the square of its length (1.4 s for 4,096 letters)."""
    vocabulary = fuzzy.Vocabulary(["privacy", "cookies", "données"])
    fuzzy._edits_allowed.cache_clear()
    assert vocabulary.extract("a" * 4096, cutoff=0.75, limit=8) == []
    assert fuzzy._edits_allowed.cache_info().currsize == 0
    assert vocabulary.extract("privacyy", cutoff=0.75, limit=8)[0][0] == "privacy"
    longest = "p" * 9  # 9 * 0.75 <= 7 + 1: still searched
    assert vocabulary.extract(longest, cutoff=0.75, limit=8) == []
    assert fuzzy._edits_allowed.cache_info().currsize == 2
