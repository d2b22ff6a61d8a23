"""Hand-written fakes for the rights-request services: repository, mailer, knowledge, clock."""

from __future__ import annotations

import copy
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

from privbot.content.messages import load_catalogue
from privbot.core import abuse
from privbot.core.catalogue import Catalogue
from privbot.core.feedback import RecordFeedback
from privbot.core.handoff import Handoff, HandoffStatus
from privbot.core.inbox import Entry
from privbot.core.model import (
    Language,
    Option,
    Reply,
    ReplyKind,
    RequestType,
    Understanding,
    UserKey,
)
from privbot.core.records import Notification, UserProfile
from privbot.core.requests import (
    OPEN_STATUSES,
    AuditEvent,
    RequestStatus,
    RightsRequest,
    make_reference,
)
from privbot.core.topics import Topic
from privbot.core.verification import CodeRecord
from privbot.services.ports import StoredFlow, UserRows


def _stored(p: UserProfile) -> tuple[object, ...]:
    """What `replace_user` compares: the columns the profile's changes write."""
    return p.language, p.language_chosen, p.jurisdiction


class FakeRepository:
    def __init__(self) -> None:
        self.users: dict[UserKey, UserProfile] = {}
        self.flows: dict[UserKey, tuple[dict[str, Any], datetime]] = {}
        self.flow_tokens: dict[UserKey, str] = {}  # each flow write draws one
        self.codes: dict[UserKey, CodeRecord] = {}
        self.requests: dict[str, RightsRequest] = {}
        self.audit: list[AuditEvent] = []
        self.topics: dict[UserKey, Topic] = {}
        self.inbox: list[Entry] = []
        self.question_counts: Counter[tuple[date, str]] = Counter()
        self.handoffs: list[Handoff] = []
        self.relayed: list[tuple[int, str]] = []
        self.outbox: list[Notification] = []
        self.votes: dict[str, RecordFeedback] = {}  # by token

    def get_user(self, key: UserKey) -> UserProfile | None:
        return self.users.get(key)

    def save_user(self, profile: UserProfile, now: datetime) -> None:
        self.users[profile.key] = profile

    def replace_user(self, before: UserProfile | None, after: UserProfile, now: datetime) -> bool:
        current = self.users.get(after.key)
        if current is None or before is None:
            if current is not before:  # a profile stored while none was known, or the reverse
                return False
        elif _stored(current) != _stored(before):
            return False
        self.users[after.key] = after
        return True

    def load_flow(self, key: UserKey) -> tuple[dict[str, Any], datetime] | None:
        return self.flows.get(key)

    def save_flow(self, key: UserKey, state: dict[str, Any], now: datetime) -> None:
        self.flows[key] = (state, now)
        self.flow_tokens[key] = secrets.token_hex(8)

    def delete_flow(self, key: UserKey) -> None:
        self.flows.pop(key, None)
        self.flow_tokens.pop(key, None)

    def read_flow(self, key: UserKey) -> StoredFlow | None:
        flow = self.flows.get(key)
        return StoredFlow(flow[0], flow[1], self.flow_tokens[key]) if flow else None

    def write_flow(
        self,
        key: UserKey,
        read_token: str | None,
        state: dict[str, Any] | None,
        now: datetime | None = None,
    ) -> bool:
        if self.flow_tokens.get(key) != read_token:
            return False
        if state is None:
            self.delete_flow(key)
        else:
            assert now is not None
            self.save_flow(key, state, now)
        return True

    def get_code(self, key: UserKey) -> CodeRecord | None:
        return self.codes.get(key)

    def save_code(self, key: UserKey, record: CodeRecord) -> None:
        self.codes[key] = record

    def delete_code(self, key: UserKey) -> None:
        self.codes.pop(key, None)

    def code_mailed(self, key: UserKey, digest: str) -> None:
        stored = self.codes.get(key)
        if stored is not None and stored.digest == digest:
            self.codes[key] = replace(stored, mailed=True)

    def save_code_if(
        self, key: UserKey, read_digest: str | None, record: CodeRecord | None
    ) -> bool:
        stored = self.codes.get(key)
        if (stored.digest if stored else None) != read_digest:
            return False
        if record is None:
            self.delete_code(key)
        else:
            self.save_code(key, record)
        return True

    def add_request(
        self,
        draft: RightsRequest,
        events: Sequence[AuditEvent] = (),
        notifications: Sequence[Notification] = (),
    ) -> RightsRequest:
        ref = make_reference(draft.received_at.year, len(self.requests) + 1)
        req = replace(draft, reference=ref)
        self.requests[ref] = req
        self.audit.extend(replace(e, reference=ref) for e in events)
        self.outbox.extend(notifications)
        return req

    def save_request(
        self,
        req: RightsRequest,
        events: Sequence[AuditEvent] = (),
        notifications: Sequence[Notification] = (),
        now: datetime | None = None,
    ) -> None:
        self.requests[req.reference] = req
        self.audit.extend(events)
        self.outbox.extend(notifications)

    def get_request(self, reference: str) -> RightsRequest | None:
        return self.requests.get(reference)

    def find_open(self, user: UserKey, request_type: RequestType) -> RightsRequest | None:
        for r in self.requests.values():
            if r.user == user and r.type is request_type and r.status in OPEN_STATUSES:
                return r
        return None

    def list_requests(
        self, user: UserKey | None = None, statuses: Iterable[RequestStatus] | None = None
    ) -> list[RightsRequest]:
        wanted = set(statuses) if statuses is not None else None
        return [
            r
            for r in self.requests.values()
            if (user is None or r.user == user) and (wanted is None or r.status in wanted)
        ]

    def audit_log(self, reference: str) -> list[AuditEvent]:
        return [e for e in self.audit if e.reference == reference]

    def enqueue(self, notifications: Sequence[Notification]) -> None:
        self.outbox.extend(notifications)

    def notifications_for(self, user: UserKey) -> list[Notification]:
        return [n for n in self.outbox if n.user == user]

    def user_rows(self, key: UserKey) -> UserRows:
        return UserRows(
            self.get_user(key),
            self.load_flow(key),
            self.get_topic(key),
            self.handoff_open_of(key),
            self.flow_tokens.get(key),
        )

    def handoff_open_of(self, key: UserKey) -> Handoff | None:
        return next((h for h in self.handoffs if h.user == key and h.is_open), None)

    def open_handoff(self, key: UserKey, language: Language, actor: str, now: datetime) -> Handoff:
        found = self.handoff_open_of(key)
        if found is None:
            found = Handoff(len(self.handoffs) + 1, key, language, HandoffStatus.OPEN, now)
            self.handoffs.append(found)
            self.audit.append(AuditEvent(found.reference, "handoff_opened", actor, now))
        return found

    def close_handoff(self, handoff_id: int, actor: str, now: datetime) -> None:
        for i, h in enumerate(self.handoffs):
            if h.id == handoff_id and h.is_open:
                self.handoffs[i] = replace(h, status=HandoffStatus.CLOSED, closed_at=now)
                self.audit.append(AuditEvent(h.reference, "handoff_closed", actor, now))

    def relay_to_staff(self, handoff_id: int, text: str, now: datetime) -> None:
        self.relayed.append((handoff_id, text))

    def get_topic(self, key: UserKey) -> Topic | None:
        return self.topics.get(key)

    def save_topic(self, key: UserKey, topic: Topic) -> None:
        self.topics[key] = topic

    def record_feedback(self, vote: RecordFeedback, now: datetime) -> bool:
        if vote.token in self.votes:
            return False
        self.votes[vote.token] = vote
        return True

    def add_question_counts(self, counts: Mapping[tuple[date, str], int]) -> None:
        self.question_counts.update(counts)

    def add_inbox_entry(self, entry: Entry) -> None:
        self.inbox.append(entry)

    def delete_user(self, key: UserKey) -> None:
        for table in (self.users, self.flows, self.flow_tokens, self.codes, self.topics):
            table.pop(key, None)  # type: ignore[attr-defined]
        self.outbox = [n for n in self.outbox if n.user != key or n.reference is not None]

    # --- one transaction: everything put back on leaving without commit() ------------------
    _STATE = ("users", "flows", "flow_tokens", "codes", "requests", "audit", "outbox")

    def unit_of_work(self) -> FakeRepository:
        self.commit()
        return self

    def __enter__(self) -> FakeRepository:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for name, value in self._saved.items():
            setattr(self, name, value)

    def commit(self) -> None:
        self._saved = {name: copy.copy(getattr(self, name)) for name in self._STATE}


class MemoryLimits:
    """`VerificationLimits` in a dict (the SQL one is `adapters.persistence.limits.LimitStore`)."""

    def __init__(self) -> None:
        self.counters: dict[str, abuse.Counter] = {}
        self.alerts: list[abuse.Alert] = []

    def judge(
        self, action: abuse.Action, keys: Mapping[abuse.Scope, str], now: datetime
    ) -> abuse.Verdict:
        ids = {scope: f"{action}:{scope}:{key}" for scope, key in keys.items()}
        counters = {scope: self.counters.get(k, abuse.Counter()) for scope, k in ids.items()}
        verdict = abuse.judge(action, counters, now)
        if verdict.allowed:
            self.counters.update({k: verdict.counters[scope] for scope, k in ids.items()})
        self.alerts.extend(verdict.alerts)
        return verdict


class FakeMailer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))

    def last_code(self) -> str:
        found = re.search(r"\b(\d{6})\b", self.sent[-1][2])
        assert found, "no code in the last mail"
        return found.group(1)


_REQUEST_WORDS = {
    "supprimer": RequestType.ERASURE,
    "delete": RequestType.ERASURE,
    "acces": RequestType.ACCESS,
    "access": RequestType.ACCESS,
}


class FakeUnderstander:
    """REQUEST for a few keywords, else FALLBACK; English if the text has 'the'/'my'."""

    def understand(
        self,
        text: str,
        *,
        forced_language: Language | None = None,
        previous_language: Language | None = None,
        channel_language: Language | None = None,
    ) -> Understanding:
        words = set(text.lower().replace("è", "e").replace("é", "e").split())
        detected = Language.EN if words & {"the", "my", "i", "want"} else Language.FR
        lang = forced_language or detected
        for w, t in _REQUEST_WORDS.items():
            if w in words:
                return Understanding(ReplyKind.REQUEST, lang, 0.9, request_type=t)
        return Understanding(ReplyKind.FALLBACK, lang, 0.1)


class FakeAnswers:
    def render(self, u: Understanding) -> tuple[Reply, ...]:
        return (Reply(f"answer:{u.kind}:{u.language}"),)

    def resolve_choice(self, value: str, lang: Language) -> tuple[Reply, ...] | None:
        return (Reply(f"resolved:{value}"),) if value == "section:6" else None

    def more_on(self, topic: str, lang: Language) -> Reply:
        return Reply(f"more:{topic}")

    def topic_hint(self, topic: str, lang: Language) -> str:
        return ""

    def person_offer(self, lang: Language) -> Option:
        return Option("person", "handoff:offer")


@cache
def shipped_catalogue() -> Catalogue:
    """The message catalogue the project ships (`intents/messages.yaml`)."""
    return load_catalogue(Path(__file__).resolve().parents[2] / "intents")


@dataclass
class FakeKnowledge:
    matcher: FakeUnderstander = field(default_factory=FakeUnderstander)
    answers: FakeAnswers = field(default_factory=FakeAnswers)
    catalogue: Catalogue = field(default_factory=shipped_catalogue)
