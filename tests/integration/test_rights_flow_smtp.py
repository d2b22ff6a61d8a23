"""Rights requests end to end: a real database (SQLite file, and PostgreSQL when
PRIVBOT_TEST_POSTGRES_URL is set), real SMTP server on loopback (aiosmtpd), real knowledge;
the code is read from the mail the server received."""

from __future__ import annotations

import email
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from privbot.bootstrap import App, build_app
from privbot.config import load_settings
from privbot.content.knowledge import Knowledge
from privbot.core.model import Incoming, Language, Outgoing, RequestType, UserKey
from privbot.core.requests import RequestStatus

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"

    def last_code(self) -> str:
        body = self.messages[-1].get_payload(decode=True).decode()  # type: ignore[union-attr]
        found = re.search(r"\b(\d{6})\b", body)
        assert found
        return found.group(1)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free loopback port (Controller cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class Session:
    def __init__(self, app: App, user: str = "u1") -> None:
        self.app, self.user, self.now = app, UserKey("test", user), NOW
        self.last: Outgoing | None = None

    def say(self, text: str = "", choice: str | None = None) -> str:
        incoming = Incoming(self.user, text, choice=choice)
        self.last = self.app.conversation.handle(incoming, self.now)
        return "\n".join(r.text for r in self.last.replies)

    def press(self, option_id: str) -> str:
        assert self.last is not None
        for r in self.last.replies:
            for o in r.options:
                if o.value.endswith(":" + option_id) or o.value == option_id:
                    return self.say(choice=o.value)
        raise AssertionError(f"no option {option_id}: {self.last}")


@pytest.fixture
def make_app(db_overrides, smtp: tuple[Inbox, int], knowledge: Knowledge):  # type: ignore[no-untyped-def]
    def make() -> App:
        settings = load_settings(
            **db_overrides,
            smtp_url=f"smtp://127.0.0.1:{smtp[1]}",
            intents_dir=ROOT / "intents",
            corpus_dir=ROOT / "policy_corpus",
        )
        return build_app(settings, knowledge=knowledge)

    return make


ANSWERS = {
    RequestType.ACCESS: ["pdf"],
    RequestType.PORTABILITY: ["csv"],
    RequestType.RECTIFICATION: ["text:my phone number", "text:+33 6 00 00 00 00"],
    RequestType.OBJECTION: ["marketing"],
    RequestType.RESTRICTION: ["accuracy"],
    RequestType.ERASURE: ["yes"],
    RequestType.WITHDRAW_CONSENT: ["analytics_cookies"],
    RequestType.OPT_OUT_SALE: [],
}


@pytest.mark.parametrize("rtype", list(RequestType))
def test_each_type_end_to_end(rtype: RequestType, make_app, smtp) -> None:  # type: ignore[no-untyped-def]
    inbox, _ = smtp
    s = Session(make_app())
    s.say(choice=f"request:{rtype}")
    s.press("california" if rtype is RequestType.OPT_OUT_SALE else "eu")
    for a in ANSWERS[rtype]:
        s.say(a[5:]) if a.startswith("text:") else s.press(a)
    if rtype is not RequestType.OPT_OUT_SALE:
        assert "6" in s.say("ann@example.com")
        assert inbox.messages[-1]["To"] == "ann@example.com"
        s.say(inbox.last_code())
    else:
        assert not inbox.messages
    s.press("confirm")
    text = "\n".join(r.text for r in s.last.replies)  # type: ignore[union-attr]
    ref = re.search(r"DSR-2026-\d{6}", text)
    assert ref, text
    req = s.app.requests.get(ref.group(0))
    assert req.type is rtype and req.status is RequestStatus.VERIFIED
    assert s.app.repo.load_flow(s.user) is None and s.app.repo.get_code(s.user) is None


def test_a_code_the_mail_server_refuses_is_said_so_and_not_kept(
    db_overrides: dict[str, object], knowledge: Knowledge
) -> None:
    """The code is mailed once its step has committed; when no mail server takes it, the
    reply says the e-mail could not be sent (not that a code was sent) and the code is taken
    back, the flow still at its code step (to resend)."""
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings = load_settings(
        **db_overrides,
        smtp_url=f"smtp://127.0.0.1:{port}",
        intents_dir=ROOT / "intents",
        corpus_dir=ROOT / "policy_corpus",
    )
    s = Session(build_app(settings, knowledge=knowledge))
    s.say("/language en")
    s.say(choice="request:access")
    s.press("eu")
    s.press("pdf")
    said = s.say("ann@example.com")
    assert said.startswith("The e-mail could not be sent.") and "has just been sent" not in said
    assert s.app.repo.get_code(s.user) is None
    flow = s.app.repo.load_flow(s.user)
    assert flow is not None and flow[0]["step"] == "code"
    s.press("resend")  # the buttons of the reply given are the ones offered


def test_intent_starts_flow_wrong_and_expired_code_resend(make_app, smtp) -> None:  # type: ignore[no-untyped-def]
    inbox, _ = smtp
    s = Session(make_app())
    out = s.say("je veux supprimer mes données")
    assert s.last is not None and s.last.language is Language.FR, out
    assert "effacement" in out
    s.press("eu")
    s.press("yes")
    s.say("pas une adresse")
    assert s.last.replies[0].text.startswith("Cela ne ressemble pas")
    s.say("ann@example.com")
    code = inbox.last_code()
    assert "essai" in s.say("000000" if code != "000000" else "111111")
    s.now += timedelta(minutes=11)
    assert "expiré" in s.say(code)
    s.press("resend")
    assert len(inbox.messages) == 2
    assert "vérifiée" in s.say(inbox.last_code())


def test_restart_mid_flow_and_duplicate(make_app, smtp) -> None:  # type: ignore[no-untyped-def]
    inbox, _ = smtp
    s = Session(make_app())
    s.say(choice="request:access")
    s.press("uk")
    s.press("json")
    s.say("ann@example.com")
    s2 = Session(make_app())  # a new engine on the same database file
    s2.say(inbox.last_code())
    s2.press("confirm")
    assert "DSR-2026-000001" in "\n".join(r.text for r in s2.last.replies)  # type: ignore[union-attr]
    s2.now += timedelta(minutes=1)  # codes to one address are 60 s apart, whatever the flow
    s2.say(choice="request:access")
    s2.press("json")
    s2.say("ann@example.com")
    s2.say(inbox.last_code())
    s2.press("confirm")
    assert "DSR-2026-000001" in s2.last.replies[0].text  # type: ignore[union-attr]
    assert len(s2.app.requests.list_requests()) == 1


def test_free_text_at_choice_long_and_empty_messages(make_app) -> None:  # type: ignore[no-untyped-def]
    s = Session(make_app())
    assert "empty" in s.say("   ") or "vide" in s.say("   ")
    s.say(choice="request:objection")
    n = len(s.last.replies[-1].options)  # type: ignore[union-attr]
    s.say("je ne sais pas trop")
    assert len(s.last.replies[-1].options) == n  # type: ignore[union-attr]
    assert "2000" in s.say("x" * 2500)
    assert s.app.repo.load_flow(s.user) is not None
    assert "annulée" in s.say("annuler") or "cancelled" in s.say("cancel")


def test_privbot_chat_scripted(tmp_path: Path, smtp) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp
    env = {
        "PATH": "/usr/bin:/bin",
        "PRIVBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'chat.sqlite3'}",
        "PRIVBOT_SMTP_URL": f"smtp://127.0.0.1:{port}",
        "PRIVBOT_INTENTS_DIR": str(ROOT / "intents"),
        "PRIVBOT_CORPUS_DIR": str(ROOT / "policy_corpus"),
    }
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "privbot"), "chat", "--lang", "en"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert proc.stdin and proc.stdout
    proc.stdin.write("/request\nWithdraw my consent\n1\n2\nann@example.com\n")
    proc.stdin.flush()
    for _ in range(400):
        if inbox.messages:
            break
        time.sleep(0.05)
    proc.stdin.write(f"{inbox.last_code()}\nConfirm\n/status\n")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "DSR-2026-" in out or "DSR-20" in out
    assert "Marketing e-mails" in out and "/status" in out
    assert "local use only" not in err


def test_requests_cli(make_app, db_env) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from privbot.cli import main

    app = make_app()
    s = Session(app)
    s.say(choice="request:opt_out_sale")
    s.press("california")
    s.press("confirm")
    runner = CliRunner()
    env = db_env
    res = runner.invoke(main, ["requests", "list", "--json"], env=env)
    assert res.exit_code == 0 and '"opt_out_sale"' in res.output
    res = runner.invoke(main, ["requests", "show", "DSR-2026-000001"], env=env)
    assert res.exit_code == 0 and "business day" in res.output.lower()
    res = runner.invoke(main, ["requests", "show", "DSR-2026-000099"], env=env)
    assert res.exit_code == 1


def test_privacy_export_and_erase_on_the_database(make_app, smtp) -> None:  # type: ignore[no-untyped-def]
    import json

    s = Session(make_app())
    s.say(choice="request:opt_out_sale")
    s.press("california")
    s.press("confirm")
    s.say(choice="request:access")
    s.press("json")
    s.say("ann@example.com")  # a flow with a live code, left half-way
    s.say("/privacy")
    s.press("export")  # the summary's button (its value carries a nonce)
    attachment = s.last.replies[0].attachment  # type: ignore[union-attr]
    data = json.loads(attachment.content)
    assert data["request_being_filled_in"]["email"] == "ann@example.com"
    assert data["verification_code"]["attempts"] == 0
    assert [r["type"] for r in data["requests"]] == ["opt_out_sale"]
    s.say("/privacy")
    s.press("privacy:erase")
    s.press("erase_confirm")
    repo = s.app.repo
    assert repo.get_user(s.user) is None and repo.load_flow(s.user) is None
    assert repo.get_code(s.user) is None
    assert len(repo.list_requests(user=s.user)) == 1
