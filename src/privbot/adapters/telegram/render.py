"""Channel-neutral replies -> Telegram messages: HTML-escaped text under 4,096 characters,
options as an inline keyboard under the last part."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from privbot.core.answers import split_text
from privbot.core.model import Option, Reply

TELEGRAM_LIMIT = 4096
_MAX_LABEL = 60
_PAIR_LABEL = 18  # labels this short go two to a row


@dataclass(frozen=True, slots=True)
class Message:
    """One sendMessage: HTML text and an optional keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


def escape_parts(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split `text` at paragraph boundaries so each part still fits once HTML-escaped."""
    budget = limit
    while True:
        parts = [html.escape(p, quote=False) for p in split_text(text, budget)]
        if all(len(p) <= limit for p in parts) or budget < 64:
            return [p[:limit] for p in parts]
        budget = budget * 3 // 4  # escaping grew a part past the limit: split finer


def keyboard(options: Sequence[Option], pack: Callable[[str], str]) -> InlineKeyboardMarkup:
    """Buttons for the options; short labels share a row."""
    rows: list[list[InlineKeyboardButton]] = []
    for opt in options:
        label = opt.label if len(opt.label) <= _MAX_LABEL else opt.label[: _MAX_LABEL - 1] + "…"
        button = InlineKeyboardButton(label, callback_data=pack(opt.value))
        last = rows[-1] if rows else None
        if (
            last is not None
            and len(last) == 1
            and len(label) <= _PAIR_LABEL
            and len(str(last[0].text)) <= _PAIR_LABEL
        ):
            last.append(button)
        else:
            rows.append([button])
    return InlineKeyboardMarkup(rows)


def render(
    replies: Sequence[Reply],
    pack: Callable[[str], str],
    extra: Sequence[InlineKeyboardButton] = (),
) -> list[Message]:
    """Every reply as one or more messages; `extra` buttons go under the very last one."""
    out: list[Message] = []
    for i, reply in enumerate(replies):
        parts = escape_parts(reply.text) if reply.text.strip() else []
        buttons = list(reply.options)
        is_last = i == len(replies) - 1
        markup = keyboard(buttons, pack) if buttons else None
        if is_last and extra:
            rows = [list(r) for r in markup.inline_keyboard] if markup else []
            rows.append(list(extra))
            markup = InlineKeyboardMarkup(rows)
        if not parts:
            if markup is None:
                continue
            parts = ["…"]
        out.extend(Message(p) for p in parts[:-1])
        out.append(Message(parts[-1], markup))
    return out
