"""A /privacy export or erase runs once at a time per user, on SQLite and PostgreSQL: a second
tap of its button while the first is handled, on another instance or on one started since,
does nothing and says so; a mark left by an instance that died does not block for long."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from test_persistence import NOW, USER, RealBot

from privbot.adapters.telegram.ledger import LEASE, REPLAY_EVERY
from privbot.core import choices as ch
from privbot.core.model import Incoming, Outgoing
from privbot.services.privacy import REPLAY_WITHIN

EXPORT = ch.privacy(ch.PrivacyAction.EXPORT)
ERASE = ch.privacy(ch.PrivacyAction.ERASE)
KEEP = ch.privacy(ch.PrivacyAction.KEEP)
EXPORT_BUSY = "Your export is already being prepared; it will arrive in a moment."
EXPORT_SENT = "This export was already sent to you, above. For a new one, type /privacy."


def erase_asked(bot: RealBot) -> str:
    """Ask `bot`'s user to confirm the erase; the value of that question's "Yes, erase"."""
    out = bot.say("", choice=ERASE)
    return next(o.value for r in out.replies for o in r.options if o.value.endswith("_confirm"))


def export_button(bot: RealBot) -> str:
    """The value of the "Export my data" button of `bot`'s last reply (a /privacy summary)."""
    assert bot.last is not None
    return next(o.value for r in bot.last.replies for o in r.options if o.value.endswith(":export"))


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


@pytest.mark.parametrize("second", ["yes", KEEP])
def test_a_second_tap_of_yes_erase_or_keep_while_the_first_runs_does_nothing(
    db_overrides: dict[str, Any], second: str
) -> None:
    """The "yes" came first and its erase goes on: a "keep" then is not told "nothing was
    erased", but that the erase is under way."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    a.say("/language en")
    yes = erase_asked(a)
    seconds: list[Outgoing] = []
    tap = yes if second == "yes" else second
    during(a, "erase", lambda: seconds.append(b.say("", choice=tap)))
    first = a.say("", choice=yes)
    assert first.replies[0].text.startswith("Done:")
    assert [r.text for r in seconds[0].replies] == ["Your data is already being erased."]
    assert seconds[0].expired
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
    export = export_button(a)
    assert a.say("", choice=export).replies[0].attachment is not None
    for bot in (a, RealBot(db_overrides)):
        again = bot.say("", choice=export)
        assert [r.text for r in again.replies] == [EXPORT_SENT] and again.expired
    a.say("/privacy")
    assert a.press("export").replies[0].attachment is not None


@pytest.mark.parametrize("step", ["new", "next"])
def test_a_step_of_the_request_flow_after_an_export_keeps_its_button_done(
    db_overrides: dict[str, Any], step: str
) -> None:
    """A request started, or its next step taken, after an export writes the flow row anew:
    the export's button still answers "already sent" and exports nothing more."""
    a = RealBot(db_overrides)
    a.say("/language en")
    if step == "next":
        a.say("/request")
        a.press("access")
    a.say("/privacy")
    export = export_button(a)
    assert a.say("", choice=export).replies[0].attachment is not None
    if step == "new":
        a.say("/request")
        a.press("access")
    else:
        a.say("France")
    stored = a.repo.load_flow(USER)
    assert stored is not None and stored[0]["request_type"] == "access"
    assert stored[0]["step"] == ("jurisdiction" if step == "new" else "field:format")
    again = a.say("", choice=export)
    assert [r.text for r in again.replies] == [EXPORT_SENT] and again.expired


class Killed(BaseException):
    """The process stops at this line (SIGKILL: nothing after it runs, no `finally` either)."""


def _killed(*args: Any) -> Any:
    raise Killed


def killed_mid_erase(db_overrides: dict[str, Any]) -> str:
    """Ask for the erase and tap "Yes, erase" on an instance stopped mid-erase (at NOW); that
    tap's value (the update the Telegram ledger replays after its lease)."""
    a = RealBot(db_overrides)
    a.say("/language en")
    yes = erase_asked(a)
    a.service.privacy.erase = _killed  # type: ignore[method-assign]
    a.service.privacy._unmark = _killed  # type: ignore[method-assign]
    with pytest.raises(Killed):
        a.service.handle(Incoming(USER, "", choice=yes), NOW)
    assert a.repo.get_user(USER) is not None  # nothing erased yet
    return yes


def handle(bot: RealBot, at: timedelta, text: str = "", choice: str | None = None) -> Outgoing:
    """`bot` handles a message `at` after NOW."""
    return bot.service.handle(Incoming(USER, text, choice=choice), NOW + at)


def test_a_yes_erase_whose_instance_stopped_mid_erase_erases_when_replayed(
    db_overrides: dict[str, Any],
) -> None:
    """The Telegram ledger replays the tap after its lease: the question it answered was
    closed by the stopped instance, yet the erase it confirmed is done."""
    yes = killed_mid_erase(db_overrides)
    b = RealBot(db_overrides)
    replayed = handle(b, timedelta(minutes=5), choice=yes)
    assert replayed.replies[0].text.startswith("Done:")
    assert b.repo.get_user(USER) is None and b.repo.load_flow(USER) is None


LATER = timedelta(minutes=3)


def asked_again_then(text: str = "", choice: str | None = None) -> Callable[[RealBot], object]:
    """The erase asked again, then answered `text` or `choice`, 3 minutes after NOW (the
    stopped erase's mark no longer under way)."""
    return lambda b: (handle(b, LATER, choice=ERASE), handle(b, LATER, text, choice))


@pytest.mark.parametrize(
    "revoked",
    [
        pytest.param(asked_again_then(choice=KEEP), id="keep"),
        pytest.param(asked_again_then("no"), id="typed-no"),
        pytest.param(asked_again_then("/cancel"), id="cancel"),
        pytest.param(lambda b: handle(b, LATER, "no"), id="no-with-nothing-asked"),
        pytest.param(lambda b: handle(b, LATER, "/cancel"), id="cancel-with-nothing-asked"),
        pytest.param(lambda b: handle(b, LATER, choice=KEEP), id="old-keep-button"),
        pytest.param(lambda b: handle(b, LATER, choice=ERASE), id="asked-again"),
    ],
)
def test_after_a_stopped_erase_no_replayed_yes_erases_once_the_user_said_keep(
    db_overrides: dict[str, Any], revoked: Callable[[RealBot], object]
) -> None:
    """Killed mid-erase; the user, told nothing, says "keep" (or no, /cancel, or asks again)
    3 minutes later, before the ledger replays the "Yes, erase" tap: the replay erases
    nothing."""
    yes = killed_mid_erase(db_overrides)
    b = RealBot(db_overrides)
    revoked(b)
    replayed = handle(b, timedelta(minutes=5), choice=yes)
    assert replayed.expired and b.repo.get_user(USER) is not None


def test_a_stopped_erase_is_done_only_for_the_replay_of_its_own_tap_soon_after(
    db_overrides: dict[str, Any],
) -> None:
    """Neither a tap of an older question's "Yes, erase" (another nonce) nor the tap's own
    button long after the ledger's replay window (a week later, nothing asked) erases."""
    b = RealBot(db_overrides)
    older = erase_asked(b)
    yes = killed_mid_erase(db_overrides)  # asked again, and that question's "yes" tapped
    other = handle(b, timedelta(minutes=5), choice=older)
    assert other.expired and b.repo.get_user(USER) is not None
    late = handle(b, timedelta(days=7), choice=yes)
    assert late.expired and b.repo.get_user(USER) is not None
    assert LEASE + timedelta(seconds=REPLAY_EVERY) < REPLAY_WITHIN


def test_an_old_question_s_yes_tapped_while_a_new_one_is_asked_erases_nothing(
    db_overrides: dict[str, Any],
) -> None:
    """Its own question was closed: the tap answers not the one asked now (which stays)."""
    a = RealBot(db_overrides)
    a.say("/language en")
    old = erase_asked(a)
    a.say("", choice=KEEP)
    new = erase_asked(a)
    assert a.say("", choice=old).expired and a.repo.get_user(USER) is not None
    assert a.say("", choice=new).replies[0].text.startswith("Done:")


def test_yes_and_keep_tapped_at_once_the_keep_that_won_stands(
    db_overrides: dict[str, Any],
) -> None:
    """Two instances both read the question asked; "keep" closes it first and is answered
    "nothing was erased": the "yes", whose closing then loses, erases nothing and does not
    ask the question again."""
    a, b = RealBot(db_overrides), RealBot(db_overrides)
    a.say("/language en")
    yes = erase_asked(a)
    kept: list[Outgoing] = []
    during(a, "new_mark", lambda: kept.append(b.say("", choice=KEEP)))  # a has read the row
    tapped = a.say("", choice=yes)
    assert [r.text for r in kept[0].replies] == ["All right, nothing was erased."]
    assert tapped.expired and a.repo.get_user(USER) is not None
    a.say("yes")  # no question asked: nothing erased
    assert a.repo.get_user(USER) is not None


def test_a_stopped_export_is_no_erase_confirmed(db_overrides: dict[str, Any]) -> None:
    """Only an erase's own mark stands for a confirmation: a stale "Yes, erase" tap over the
    mark of a stopped export erases nothing."""
    a = RealBot(db_overrides)
    a.say("/language en")
    yes = erase_asked(a)
    a.say("", choice=KEEP)
    a.service.privacy.export_data = _killed  # type: ignore[method-assign]
    a.service.privacy._unmark = _killed  # type: ignore[method-assign]
    with pytest.raises(Killed):
        a.service.handle(Incoming(USER, "", choice=EXPORT), NOW)
    b = RealBot(db_overrides)
    late = handle(b, timedelta(minutes=5), choice=yes)
    assert late.expired and b.repo.get_user(USER) is not None


def test_a_request_started_after_a_stopped_erase_is_not_erased_by_its_replay(
    db_overrides: dict[str, Any],
) -> None:
    """The user going on with a request after the instance stopped mid-erase takes the
    erase's mark away, as a "keep" does: the replayed "yes" erases nothing (found by a
    review of a4dacde, which had kept the mark through the flow's steps)."""
    yes = killed_mid_erase(db_overrides)
    b = RealBot(db_overrides)
    handle(b, timedelta(minutes=3), "I want to access my data")
    handle(b, timedelta(minutes=3, seconds=20), "France")
    handle(b, timedelta(minutes=5), choice=yes)
    assert b.repo.load_flow(USER) is not None and b.repo.get_user(USER) is not None
