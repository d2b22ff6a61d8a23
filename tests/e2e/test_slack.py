"""Slack end to end: `privbot run`'s Service with Telegram and Slack (HTTP mode) against
loopback Bot API and Slack Web API servers. Interactions are signed like Slack signs them and
posted to /slack/events; forged and stale ones get 401 and change nothing."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from privbot.adapters.persistence.slack_store import SlackStore
from privbot.adapters.slack import blocks as bk
from privbot.bootstrap import build_app
from privbot.config import Settings
from privbot.content.knowledge import Knowledge
from privbot.core.model import Jurisdiction, Language, RequestType
from privbot.core.requests import RequestStatus
from privbot.runtime import Service
from tests.e2e.telegram_support import free_port
from tests.fakes.slack_server import (
    FakeSlack,
    block_action,
    interaction_body,
    sign,
    view_submission,
)
from tests.fakes.slack_world import (
    ALICE,
    CHANNEL,
    EMAIL,
    FREE_TEXT,
    SECRET,
    STAFF,
    add_request,
    settings_for,
)
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.telegram_server import button as tg_button

PARIS = ZoneInfo("Europe/Paris")
OUTSIDER = "UOUTSIDER"
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Bot:
    service: Service
    slack: FakeSlack
    tg: FakeTelegram
    url: str
    settings: Settings

    @property
    def repo(self) -> Any:
        assert self.service.app is not None
        return self.service.app.repo

    @property
    def store(self) -> SlackStore:
        assert self.service.app is not None
        return SlackStore(self.service.app.engine)

    async def post(
        self, body: str, content_type: str, *, secret: str = SECRET, ts: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:  # fmt: skip
        h = {"Content-Type": content_type, **sign(secret, body, ts), **(headers or {})}
        async with httpx.AsyncClient() as client:
            return await client.post(self.url, content=body, headers=h, timeout=10)

    async def click(self, user: str, action: str, reference: str) -> httpx.Response:
        channel, ts = self.store.thread_of(reference) or (CHANNEL, "0")
        body, ctype = interaction_body(block_action(user, action, reference, channel, ts))
        return await self.post(body, ctype)

    async def submit(
        self, user: str, callback: str, reference: str, block: str, action: str, text: str | None
    ) -> httpx.Response:
        body, ctype = interaction_body(
            view_submission(user, callback, reference, {block: {action: text}})
        )
        return await self.post(body, ctype)


async def wait_for(cond: Callable[[], Any], timeout: float = 8.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(
    tmp_path: Path,
    slack: FakeSlack,
    tg: FakeTelegram,
    knowledge: Knowledge,
) -> AsyncIterator[Bot]:
    port = free_port()
    settings = settings_for(
        tmp_path, slack.url, http_listen=f"127.0.0.1:{port}", telegram_token=tg.token,
        telegram_api_url=tg.url, intents_dir=ROOT / "intents", corpus_dir=ROOT / "policy_corpus",
    )  # fmt: skip
    app = build_app(settings, knowledge=knowledge)
    service = Service(settings, app=app, telegram_rate_limit=False)
    bot = Bot(service, slack, tg, f"http://127.0.0.1:{port}/slack/events", settings)
    try:
        yield bot
    finally:
        await service.stop()


async def start_with_request(bot: Bot, **kw: Any) -> str:
    """Store a verified request received now, start the service, wait for its Slack post."""
    app = bot.service.app
    assert app is not None
    req = add_request(app.repo, datetime.now(PARIS), **kw)
    lines = await bot.service.start()
    assert any("Slack (HTTP mode" in ln for ln in lines) and any("reminders" in ln for ln in lines)
    await wait_for(lambda: bot.store.thread_of(req.reference))
    return req.reference


def updates(slack: FakeSlack) -> list[dict[str, Any]]:
    return slack.of("chat.update")


def block_text(params: dict[str, Any]) -> str:
    blocks = params.get("blocks")
    return json.dumps(blocks if not isinstance(blocks, str) else json.loads(blocks))


async def test_acknowledge_updates_message_audits_and_tells_the_user(bot: Bot) -> None:
    ref = await start_with_request(bot)
    (post,) = bot.slack.posts()
    assert post["channel"] == CHANNEL and ref in block_text(post)
    # bolt acks before the action runs (process_before_response is off); no timing here.
    resp = await bot.click(STAFF, bk.ACK, ref)
    assert resp.status_code == 200
    upd = await wait_for(lambda: updates(bot.slack))
    assert upd[0]["ts"] == bot.store.thread_of(ref)[1]  # type: ignore[index]
    assert "acknowledged" in block_text(upd[0]) and bk.ACK not in block_text(upd[0])
    assert bot.repo.get_request(ref).status is RequestStatus.ACKNOWLEDGED
    assert [(e.event, e.actor) for e in bot.repo.audit_log(ref)][-1] == (
        "acknowledged",
        f"slack:{STAFF}",
    )
    msgs = await wait_for(lambda: bot.tg.messages(int(ALICE.external_id)))
    assert "Nous avons bien reçu votre demande " + ref in msgs[-1]["text"]


async def test_non_staff_click_changes_nothing(bot: Bot) -> None:
    ref = await start_with_request(bot)
    before = bot.repo.audit_log(ref)
    for action in (bk.ACK, bk.ASSIGN, bk.EXTEND, bk.COMPLETE, bk.DENY):
        assert (await bot.click(OUTSIDER, action, ref)).status_code == 200
    eph = await wait_for(lambda: len(bot.slack.of("chat.postEphemeral")) == 5 and
                         bot.slack.of("chat.postEphemeral"))  # fmt: skip
    assert {e["user"] for e in eph} == {OUTSIDER} and "privacy team" in eph[0]["text"]
    resp = await bot.submit(OUTSIDER, bk.DENY_VIEW, ref, bk.REASON_BLOCK, bk.REASON_INPUT, "no")
    assert resp.json()["response_action"] == "errors"
    await asyncio.sleep(0.3)
    assert updates(bot.slack) == [] and bot.slack.of("views.open") == []
    assert bot.repo.get_request(ref).status is RequestStatus.VERIFIED
    assert bot.repo.audit_log(ref) == before


async def test_forged_and_stale_signatures_get_401(bot: Bot) -> None:
    ref = await start_with_request(bot)
    calls = len(bot.slack.calls)
    body, ctype = interaction_body(block_action(STAFF, bk.ACK, ref, CHANNEL, "1.1"))
    forged = await bot.post(body, ctype, secret="not-the-secret")
    stale = await bot.post(body, ctype, ts=int(time.time()) - 6 * 60)
    unsigned_headers = {"Content-Type": ctype}
    async with httpx.AsyncClient() as client:
        unsigned = await client.post(bot.url, content=body, headers=unsigned_headers)
    assert (forged.status_code, stale.status_code, unsigned.status_code) == (401, 401, 401)
    await asyncio.sleep(0.3)
    assert len(bot.slack.calls) == calls
    assert bot.repo.get_request(ref).status is RequestStatus.VERIFIED


async def test_unsigned_bodies_are_refused_before_they_are_parsed_or_read_whole(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    await start_with_request(bot)
    async with httpx.AsyncClient() as client:
        # A body the parser would choke on: the signature is checked first, so 401.
        broken = await client.post(
            bot.url, content="payload=%7Bnot-json",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        huge = await client.post(
            bot.url, content=b"payload=" + b"x" * (3 << 20),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
    assert (broken.status_code, huge.status_code) == (401, 413)
    assert "Traceback" not in caplog.text


async def test_malformed_signed_bodies_get_a_clean_answer_and_one_log_line(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    ref = await start_with_request(bot)
    click = block_action(STAFF, bk.ACK, ref, CHANNEL, "1.1")
    no_user = {k: v for k, v in click.items() if k != "user"}
    no_actions = {**click, "actions": []}
    no_value = {**click, "actions": [{"action_id": bk.EXTEND, "block_id": "privbot_actions"}]}
    view = view_submission(STAFF, bk.DENY_VIEW, ref, {bk.REASON_BLOCK: {bk.REASON_INPUT: "x"}})
    no_view_user = {k: v for k, v in view.items() if k != "user"}
    no_metadata = {**view, "view": {"callback_id": bk.DENY_VIEW}}
    bodies = [
        interaction_body(p) for p in (no_user, no_actions, no_value, no_view_user, no_metadata)
    ]
    bodies += [
        ("[1, 2]", "application/json"),
        ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
    ]
    caplog.set_level(logging.INFO)
    caplog.clear()
    for body, ctype in bodies:
        response = await bot.post(body, ctype)
        assert response.status_code < 500, (body, response.status_code)
    await asyncio.sleep(0.3)
    assert "Traceback" not in caplog.text
    refused = [r.getMessage() for r in caplog.records if "slack" in r.getMessage()]
    assert refused and not any(STAFF in line or ref in line for line in refused)
    assert bot.repo.get_request(ref).status is RequestStatus.VERIFIED


async def test_extend_once_with_a_required_reason(bot: Bot) -> None:
    ref = await start_with_request(bot)
    await bot.click(STAFF, bk.EXTEND, ref)
    (opened,) = await wait_for(lambda: bot.slack.of("views.open"))
    view = opened["view"] if isinstance(opened["view"], dict) else json.loads(opened["view"])
    assert view["callback_id"] == bk.EXTEND_VIEW and view["private_metadata"] == ref
    empty = await bot.submit(STAFF, bk.EXTEND_VIEW, ref, bk.REASON_BLOCK, bk.REASON_INPUT, "  ")
    assert empty.json() == {"response_action": "errors",
                            "errors": {bk.REASON_BLOCK: "A reason is required."}}  # fmt: skip
    ok = await bot.submit(STAFF, bk.EXTEND_VIEW, ref, bk.REASON_BLOCK, bk.REASON_INPUT,
                          "Demande complexe")  # fmt: skip
    assert ok.status_code == 200 and ok.text == ""
    req = bot.repo.get_request(ref)
    assert req.extended and req.extension_reason == "Demande complexe"
    upd = await wait_for(lambda: updates(bot.slack))
    assert "Extended" in block_text(upd[-1]) and bk.EXTEND not in block_text(upd[-1])
    await bot.click(STAFF, bk.EXTEND, ref)
    eph = await wait_for(lambda: bot.slack.of("chat.postEphemeral"))
    assert "already been extended" in eph[0]["text"]
    again = await bot.submit(STAFF, bk.EXTEND_VIEW, ref, bk.REASON_BLOCK, bk.REASON_INPUT, "x")
    assert again.json()["response_action"] == "errors"
    texts = [n.text for n in bot.repo.notifications_for(ALICE)]
    assert any("prolongé" in t and "Demande complexe" in t for t in texts)
    assert [e.event for e in bot.repo.audit_log(ref)].count("extended") == 1


async def test_deny_needs_a_reason_and_tells_the_user_of_the_right_to_complain(bot: Bot) -> None:
    ref = await start_with_request(bot)
    await bot.click(STAFF, bk.DENY, ref)
    await wait_for(lambda: bot.slack.of("views.open"))
    empty = await bot.submit(STAFF, bk.DENY_VIEW, ref, bk.REASON_BLOCK, bk.REASON_INPUT, None)
    assert empty.json()["response_action"] == "errors"
    assert bot.repo.get_request(ref).status is RequestStatus.VERIFIED
    await bot.submit(STAFF, bk.DENY_VIEW, ref, bk.REASON_BLOCK, bk.REASON_INPUT,
                     "Identité non confirmée")  # fmt: skip
    assert bot.repo.get_request(ref).status is RequestStatus.DENIED
    upd = await wait_for(lambda: updates(bot.slack))
    assert "denied" in block_text(upd[-1]) and "privbot_actions" not in block_text(upd[-1])
    msgs = await wait_for(lambda: bot.tg.messages(int(ALICE.external_id)))
    assert "Identité non confirmée" in msgs[-1]["text"] and "CNIL" in msgs[-1]["text"]


async def test_assign_then_complete_reaches_the_user_on_telegram(bot: Bot) -> None:
    ref = await start_with_request(bot, language=Language.EN)
    await bot.click(STAFF, bk.ASSIGN, ref)
    await wait_for(lambda: bot.repo.get_request(ref).assignee == f"slack:{STAFF}")
    await bot.click(STAFF, bk.COMPLETE, ref)
    await wait_for(lambda: bot.slack.of("views.open"))
    resp = await bot.submit(STAFF, bk.COMPLETE_VIEW, ref, bk.NOTE_BLOCK, bk.NOTE_INPUT,
                            "Your export is attached to your account page.")  # fmt: skip
    assert resp.status_code == 200
    assert bot.repo.get_request(ref).status is RequestStatus.COMPLETED
    # The scheduler may re-render the message in between: wait for the completed render, and
    # some update before it shows the assignee.
    upd = await wait_for(
        lambda: (u := updates(bot.slack)) and "completed" in block_text(u[-1]) and u
    )
    assert any(f"<@{STAFF}>" in block_text(u) for u in upd)

    def completed() -> list[dict[str, Any]]:
        return [m for m in bot.tg.messages(int(ALICE.external_id)) if "completed" in m["text"]]

    (msg,) = await wait_for(completed, timeout=10)
    assert f"Your request {ref}" in msg["text"] and "export is attached" in msg["text"]


async def test_retried_event_is_handled_once(bot: Bot) -> None:
    await start_with_request(bot)
    event = {
        "type": "event_callback",
        "team_id": "T1",
        "api_app_id": "A1",
        "event_id": "Ev0001",
        "event_time": int(time.time()),
        "event": {"type": "app_home_opened", "user": STAFF, "channel": "D1", "tab": "home"},
    }
    body = json.dumps(event)  # fmt: skip
    first = await bot.post(body, "application/json")
    retry = await bot.post(
        body,
        "application/json",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"},
    )
    assert (first.status_code, retry.status_code) == (200, 200)
    await wait_for(lambda: bot.slack.of("views.publish"))
    await asyncio.sleep(0.3)
    (published,) = bot.slack.of("views.publish")
    view = (
        published["view"] if isinstance(published["view"], dict) else json.loads(published["view"])
    )
    assert published["user_id"] == STAFF and "Open requests by due date (1)" in json.dumps(view)


async def test_slash_command(bot: Bot) -> None:
    ref = await start_with_request(
        bot,
        jurisdiction=Jurisdiction.CALIFORNIA,
        rtype=RequestType.ERASURE,
        details={"close_account": "yes"},
    )

    async def command(user: str, text: str) -> dict[str, Any]:
        body = urlencode({"command": "/privbot", "text": text, "user_id": user, "team_id": "T1",
                          "channel_id": CHANNEL, "response_url": bot.slack.url + "resp",
                          "trigger_id": "1.2.3"})  # fmt: skip
        resp = await bot.post(body, "application/x-www-form-urlencoded")
        assert resp.status_code == 200
        return dict(resp.json())

    listed = await command(STAFF, "list")
    assert ref in json.dumps(listed) and "California" in json.dumps(listed)
    shown = await command(STAFF, f"show {ref.lower()}")
    assert "History" in json.dumps(shown) and "Acknowledge by" in json.dumps(shown)
    overdue = await command(STAFF, "overdue")
    assert "Overdue requests (0)" in json.dumps(overdue)
    refused = await command(OUTSIDER, "list")
    assert ref not in json.dumps(refused) and "privacy team" in refused["text"]


async def test_slack_never_gets_the_email_or_the_users_words(bot: Bot) -> None:
    app = bot.service.app
    assert app is not None
    ref = await start_with_request(
        bot,
        rtype=RequestType.RECTIFICATION,
        details={"wrong": FREE_TEXT, "correct": FREE_TEXT[::-1]},
    )
    await bot.click(STAFF, bk.ACK, ref)
    await wait_for(lambda: updates(bot.slack))
    everything = bot.slack.payload_text()
    assert ref in everything and "given by the user" in everything
    for secret in (EMAIL, FREE_TEXT, FREE_TEXT[::-1], "alice"):
        assert secret not in everything


async def test_cancellation_on_telegram_reaches_the_slack_message(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("privbot.adapters.scheduler.POST_INTERVAL_SECONDS", 0.5)
    ref = await start_with_request(bot)
    bot.tg.send_text(int(ALICE.external_id), f"/cancel {ref}")

    def cancelled() -> list[dict[str, Any]]:
        return [u for u in updates(bot.slack) if "cancelled by the user" in block_text(u)]

    (upd,) = await wait_for(cancelled)
    assert upd["ts"] == bot.store.thread_of(ref)[1]  # type: ignore[index]
    assert "privbot_actions" not in block_text(upd)  # no buttons left to click
    assert bot.repo.get_request(ref).status is RequestStatus.CANCELLED
    await asyncio.sleep(1.5)  # further runs of the job leave it alone
    assert len(updates(bot.slack)) == 1


async def test_socket_mode_interaction_is_acked_and_updates_the_message(
    tmp_path: Path,
    slack: FakeSlack,
    knowledge: Knowledge,
) -> None:
    """PRIVBOT_SLACK_APP_TOKEN: no HTTP endpoint; slack_sdk's Socket Mode client connects to
    the ws:// URL that apps.connections.open returns, gets an `interactive` envelope, acks it
    and the click updates the message."""
    settings = settings_for(tmp_path, slack.url, slack_app_token="xapp-1-test",
                            slack_signing_secret=None)  # fmt: skip
    app = build_app(settings, knowledge=knowledge)
    req = add_request(app.repo, datetime.now(PARIS))
    service = Service(settings, app=app)
    try:
        lines = await service.start()
        assert "Slack (Socket Mode)" in lines
        store = SlackStore(app.engine)
        channel, ts = await wait_for(lambda: store.thread_of(req.reference))
        await slack.wait_connected()
        assert slack.of("apps.connections.open")
        envelope = await slack.push_envelope(
            "interactive", block_action(STAFF, bk.ACK, req.reference, channel, ts)
        )
        (ack,) = await wait_for(lambda: [a for a in slack.acks if a["envelope_id"] == envelope])
        assert ack["envelope_id"] == envelope
        # The click's own update, and possibly the poster's re-render of the changed request
        # racing it: both show the new status.
        acked = await wait_for(
            lambda: [u for u in updates(slack) if "acknowledged" in block_text(u)]
        )
        assert all(u["ts"] == ts for u in acked)
        assert app.repo.get_request(req.reference).status is RequestStatus.ACKNOWLEDGED
        # The Socket Mode client sets the level of the bolt app's logger: that must not be
        # "privbot", the parent of every privbot logger.
        assert logging.getLogger("privbot").level == logging.NOTSET
    finally:
        await service.stop()


async def test_rejected_content_edit_reaches_slack_through_the_one_client(
    tmp_path: Path, slack: FakeSlack, knowledge: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PRIVBOT_SLACK_API_URL without its trailing slash: the rejected-edit report reaches
    `<url>/chat.postMessage`, through the one Slack client the service builds (a second
    client, built apart, had its own idea of the URL)."""
    built: list[str] = []
    init = AsyncWebClient.__init__

    def counting_init(self: AsyncWebClient, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        built.append(self.base_url)

    monkeypatch.setattr(AsyncWebClient, "__init__", counting_init)
    shutil.copytree(ROOT / "intents", tmp_path / "intents")
    shutil.copytree(ROOT / "policy_corpus", tmp_path / "policy_corpus")
    settings = settings_for(
        tmp_path, slack.url.rstrip("/"), slack_app_token="xapp-1-test",
        slack_signing_secret=None, intents_dir=tmp_path / "intents",
        corpus_dir=tmp_path / "policy_corpus",
    )  # fmt: skip
    service = Service(settings, app=build_app(settings, knowledge=knowledge))
    try:
        await service.start()
        await asyncio.sleep(0.5)  # let the watcher start
        broken = tmp_path / "intents" / "smalltalk.yaml"
        broken.write_text(broken.read_text("utf-8") + "\n: : :\n", "utf-8")
        report = await wait_for(
            lambda: [p for p in slack.posts() if "was rejected" in str(p.get("text"))], 20
        )
        assert report[0]["channel"] == CHANNEL and "smalltalk.yaml" in report[0]["text"]
        assert built == [slack.url]
    finally:
        await service.stop()


# --- a person when needed: a handoff through the Telegram and Slack loopback servers ---------
def _stored_with_buttons(tg: FakeTelegram, chat: int) -> dict[str, Any]:
    """The bot's last stored message to `chat` that has buttons (to press one)."""
    for m in reversed(list(tg.sent.values())):
        if int(m["chat"]["id"]) == chat and m.get("reply_markup"):
            return m
    raise AssertionError("no message with buttons")


async def test_a_user_talks_to_a_person_of_the_privacy_team(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("privbot.adapters.scheduler.POST_INTERVAL_SECONDS", 0.3)
    await start_with_request(bot)
    user = int(ALICE.external_id)
    mark = bot.tg.mark()
    bot.tg.send_text(user, "je veux parler à un humain")
    (offer,) = await bot.tg.wait_messages(user, mark)
    assert "une personne de l'équipe confidentialité" in offer["text"]
    mark = bot.tg.mark()
    data = tg_button(_stored_with_buttons(bot.tg, user), "Oui, écrire à une personne")[
        "callback_data"
    ]
    bot.tg.press(user, _stored_with_buttons(bot.tg, user), data)
    await bot.tg.wait_messages(user, mark)
    bot.tg.send_text(user, "Que gardez-vous après la fermeture de mon compte ?")

    def thread_replies() -> list[dict[str, Any]]:
        return [p for p in bot.slack.replies() if "User" in str(p.get("text"))]

    (first,) = await wait_for(thread_replies, timeout=15)
    thread = first["thread_ts"]
    roots = [p for p in bot.slack.posts() if not p.get("thread_ts") and "HUM-" in str(p["text"])]
    assert roots and "a person of the privacy team" in roots[0]["text"]
    assert "Que gardez-vous après la fermeture de mon compte" in first["text"]

    def message_event(user_id: str, text: str, event_id: str, ts: str) -> str:
        return json.dumps({
            "type": "event_callback", "team_id": "T1", "api_app_id": "A1",
            "event_id": event_id, "event_time": int(time.time()),
            "event": {"type": "message", "channel": CHANNEL, "user": user_id, "text": text,
                      "ts": ts, "thread_ts": thread},
        })  # fmt: skip

    # An outsider's reply in the thread is ignored; the staff reply, delivered twice, once.
    await bot.post(message_event(OUTSIDER, "not staff", "Ev1", "9.1"), "application/json")
    body = message_event(STAFF, "Les factures, dix ans ; rien d'autre.", "Ev2", "9.2")
    await bot.post(body, "application/json")
    await bot.post(body.replace("Ev2", "Ev3"), "application/json")  # same Slack message again

    def from_staff() -> list[dict[str, Any]]:
        return [
            m for m in bot.tg.messages(user) if "Équipe confidentialité (une personne)" in m["text"]
        ]

    (reply,) = await wait_for(from_staff, timeout=15)
    assert "Les factures, dix ans" in reply["text"]
    await asyncio.sleep(1.0)
    assert len(from_staff()) == 1 and not any(
        "not staff" in m["text"] for m in bot.tg.messages(user)
    )
    bot.tg.send_text(user, "Merci, et les tickets du support ?")
    await wait_for(lambda: len(thread_replies()) == 2, timeout=15)
    assert "les tickets du support" in thread_replies()[1]["text"]
    assert thread_replies()[1]["thread_ts"] == thread
    events = [e.event for e in bot.repo.audit_log("HUM-000001")]
    assert events == ["handoff_opened", "staff_reply"]
