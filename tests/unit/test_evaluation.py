"""Evaluation metrics, computed with a hand-written fake understander."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from privbot.content.evaluation import (
    FALLBACK,
    errors_report,
    evaluate,
    losing_tests,
    predicted_label,
    report,
)
from privbot.core.model import (
    Candidate,
    Intent,
    IntentKind,
    IntentSet,
    Language,
    Phrase,
    ReplyKind,
    RequestType,
    Understanding,
)


def intent(
    intent_id: str,
    kind: IntentKind,
    tests: list[str],
    *,
    section: str | None = None,
    request_type: RequestType | None = None,
) -> Intent:
    return Intent(
        id=intent_id,
        kind=kind,
        examples=(Phrase("x", Language.EN, 1),),
        section=section,
        request_type=request_type,
        tests=tuple(Phrase(t, Language.EN, 100 + n) for n, t in enumerate(tests)),
        source=f"{intent_id}.yaml",
    )


INTENTS = IntentSet(
    (
        intent("cookies", IntentKind.ANSWER, ["c1", "c2", "c3", "c4"], section="7"),
        intent("retention", IntentKind.ANSWER, ["r1", "r2"], section="5"),
        intent("retention_more", IntentKind.ANSWER, ["m1"], section="5"),
        intent("erase", IntentKind.REQUEST, ["e1", "e2"], request_type=RequestType.ERASURE),
        intent("weather", IntentKind.OUT_OF_SCOPE, ["w1", "w2"]),
        intent("jokes", IntentKind.OUT_OF_SCOPE, ["j1"]),
        intent("greet", IntentKind.SMALLTALK, ["g1"]),
    )
)


class FakeUnderstander:
    """Answers from a fixed table: test phrase -> Understanding."""

    def __init__(self, answers: Mapping[str, Understanding]) -> None:
        self.answers = answers
        self.seen: list[str] = []

    def understand(
        self,
        text: str,
        *,
        forced_language: Language | None = None,
        previous_language: Language | None = None,
        channel_language: Language | None = None,
    ) -> Understanding:
        self.seen.append(text)
        return self.answers[text]


def answer(intent_id: str | None, section: str | None = None, conf: float = 0.9) -> Understanding:
    return Understanding(ReplyKind.ANSWER, Language.EN, conf, intent=intent_id, section=section)


def fallback(intent_id: str | None = None) -> Understanding:
    return Understanding(ReplyKind.FALLBACK, Language.EN, 0.1, intent=intent_id)


FAKE = FakeUnderstander(
    {
        "c1": answer("cookies"),
        "c2": answer("cookies"),
        "c3": answer("retention", conf=0.55),  # wrong
        "c4": Understanding(  # clarify: counted by its top candidate, right here
            ReplyKind.CLARIFY,
            Language.EN,
            0.5,
            alternatives=(
                Candidate(0.5, intent="cookies", section="7"),
                Candidate(0.48, intent="retention", section="5"),
            ),
        ),
        "r1": answer("retention"),
        "r2": answer("cookies", conf=0.6),  # wrong
        "m1": answer(None, section="5"),  # bare section, same outcome: right
        "e1": Understanding(
            ReplyKind.REQUEST, Language.EN, 0.9, intent="erase", request_type=RequestType.ERASURE
        ),
        "e2": answer("cookies", conf=0.4),  # wrong
        "w1": fallback(),  # fallback without intent for an out-of-scope intent: right
        "w2": fallback("jokes"),  # another out-of-scope intent: same outcome, right
        "j1": answer("retention", conf=0.3),  # wrong
        "g1": fallback(),  # smalltalk lost to the fallback: wrong
    }
)


def test_metrics_per_intent_and_overall() -> None:
    evaluation = evaluate(INTENTS, FAKE)

    assert evaluation.total == 13
    assert evaluation.correct == 8
    assert evaluation.accuracy == pytest.approx(8 / 13)
    assert evaluation.clarified == 1
    cookies = evaluation.score("cookies")
    assert cookies is not None
    # predicted cookies: c1, c2, c4 (right), r2, e2 (wrong)
    assert cookies.precision == pytest.approx(3 / 5)
    assert cookies.recall == pytest.approx(3 / 4)
    assert cookies.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    assert cookies.support == 4
    retention = evaluation.score("retention")
    assert retention is not None
    assert (retention.precision, retention.recall) == (pytest.approx(1 / 3), 0.5)
    more = evaluation.score("retention_more")
    assert more is not None and (more.precision, more.recall) == (1.0, 1.0)
    weather = evaluation.score("weather")
    assert weather is not None and weather.recall == 1.0
    greet = evaluation.score("greet")
    assert greet is not None and (greet.recall, greet.f1) == (0.0, 0.0)
    fallback_row = evaluation.score(FALLBACK)
    assert fallback_row is not None and fallback_row.support == 0


def test_confusions_errors_and_matrix() -> None:
    evaluation = evaluate(INTENTS, FAKE)

    assert evaluation.confusions[0] == ("cookies", "retention", 1)
    assert set(evaluation.confusions) == {
        ("cookies", "retention", 1),
        ("retention", "cookies", 1),
        ("erase", "cookies", 1),
        ("jokes", "retention", 1),
        ("greet", FALLBACK, 1),
    }
    errors = {(e.phrase, e.expected, e.predicted) for e in evaluation.errors}
    assert errors == {
        ("c3", "cookies", "retention"),
        ("r2", "retention", "cookies"),
        ("e2", "erase", "cookies"),
        ("j1", "jokes", "retention"),
        ("g1", "greet", FALLBACK),
    }
    c3 = next(e for e in evaluation.errors if e.phrase == "c3")
    assert (c3.confidence, c3.language, c3.source, c3.line) == (
        0.55,
        Language.EN,
        "cookies.yaml",
        102,
    )
    row = evaluation.labels.index("cookies")
    assert sum(evaluation.matrix[row]) == 4
    assert evaluation.matrix[row][row] == 3
    assert sum(map(sum, evaluation.matrix)) == 13


def test_losing_tests_lines() -> None:
    lines = losing_tests(INTENTS, FAKE)
    assert (
        "cookies.yaml:102: test phrase 'c3' of intent 'cookies' is matched to 'retention'" in lines
    )
    assert "greet.yaml:100: test phrase 'g1' of intent 'greet' is matched to the fallback" in lines
    assert len(lines) == 5


def test_a_plain_callable_works_too() -> None:
    evaluation = evaluate(INTENTS, lambda text: FAKE.answers[text])
    assert evaluation.correct == 8


def test_predicted_label() -> None:
    assert predicted_label(fallback()) == FALLBACK
    assert predicted_label(answer(None, section="3.1")) == "section:3.1"
    request = Understanding(ReplyKind.REQUEST, Language.FR, 0.8, request_type=RequestType.ACCESS)
    assert predicted_label(request) == "request:access"
    clarify = Understanding(
        ReplyKind.CLARIFY, Language.FR, 0.4, candidates=(Candidate(0.4, section="9"),)
    )
    assert predicted_label(clarify) == "section:9"
    assert predicted_label(Understanding(ReplyKind.CLARIFY, Language.FR, 0.0)) == FALLBACK


def test_reports_are_rasa_shaped() -> None:
    evaluation = evaluate(INTENTS, FAKE)
    intent_report = report(evaluation)
    cookies = intent_report["cookies"]
    assert isinstance(cookies, dict)
    assert set(cookies) == {"precision", "recall", "f1-score", "support"}
    assert intent_report["accuracy"] == pytest.approx(8 / 13)
    assert {"macro avg", "weighted avg"} <= set(intent_report)
    weighted = intent_report["weighted avg"]
    assert isinstance(weighted, dict)
    assert weighted["recall"] == pytest.approx(8 / 13)  # weighted recall is the accuracy
    errors = errors_report(evaluation)
    assert len(errors) == 5
    assert {
        "text": "c3",
        "language": "en",
        "intent": "cookies",
        "intent_prediction": {"name": "retention", "confidence": 0.55},
        "file": "cookies.yaml",
        "line": 102,
    } in errors


def test_empty_set() -> None:
    evaluation = evaluate(IntentSet(()), FAKE)
    assert (evaluation.total, evaluation.accuracy, evaluation.scores) == (0, 0.0, ())


def test_a_clarify_offering_the_right_outcome_is_not_a_losing_test() -> None:
    """'Did you mean A or B?' with the phrase's own outcome among the options: no other
    intent won, so `intents check` does not report it; `eval` still counts the top one."""
    cookies = Candidate(0.6, intent="cookies", section="7")
    erase = Candidate(0.61, kind=IntentKind.REQUEST, request_type=RequestType.ERASURE)
    weather = Candidate(0.6, intent="weather", kind=IntentKind.OUT_OF_SCOPE)
    answers = {
        t: Understanding(ReplyKind.ANSWER, Language.EN, 0.9, intent=i.id, section=i.section)
        for i in INTENTS.intents
        for t in (p.text for p in i.tests)
    }
    offered = Understanding(ReplyKind.CLARIFY, Language.EN, 0.61, alternatives=(erase, cookies))
    not_offered = Understanding(ReplyKind.CLARIFY, Language.EN, 0.61, alternatives=(erase, weather))
    fake = FakeUnderstander({**answers, "c1": offered, "c2": not_offered})
    lost = losing_tests(INTENTS, fake)
    assert [line.split(": ", 1)[0] for line in lost if "cookies" in line] == ["cookies.yaml:101"]
    assert evaluate(INTENTS, fake).score("cookies").recall < 1.0  # type: ignore[union-attr]
