"""A user's words stay in memory only while their message is handled: the texts
`core.text.normalise` keeps to read one question several ways are dropped after it."""

from __future__ import annotations

from shipped_bot import Bot

from privbot.core.text import normalise


def test_no_text_of_a_handled_message_is_kept() -> None:
    bot = Bot()
    bot.say("my name is Zoe Martin, how long do you keep my data?")
    assert normalise.cache_info().currsize == 0
    bot.say("/privacy")
    assert normalise.cache_info().currsize == 0
