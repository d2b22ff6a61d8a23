"""One message, one transaction (on SQLite and PostgreSQL): a question reads its user's rows
and writes what it changed in one transaction and one commit, and a route that hands over to a
transaction of its own (a request flow) comes after what the message wrote before it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from test_persistence import USER, RealBot

from privbot.core import choices as ch


@dataclass
class Traffic:
    connections: int = 0  # pooled connections taken (one per session that ran SQL)
    commits: int = 0


@contextmanager
def traffic(engine: Engine) -> Iterator[Traffic]:
    seen = Traffic()

    def checkout(*_: Any) -> None:
        seen.connections += 1

    def commit(*_: Any) -> None:
        seen.commits += 1

    event.listen(engine.pool, "checkout", checkout)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine.pool, "checkout", checkout)
        event.remove(engine, "commit", commit)


def test_a_question_is_one_transaction(db_overrides: dict[str, Any]) -> None:
    bot = RealBot(db_overrides)
    with traffic(bot.repo.engine) as first:
        bot.say("what do you do with the data")  # a fallback: kept in the inbox
    # The profile (new), the language and the inbox entry: one transaction, one commit.
    assert (first.connections, first.commits) == (1, 1)
    with traffic(bot.repo.engine) as second:
        bot.say("and the cookies")
    assert (second.connections, second.commits) == (1, 1)
    assert bot.repo.get_user(USER) is not None
    assert len(bot.repo.inbox_entries()) == 2


def test_a_flow_started_after_a_write_of_the_message_is_kept(
    db_overrides: dict[str, Any],
) -> None:
    """A question instead of the answer to "erase everything?" drops that pending question
    (a write of the message) and then starts a request flow in a unit of work of its own: the
    drop is committed first, so it cannot delete the flow's new row afterwards."""
    bot = RealBot(db_overrides)
    bot.say("", choice=ch.privacy(ch.PrivacyAction.ERASE))
    assert bot.repo.load_flow(USER) is not None  # the pending question
    bot.say("can I delete my data?")
    flow = bot.repo.load_flow(USER)
    assert flow is not None and flow[0]["request_type"] == "erasure"
