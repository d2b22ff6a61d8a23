"""Load the held-out question set and score the shipped knowledge on it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from privbot.content.knowledge import Knowledge
from privbot.core.model import Language, ReplyKind, Understanding

DATA = Path(__file__).parent / "data" / "eval_questions.txt"


@dataclass(frozen=True)
class Case:
    expected: str
    language: Language
    text: str


def load_cases(path: Path = DATA) -> list[Case]:
    cases = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        expected, lang, text = (p.strip() for p in line.split("|", 2))
        cases.append(Case(expected, Language(lang), text))
    return cases


def outcome(u: Understanding) -> str:
    if u.kind is ReplyKind.ANSWER:
        return f"section:{u.section}"
    if u.kind is ReplyKind.REQUEST:
        return f"request:{u.request_type}"
    return u.kind.value


def score(knowledge: Knowledge, cases: list[Case]) -> tuple[float, float, list[str]]:
    right = lang_right = 0
    misses = []
    for case in cases:
        u = knowledge.matcher.understand(case.text)
        got = outcome(u)
        ok = got == case.expected
        right += ok
        lang_right += u.language is case.language
        if not ok or u.language is not case.language:
            misses.append(
                f"{case.expected:24} got {got:24} {u.language} {u.confidence:.2f}  {case.text}"
            )
    return right / len(cases), lang_right / len(cases), misses
