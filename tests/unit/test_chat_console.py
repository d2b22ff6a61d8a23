"""`privbot chat`: how a typed line picks one of the numbered options."""

from __future__ import annotations

import pytest

from privbot.cli.chat import pick, render
from privbot.core.model import Attachment, Language, Option, Outgoing, Reply

OPTIONS = (Option("Resend the code", "flow:n:resend"), Option("Cancel", "flow:n:cancel"))


@pytest.mark.parametrize(("typed", "value"), [("1", "flow:n:resend"), (" 2 ", "flow:n:cancel"),
                                              ("cancel", "flow:n:cancel")])  # fmt: skip
def test_number_or_label_picks_an_option(typed: str, value: str) -> None:
    picked = pick(typed, OPTIONS)
    assert picked is not None and picked.value == value


@pytest.mark.parametrize("typed", ["000001", "01", "000002", "３", "12", "0"])
def test_a_code_is_never_read_as_an_option_number(typed: str) -> None:
    assert pick(typed, OPTIONS) is None


def test_the_terminal_prints_a_file_after_its_caption() -> None:
    file = Attachment("privbot-export-2026-12-01.json", '{\n "user": 1\n}\n')
    shown, offered = render(
        Outgoing(Language.EN, (Reply("Everything I hold:", OPTIONS, None, file),))
    )
    assert shown.splitlines()[:4] == ["Everything I hold:", "--- privbot-export-2026-12-01.json",
                                      "{", ' "user": 1']  # fmt: skip
    assert offered == OPTIONS
