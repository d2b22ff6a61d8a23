"""A verification code committed by an instance that stopped before mailing it, on SQLite and
PostgreSQL. The Telegram ledger replays the update of an instance that died before marking it
handled (adapters/telegram/ledger.py, after its lease): the replay of the address, which finds
the flow at the code step, mails a new code, and a replay after the mail went mails none.
The stop is a BaseException raised at that line, as SIGKILL would stop the process there."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.rights import FakeMailer
from test_pending_choices import Chat

from privbot.bootstrap import App, build_app
from privbot.config import load_settings
from privbot.content.knowledge import Knowledge

ROOT = Path(__file__).resolve().parents[2]
LEASE = timedelta(minutes=5)
ADDRESS = "ann@example.com"


class Killed(BaseException):
    """The process stops here (nothing after this line runs)."""


class StoppingMailer(FakeMailer):
    """Stops the process instead of sending the next mail (when `stop`)."""

    def __init__(self) -> None:
        super().__init__()
        self.stop = False

    def send(self, to: str, subject: str, body: str) -> None:
        stop, self.stop = self.stop, False
        if stop:
            raise Killed
        super().send(to, subject, body)


@pytest.fixture
def app(db_overrides: dict[str, Any], knowledge: Knowledge) -> App:
    settings = load_settings(
        **db_overrides, intents_dir=ROOT / "intents", corpus_dir=ROOT / "policy_corpus"
    )
    return build_app(settings, knowledge=knowledge, mailer=StoppingMailer())


def at_the_address(app: App, stop: bool) -> tuple[Chat, StoppingMailer]:
    """A chat whose address is handled (by an instance stopped before the mail if `stop`),
    then replayed after the lease (the update was not marked handled)."""
    chat = Chat(app)
    chat.say("I want to access my data")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("pdf"))
    mailer = app.conversation.mailer
    assert isinstance(mailer, StoppingMailer)
    mailer.stop = stop
    if stop:
        with pytest.raises(Killed):
            chat.say(ADDRESS)
    else:
        chat.say(ADDRESS)
    chat.now += LEASE
    chat.say(ADDRESS)  # the replay: the same update handled again
    return chat, mailer


def test_a_code_stored_but_never_mailed_is_mailed_when_the_address_is_replayed(
    app: App,
) -> None:
    chat, mailer = at_the_address(app, True)
    assert [to for to, _, _ in mailer.sent] == [ADDRESS]
    assert "has just been sent" in chat.text() and "not a code" not in chat.text()
    chat.say(mailer.last_code())
    assert chat.button("confirm")  # the code mailed is the one accepted


def test_a_replay_after_the_mail_went_mails_no_second_code(app: App) -> None:
    chat, mailer = at_the_address(app, False)
    assert len(mailer.sent) == 1
    assert "already sent to this address" in chat.text()
    chat.say(mailer.last_code())
    assert chat.button("confirm")  # the first code still works


def test_the_same_address_typed_again_soon_after_mails_no_second_code(app: App) -> None:
    """Typed again while the code mailed works, the address asks for nothing more (the
    resend button is there for a code that did not arrive)."""
    chat = Chat(app)
    chat.say("I want to access my data")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("pdf"))
    chat.say(ADDRESS)
    chat.say(ADDRESS)
    mailer = app.conversation.mailer
    assert isinstance(mailer, FakeMailer)
    assert len(mailer.sent) == 1 and "already sent" in chat.text()


def test_the_code_mailed_again_counts_against_the_send_limits(app: App) -> None:
    """The new code is one more code sent: the cooldown after it holds for the resend."""
    chat, mailer = at_the_address(app, True)
    chat.say(choice=chat.button("resend"))
    assert len(mailer.sent) == 1 and "wait" in chat.text()
