"""One message, one commit (on SQLite and PostgreSQL): a question reads its user's rows in a
short transaction and writes what it changed in one transaction and one commit, holding one
pooled connection at a time; a route that hands over to a transaction of its own (a request
flow) comes after what the message wrote before it; and what another instance wrote for the
same user while the message was being answered is not undone by its stale copy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from test_persistence import USER, RealBot

from privbot.core import choices as ch
from privbot.core.model import Language


@dataclass
class Traffic:
    connections: int = 0  # pooled connections taken (one per session that ran SQL)
    commits: int = 0
    held: int = 0  # connections taken and not yet given back
    most_held: int = 0


@contextmanager
def traffic(engine: Engine) -> Iterator[Traffic]:
    seen = Traffic()

    def checkout(*_: Any) -> None:
        seen.connections += 1
        seen.held += 1
        seen.most_held = max(seen.most_held, seen.held)

    def checkin(*_: Any) -> None:
        seen.held -= 1

    def commit(*_: Any) -> None:
        seen.commits += 1

    event.listen(engine.pool, "checkout", checkout)
    event.listen(engine.pool, "checkin", checkin)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine.pool, "checkout", checkout)
        event.remove(engine.pool, "checkin", checkin)
        event.remove(engine, "commit", commit)


def test_a_question_is_one_transaction(db_overrides: dict[str, Any]) -> None:
    bot = RealBot(db_overrides)
    with traffic(bot.repo.engine) as first:
        bot.say("what do you do with the data")  # a fallback: kept in the inbox
    # The rows read (a connection given back at once), then the profile (new), the language
    # and the inbox entry written in one transaction: one commit.
    assert (first.connections, first.commits, first.most_held) == (2, 1, 1)
    with traffic(bot.repo.engine) as second:
        bot.say("and the cookies")
    assert (second.connections, second.commits, second.most_held) == (2, 1, 1)
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


def test_a_message_holds_one_connection_at_a_time(db_overrides: dict[str, Any]) -> None:
    """Routes that call the repository themselves (/status, a request's start) do not wait
    for a second pooled connection while the message's rows hold a first: a pool of one
    serves a message, as it did before messages read their rows together."""
    bot = RealBot(db_overrides)
    bot.say("what do you do with the data")
    for text in ("/status", "can I delete my data?", "/status"):
        with traffic(bot.repo.engine) as seen:
            bot.say(text)
        assert seen.most_held == 1, text


def interleave(a: RealBot, run: Callable[[], object]) -> None:
    """Instance A's next message runs `run` (another instance's message, say) once it has
    read its user's rows: at its first look at the knowledge, before any write."""
    knowledge = a.service.knowledge
    ran: list[object] = []

    def hooked() -> Any:
        if not ran:
            ran.append(run())
        return knowledge()

    a.service.knowledge = hooked


def test_a_stale_copy_does_not_delete_a_flow_another_instance_started(
    db_overrides: dict[str, Any],
) -> None:
    """A: '/help' while "erase everything?" waits (the pending question is dropped, its row
    deleted); B meanwhile: "can I delete my data?" starts an erasure request. B's flow stands:
    A deleting it would leave the user asked for an e-mail address by nobody."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    a.say("", choice=ch.privacy(ch.PrivacyAction.ERASE))
    interleave(a, lambda: b.say("can I delete my data?"))
    a.say("/help")
    flow = a.repo.load_flow(USER)
    assert flow is not None and flow[0]["request_type"] == "erasure"


def test_a_language_chosen_meanwhile_is_not_undone(db_overrides: dict[str, Any]) -> None:
    """A: a French question (the language seen last would become French); B meanwhile:
    '/language en'. The choice stands: A's stale copy of the profile does not undo it."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    a.say("what do you do with my data")
    interleave(a, lambda: b.say("/language en"))
    a.say("que faites-vous de mes données personnelles")
    profile = a.repo.get_user(USER)
    assert profile is not None and profile.language_chosen
    assert profile.language is Language.EN
