"""The ports the services depend on; `adapters.persistence.repository.SqlRepository` and the
test fakes implement them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol

from privbot.core.abuse import Action, Scope, Verdict
from privbot.core.catalogue import Catalogue
from privbot.core.feedback import RecordFeedback
from privbot.core.handoff import Handoff
from privbot.core.inbox import Entry
from privbot.core.model import Language, Option, Reply, RequestType, Understanding, UserKey
from privbot.core.ports import Understander
from privbot.core.records import Notification, UserProfile
from privbot.core.requests import AuditEvent, RequestStatus, RightsRequest
from privbot.core.topics import Topic
from privbot.core.verification import CodeRecord


@dataclass(frozen=True, slots=True)
class UserRows:
    """What a message reads of its user at once (`Repository.user_rows`)."""

    profile: UserProfile | None
    flow: tuple[dict[str, Any], datetime] | None  # as `load_flow` gives it
    topic: Topic | None
    handoff: Handoff | None  # the open one
    flow_token: str | None = None  # the flow row's `StoredFlow.token` (None: no row)


@dataclass(frozen=True, slots=True)
class StoredFlow:
    """The flow row as read: its JSON, when it was written, and the token that write drew
    at random (what `Repository.write_flow` compares)."""

    state: dict[str, Any]
    updated_at: datetime
    token: str


class Repository(Protocol):
    """Everything the services store."""

    def user_rows(self, key: UserKey) -> UserRows:
        """`get_user`, `load_flow`, `get_topic` and `handoff_open_of` together, at once."""
        ...

    def get_user(self, key: UserKey) -> UserProfile | None: ...
    def save_user(self, profile: UserProfile, now: datetime) -> None: ...
    def replace_user(self, before: UserProfile | None, after: UserProfile, now: datetime) -> bool:
        """Save `after` if the stored profile's language, choice and jurisdiction are still
        `before`'s (None: no profile stored); False, nothing saved, when they are not."""
        ...

    def get_topic(self, key: UserKey) -> Topic | None: ...
    def handoff_open_of(self, key: UserKey) -> Handoff | None: ...
    def open_handoff(
        self, key: UserKey, language: Language, actor: str, now: datetime
    ) -> Handoff: ...
    def close_handoff(self, handoff_id: int, actor: str, now: datetime) -> None: ...
    def relay_to_staff(self, handoff_id: int, text: str, now: datetime) -> None: ...
    def save_topic(self, key: UserKey, topic: Topic) -> None: ...
    def add_question_counts(self, counts: Mapping[tuple[date, str], int]) -> None: ...
    def add_inbox_entry(self, entry: Entry) -> None: ...
    def load_flow(self, key: UserKey) -> tuple[dict[str, Any], datetime] | None: ...
    def save_flow(self, key: UserKey, state: dict[str, Any], now: datetime) -> None: ...
    def delete_flow(self, key: UserKey) -> None: ...
    def read_flow(self, key: UserKey) -> StoredFlow | None:
        """`load_flow` with the token of the write that made the row."""
        ...

    def write_flow(
        self,
        key: UserKey,
        read_token: str | None,
        state: dict[str, Any] | None,
        now: datetime | None = None,
    ) -> bool:
        """Replace the flow row by `state` (None: delete it) only if it is still the row
        whose token was `read_token` (None: only if there is no row), atomically; False, and
        nothing written, when another write came between (that one stands)."""
        ...

    def get_code(self, key: UserKey) -> CodeRecord | None: ...
    def save_code(self, key: UserKey, record: CodeRecord) -> None: ...
    def save_code_if(
        self, key: UserKey, read_digest: str | None, record: CodeRecord | None
    ) -> bool:
        """`save_code` (None: `delete_code`) only if the stored code is still the one whose
        digest was read (None: only if there is none), atomically; False, and nothing
        written, when another code was written between (that one stands)."""
        ...

    def code_mailed(self, key: UserKey, digest: str) -> None:
        """Record that the code with this digest was mailed (nothing if it was replaced)."""
        ...

    def delete_code(self, key: UserKey) -> None: ...
    def add_request(
        self,
        draft: RightsRequest,
        events: Sequence[AuditEvent] = (),
        notifications: Sequence[Notification] = (),
    ) -> RightsRequest: ...
    def save_request(
        self,
        req: RightsRequest,
        events: Sequence[AuditEvent] = (),
        notifications: Sequence[Notification] = (),
        now: datetime | None = None,
    ) -> None: ...
    def get_request(self, reference: str) -> RightsRequest | None: ...
    def find_open(self, user: UserKey, request_type: RequestType) -> RightsRequest | None: ...
    def list_requests(
        self, user: UserKey | None = None, statuses: Iterable[RequestStatus] | None = None
    ) -> list[RightsRequest]: ...
    def audit_log(self, reference: str) -> list[AuditEvent]: ...
    def enqueue(self, notifications: Sequence[Notification]) -> None: ...
    def notifications_for(self, user: UserKey) -> list[Notification]: ...
    def record_feedback(self, vote: RecordFeedback, now: datetime) -> bool:
        """Count a 👍 / 👎; False (nothing stored) when its token already voted."""
        ...

    def delete_user(self, key: UserKey) -> None:
        """Forget the profile, the flow, the code, the topic and the messages queued outside a
        request of `key` (requests are kept, with the messages about them)."""
        ...

    def unit_of_work(self) -> UnitOfWork:
        """The same calls in one transaction: `with repo.unit_of_work() as uow: ...;
        uow.commit()`; leaving the block without `commit()` undoes them all."""
        ...


class UnitOfWork(Repository, Protocol):
    """A `Repository` whose calls are one transaction (see `Repository.unit_of_work`)."""

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...


class Answers(Protocol):
    """Renders understood questions and `section:`/`intent:` choices (core.answers)."""

    def render(self, u: Understanding) -> tuple[Reply, ...]: ...
    def resolve_choice(self, value: str, lang: Language) -> tuple[Reply, ...] | None: ...
    def more_on(self, topic: str, lang: Language) -> Reply: ...
    def person_offer(self, lang: Language) -> Option: ...
    def topic_hint(self, topic: str, lang: Language) -> str: ...
    def section_terms(self, section_id: str, lang: Language) -> frozenset[str]: ...
    def right_answer(
        self, right: RequestType, lang: Language, u: Understanding
    ) -> tuple[str, tuple[Reply, ...]] | None: ...


class KnowledgeView(Protocol):
    """The loaded knowledge (content.knowledge.Knowledge); swapped whole on reload."""

    @property
    def matcher(self) -> Understander: ...
    @property
    def answers(self) -> Answers: ...
    @property
    def catalogue(self) -> Catalogue: ...


class Mailer(Protocol):
    """Sends one plain-text e-mail; raises DeliveryError when it cannot (adapters.mail)."""

    def send(self, to: str, subject: str, body: str) -> None: ...


class VerificationLimits(Protocol):
    """Counters of codes sent and guessed, shared by every flow, account and instance
    (`adapters.persistence.limits.LimitStore`): judges one event with `core.abuse.judge` and stores
    the outcome, atomically."""

    def judge(self, action: Action, keys: Mapping[Scope, str], now: datetime) -> Verdict: ...


class HandoffStore(Protocol):
    """The staff side of handoffs (adapters.persistence.handoffs)."""

    def handoff_by_thread(self, thread_ts: str) -> Handoff | None: ...
    def add_staff_reply(
        self,
        handoff: Handoff,
        staff: str,
        slack_ts: str,
        text: str,
        notification: Notification,
        now: datetime,
    ) -> bool: ...
