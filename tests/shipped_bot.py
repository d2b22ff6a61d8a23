"""A ConversationService over the shipped intents, policy and messages, with a fake
repository and mailer (no database): for tests of what the conversation understands."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from fakes.rights import FakeMailer, FakeRepository, MemoryLimits, shipped_catalogue

from privbot.bootstrap import build_knowledge
from privbot.config import load_settings
from privbot.content.knowledge import Knowledge
from privbot.core.dialogue import SubmitRequest
from privbot.core.model import Incoming, Jurisdiction, Language, Outgoing, RequestType, UserKey
from privbot.core.requests import Details
from privbot.services import ConversationService, RequestService

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
USER = UserKey("test", "7")


@cache
def knowledge() -> Knowledge:
    settings = load_settings(intents_dir=ROOT / "intents", corpus_dir=ROOT / "policy_corpus")
    return build_knowledge(settings)


class Bot:
    def __init__(self) -> None:
        self.repo = FakeRepository()
        self.requests = RequestService(self.repo, set(), UTC, shipped_catalogue)
        self.service = ConversationService(
            self.repo,
            self.requests,
            FakeMailer(),
            knowledge,
            b"s" * 32,
            random.Random(3),
            MemoryLimits(),
        )

        self.now = NOW

    def say(self, text: str, choice: str | None = None, user: UserKey = USER) -> Outgoing:
        return self.service.handle(Incoming(user, text, choice=choice), self.now)

    def submit(self, request_type: RequestType, user: UserKey = USER) -> str:
        effect = SubmitRequest(
            request_type, Jurisdiction.EU, Details(), "ann@example.com", Language.EN, True
        )
        return self.requests.submit(user, effect, self.now).request.reference


def text(out: Outgoing) -> str:
    return "\n".join(r.text for r in out.replies)


# Questions that get a "did you mean" from the shipped intents; which ones do moves with the
# matcher's tuning, so tests take the first that does (and fail if none does).
CLARIFYING = ("sécurité et conservation", "keep and share my data", "mes données", "et mes infos")


def clarifying(k: Knowledge) -> str:
    from privbot.core.model import ReplyKind

    found = [q for q in CLARIFYING if k.matcher.understand(q).kind is ReplyKind.CLARIFY]
    assert found, "none of CLARIFYING gets a 'did you mean' any more: add one that does"
    return found[0]
