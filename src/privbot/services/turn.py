"""One message's copy of its user's rows: read together once, written together once.

`ConversationService.handle` reads the user's profile, flow row (a flow's state and a
pending question), topic and open handoff on the first use, answers from that copy, and
writes what it changed (profile, flow row, topic, inbox entries) when the message is done,
all in one unit of work: on the path of a question, one transaction and one commit per
message instead of one per read and per write.

Before a route calls something that reads or writes those rows in a transaction of its own
(a flow's unit of work, the privacy desk, a handoff being opened or closed), it calls
`settle()`: the writes so far are committed in their order and the transaction ends, and
the copy is read again on its next use (in a new one), so that call sees what the message
wrote and the rest of the message sees what that call wrote. Writes not committed when the
message fails are dropped with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from privbot.core.handoff import Handoff
from privbot.core.inbox import Entry
from privbot.core.model import UserKey
from privbot.core.records import UserProfile
from privbot.core.topics import Topic
from privbot.services.ports import Repository, UnitOfWork

_Write = Callable[[Repository], None]


@dataclass
class _Rows:
    profile: UserProfile | None
    flow: dict[str, Any] | None  # the flow row's JSON: a flow's state and/or a pending question
    topic: Topic | None
    handoff: Handoff | None


class Turn:
    """The rows of `key` for one message (see the module docstring): `with closing(Turn(repo,
    key)) as turn: ...; turn.flush()`; leaving the block without `flush` drops the writes
    kept."""

    def __init__(self, repo: Repository, key: UserKey) -> None:
        self.repo = repo
        self.key = key
        self._rows: _Rows | None = None
        self._writes: list[_Write] = []
        self._uow: UnitOfWork | None = None  # the transaction under way, if any

    def _transaction(self) -> UnitOfWork:
        if self._uow is None:
            self._uow = self.repo.unit_of_work().__enter__()
        return self._uow

    def close(self) -> None:
        """Leave the transaction (what was not committed is rolled back)."""
        uow, self._uow = self._uow, None
        if uow is not None:
            uow.__exit__(None, None, None)

    def _read(self) -> _Rows:
        if self._rows is None:
            key, uow = self.key, self._transaction()
            flow = uow.load_flow(key)
            self._rows = _Rows(
                uow.get_user(key),
                dict(flow[0]) if flow else None,
                uow.get_topic(key),
                uow.handoff_open_of(key),
            )
        return self._rows

    # --- reads ------------------------------------------------------------------------------
    @property
    def profile(self) -> UserProfile | None:
        return self._read().profile

    @property
    def flow(self) -> dict[str, Any]:
        """A copy of the flow row's JSON ({} without one)."""
        return dict(self._read().flow or {})

    @property
    def topic(self) -> Topic | None:
        return self._read().topic

    @property
    def handoff(self) -> Handoff | None:
        return self._read().handoff

    # --- writes, kept until `flush` ---------------------------------------------------------
    def save_user(self, profile: UserProfile, now: datetime) -> None:
        self._read().profile = profile
        self._writes.append(lambda r: r.save_user(profile, now))

    def save_flow(self, data: dict[str, Any], now: datetime) -> None:
        """Replace the flow row's JSON."""
        kept = dict(data)
        self._read().flow = kept
        key = self.key
        self._writes.append(lambda r: r.save_flow(key, kept, now))

    def delete_flow(self) -> None:
        self._read().flow = None
        key = self.key
        self._writes.append(lambda r: r.delete_flow(key))

    def save_topic(self, topic: Topic) -> None:
        self._read().topic = topic
        key = self.key
        self._writes.append(lambda r: r.save_topic(key, topic))

    def add_inbox_entry(self, entry: Entry) -> None:
        self._writes.append(lambda r: r.add_inbox_entry(entry))

    def flush(self) -> None:
        """Run the writes kept so far, in their order, and commit: the transaction ends."""
        writes, self._writes = self._writes, []
        if self._uow is None and not writes:
            return
        uow = self._transaction()
        for write in writes:
            write(uow)
        uow.commit()
        self.close()

    def settle(self) -> None:
        """Before a call with a transaction of its own: flush, and read again after it."""
        self.flush()
        self._rows = None
