"""The matcher's shortcuts change no ranking: only the documents whose estimated score can
reach the 60 best are scored exactly, those with none but common terms are not looked at when
they cannot be among them, and the 60 are those (and in that order, with the same floats)
that scoring and sorting every document reached gives."""

from __future__ import annotations

from pathlib import Path

from eval_questions import load_cases
from shipped_bot import knowledge

from privbot.core.index import TermIndex
from privbot.core.matching import (
    _SLACK,
    Matcher,
    _estimates,
    _overlaps,
    _rare_documents,
    _top_documents,
)
from privbot.core.model import Intent, IntentKind, IntentSet, Language, Phrase

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted((ROOT / "tests/data").glob("*_questions*.txt"))  # every question set


def _every_document_sorted(ix: TermIndex, dot: dict[int, float], q_sq: float) -> list[object]:
    a, doc_sq, w = ix.query_weight, ix.doc_sq, ix.weight
    base = {i: (d / q_sq) ** a[i] * (d / doc_sq[i]) ** (1 - a[i]) * w[i] for i, d in dot.items()}
    return [(i, base[i]) for i in sorted(base, key=base.__getitem__, reverse=True)[:60]]


def test_the_best_documents_are_those_every_document_scored_gives() -> None:
    matcher = knowledge().matcher
    ix = matcher._index
    pruned = rare = 0
    for path in SETS:
        for case in load_cases(path):
            qterms = list(dict.fromkeys(matcher.terms(case.text, case.language)))
            weight = matcher._term_weights(qterms)
            q_sq = sum(weight[t] * ix.idf.get(t, ix.max_idf) ** 2 for t in qterms)
            dot = _overlaps(ix, qterms, weight)
            if not dot or not q_sq:
                continue
            top = _top_documents(ix, qterms, weight, q_sq)
            assert top == _every_document_sorted(ix, dot, q_sq)
            pruned += len(dot) > 60
            found = _rare_documents(ix, qterms, weight, q_sq)
            if found is not None and len(found[0]) < len(dot):
                nth = _estimates(ix, found[0], q_sq)[1]
                rare += found[2] * (1 + _SLACK) < nth * (1 - _SLACK)
    assert pruned > 500  # most questions reach more documents than are kept
    assert rare > 300, rare  # many skip the documents of their common terms


def test_documents_tied_past_the_60th_keep_the_first_reached() -> None:
    """Ninety sections with the same example tie: the first 60 are ranked, in order."""
    intents = tuple(
        Intent(f"s{n}", IntentKind.ANSWER, (Phrase("data sharing", Language.EN),), str(n))
        for n in range(90)
    )
    ranked = Matcher(None, IntentSet(intents=intents)).rank("sharing data", Language.EN)
    assert [c.section for c in ranked] == [str(n) for n in range(60)]
    assert len({c.score for c in ranked}) == 1
