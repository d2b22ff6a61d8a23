"""One message's copy of its user's rows: read together once, written together once.

`ConversationService.handle` reads the user's profile, flow row (a flow's state and a
pending question), topic and open handoff together on the first use, in one statement
(`Repository.user_rows`) on a connection given back at once (the routes that call the
repository directly take their own), answers from that copy, and writes what it changed
(profile, flow row, topic, inbox entries) when the message is done, in one transaction and
one commit. When all it wrote is its topic and the language seen last, which its replies do
not depend on, that commit may wait until the replies are sent (`flush_later`,
`ConversationService.answer`).

The copy can be stale by then: another instance (webhook workers, a replay taking over) may
have handled a message of the same user meanwhile. So the writes are applied to the rows as
they are at the flush, not to the copy: a profile change is a function of the profile as it
is then (a `/language` choice made elsewhere is not undone; it is written in one statement
conditioned on the row being still the one the copy holds, else read again and applied to
that), and the flow row is written only
if it is still the one this message read (a condition of the write statement itself, on a
token each write draws); if another message changed it, that message's flow stands and this
one's change is dropped (logged), never the other way round.

Before a route calls something that reads or writes those rows in a transaction of its own
(a flow's unit of work, the privacy desk, a handoff being opened or closed), it calls
`settle()`: the writes so far are committed and the copy is read again on its next use, so
that call sees what the message wrote and the rest of the message sees what that call wrote.
Writes not committed when the message fails are dropped with it.
"""

from __future__ import annotations

import functools
import logging
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

log = logging.getLogger(__name__)

_Write = Callable[[Repository], None]
ProfileChange = Callable[[UserProfile], UserProfile]
# The flow row to write at the flush: its JSON (None: delete it) and the time of the change.
_FlowWrite = tuple[dict[str, Any] | None, datetime | None]


@dataclass
class _Rows:
    profile: UserProfile | None
    flow: dict[str, Any] | None  # the flow row's JSON: a flow's state and/or a pending question
    flow_token: str | None  # the token of the flow row read (None: none), to see if it moved
    topic: Topic | None
    handoff: Handoff | None


class Turn:
    """The rows of `key` for one message (see the module docstring): `turn = Turn(repo, key)`,
    ..., `turn.flush()`; writes not flushed (the message failed) are dropped."""

    def __init__(self, repo: Repository, key: UserKey) -> None:
        self.repo = repo
        self.key = key
        self._rows: _Rows | None = None
        self._writes: list[_Write] = []
        self._flow_write: _FlowWrite | None = None  # None: the flow row is not written
        # A write to commit before the replies go: an inbox entry, a language the user chose.
        self._first = False
        # True once a flow write of this message lost to another message's (that one stands).
        self.flow_write_lost = False

    def _read(self) -> _Rows:
        if self._rows is None:
            read = self.repo.user_rows(self.key)  # its connection goes back at once
            flow, token = read.flow, read.flow_token
            self._rows = _Rows(
                read.profile, dict(flow[0]) if flow else None, token, read.topic, read.handoff
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
    def update_user(self, change: ProfileChange, now: datetime, said: bool = False) -> None:
        """Change the profile: here in the copy, and at the flush in the profile as it is
        then (read again, so what another message saved meanwhile is kept). A change the
        user `said` (a /language choice) is applied even if the copy has it already."""
        rows, key = self._read(), self.key
        known = rows.profile  # the row as this message knows it (None: no row)
        before = known or UserProfile(key)
        if (after := change(before)) == before and not said:
            return  # nothing to write (as far as this message knows)
        rows.profile = after

        def write(r: Repository) -> None:
            # One statement while the row is still the one known (the change made to it
            # gives `after`); else the change is made to the row as it is now.
            if r.replace_user(known, after, now):
                return
            current = r.get_user(key) or UserProfile(key)
            if (changed := change(current)) != current:
                r.save_user(changed, now)

        self._writes.append(write)
        self._first = self._first or said  # the reply says it is kept

    def save_flow(self, data: dict[str, Any], now: datetime) -> None:
        """Replace the flow row's JSON (at the flush, if the row is still the one read)."""
        kept = dict(data)
        self._read().flow = kept
        self._flow_write = (kept, now)

    def delete_flow(self) -> None:
        self._read().flow = None
        self._flow_write = (None, None)

    def _write_flow(self, uow: UnitOfWork) -> None:
        """The flow row's last state, unless another message changed the row since it was
        read (checked by the write itself): that message's flow is the newer one and stands."""
        write, self._flow_write = self._flow_write, None
        if write is None:
            return
        state, at = write
        if not uow.write_flow(self.key, self._read().flow_token, state, at):
            self.flow_write_lost = True
            log.info("flow row changed by another message meanwhile: this message's change dropped")

    def save_topic(self, topic: Topic) -> None:
        self._read().topic = topic
        key = self.key
        self._writes.append(lambda r: r.save_topic(key, topic))

    def add_inbox_entry(self, entry: Entry) -> None:
        self._first = True
        self._writes.append(lambda r: r.add_inbox_entry(entry))

    def flush(self) -> None:
        """Run the writes kept so far, in their order, and commit: the transaction ends."""
        writes, self._writes, self._first = self._writes, [], False
        if not writes and self._flow_write is None:
            return
        self._commit(writes)

    def flush_later(self) -> Callable[[], None] | None:
        """`flush` to be run once the replies are sent, when the writes left are only the
        topic and the language seen last (nothing the replies depend on or say); else
        `flush` now, and None. None too when nothing is left to write. The call returned
        may be run again after a failure: its writes are kept, each transaction whole."""
        if self._flow_write is None and not self._first:
            writes, self._writes = self._writes, []
            return functools.partial(self._commit, writes) if writes else None
        self.flush()
        return None

    def _commit(self, writes: list[_Write]) -> None:
        with self.repo.unit_of_work() as uow:
            for write in writes:
                write(uow)
            self._write_flow(uow)
            uow.commit()

    def settle(self) -> None:
        """Before a call with a transaction of its own: flush, and read again after it."""
        self.flush()
        self._rows = None
