"""Handoffs to a person in the database (SQLite, and PostgreSQL when configured): the user's
words are stored encrypted, posted once in order, a staff reply is taken in once, and a
closed handoff is purged with everything under its reference, as requests are."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from privbot.bootstrap import build_repository
from privbot.config import load_settings
from privbot.core.model import Language, UserKey
from privbot.core.records import Notification

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
USER = UserKey("telegram", "2002")
SECRET_WORDS = "my neighbour reads my mail"


def test_handoff_lifecycle_and_purge(db_overrides: dict[str, Any]) -> None:
    repo = build_repository(load_settings(**db_overrides))
    handoff = repo.open_handoff(USER, Language.EN, "user", NOW)
    assert repo.open_handoff(USER, Language.EN, "user", NOW) == handoff  # one open at a time
    repo.relay_to_staff(handoff.id, SECRET_WORDS, NOW)
    repo.relay_to_staff(handoff.id, "second", NOW + timedelta(seconds=1))
    with repo.engine.connect() as conn:
        stored = " ".join(str(r) for r in conn.execute(text("SELECT text FROM handoff_messages")))
    assert SECRET_WORDS not in stored  # encrypted at rest
    (claimed,) = repo.claim_handoffs("a", NOW, timedelta(minutes=2), 10)
    assert repo.claim_handoffs("b", NOW, timedelta(minutes=2), 10) == []  # one poster at a time
    assert [m.text for m in repo.handoff_unposted(claimed.id)] == [SECRET_WORDS, "second"]
    repo.set_handoff_thread(claimed.id, "171.0001")
    for m in repo.handoff_unposted(claimed.id):
        repo.mark_handoff_posted(m.id, NOW)
    repo.release_handoff(claimed.id, "a")
    assert repo.claim_handoffs("b", NOW, timedelta(minutes=2), 10) == []  # nothing left to post
    found = repo.handoff_by_thread("171.0001")
    assert found is not None and found.id == handoff.id
    note = Notification(USER, Language.EN, "reply", NOW, handoff.reference)
    assert repo.add_staff_reply(found, "slack:U1", "171.0002", "reply", note, NOW)
    assert not repo.add_staff_reply(found, "slack:U1", "171.0002", "reply", note, NOW)
    assert len(repo.notifications_for(USER)) == 1
    repo.close_handoff(handoff.id, "user", NOW)
    assert repo.handoff_open_of(USER) is None
    events = [e.event for e in repo.audit_log(handoff.reference)]
    assert events == ["handoff_opened", "staff_reply", "handoff_closed"]
    repo.purge(NOW - timedelta(days=1), NOW - timedelta(days=1))  # closed after the cut-off
    assert repo.handoff_by_thread("171.0001") is not None
    repo.purge(NOW + timedelta(days=1), NOW + timedelta(days=1))
    assert repo.handoff_by_thread("171.0001") is None
    assert repo.audit_log(handoff.reference) == [] and repo.notifications_for(USER) == []
    with repo.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM handoff_messages")).scalar() == 0
    repo.engine.dispose()


def test_two_closes_at_once_close_once(db_overrides: dict[str, Any]) -> None:
    """Staff and the user (or two instances) closing together: one close is recorded, with
    its time; the other changes nothing (a read then an unconditional write audited both)."""
    repo = build_repository(load_settings(**db_overrides))
    other = build_repository(load_settings(**db_overrides))  # a second instance
    handoff = repo.open_handoff(USER, Language.EN, "user", NOW)
    later = NOW + timedelta(hours=1)
    with repo.unit_of_work() as first:
        first.close_handoff(handoff.id, "staff-a", NOW)  # not committed yet
        second = threading.Thread(target=other.close_handoff, args=(handoff.id, "staff-b", later))
        second.start()
        time.sleep(0.5)  # the second close waits on the first's lock
        first.commit()
    second.join(timeout=30)
    assert not second.is_alive()
    events = [(e.event, e.actor) for e in repo.audit_log(handoff.reference)]
    assert events == [("handoff_opened", "user"), ("handoff_closed", "staff-a")]
    with repo.engine.connect() as conn:
        closed_at = conn.execute(text("SELECT closed_at FROM handoffs")).scalar()
    assert closed_at is not None and str(closed_at).startswith("2026-03-02 10:00")
    other.engine.dispose()
    repo.engine.dispose()
