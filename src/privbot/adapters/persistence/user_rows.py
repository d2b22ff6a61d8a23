"""A message's rows of its user in one statement: the profile, the flow row, the topic and
the open handoff, each LEFT JOINed on (channel, external_id) to a one-row FROM, so a user
without some of them still gives one row. One round trip instead of four (on PostgreSQL each
costs more CPU than the SQL it runs), and one snapshot of the four."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, and_, bindparam, literal_column, select
from sqlalchemy.engine import Connection

from privbot.adapters.crypto import Cipher
from privbot.adapters.persistence import flows, handoffs, profiles, tables, topics
from privbot.adapters.persistence.sql import Prepared
from privbot.adapters.persistence.tables import owner
from privbot.core.handoff import HandoffStatus
from privbot.core.model import UserKey
from privbot.services.ports import UserRows

_users, _flows = tables.users, tables.flow_states
_topics, _handoffs = tables.conversation_topics, tables.handoffs


def _mine(table: Table) -> Any:
    return and_(
        table.c.channel == bindparam("channel"), table.c.external_id == bindparam("external_id")
    )


_ONE = select(literal_column("1").label("one")).subquery("k")
_u, _f, _t, _h = _users.c, _flows.c, _topics.c, _handoffs.c
# Labels as the single-table reads name them (`profiles.profile_of` reads the user's by name).
_SELECT = select(
    _u.language,
    _u.language_chosen,
    _u.jurisdiction,
    _u.created_at,
    _f.state_json,
    _f.updated_at.label("flow_at"),
    _f.write_token,
    _t.topic,
    _t.updated_at.label("topic_at"),
    _t.question,
    _h.id.label("handoff_id"),
    _h.language.label("handoff_language"),
    _h.status.label("handoff_status"),
    _h.opened_at.label("handoff_opened_at"),
    _h.thread_ts.label("handoff_thread_ts"),
    _h.closed_at.label("handoff_closed_at"),
).select_from(
    _ONE.outerjoin(_users, _mine(_users))
    .outerjoin(_flows, _mine(_flows))
    .outerjoin(_topics, _mine(_topics))
    .outerjoin(_handoffs, and_(_mine(_handoffs), _h.status == str(HandoffStatus.OPEN)))
)
_READ = Prepared(_SELECT)  # read for every message


def read(c: Connection, cipher: Cipher, key: UserKey) -> UserRows:
    """The four as `profiles.get`, `flows.load`, `topics.get` and `handoffs.open_of` give
    them (of two open handoffs, opened by two instances at once, either one, as there)."""
    row = _READ.first(c, owner(key))
    assert row is not None  # the one-row FROM
    return UserRows(
        profiles.profile_of(key, row) if row.created_at is not None else None,
        flows.state_of(cipher, row.state_json, row.flow_at) if row.state_json is not None else None,
        topics.topic_of(row.topic, row.topic_at, row.question) if row.topic is not None else None,
        handoffs.handoff_of(
            row.handoff_id,
            key,
            row.handoff_language,
            row.handoff_status,
            row.handoff_opened_at,
            row.handoff_thread_ts,
            row.handoff_closed_at,
        )
        if row.handoff_id is not None
        else None,
        row.write_token,
    )
