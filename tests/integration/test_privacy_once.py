"""A /privacy export or erase runs once at a time per user, on SQLite and PostgreSQL: a second
tap of its button while the first is handled, on another instance or on one started since,
does nothing and says so; a mark left by an instance that died does not block for long."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from test_persistence import NOW, USER, RealBot

from privbot.core import choices as ch
from privbot.core.model import Incoming, Outgoing

EXPORT = ch.privacy(ch.PrivacyAction.EXPORT)
CONFIRM = ch.privacy(ch.PrivacyAction.ERASE_CONFIRM)
EXPORT_BUSY = "Your export is already being prepared; it will arrive in a moment."


def during(bot: RealBot, name: str, run: Callable[[], object]) -> None:
    """`run` once, inside `bot`'s privacy desk's `name` (while it is under way)."""
    desk = bot.service.privacy
    real = getattr(desk, name)

    def hooked(*args: Any) -> Any:
        setattr(desk, name, real)
        run()
        return real(*args)

    setattr(desk, name, hooked)


def test_a_second_tap_of_export_while_the_first_runs_does_nothing(
    db_overrides: dict[str, Any],
) -> None:
    a, b = RealBot(db_overrides), RealBot(db_overrides)  # two instances
    a.say("/language en")
    seconds: list[Outgoing] = []

    def second_taps() -> None:
        seconds.append(b.say("", choice=EXPORT))
        seconds.append(RealBot(db_overrides).say("", choice=EXPORT))  # started since

    during(a, "export_data", second_taps)
    first = a.say("", choice=EXPORT)
    assert first.replies[0].attachment is not None
    for second in seconds:
        [reply] = second.replies
        assert reply.text == EXPORT_BUSY and reply.attachment is None and second.expired
    again = b.say("", choice=EXPORT)  # done: the next export runs
    assert again.replies[0].attachment is not None


def test_a_mark_left_by_an_instance_that_died_lets_the_export_run_later(
    db_overrides: dict[str, Any],
) -> None:
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    a.say("/language en")
    later: list[Outgoing] = []
    tap = Incoming(USER, "", choice=EXPORT)
    during(
        a, "export_data", lambda: later.append(b.service.handle(tap, NOW + timedelta(minutes=3)))
    )
    a.say("", choice=EXPORT)
    assert later[0].replies[0].attachment is not None


def test_a_second_tap_of_yes_erase_while_the_first_runs_does_nothing(
    db_overrides: dict[str, Any],
) -> None:
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    a.say("/language en")
    a.say("", choice=ch.privacy(ch.PrivacyAction.ERASE))
    seconds: list[Outgoing] = []
    during(a, "erase", lambda: seconds.append(b.say("", choice=CONFIRM)))
    first = a.say("", choice=CONFIRM)
    assert first.replies[0].text.startswith("Done:")
    assert [r.text for r in seconds[0].replies] == ["Your data is already being erased."]
    assert a.repo.get_user(USER) is None and a.repo.load_flow(USER) is None


def test_a_second_tap_of_the_same_export_button_handled_after_the_first_does_nothing(
    db_overrides: dict[str, Any],
) -> None:
    """One instance handles a user's messages in turn: a second tap of "Export my data",
    handled once the first has sent the export, is answered "already sent", there and on an
    instance started since; a new /privacy's button exports again."""
    a = RealBot(db_overrides)
    a.say("/language en")
    a.say("/privacy")
    export = next(o.value for r in a.last.replies for o in r.options if o.value.endswith(":export"))  # type: ignore[union-attr]
    assert a.say("", choice=export).replies[0].attachment is not None
    sent = "This export was already sent to you, above. For a new one, type /privacy."
    for bot in (a, RealBot(db_overrides)):
        again = bot.say("", choice=export)
        assert [r.text for r in again.replies] == [sent] and again.expired
    a.say("/privacy")
    assert a.press("export").replies[0].attachment is not None


class Killed(BaseException):
    """The process stops at this line (SIGKILL: nothing after it runs, no `finally` either)."""


def _killed(*args: Any) -> Any:
    raise Killed


def test_a_yes_erase_whose_instance_stopped_mid_erase_erases_when_replayed(
    db_overrides: dict[str, Any],
) -> None:
    """The Telegram ledger replays the tap after its lease: the question it answered was
    closed by the stopped instance, yet the erase it confirmed is done."""
    a = RealBot(db_overrides)
    a.say("/language en")
    a.say("", choice=ch.privacy(ch.PrivacyAction.ERASE))
    desk = a.service.privacy
    desk.erase = _killed  # type: ignore[method-assign]
    desk._unmark = _killed  # type: ignore[method-assign]
    with pytest.raises(Killed):
        a.service.handle(Incoming(USER, "", choice=CONFIRM), NOW)
    assert a.repo.get_user(USER) is not None  # nothing erased yet
    b = RealBot(db_overrides)
    replayed = b.service.handle(Incoming(USER, "", choice=CONFIRM), NOW + timedelta(minutes=5))
    assert replayed.replies[0].text.startswith("Done:")
    assert b.repo.get_user(USER) is None and b.repo.load_flow(USER) is None


def test_a_typed_yes_whose_instance_stopped_mid_erase_erases_when_replayed(
    db_overrides: dict[str, Any],
) -> None:
    """A typed "yes" keeps the question asked until the erase is done: replayed, it erases."""
    a = RealBot(db_overrides)
    a.say("/language en")
    a.say("", choice=ch.privacy(ch.PrivacyAction.ERASE))
    a.service.privacy.erase = _killed  # type: ignore[method-assign]
    a.service.privacy._unmark = _killed  # type: ignore[method-assign]
    with pytest.raises(Killed):
        a.service.handle(Incoming(USER, "yes"), NOW)
    b = RealBot(db_overrides)
    replayed = b.service.handle(Incoming(USER, "yes"), NOW + timedelta(minutes=5))
    assert replayed.replies[0].text.startswith("Done:")
    assert b.repo.get_user(USER) is None and b.repo.load_flow(USER) is None


def test_a_stopped_export_is_no_erase_confirmed(db_overrides: dict[str, Any]) -> None:
    """Only an erase's own mark stands for a confirmation: a stale "Yes, erase" tap over the
    mark of a stopped export erases nothing."""
    a = RealBot(db_overrides)
    a.say("/language en")
    a.service.privacy.export_data = _killed  # type: ignore[method-assign]
    a.service.privacy._unmark = _killed  # type: ignore[method-assign]
    with pytest.raises(Killed):
        a.service.handle(Incoming(USER, "", choice=EXPORT), NOW)
    b = RealBot(db_overrides)
    late = b.service.handle(Incoming(USER, "", choice=CONFIRM), NOW + timedelta(minutes=5))
    assert late.expired and b.repo.get_user(USER) is not None
