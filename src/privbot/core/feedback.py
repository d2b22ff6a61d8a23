"""👍 / 👎 under each policy answer: the buttons, what a press means, and the counts.

    offer(replies, token, lang, texts) -> replies   the turn's last policy answer gains both
    read(value) -> RecordFeedback | None            a press, as the effect the service runs
    thanked(counted, lang, texts, ...) -> Reply     the brief thanks

A vote is an effect, `RecordFeedback`: the service stores it under the answer's intent and
section, once per token (one token per answer message: a second press, or a replayed one, is
not counted), and nothing else: no message text, no user. A 👎 is where a caller may also
keep the question it rated, e.g. a redacted inbox (the service's `_record_feedback`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from privbot.core import choices as ch
from privbot.core import messages as M
from privbot.core.catalogue import Catalogue
from privbot.core.model import Language, Option, Reply


@dataclass(frozen=True, slots=True)
class RecordFeedback:
    """Effect: count one vote on a policy answer, unless its `token` already voted."""

    token: str
    section: str
    intent: str | None
    positive: bool


@dataclass(frozen=True, slots=True)
class FeedbackCount:
    """The votes on one answer (an intent, or a section answered without one)."""

    section: str
    intent: str | None
    up: int
    down: int

    @property
    def label(self) -> str:
        return self.intent or f"section {self.section}"


def offer(
    replies: tuple[Reply, ...], token: str, lang: Language, texts: Catalogue
) -> tuple[Reply, ...]:
    """The replies, the last policy answer among them carrying 👍 / 👎 (both with `token`)."""
    last = next((i for i in reversed(range(len(replies))) if replies[i].answer), None)
    if last is None:
        return replies
    answer = replies[last].answer
    assert answer is not None
    buttons = tuple(
        Option(
            texts.text(lang, M.FEEDBACK_UP if positive else M.FEEDBACK_DOWN),
            ch.feedback(token, positive, answer.section_id, answer.intent),
        )
        for positive in (True, False)
    )
    rated = replace(replies[last], options=replies[last].options + buttons)
    return (*replies[:last], rated, *replies[last + 1 :])


def read(value: str) -> RecordFeedback | None:
    """The vote a button value carries, or None when it is not one."""
    choice = ch.parse(value)
    if choice is None or choice.kind is not ch.ChoiceKind.FEEDBACK:
        return None
    parts = ch.feedback_parts(choice.argument)
    if parts is None:
        return None
    token, positive, section, intent = parts
    return RecordFeedback(token, section, intent, positive)


def thanked(
    vote: RecordFeedback, counted: bool, lang: Language, texts: Catalogue, person: Option
) -> Reply:
    """A short thanks; after a 👎, the offer to write to a person. A vote already counted is
    said to be so (nothing changes)."""
    if not counted:
        return Reply(texts.text(lang, M.FEEDBACK_ALREADY))
    if vote.positive:
        return Reply(texts.text(lang, M.FEEDBACK_THANKS))
    return Reply(texts.text(lang, M.FEEDBACK_SORRY), (person,))


def totals(counts: Iterable[FeedbackCount]) -> tuple[int, int]:
    """All 👍 and all 👎."""
    up = down = 0
    for c in counts:
        up, down = up + c.up, down + c.down
    return up, down
