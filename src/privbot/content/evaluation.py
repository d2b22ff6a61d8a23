"""Evaluating the intents against their own test phrases (pure logic, no I/O).

The expected label of a test phrase is its intent id. The predicted label is the intent the
understander chose (for CLARIFY, the top candidate's), else the button value of the outcome
reached without an intent (`core.choices`: `section:<id>`, `request:<type>`), else
`fallback`.

A prediction counts as right when it leads the user to the same outcome as the expected intent,
because that is what the user sees: another intent pointing at the same section or the same
request type, a bare section/request outcome matching the intent's, or the fallback (or any
out-of-scope intent) for an out-of-scope intent. A right prediction is recorded under the
expected label, so the per-intent figures and the confusions show only real mistakes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from privbot.core import choices as ch
from privbot.core.model import (
    Candidate,
    Intent,
    IntentKind,
    IntentSet,
    Language,
    Phrase,
    ReplyKind,
    Understanding,
)
from privbot.core.ports import Understander

FALLBACK = "fallback"

UnderstandFn = Callable[[str], Understanding]


@dataclass(frozen=True, slots=True)
class IntentScore:
    """Precision, recall and F1 of one label over the test phrases."""

    label: str
    precision: float
    recall: float
    f1: float
    support: int  # test phrases expecting this label


@dataclass(frozen=True, slots=True)
class EvalError:
    """One test phrase that led somewhere else."""

    phrase: str
    language: Language
    expected: str
    predicted: str
    confidence: float
    source: str = ""
    line: int = 0
    offered: bool = False  # a "did you mean" that offers the expected outcome as an option


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The outcome of running every test phrase through an understander."""

    scores: tuple[IntentScore, ...]  # one per label, sorted by label
    accuracy: float
    total: int
    correct: int
    clarified: int  # answered with "did you mean...?" (counted by their top candidate)
    confusions: tuple[tuple[str, str, int], ...]  # (expected, predicted, count), most first
    errors: tuple[EvalError, ...]
    labels: tuple[str, ...]
    matrix: tuple[tuple[int, ...], ...]  # rows: expected label, columns: predicted label

    def score(self, label: str) -> IntentScore | None:
        for s in self.scores:
            if s.label == label:
                return s
        return None


def _candidate_label(c: Candidate) -> str:
    if c.intent:
        return c.intent
    if c.request_type is not None:
        return ch.request(c.request_type)
    if c.section:
        return ch.section(c.section)
    return FALLBACK


def predicted_label(understanding: Understanding) -> str:
    """The label an Understanding stands for (see the module docstring)."""
    if understanding.kind is ReplyKind.CLARIFY:
        top = (understanding.alternatives or understanding.candidates or (None,))[0]
        return _candidate_label(top) if top is not None else FALLBACK
    if understanding.intent:
        return understanding.intent
    if understanding.kind is ReplyKind.REQUEST and understanding.request_type is not None:
        return ch.request(understanding.request_type)
    if understanding.kind is ReplyKind.ANSWER and understanding.section:
        return ch.section(understanding.section)
    return FALLBACK


def _outcome(intents: IntentSet, label: str) -> str:
    """What the user gets for a label; two labels with the same outcome are equivalent."""
    if _bare_outcome(label) is not None or label == FALLBACK:
        return label
    intent = intents.get(label)
    if intent is None:
        return label
    return _intent_outcome(intent)


def _intent_outcome(intent: Intent) -> str:
    if intent.kind is IntentKind.ANSWER:
        return ch.section(intent.section or "")
    if intent.kind is IntentKind.REQUEST and intent.request_type is not None:
        return ch.request(intent.request_type)
    if intent.kind is IntentKind.OUT_OF_SCOPE:
        return FALLBACK
    return ch.intent(intent.id)


def _bare_outcome(label: str) -> ch.Choice | None:
    """A section or request type reached without an intent, else None (an intent id)."""
    choice = ch.parse(label)
    kinds = (ch.ChoiceKind.SECTION, ch.ChoiceKind.REQUEST)
    return choice if choice is not None and choice.kind in kinds else None


def _as_function(understander: Understander | UnderstandFn) -> UnderstandFn:
    if hasattr(understander, "understand"):
        return understander.understand
    return understander


def evaluate(
    intents: IntentSet, understander: Understander | UnderstandFn, *, top_confusions: int = 10
) -> Evaluation:
    """Run every test phrase of every intent and score the predictions."""
    understand = _as_function(understander)
    pairs: list[tuple[str, str]] = []
    errors: list[EvalError] = []
    clarified = 0
    for intent in intents.intents:
        for phrase in intent.tests:
            understanding = understand(phrase.text)
            clarified += understanding.kind is ReplyKind.CLARIFY
            predicted = predicted_label(understanding)
            if _outcome(intents, predicted) == _intent_outcome(intent):
                predicted = intent.id
            else:
                offered = any(
                    _outcome(intents, _candidate_label(c)) == _intent_outcome(intent)
                    for c in understanding.alternatives
                )
                errors.append(
                    _error(intent, phrase, predicted, understanding.confidence, offered=offered)
                )
            pairs.append((intent.id, predicted))
    return _score(pairs, tuple(errors), clarified, top_confusions)


def _error(
    intent: Intent, phrase: Phrase, predicted: str, confidence: float, *, offered: bool = False
) -> EvalError:
    return EvalError(
        phrase=phrase.text,
        language=phrase.language,
        expected=intent.id,
        predicted=predicted,
        confidence=confidence,
        source=intent.source,
        line=phrase.line,
        offered=offered,
    )


def _score(
    pairs: Sequence[tuple[str, str]],
    errors: tuple[EvalError, ...],
    clarified: int,
    top_confusions: int,
) -> Evaluation:
    labels = tuple(sorted({label for pair in pairs for label in pair}))
    counts = Counter(pairs)
    support = Counter(expected for expected, _ in pairs)
    predicted = Counter(p for _, p in pairs)
    scores = []
    for label in labels:
        tp = counts[(label, label)]
        precision = tp / predicted[label] if predicted[label] else 0.0
        recall = tp / support[label] if support[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(IntentScore(label, precision, recall, f1, support[label]))
    correct = sum(n for (e, p), n in counts.items() if e == p)
    confusions = sorted(
        ((e, p, n) for (e, p), n in counts.items() if e != p), key=lambda c: (-c[2], c[0], c[1])
    )
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for (e, p), n in counts.items():
        matrix[index[e]][index[p]] = n
    return Evaluation(
        scores=tuple(scores),
        accuracy=correct / len(pairs) if pairs else 0.0,
        total=len(pairs),
        correct=correct,
        clarified=clarified,
        confusions=tuple(confusions[:top_confusions]),
        errors=errors,
        labels=labels,
        matrix=tuple(tuple(row) for row in matrix),
    )


def losing_tests(intents: IntentSet, understander: Understander | UnderstandFn) -> list[str]:
    """`file:line: ...` for every test phrase that another intent's outcome wins.

    A "did you mean" that offers the phrase's own outcome as one of its options is not a
    loss: no other intent won, and the user reaches the right answer in one tap. `eval`
    still counts it against accuracy (by the top candidate), so it stays visible there.
    """
    evaluation = evaluate(intents, understander)
    return [
        f"{e.source}:{e.line}: test phrase {e.phrase!r} of intent {e.expected!r}"
        f" is matched to {_describe(e.predicted)}"
        for e in evaluation.errors
        if not e.offered
    ]


def _describe(label: str) -> str:
    if label == FALLBACK:
        return "the fallback"
    bare = _bare_outcome(label)
    if bare is None:
        return repr(label)
    what = "section" if bare.kind is ch.ChoiceKind.SECTION else "request type"
    return f"{what} {bare.argument!r}"


def report(evaluation: Evaluation) -> dict[str, object]:
    """The evaluation as Rasa's `intent_report.json`: per label, plus accuracy and averages."""
    out: dict[str, object] = {
        s.label: {
            "precision": s.precision,
            "recall": s.recall,
            "f1-score": s.f1,
            "support": s.support,
        }
        for s in evaluation.scores
    }
    total = sum(s.support for s in evaluation.scores) or 1
    n = len(evaluation.scores) or 1
    out["accuracy"] = evaluation.accuracy
    for name, weight in (
        ("macro avg", lambda s: 1 / n),
        ("weighted avg", lambda s: s.support / total),
    ):
        out[name] = {
            "precision": sum(weight(s) * s.precision for s in evaluation.scores),
            "recall": sum(weight(s) * s.recall for s in evaluation.scores),
            "f1-score": sum(weight(s) * s.f1 for s in evaluation.scores),
            "support": evaluation.total,
        }
    return out


def errors_report(evaluation: Evaluation) -> list[dict[str, object]]:
    """Each misclassified test phrase, as `errors.json`."""
    return [
        {
            "text": e.phrase,
            "language": e.language.value,
            "intent": e.expected,
            "intent_prediction": {"name": e.predicted, "confidence": e.confidence},
            "file": e.source,
            "line": e.line,
        }
        for e in evaluation.errors
    ]
