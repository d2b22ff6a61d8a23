"""One message, one commit (on SQLite and PostgreSQL): a question reads its user's rows in a
short transaction and writes what it changed in one transaction and one commit, holding one
pooled connection at a time; a route that hands over to a transaction of its own (a request
flow) comes after what the message wrote before it; and what another instance wrote for the
same user while the message was being answered is not undone by its stale copy."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fakes.rights import MemoryLimits
from sqlalchemy import event
from sqlalchemy import text as sql
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from test_inbox_capture import FALLBACK, make_app
from test_persistence import NOW, USER, RealBot

from privbot.content.knowledge import Knowledge
from privbot.core import choices as ch
from privbot.core import verification as vf
from privbot.core.model import Incoming, Language, Outgoing, UserKey
from privbot.services.turn import Turn


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


def test_a_profile_still_as_read_is_written_without_reading_it_again(
    db_overrides: dict[str, Any],
) -> None:
    """A new user's profile is one INSERT; the language seen last changing, one UPDATE
    conditioned on the row being still the one the message read: the profile is not read
    again before its write (it is when another message changed it meanwhile, below)."""
    bot = RealBot(db_overrides)
    seen: list[str] = []

    def statement(_conn: Any, _cursor: Any, text: str, *_: Any) -> None:
        seen.append(" ".join(text.split()))

    event.listen(bot.repo.engine, "before_cursor_execute", statement)
    try:
        bot.say("what do you do with my data")
        first, seen[:] = list(seen), []
        bot.say("que faites-vous de mes données personnelles")
    finally:
        event.remove(bot.repo.engine, "before_cursor_execute", statement)
    on_users = [
        s.split()[0] for s in (*first, "|", *seen) if s == "|" or " users" in s.split(" WHERE")[0]
    ]
    assert on_users == ["SELECT", "INSERT", "|", "SELECT", "UPDATE"]
    profile = bot.repo.get_user(USER)
    assert profile is not None and profile.language is Language.FR


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
    knowledge, first = a.service.knowledge, once(run)

    def hooked() -> Any:
        first()
        return knowledge()

    a.service.knowledge = hooked


def before_its_flow_write(a: RealBot, run: Callable[[], object]) -> None:
    """Instance A runs `run` (another instance's message, committed) once, just before A's
    next statement that writes the flow row, after every read A made to decide it: the
    narrowest window there is between a check and a write of the row."""
    before_its_write(a, "flow_states", run)


def before_its_write(a: RealBot, table: str, run: Callable[[], object]) -> None:
    """`run` once, just before instance A's next statement that writes `table`."""
    first = once(run)

    def hook(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        words = statement.split(None, 3)
        if words[0] in ("INSERT", "UPDATE", "DELETE") and table in words[:3]:
            first()

    event.listen(a.repo.engine, "before_cursor_execute", hook)


def once(run: Callable[[], object]) -> Callable[[], None]:
    """`run` at the first call only (the other instance's message runs the hook too)."""
    ran: list[bool] = []

    def call() -> None:
        if not ran:
            ran.append(True)
            run()

    return call


@pytest.mark.parametrize("when", ["after_its_read", "before_its_write"])
def test_a_stale_copy_does_not_delete_a_flow_another_instance_started(
    db_overrides: dict[str, Any], when: str
) -> None:
    """A: '/help' while "erase everything?" waits (the pending question is dropped, its row
    deleted); B meanwhile: "can I delete my data?" starts an erasure request. B's flow stands:
    A deleting it would leave the user asked for an e-mail address by nobody. Meanwhile is
    after A read its rows, or between A's last read and its write statement (A's write is
    conditional on the row being the one read, in the statement itself)."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    a.say("", choice=ch.privacy(ch.PrivacyAction.ERASE))
    hook = interleave if when == "after_its_read" else before_its_flow_write
    hook(a, lambda: b.say("can I delete my data?"))
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


def before_the_flow_runs(monkeypatch: pytest.MonkeyPatch, run: Callable[[], object]) -> None:
    """The next message of any instance runs `run` once it has read its user's rows and
    settled its own writes, just before it steps the request flow."""
    settle, first = Turn.settle, once(run)

    def hooked(turn: Turn) -> None:
        settle(turn)
        first()

    monkeypatch.setattr(Turn, "settle", hooked)


def _option(out: Outgoing, suffix: str) -> str:
    return next(o.value for r in out.replies for o in r.options if o.value.endswith(suffix))


@pytest.mark.parametrize("when", ["before_the_step", "before_its_write"])
def test_a_flow_stepped_meanwhile_is_followed_not_wound_back(
    db_overrides: dict[str, Any], monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """A: '/help' in an erasure request asking for the jurisdiction; B meanwhile: 'eu' pressed.
    A re-asks the flow's question as it is after B (the next one), not the jurisdiction.
    Meanwhile is before A's step reads the flow, or between that read and A's write of the
    flow (the step, undone, runs again on B's flow)."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    eu = _option(a.say("I want to delete my data"), ":eu")
    if when == "before_the_step":
        before_the_flow_runs(monkeypatch, lambda: b.say("", choice=eu))
    else:
        before_its_flow_write(a, lambda: b.say("", choice=eu))
    out = a.say("/help")
    flow = a.repo.load_flow(USER)
    assert flow is not None and flow[0]["jurisdiction"] == "eu"
    assert flow[0]["step"] != "jurisdiction"
    assert all(not o.value.endswith(":eu") for r in out.replies for o in r.options)


def test_a_flow_ended_meanwhile_is_not_brought_back(
    db_overrides: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A: 'eu' typed in an erasure request; B meanwhile: '/cancel'. The request stays
    cancelled and A says so, instead of carrying on with the flow it had read."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    a.say("I want to delete my data")
    before_the_flow_runs(monkeypatch, lambda: b.say("/cancel"))
    out = a.say("eu")
    assert a.repo.load_flow(USER) is None
    assert "cancelled meanwhile" in out.replies[0].text and not out.expired


def test_a_button_of_a_flow_ended_meanwhile_is_not_taken(
    db_overrides: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same with the 'EU' button pressed: the answer says the button was not taken, so a
    channel does not write it as chosen under its question."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    eu = _option(a.say("I want to delete my data"), ":eu")
    before_the_flow_runs(monkeypatch, lambda: b.say("/cancel"))
    out = a.say("", choice=eu)
    assert "cancelled meanwhile" in out.replies[0].text and out.expired


def test_a_language_said_again_wins_over_one_chosen_meanwhile(
    db_overrides: dict[str, Any],
) -> None:
    """A: '/language en' when English is already chosen; B meanwhile: '/language fr'. A's
    reply says English is set, so English it is, though A's copy had it already."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    a.say("/language en")
    interleave(a, lambda: b.say("/language fr"))
    a.say("/language en")
    profile = a.repo.get_user(USER)
    assert profile is not None and profile.language is Language.EN


def _guesses(bot: RealBot) -> list[tuple[int, int]]:
    """The (hour, day) counts of the guess counters (one per scope)."""
    with bot.repo.engine.connect() as conn:
        rows = conn.execute(
            sql("SELECT hour_count, day_count FROM verification_limits WHERE key LIKE 'guess:%'")
        )
        return sorted((r[0], r[1]) for r in rows)


def test_a_step_run_again_counts_a_guess_once(db_overrides: dict[str, Any]) -> None:
    """A: a wrong code typed; B meanwhile (after A read the flow, before A writes it): '/help',
    a write of the flow. A's step runs again on B's flow; the wrong code counts once against
    the guess limits, not once per try."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    a.say("I want to delete my data")
    a.press("eu")
    a.press("yes")
    a.say("ann@example.com")
    wrong = "000000" if a.mailer.last_code() != "000000" else "111111"
    before_its_write(a, "verification_codes", lambda: b.say("/help"))
    out = a.say(wrong)
    assert "not right" in out.replies[0].text
    assert _guesses(a) and set(_guesses(a)) == {(1, 1)}


def test_a_resend_run_again_mails_one_code(db_overrides: dict[str, Any]) -> None:
    """A: "send the code again" typed (past the cooldown); B meanwhile: '/help'. A's step runs
    again on B's flow: one more mail, not two, and the code saved is the one mailed."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    a.say("I want to delete my data")
    a.press("eu")
    a.press("yes")
    a.say("ann@example.com")
    before_its_write(a, "verification_codes", lambda: b.say("/help"))
    later = NOW + timedelta(minutes=2)
    out = a.service.handle(Incoming(USER, "please send the code again"), later)
    assert "code has just been sent" in out.replies[0].text, out
    assert len(a.mailer.sent) == 2
    a.last = a.service.handle(Incoming(USER, a.mailer.last_code()), later)
    assert any(o.value.endswith(":confirm") for r in a.last.replies for o in r.options), a.last


def _code_step(a: RealBot) -> str:
    """An erasure request at its code step; the code mailed."""
    a.say("I want to delete my data")
    a.press("eu")
    a.press("yes")
    a.say("ann@example.com")
    return a.mailer.last_code()


def _accepted(bot: RealBot, code: str) -> bool:
    """Whether `code` is the one the stored code row accepts now (nothing is written)."""
    outcome, _ = vf.check(bot.repo.get_code(USER), code, "ann@example.com", b"s" * 32, NOW)
    return outcome is vf.CheckOutcome.OK


def test_a_resend_undone_by_another_message_mails_no_code(db_overrides: dict[str, Any]) -> None:
    """A: "send the code again" (past the cooldown); B meanwhile: the "change the e-mail
    address" button, so the flow asks for an address again. A's step, run again on B's flow,
    sends nothing: no code was mailed for the undone try either (a code is mailed only once
    the step that issued it has committed), so the last code the user received is still the
    one accepted."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    first = _code_step(a)
    change = _option(a.last, ":change_email")  # type: ignore[arg-type]
    before_its_write(a, "verification_codes", lambda: b.say("", choice=change))
    a.service.handle(Incoming(USER, "please send the code again"), NOW + timedelta(minutes=2))
    flow = a.repo.load_flow(USER)
    assert flow is not None and flow[0]["step"] == "email"
    assert len(a.mailer.sent) == 1 and _accepted(a, first)


def test_two_instances_sending_a_code_at_once_mail_only_the_one_accepted(
    db_overrides: dict[str, Any],
) -> None:
    """A and B (two instances, two connections) each send a new code for the same flow at
    once: "send the code again", each let through by its own limits. The code row is written
    on the condition that it is still the one read, and mailed only once that write won and
    committed: B's code is written first, so A's write loses and A mails nothing (its reply
    says a code has just been sent: B's). The user receives one new code, the one accepted."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    _code_step(a)
    a.service.limits, b.service.limits = MemoryLimits(), MemoryLimits()
    b.service.rng = random.Random(8)  # not the codes A drew (the two bots share a seed)
    later = NOW + timedelta(minutes=2)
    again = Incoming(USER, "please send the code again")
    before_its_write(a, "verification_codes", lambda: b.service.handle(again, later))
    out = a.service.handle(again, later)
    assert "code has just been sent" in out.replies[0].text, out
    assert len(a.mailer.sent) == 1 and len(b.mailer.sent) == 1
    assert _accepted(a, b.mailer.last_code())


def test_only_a_topic_and_the_language_seen_last_wait_for_the_replies(
    db_overrides: dict[str, Any], knowledge: Knowledge
) -> None:
    """`answer` leaves a policy answer's writes (its topic, a new user's profile with the
    language seen last) uncommitted, to be run once the replies are sent; an inbox entry (a
    fallback) or a language the user chose is committed before it returns."""
    app = make_app(db_overrides, knowledge)
    user = UserKey("telegram", "700")
    out, save = app.conversation.answer(Incoming(user, "how long do you keep my data?"), NOW)
    assert any(r.answer for r in out.replies) and save is not None
    assert app.repo.get_topic(user) is None and app.repo.get_user(user) is None
    save()
    topic, profile = app.repo.get_topic(user), app.repo.get_user(user)
    assert topic is not None and topic.section is not None
    assert profile is not None and profile.language is Language.EN
    _, save = app.conversation.answer(Incoming(user, FALLBACK), NOW)
    assert save is None and len(app.repo.inbox_entries()) == 1
    _, save = app.conversation.answer(Incoming(user, "", choice=ch.language(Language.FR)), NOW)
    profile = app.repo.get_user(user)
    assert save is None and profile is not None and profile.language_chosen


def test_a_late_write_that_fails_once_is_tried_again_whole(
    db_overrides: dict[str, Any], knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write left for after the replies keeps its writes through a failed commit (a
    connection lost meanwhile): its second try writes them all; a second failure goes up."""
    app = make_app(db_overrides, knowledge)
    user = UserKey("telegram", "701")
    _, save = app.conversation.answer(Incoming(user, "how long do you keep my data?"), NOW)
    assert save is not None
    repo = app.repo
    real, failures = repo.unit_of_work, [1]

    def flaky() -> Any:
        if failures:
            failures.pop()
            raise OperationalError("COMMIT", {}, Exception("connection lost"))
        return real()

    monkeypatch.setattr(repo, "unit_of_work", flaky)
    save()
    assert repo.get_topic(user) is not None and repo.get_user(user) is not None
    _, save = app.conversation.answer(Incoming(UserKey("telegram", "702"), "cookies?"), NOW)
    assert save is not None
    failures[:] = [1, 1]
    with pytest.raises(OperationalError):
        save()
