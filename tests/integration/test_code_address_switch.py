"""'A code was already sent to this address' only for the address the stored code went to.
A switch of address the 60 s resend cooldown refuses keeps the flow on the old address and
its code, and holds the new one beside it for the next resend: typed again or resent after
the wait, it gets its own code (an earlier version switched silently, and the new address
typed again was answered 'already sent': nothing was ever mailed to it; the next one lost
the new address typed during the wait)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fakes.rights import FakeMailer
from test_pending_choices import ROOT, Chat

from privbot.bootstrap import App, build_app
from privbot.config import load_settings
from privbot.content.knowledge import Knowledge

OLD, NEW = "ann@example.com", "bob@example.com"


@pytest.fixture
def app(db_overrides: dict[str, Any], knowledge: Knowledge) -> App:
    settings = load_settings(
        **db_overrides, intents_dir=ROOT / "intents", corpus_dir=ROOT / "policy_corpus"
    )
    return build_app(settings, knowledge=knowledge, mailer=FakeMailer())


@pytest.mark.parametrize("again", [NEW, f"wrong email, it is {NEW}", "resend"])
def test_the_new_address_typed_again_after_a_refused_switch_gets_a_code(
    app: App, again: str
) -> None:
    chat = Chat(app)
    chat.say("I want to access my data")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("pdf"))
    chat.say(OLD)
    chat.say(f"sorry, wrong email, it is {NEW}")  # within the 60 s cooldown
    assert "wait" in chat.text().lower()
    flow = chat.flow()
    assert flow is not None and (flow["email"], flow["held"]) == (OLD, NEW)
    chat.now += timedelta(seconds=90)  # the cooldown is over
    if again == "resend":
        chat.say(choice=chat.button("resend"))
    else:
        chat.say(again)
    mailer = app.conversation.mailer
    assert isinstance(mailer, FakeMailer)
    assert "already sent to this address" not in chat.text()
    assert [to for to, _, _ in mailer.sent] == [OLD, NEW]


@pytest.mark.parametrize("away", ["sorry, wrong email, it is bob@exmple.com", "change_email"])
def test_the_old_address_typed_back_keeps_its_code(app: App, away: str) -> None:
    """A typo typed during the wait (held for the resend), or 'Change the e-mail address',
    then the address the code went to again: 'already sent', and that code verifies it; no
    second mail."""
    chat = Chat(app)
    chat.say("I want to access my data")
    chat.say(choice=chat.button("eu"))
    chat.say(choice=chat.button("pdf"))
    chat.say(OLD)
    mailer = app.conversation.mailer
    assert isinstance(mailer, FakeMailer)
    code = mailer.last_code()
    if away == "change_email":
        chat.say(choice=chat.button(away))
    else:
        chat.say(away)
    chat.say(OLD)
    assert "already sent to this address" in chat.text()
    chat.say(code)
    flow = chat.flow()
    assert flow is not None and flow["verified"] and flow["held"] is None
    assert flow["email"] == OLD and [to for to, _, _ in mailer.sent] == [OLD]
