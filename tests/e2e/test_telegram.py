"""privbot on Telegram, end to end: `privbot run`'s Service against a loopback Bot API server,
with a real SMTP server on loopback for verification codes."""

from __future__ import annotations

import asyncio
import copy
from datetime import datetime
from typing import Any

import pytest
from telegram.error import BadRequest

from privbot.core.model import Incoming, Outgoing, UserKey
from privbot.core.ports import Save
from privbot.core.text import normalise
from tests.e2e.telegram_support import Inbox, Running
from tests.fakes.telegram_server import FakeTelegram, button, buttons

FR_USER = 1001
EN_USER = 1002


async def ask(tg: FakeTelegram, user: int, text: str, count: int = 1, **kw: object) -> list[dict]:
    mark = tg.mark()
    timeout = float(kw.pop("timeout", 5.0))  # type: ignore[arg-type]
    tg.send_text(user, text, **kw)  # type: ignore[arg-type]
    chat = kw.get("chat_id", user)
    return await tg.wait_messages(chat, mark, count, timeout=timeout)  # type: ignore[arg-type]


async def press(
    tg: FakeTelegram, user: int, message: dict, label: str, chat_id: int | None = None
) -> list[dict]:
    mark = tg.mark()
    data = button(message, label)["callback_data"]
    tg.press(user, copy.deepcopy(message), data)
    return await tg.wait_messages(chat_id or user, mark)


def with_buttons(messages: list[dict]) -> dict:
    """The bot's stored message (with its message_id) for the last reply that has buttons."""
    for m in reversed(messages):
        if m.get("reply_markup"):
            return m
    raise AssertionError("no reply with buttons")


def stored(tg: FakeTelegram, sent_params: dict) -> dict:
    """The message object the fake returned for a sendMessage call (to press its buttons)."""
    return tg.stored(sent_params)


async def test_start_registers_commands_in_two_languages(tg: FakeTelegram, bot: Running) -> None:
    await bot.start()
    calls = tg.calls_of("setMyCommands")
    langs = {c.params.get("language_code") for c in calls}
    assert langs == {None, "fr"}
    for c in calls:
        names = [cmd["command"] for cmd in c.params["commands"]]
        assert names == ["start", "help", "language", "request", "status", "cancel", "privacy"]
    assert tg.calls_of("deleteWebhook")  # polling mode clears any webhook first


async def test_a_command_menu_refused_stops_the_start(tg: FakeTelegram, bot: Running) -> None:
    """The two menus go out together; either refused fails the start before any poll, and
    the other's outcome is awaited (no task left behind)."""
    tg.fail_next("setMyCommands", 400)
    with pytest.raises(BadRequest):
        await bot.start()
    assert len(tg.calls_of("setMyCommands")) == 2
    assert not tg.calls_of("getUpdates")


@pytest.mark.parametrize("refused", ["setMyCommands", "deleteWebhook"])
async def test_a_failed_start_closes_its_http_clients(
    tg: FakeTelegram, bot: Running, refused: str
) -> None:
    """A start that fails once connected (the command menu refused, or polling's first call)
    closes the Bot API clients it opened, instead of leaving their connections open until
    the process exits."""
    tg.fail_next(refused, 400)
    with pytest.raises(BadRequest):
        await bot.start()
    assert tg.calls_of("getMe")  # it had connected
    assert await tg.wait_closed() == 0


async def test_french_question_answered_in_french(tg: FakeTelegram, bot: Running) -> None:
    """Latency is measured by bench/telegram_throughput.py, not asserted here (shared CI)."""
    await bot.start()
    mark = tg.mark()
    tg.send_text(FR_USER, "Quels cookies utilisez-vous ?")
    replies = await tg.wait_messages(FR_USER, mark, quiet=0.0)
    assert "Cookies" in replies[0]["text"] or "cookies" in replies[0]["text"]
    assert replies[0]["parse_mode"] == "HTML"
    assert "les" in replies[0]["text"].split()  # French text


async def test_english_question_from_french_telegram_user_is_answered_in_english(
    tg: FakeTelegram, bot: Running
) -> None:
    await bot.start()
    replies = await ask(tg, EN_USER, "How long do you keep my personal data?", language_code="fr")
    text = " ".join(r["text"] for r in replies)
    assert "Retention" in text or "retain" in text.lower()
    assert " the " in text


async def test_ambiguous_question_resolved_through_its_button(
    tg: FakeTelegram, bot: Running
) -> None:
    await bot.start()
    replies = await ask(tg, FR_USER, "conservation et transfert")
    clarify = stored(tg, with_buttons(replies))
    labels = [b["text"] for b in buttons(clarify)]
    assert any("Conservation" in lb for lb in labels), labels
    chosen = button(clarify, "Transferts")["text"]
    answer = await press(tg, FR_USER, clarify, "Transferts")
    assert "Transferts" in answer[0]["text"]
    assert tg.calls_of("answerCallbackQuery")
    # The pressed keyboard is removed, so it cannot be pressed twice, and the choice written
    # under the question.
    (edit,) = tg.calls_of("editMessageText")
    assert edit.status == 200 and "reply_markup" not in tg.sent[clarify["message_id"]]
    assert tg.sent[clarify["message_id"]]["text"].endswith(f"\n\n✓ {chosen}")


async def test_full_erasure_request_with_code_from_real_smtp(
    tg: FakeTelegram, bot: Running, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    await bot.start()
    replies = await ask(tg, FR_USER, "je veux supprimer mes données")
    msg = stored(tg, with_buttons(replies))
    replies = await press(tg, FR_USER, msg, "UE")
    msg = stored(tg, with_buttons(replies))
    replies = await press(tg, FR_USER, msg, "Oui")
    assert "e-mail" in replies[-1]["text"].lower() or "adresse" in replies[-1]["text"].lower()
    before = len(inbox.messages)
    replies = await ask(tg, FR_USER, "alice@example.org")
    assert len(inbox.messages) == before + 1
    code = inbox.code()
    replies = await ask(tg, FR_USER, code)
    summary = stored(tg, with_buttons(replies))
    replies = await press(tg, FR_USER, summary, "Confirmer")
    text = " ".join(r["text"] for r in replies)
    assert "DSR-" in text
    # /status lists it
    status = await ask(tg, FR_USER, "/status")
    assert "DSR-" in status[0]["text"]
    # the code and the address never reach Telegram
    for c in tg.calls:
        assert code not in str(c.params.get("text", "")) or c.params.get("text") == code


async def test_cancel_in_the_middle_of_a_flow(tg: FakeTelegram, bot: Running) -> None:
    await bot.start()
    replies = await ask(tg, FR_USER, "/request")
    menu = stored(tg, with_buttons(replies))
    replies = await press(tg, FR_USER, menu, "Accéder")
    assert buttons(stored(tg, with_buttons(replies)))
    replies = await ask(tg, FR_USER, "/cancel")
    assert "annulée" in replies[0]["text"].lower()
    status = await ask(tg, FR_USER, "/status")
    assert "aucune demande" in status[0]["text"].lower()


async def test_forged_and_replayed_buttons_are_expired_and_change_nothing(
    tg: FakeTelegram, bot: Running
) -> None:
    service = await bot.start()
    assert service.app is not None
    repo = service.app.repo
    me = UserKey("telegram", str(FR_USER))
    replies = await ask(tg, FR_USER, "je veux supprimer mes données")
    jurisdiction = copy.deepcopy(stored(tg, with_buttons(replies)))
    flow_before = repo.load_flow(me)
    assert flow_before is not None
    # forged: a genuine value with a made-up signature
    data = button(jurisdiction, "UE")["callback_data"]
    value, _, _sig = data.rpartition("|")
    mark = tg.mark()
    tg.press(FR_USER, jurisdiction, f"{value}|AAAAAAAAAAAAAAAA")
    out = await tg.wait_messages(FR_USER, mark)
    assert "expiré" in out[0]["text"]
    toasts = [str(c.params.get("text")) for c in tg.calls_of("answerCallbackQuery", mark)]
    assert any("expiré" in t for t in toasts)
    # a genuine button pressed by someone else (its signature is bound to FR_USER)
    mark = tg.mark()
    tg.press(EN_USER, jurisdiction, data)
    out = await tg.wait_messages(FR_USER, mark)  # the button's chat
    assert "expir" in out[0]["text"]
    assert repo.load_flow(me) == flow_before  # nothing changed
    assert repo.load_flow(UserKey("telegram", str(EN_USER))) is None
    # the genuine press still works
    replies = await press(tg, FR_USER, jurisdiction, "UE")
    assert "compte" in replies[-1]["text"]
    flow_after = repo.load_flow(me)
    # replaying the same (now stale) button: "expired", and the flow stays where it is
    replies = await press(tg, FR_USER, jurisdiction, "Royaume")
    assert "expiré" in replies[0]["text"]
    assert repo.load_flow(me) is not None
    assert repo.load_flow(me)[0]["step"] == flow_after[0]["step"]  # type: ignore[index]
    # the question still shows the choice that was taken, not the expired one, and the
    # stale press (whose copy still had the keyboard) did not put the keyboard back
    assert tg.sent[jurisdiction["message_id"]]["text"].endswith("\n\n✓ UE / EEE")
    assert "reply_markup" not in tg.sent[jurisdiction["message_id"]]


async def test_a_button_of_a_flow_cancelled_meanwhile_is_expired_not_marked_chosen(
    tg: FakeTelegram, bot: Running
) -> None:
    """A button of a request flow pressed after '/cancel': the engine is not offering it any
    more, so nothing is done, the user is told so in their language with what to do, and the
    question is put back as it was (no '✓', which would say the choice was taken; its
    keyboard, taken away while the press was handled, back)."""
    service = await bot.start()
    assert service.app is not None
    replies = await ask(tg, FR_USER, "je veux supprimer mes données")
    jurisdiction = stored(tg, with_buttons(replies))
    await ask(tg, FR_USER, "/cancel")
    mark = tg.mark()
    out = await press(tg, FR_USER, jurisdiction, "UE")
    assert "expiré" in out[0]["text"] and "/request" in out[0]["text"]
    assert not tg.calls_of("editMessageText", mark)
    assert "✓" not in tg.sent[jurisdiction["message_id"]]["text"]
    assert tg.sent[jurisdiction["message_id"]]["reply_markup"] == jurisdiction["reply_markup"]
    assert service.app.repo.load_flow(UserKey("telegram", str(FR_USER))) is None


async def test_a_pressed_keyboard_goes_before_the_press_is_handled(
    tg: FakeTelegram, bot: Running
) -> None:
    """A press takes its keyboard away at once: while the engine handles it (which may send an
    e-mail), the question shows no button to press a second time; once the press is taken,
    the choice is written under the question."""
    service = await bot.start()
    assert service.app is not None
    replies = await ask(tg, FR_USER, "je veux supprimer mes données")
    jurisdiction = stored(tg, with_buttons(replies))
    conversation = service.app.conversation
    answer, keyboards = conversation.answer, []

    def watched(incoming: Incoming, now: datetime) -> tuple[Outgoing, Save | None]:
        keyboards.append(tg.sent[jurisdiction["message_id"]].get("reply_markup"))
        return answer(incoming, now)

    conversation.answer = watched  # type: ignore[method-assign]
    await press(tg, FR_USER, jurisdiction, "UE")
    assert keyboards == [None]
    assert tg.sent[jurisdiction["message_id"]]["text"].endswith("\n\n✓ UE / EEE")
    assert "reply_markup" not in tg.sent[jurisdiction["message_id"]]


async def test_saved_language_choice_wins(tg: FakeTelegram, bot: Running) -> None:
    await bot.start()
    replies = await ask(tg, FR_USER, "/language")
    picker = stored(tg, with_buttons(replies))
    replies = await press(tg, FR_USER, picker, "English")
    assert "English" in replies[0]["text"]
    replies = await ask(tg, FR_USER, "Quels cookies utilisez-vous ?")
    assert " the " in replies[0]["text"]  # answered in English despite the French question


async def test_restart_in_the_middle_of_a_flow_resumes(
    tg: FakeTelegram, bot: Running, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    await bot.start()
    replies = await ask(tg, FR_USER, "je veux supprimer mes données")
    msg = stored(tg, with_buttons(replies))
    replies = await press(tg, FR_USER, msg, "UE")
    msg = stored(tg, with_buttons(replies))
    await bot.stop()
    await bot.start()  # a new process on the same database
    replies = await press(tg, FR_USER, msg, "Oui")  # the button from before the restart
    assert "e-mail" in replies[-1]["text"].lower() or "adresse" in replies[-1]["text"].lower()
    await ask(tg, FR_USER, "bob@example.org")
    code = inbox.code()
    replies = await ask(tg, FR_USER, code)
    summary = stored(tg, with_buttons(replies))
    replies = await press(tg, FR_USER, summary, "Confirmer")
    assert "DSR-" in " ".join(r["text"] for r in replies)


async def test_rate_limited_reply_is_retried_and_sent_once(tg: FakeTelegram, bot: Running) -> None:
    await bot.start()
    tg.fail_next("sendMessage", 429, retry_after=1)
    mark = tg.mark()
    tg.send_text(FR_USER, "Quels cookies utilisez-vous ?")
    replies = await tg.wait_messages(FR_USER, mark, timeout=8)
    attempts = tg.calls_of("sendMessage", mark)
    assert [c.status for c in attempts][:2] == [429, 200]
    assert len(replies) == len([c for c in attempts if c.status == 200])
    texts = [r["text"] for r in replies]
    assert len(texts) == len(set(texts))  # nothing sent twice


async def test_network_error_reply_is_retried(tg: FakeTelegram, bot: Running) -> None:
    await bot.start()
    tg.fail_next("sendMessage", 502)
    replies = await ask(tg, FR_USER, "Quels cookies utilisez-vous ?")
    assert replies and "ookies" in replies[0]["text"]


async def test_reply_that_cannot_be_sent_is_queued_and_delivered_later(
    tg: FakeTelegram, bot: Running
) -> None:
    await bot.start()
    for _ in range(4):  # every immediate attempt fails
        tg.fail_next("sendMessage", 502)
    replies = await ask(tg, FR_USER, "Quels cookies utilisez-vous ?", timeout=15)
    assert replies and "ookies" in replies[0]["text"]  # delivered by the outbox sweep
    repo = bot.service.app.repo  # type: ignore[union-attr]
    assert repo.pending_notifications("telegram") == []


async def test_html_is_escaped(tg: FakeTelegram, bot: Running) -> None:
    await bot.start()
    replies = await ask(tg, FR_USER, "je veux supprimer mes données")
    msg = stored(tg, with_buttons(replies))
    replies = await press(tg, FR_USER, msg, "UE")
    msg = stored(tg, with_buttons(replies))
    await press(tg, FR_USER, msg, "Oui")
    replies = await ask(tg, FR_USER, "<b>x</b>@example.org")  # an invalid address, echoed or not
    for r in replies:
        assert "<b>" not in r["text"]
        assert r["parse_mode"] == "HTML"


async def test_group_chat_answers_only_when_addressed_and_never_runs_a_request(
    tg: FakeTelegram, bot: Running
) -> None:
    await bot.start()
    group = -5001
    mark = tg.mark()
    tg.send_text(FR_USER, "Quels cookies utilisez-vous ?", chat_id=group)
    assert await tg.wait_messages(group, mark, count=1, timeout=0.8) == []
    replies = await ask(tg, FR_USER, f"@{tg.username} quels cookies utilisez-vous ?", chat_id=group)
    assert "ookies" in replies[0]["text"]
    replies = await ask(tg, FR_USER, f"@{tg.username} je veux supprimer mes données", chat_id=group)
    assert "privé" in replies[0]["text"]
    assert normalise.cache_info().currsize == 0  # read for the invitation, not kept
    link = buttons(replies[0])[0]
    assert link["url"] == f"https://t.me/{tg.username}?start=request"
    replies = await ask(tg, FR_USER, f"/request@{tg.username}", chat_id=group)
    assert "privé" in replies[0]["text"]
    # a reply to the bot counts as addressed
    bot_msg = next(m for m in reversed(tg.sent.values()) if m["chat"]["id"] == group)
    replies = await ask(
        tg, EN_USER, "and cookies?", chat_id=group, reply_to=bot_msg, language_code="en"
    )
    assert replies
    # no flow was started, neither in private nor under the group key
    repo = bot.service.app.repo  # type: ignore[union-attr]
    assert repo.load_flow(UserKey("telegram", str(FR_USER))) is None
    assert repo.load_flow(UserKey("telegram-group", f"{group}:{FR_USER}")) is None


async def test_deep_link_from_group_opens_the_rights_menu(tg: FakeTelegram, bot: Running) -> None:
    await bot.start()
    replies = await ask(tg, FR_USER, "/start request")
    assert buttons(with_buttons(replies))


async def test_long_reply_is_split_under_4096(tg: FakeTelegram, bot: Running) -> None:
    await bot.start()
    from privbot.core.model import Language, Outgoing, Reply

    service = bot.service
    assert service is not None
    part = service.parts["telegram"]
    long_text = "\n\n".join(f"Paragraphe {i} " + "x<y " * 300 for i in range(8))

    class Long:
        def answer(self, incoming: object, now: object) -> tuple[Outgoing, None]:
            return Outgoing(Language.FR, (Reply(long_text),)), None

    part.bot.deps.conversation = Long()  # type: ignore[attr-defined]
    replies = await ask(tg, FR_USER, "long", count=2)
    assert len(replies) >= 3
    assert all(len(r["text"]) <= 4096 for r in replies)
    assert "x&lt;y" in replies[0]["text"]
    assert replies[0]["text"].startswith("Paragraphe 0")


async def test_error_handler_apologises_without_logging_content(
    tg: FakeTelegram, bot: Running, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.start()
    part = bot.service.parts["telegram"]  # type: ignore[union-attr]

    class Broken:
        def answer(self, incoming: object, now: object) -> object:
            raise RuntimeError("boom with secret text")

    part.bot.deps.conversation = Broken()  # type: ignore[attr-defined]
    replies = await ask(tg, FR_USER, "mon message très privé")
    assert "Désolé" in replies[0]["text"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged
    assert "très privé" not in logged and "secret text" not in logged


async def test_a_press_that_failed_gets_its_keyboard_back(tg: FakeTelegram, bot: Running) -> None:
    """The engine failed on a press: the apology, and the question's keyboard back (taken away
    when the press arrived), so the user can press again."""
    service = await bot.start()
    assert service.app is not None
    replies = await ask(tg, FR_USER, "je veux supprimer mes données")
    jurisdiction = stored(tg, with_buttons(replies))

    def broken(incoming: Incoming, now: datetime) -> tuple[Outgoing, Save | None]:
        raise RuntimeError("boom")

    service.app.conversation.answer = broken  # type: ignore[method-assign]
    out = await press(tg, FR_USER, jurisdiction, "UE")
    assert "Désolé" in out[0]["text"]
    assert tg.sent[jurisdiction["message_id"]]["reply_markup"] == jurisdiction["reply_markup"]
    assert "✓" not in tg.sent[jurisdiction["message_id"]]["text"]


async def test_staff_notification_reaches_the_user_by_internal_id(
    tg: FakeTelegram, bot: Running
) -> None:
    from datetime import UTC, datetime

    from privbot.core.model import Language, UserKey
    from privbot.core.records import Notification

    service = await bot.start()
    assert service.app is not None
    repo = service.app.repo
    tg.fail_next("sendMessage", 403)  # the first attempt fails: retried, not lost
    repo.enqueue(
        [
            Notification(
                UserKey("telegram", str(FR_USER)),
                Language.FR,
                "Demande <traitée>",
                datetime.now(UTC),
            )
        ]
    )
    part = service.parts["telegram"]
    mark = tg.mark()
    part.notifier.poke()  # type: ignore[attr-defined]
    out = await tg.wait_messages(FR_USER, mark, timeout=8)
    assert out[0]["text"] == "Demande &lt;traitée&gt;"
    for _ in range(200):  # marked sent just after Telegram took it (another thread)
        if repo.pending_notifications("telegram") == []:
            break
        await asyncio.sleep(0.02)
    assert repo.pending_notifications("telegram") == []


class _ErasedOnceClaimed:
    """The outbox store, but the user erases their data just after the notifier claimed
    their messages (an instance's sweep taking them, the erase coming meanwhile)."""

    def __init__(self, repo: Any, user: UserKey) -> None:
        self.repo, self.user, self.erased = repo, user, False

    def claim_notifications(self, *args: Any) -> Any:
        claimed = self.repo.claim_notifications(*args)
        if claimed and not self.erased:
            self.repo.delete_user(self.user)
            self.erased = True
        return claimed

    def __getattr__(self, name: str) -> Any:
        return getattr(self.repo, name)


async def test_messages_claimed_before_an_erase_are_not_delivered_after_it(
    tg: FakeTelegram, bot: Running
) -> None:
    """A /privacy export and a reply sent late are erased with the user's data: if a sweep had
    already taken them, they are not sent after the erase (the export is the user's data; the
    reply may quote it). A message about a request is kept with the request, and sent."""
    from datetime import UTC

    from privbot.core.model import Attachment, Language
    from privbot.core.records import Notification

    service = await bot.start()
    assert service.app is not None
    repo, user = service.app.repo, UserKey("telegram", str(FR_USER))
    notifier = service.parts["telegram"].notifier  # type: ignore[attr-defined]
    notifier.store = _ErasedOnceClaimed(repo, user)
    now = datetime.now(UTC)
    export = Attachment("export.json", '{"email": "ann@example.com"}')
    mark = tg.mark()
    repo.enqueue(
        [
            Notification(user, Language.FR, "Votre export", now, attachment=export),
            Notification(user, Language.FR, "Résumé : ann@example.com", now),
            Notification(user, Language.FR, "Demande DSR-2026-000001 traitée", now, "DSR-1"),
        ]
    )
    notifier.poke()
    out = await tg.wait_messages(FR_USER, mark, timeout=8)
    assert notifier.store.erased
    for _ in range(200):  # the one kept is marked sent just after Telegram took it
        if repo.pending_notifications("telegram") == []:
            break
        await asyncio.sleep(0.02)
    assert repo.pending_notifications("telegram") == []
    sent = [m.get("text") or m.get("caption") for m in tg.messages(FR_USER, mark)]
    assert sent == ["Demande DSR-2026-000001 traitée"], out


async def test_a_photo_at_a_free_text_step_is_not_taken_as_the_answer(
    tg: FakeTelegram, bot: Running
) -> None:
    await bot.start()
    replies = await ask(tg, FR_USER, "/request")
    replies = await press(tg, FR_USER, stored(tg, with_buttons(replies)), "Rectifier")
    replies = await press(tg, FR_USER, stored(tg, with_buttons(replies)), "UE")
    question = replies[-1]["text"]
    assert "inexacte" in question
    update = tg.update_message(FR_USER, "")
    del update["message"]["text"]
    update["message"]["photo"] = [
        {"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}
    ]
    mark = tg.mark()
    tg.push(update)
    (reply,) = await tg.wait_messages(FR_USER, mark)  # one message: the notice, the question
    assert "texte" in reply["text"].lower() and reply["text"].endswith(f"\n\n{question}")
    replies = await ask(tg, FR_USER, "Mon nom est mal orthographié")
    assert "valeur correcte" in replies[-1]["text"]
