"""The chat commands (`/start`, `/help`...), as one enum and one parser.

Telegram, the console and tests all type them the same way; `parse_command` reads the first
word (`/cmd`, or Telegram's `/cmd@botname`) and the argument after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Command(StrEnum):
    """In the order of the chat menu."""

    START = "start"
    HELP = "help"
    LANGUAGE = "language"
    REQUEST = "request"
    STATUS = "status"
    CANCEL = "cancel"
    PRIVACY = "privacy"


# The commands that belong to a private chat (they open or show a rights request).
PRIVATE_ONLY = frozenset(
    {Command.LANGUAGE, Command.REQUEST, Command.STATUS, Command.CANCEL, Command.PRIVACY}
)


@dataclass(frozen=True, slots=True)
class CommandLine:
    """A message that starts with `/`: the command (None if unknown) and its argument."""

    command: Command | None
    argument: str = ""


def parse_command(text: str) -> CommandLine | None:
    """The command of `text`, or None when it is not a command at all."""
    words = text.strip().split()
    if not words or not words[0].startswith("/"):
        return None
    name = words[0][1:].split("@", 1)[0].lower()
    known = name in _NAMES
    return CommandLine(Command(name) if known else None, words[1] if len(words) > 1 else "")


_NAMES = frozenset(c.value for c in Command)
