"""privbot's sendMessage (`adapters.telegram.bot.send_message`, which does not build a Message
from Telegram's answer) makes the request python-telegram-bot's `send_message` makes, with and
without a keyboard, through the loopback Bot API server, and shows no warning."""

from __future__ import annotations

import warnings

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.ext import Application

from privbot.adapters.telegram import render as rd
from privbot.adapters.telegram.bot import quiet_send_message, send_message
from tests.fakes.telegram_server import FakeTelegram

CHAT = 1001
KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Lire toute la section", callback_data="full:7|sig")],
        [
            InlineKeyboardButton("👍 Utile", callback_data="fb:t:y:7|sig"),
            InlineKeyboardButton("👎 Pas utile", callback_data="fb:t:n:7|sig"),
        ],
    ]
)
HTML = "Nous gardez <b>Section 7 · Durée</b>\n<blockquote>« cinq ans » &amp; plus</blockquote>"


async def test_the_request_is_send_message_s(tg: FakeTelegram) -> None:
    app = Application.builder().token(tg.token).base_url(f"{tg.url}/bot").updater(None).build()
    await app.initialize()
    try:
        for keyboard in (KEYBOARD, None):
            mark = tg.mark()
            await app.bot.send_message(CHAT, HTML, parse_mode=ParseMode.HTML, reply_markup=keyboard)
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                quiet_send_message()  # as PrivbotTelegram.build does
                assert await send_message(app, CHAT, rd.Message(HTML, keyboard))
            theirs, ours = tg.calls_of("sendMessage", mark)
            assert ours.params == theirs.params
            assert ("reply_markup" in ours.params) is (keyboard is not None)
            assert [str(w.message) for w in seen] == []
    finally:
        await app.shutdown()
