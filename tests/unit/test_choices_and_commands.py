"""The button-value codec and the command parser: one place reads what the bot offers."""

from __future__ import annotations

import pytest

from privbot.core import choices as ch
from privbot.core.commands import Command, CommandLine, parse_command
from privbot.core.model import Language, RequestType


@pytest.mark.parametrize(
    ("value", "kind", "argument", "private"),
    [
        (ch.flow("ab12cd34", "field:format"), ch.ChoiceKind.FLOW, "ab12cd34:field:format", True),
        (ch.request(RequestType.ERASURE), ch.ChoiceKind.REQUEST, "erasure", True),
        (ch.request(None), ch.ChoiceKind.REQUEST, ch.MENU, True),
        (ch.language(Language.EN), ch.ChoiceKind.LANGUAGE, "en", True),
        (ch.privacy(ch.PrivacyAction.ERASE), ch.ChoiceKind.PRIVACY, "erase", True),
        (ch.cancel_request("DSR-2026-000001"), ch.ChoiceKind.CANCEL_REQUEST,
         "DSR-2026-000001", True),
        (ch.section("6.2"), ch.ChoiceKind.SECTION, "6.2", False),
        (ch.intent("greeting"), ch.ChoiceKind.INTENT, "greeting", False),
    ],
)  # fmt: skip
def test_every_value_parses_back(
    value: str, kind: ch.ChoiceKind, argument: str, private: bool
) -> None:
    assert ch.parse(value) == ch.Choice(kind, argument)
    assert ch.is_private_only(value) is private


def test_flow_option_id_keeps_its_colon() -> None:
    choice = ch.parse(ch.flow("ab12cd34", "field:format"))
    assert choice is not None and ch.flow_option_id(choice.argument) == "field:format"


@pytest.mark.parametrize("value", ["", "menu", "weather:today", "request", ":x"])
def test_what_is_not_a_value(value: str) -> None:
    assert ch.parse(value) is None and not ch.is_private_only(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/help", CommandLine(Command.HELP)),
        ("  /CANCEL DSR-2026-000001 ", CommandLine(Command.CANCEL, "DSR-2026-000001")),
        ("/language@privbot_bot en", CommandLine(Command.LANGUAGE, "en")),
        ("/frobnicate", CommandLine(None)),
        ("hello /help", None),
        ("", None),
    ],
)
def test_parse_command(text: str, expected: CommandLine | None) -> None:
    assert parse_command(text) == expected
