"""The `/start` menu: the greeting, with a button for each thing the bot does (typing a
question or a command works as well)."""

from __future__ import annotations

from privbot.core import choices as ch
from privbot.core import messages as M
from privbot.core.catalogue import Catalogue
from privbot.core.model import Language, Option, Reply

MY_REQUESTS = "my_requests"  # the intent answered with the user's own requests


def start(lang: Language, texts: Catalogue) -> tuple[Reply, ...]:
    """The greeting and its menu (ask a question, exercise a right, my requests, my data),
    then the commands."""
    options = (
        Option(texts.text(lang, M.MENU_ASK), ch.ask()),
        Option(texts.text(lang, M.MENU_RIGHTS), ch.request(None)),
        Option(texts.text(lang, M.MENU_REQUESTS), ch.intent(MY_REQUESTS)),
        Option(texts.text(lang, M.MENU_DATA), ch.privacy(ch.PrivacyAction.SUMMARY)),
    )
    return (Reply(texts.text(lang, M.START)), Reply(texts.text(lang, M.HELP), options))


def how_to_ask(lang: Language, texts: Catalogue) -> Reply:
    """After "ask a question": type it (with two examples)."""
    return Reply(texts.text(lang, M.MENU_ASK_HOW))
