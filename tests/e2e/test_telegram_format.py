"""What users see on Telegram, through the loopback Bot API server (which parses HTML as the
real one does and refuses what it would refuse): one message per turn, HTML Telegram accepts
with the user's own text escaped, the chosen option written back, the /start menu, and the
/privacy export as a `.json` document, 👍 / 👎 counted once per answer, and "typing..." while
a slow answer is made."""

from __future__ import annotations

import copy
import json
import time
from datetime import datetime

from privbot.adapters.persistence.feedback import FeedbackStore
from privbot.core.model import Incoming, Outgoing, UserKey
from privbot.core.ports import Save
from tests.e2e.telegram_support import Inbox, Running
from tests.fakes.telegram_server import FakeTelegram, button, buttons, parse_html

USER = 1001


async def ask(tg: FakeTelegram, text: str) -> list[dict]:
    mark = tg.mark()
    tg.send_text(USER, text)
    return await tg.wait_messages(USER, mark)


async def press(tg: FakeTelegram, sent: dict, label: str) -> list[dict]:
    message = tg.stored(sent)
    mark = tg.mark()
    tg.press(USER, copy.deepcopy(message), button(message, label)["callback_data"])
    return await tg.wait_messages(USER, mark)


def refused(tg: FakeTelegram) -> list[str]:
    """Every call the Bot API refused (400): none may be, whatever was said."""
    return [f"{c.method}: {c.params.get('text')!r}" for c in tg.calls if c.status == 400]


async def test_an_answer_is_one_message_of_html_telegram_accepts(
    tg: FakeTelegram, bot: Running
) -> None:
    await bot.start()
    for question in ("Quels cookies utilisez-vous ?", "Combien de temps gardez-vous mes données"):
        (answer,) = await ask(tg, question)  # one message for the turn
        shown, entities = parse_html(answer["text"])
        assert "\n\n\n" not in shown
        # The short answer, then the section's heading in bold over the quote.
        assert {e["type"] for e in entities} == {"bold", "blockquote"}
        bold = next(e for e in entities if e["type"] == "bold")
        assert shown[bold["offset"] :].startswith("Section ")
    pressed = tg.stored(answer)
    (whole,) = await press(tg, answer, "Lire toute la section")
    assert "Section 5" in whole["text"] and "reply_markup" not in pressed
    assert pressed["text"].endswith("\n\n✓ Lire toute la section")
    assert refused(tg) == []


async def test_the_user_s_own_text_is_escaped_and_the_choice_written_back(
    tg: FakeTelegram, bot: Running, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    await bot.start()
    (menu,) = await ask(tg, "/request")
    (where,) = await press(tg, menu, "Rectifier")
    question, chosen = tg.stored(where), button_label(where, "UE")
    await press(tg, where, "UE")
    # The pressed question now says what was chosen, and has no keyboard left.
    assert question["text"].endswith(f"\n\n✓ {chosen}")
    assert "reply_markup" not in question
    await ask(tg, "<b>x</b> & co")
    await ask(tg, "Mon nom : <i>Zoé</i> & fils")
    await ask(tg, "zoe@example.org")
    (summary,) = await ask(tg, inbox.code())
    shown, entities = parse_html(summary["text"])
    assert "<b>x</b> & co" in shown and "<i>Zoé</i> & fils" in shown  # as typed, not formatting
    assert "&lt;i&gt;Zoé&lt;/i&gt; &amp; fils" in summary["text"]
    assert all(e["type"] != "italic" for e in entities)
    assert refused(tg) == []


def button_label(sent: dict, part: str) -> str:
    return next(b["text"] for b in buttons(sent) if part.lower() in b["text"].lower())


async def test_start_offers_a_menu_and_typing_still_works(tg: FakeTelegram, bot: Running) -> None:
    await bot.start()
    (start,) = await ask(tg, "/start")
    labels = [b["text"] for b in buttons(start)]
    assert labels == ["Poser une question", "Exercer un droit", "Mes demandes", "Mes données"]
    (how,) = await press(tg, start, "Poser une question")
    assert "Vendez-vous mes données" in parse_html(how["text"])[0]
    (answer,) = await ask(tg, "Quels cookies utilisez-vous ?")
    assert "ookies" in answer["text"]
    (start,) = await ask(tg, "/start")
    (data,) = await press(tg, start, "Mes données")
    assert "Ce que je détiens sur vous" in data["text"]


async def test_privacy_export_is_a_json_document(tg: FakeTelegram, bot: Running) -> None:
    await bot.start()
    await ask(tg, "/language fr")
    (summary,) = await ask(tg, "/privacy")
    (export,) = await press(tg, summary, "Exporter")
    assert "document" in export and "JSON" in export["caption"]
    message = tg.stored(export)
    assert message["document"]["file_name"].endswith(".json")
    data = json.loads(tg.documents[message["message_id"]])
    assert data["user"] == {"channel": "telegram", "id": str(USER)}
    assert data["profile"]["language"] == "fr"
    assert not tg.calls_of("sendMessage", tg.calls.index(tg.calls_of("sendDocument")[0]))
    assert refused(tg) == []


async def test_a_second_tap_of_export_sends_one_file(tg: FakeTelegram, bot: Running) -> None:
    """Two taps of "Exporter" from the same summary, the second from the client's copy of the
    message before the first took its keyboard away: one file is sent, and the second tap is
    answered that it was sent already."""
    await bot.start()
    await ask(tg, "/language fr")
    (summary,) = await ask(tg, "/privacy")
    message = tg.stored(summary)
    data = button(message, "Exporter")["callback_data"]
    mark = tg.mark()
    tg.press(USER, copy.deepcopy(message), data)
    tg.press(USER, copy.deepcopy(message), data)
    first, second = await tg.wait_messages(USER, mark, 2)
    assert "JSON" in first["caption"]
    assert second["text"].startswith("Cet export vous a déjà été envoyé")
    assert len(tg.calls_of("sendDocument", mark)) == 1


async def test_a_privacy_export_that_cannot_be_sent_is_queued_and_delivered_later(
    tg: FakeTelegram, bot: Running
) -> None:
    """A file that fails to send goes to the outbox like a message, and arrives as the same
    document with its caption; once delivered, the outbox no longer holds the file."""
    service = await bot.start()
    assert service.app is not None
    await ask(tg, "/language fr")
    (summary,) = await ask(tg, "/privacy")
    for _ in range(4):  # every immediate attempt fails
        tg.fail_next("sendDocument", 502)
    message = tg.stored(summary)
    mark = tg.mark()
    tg.press(USER, copy.deepcopy(message), button(message, "Exporter")["callback_data"])
    (export,) = await tg.wait_messages(USER, mark, timeout=15)  # by the outbox sweep
    assert [c.status for c in tg.calls_of("sendDocument", mark)] == [502] * 4 + [200]
    assert "JSON" in export["caption"]
    sent = tg.stored(export)
    assert sent["document"]["file_name"].endswith(".json")
    assert json.loads(tg.documents[sent["message_id"]])["profile"]["language"] == "fr"
    repo = service.app.repo
    assert repo.pending_notifications("telegram") == []
    (queued,) = repo.notifications_for(UserKey("telegram", str(USER)))
    assert queued.sent_at is not None and queued.attachment is None  # the file not kept
    assert refused(tg) == []


async def test_feedback_is_counted_once_per_answer(tg: FakeTelegram, bot: Running) -> None:
    service = await bot.start()
    assert service.app is not None
    (answer,) = await ask(tg, "Est-ce que vous vendez mes données ?")
    labels = [b["text"] for b in buttons(answer)]
    assert labels[-2:] == ["👍 Utile", "👎 Pas utile"], labels
    message = tg.stored(answer)
    before = copy.deepcopy(message)  # the answer as it was, its vote buttons still there
    (thanks,) = await press(tg, answer, "👍")
    assert thanks["text"] == "Merci pour votre avis !"
    # Only the vote row went: the answer's other buttons still work.
    assert [b["text"] for b in buttons(message)] == labels[:-2]
    mark = tg.mark()  # the same answer's 👎, pressed on the earlier copy: not counted again
    tg.press(USER, before, button(before, "👎")["callback_data"])
    (again,) = await tg.wait_messages(USER, mark)
    assert "déjà noté" in again["text"]
    counts = FeedbackStore(service.app.repo.engine).feedback_counts()
    assert [(c.up, c.down) for c in counts] == [(1, 0)]
    assert counts[0].intent is not None  # counted under the answer's intent


async def test_typing_is_shown_before_a_slow_answer_only(tg: FakeTelegram, bot: Running) -> None:
    service = await bot.start()
    assert service.app is not None
    conversation = service.app.conversation
    engine = conversation.answer

    def slow(incoming: Incoming, now: datetime) -> tuple[Outgoing, Save | None]:
        time.sleep(0.8)  # more than the half second after which "typing..." is shown
        return engine(incoming, now)

    await ask(tg, "Quels cookies utilisez-vous ?")  # the first loads what answers need
    mark = tg.mark()
    (answer,) = await ask(tg, "Quels cookies utilisez-vous ?")
    assert "ookies" in answer["text"] and not tg.calls_of("sendChatAction", mark)
    conversation.answer = slow  # type: ignore[method-assign]
    mark = tg.mark()
    (answer,) = await ask(tg, "Quels cookies utilisez-vous ?")
    assert "ookies" in answer["text"]
    calls = [c.method for c in tg.calls[mark:] if c.method in ("sendChatAction", "sendMessage")]
    assert calls == ["sendChatAction", "sendMessage"]
    assert tg.calls_of("sendChatAction", mark)[0].params["action"] == "typing"
