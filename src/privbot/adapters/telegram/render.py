"""Channel-neutral replies -> Telegram messages (HTML, `parse_mode=HTML`).

The replies of one turn become one message when they fit Telegram's 4,096 characters, else
several, split between paragraphs. Every text is escaped; the only tags are the renderer's,
each opened and closed inside one paragraph, so a split never cuts a tag or an entity: the
section title of a policy answer in bold, its supporting quote as a blockquote (under its
heading, or in italics when it sits inside a sentence). Bullet markers become "•" and runs
of blank lines one. The turn's options form one inline keyboard under its last message, the
feedback buttons on a row of their own; a reply with a file is a document captioned with its
text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from html.parser import HTMLParser
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from privbot.core import choices as ch
from privbot.core.answers import join_paragraphs, split_text
from privbot.core.model import AnswerParts, Attachment, Option, Reply

TELEGRAM_LIMIT = 4096
CAPTION_LIMIT = 1024  # a document's caption
_MAX_LABEL = 60
_PAIR_LABEL = 18  # labels this short go two to a row
_MIN_BUDGET = 64  # plain characters: escaped and tagged, always far under the limit
_HEADING_SLACK = 16  # a title line may carry a number and punctuation besides the title
_QUOTE_SLACK = 60  # a paragraph is the quote when little else is in it (marks, a reference)
_HEADING_MAX = 120  # a line over a quote this short is its heading
_BULLET = re.compile(r"^[ \t]*[-*·•●▪◦–—][ \t]+", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_TRAILING = re.compile(r"[ \t]+$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Message:
    """One sendMessage (or sendDocument with `document`, `html` being its caption)."""

    html: str
    # The inline keyboard as the Bot API reads it (`reply_markup`): sent as it is, without
    # python-telegram-bot's objects made for each button and serialised again (45 µs of the
    # event loop's CPU for an answer's three buttons).
    markup: dict[str, Any] | None = None
    document: Attachment | None = None

    @property
    def keyboard(self) -> InlineKeyboardMarkup | None:
        """The inline keyboard as python-telegram-bot's object."""
        return InlineKeyboardMarkup.de_json(self.markup, None) if self.markup else None


class Style(Enum):
    PLAIN = "plain"
    HEADING = "heading"  # the first line is the section title: bold
    QUOTE = "quote"  # the whole paragraph is the supporting quote: a blockquote
    TITLED_QUOTE = "titled"  # a heading line ("Section 12. Cookies :"), then the quote
    INLINE_QUOTE = "inline"  # the quote inside a sentence: italics


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph and how it is shown; `quote` is the INLINE_QUOTE part of `text`."""

    text: str
    style: Style = Style.PLAIN
    quote: str = ""

    def html(self) -> str:
        e = _escape
        if self.style is Style.HEADING:
            title, _, rest = self.text.partition("\n")
            return f"<b>{e(title)}</b>" + (f"\n{e(rest)}" if rest else "")
        if self.style is Style.QUOTE:
            return f"<blockquote>{e(self.text)}</blockquote>"
        if self.style is Style.TITLED_QUOTE:
            title, _, rest = self.text.partition("\n")
            return f"<b>{e(title)}</b>\n<blockquote>{e(rest)}</blockquote>"
        if self.style is Style.INLINE_QUOTE:
            before, _, after = self.text.partition(self.quote)
            return f"{e(before)}<i>{e(self.quote)}</i>{e(after)}"
        return e(self.text)

    def pieces(self, budget: int) -> list[Block]:
        """The block cut at lines (then words) into parts of at most `budget` characters; a
        quote stays a quote, the title stays on the first part."""
        if len(self.text) <= budget:
            return [self]
        titled = self.style in (Style.HEADING, Style.TITLED_QUOTE)
        out: list[Block] = []
        for i, part in enumerate(split_text(self.text, budget)):
            if i == 0 and titled and "\n" in part:
                out.append(Block(part, self.style))
            elif self.style in (Style.QUOTE, Style.TITLED_QUOTE):
                out.append(Block(part, Style.QUOTE))
            else:
                out.append(Block(part))
        return out


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def tidy(text: str) -> str:
    """Bullets as "•", no trailing spaces, no runs of blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING.sub("", text)
    text = _BULLET.sub("• ", text)
    return _BLANK_RUNS.sub("\n\n", text).strip()


def blocks(reply: Reply) -> list[Block]:
    """The paragraphs of one reply, with the title and the quote of a policy answer marked."""
    paragraphs = [p for p in tidy(reply.text).split("\n\n") if p.strip()]
    answer = reply.answer
    if answer is None:
        return [Block(p) for p in paragraphs]
    out: list[Block] = []
    titled = quoted = False
    quote = " ".join(tidy(answer.quote).split())  # its bullets normalised as the text's are
    for p in paragraphs:
        if not quoted and (block := _quote_block(p, quote)) is not None:
            out.append(block)
            quoted = True
        elif not titled and _is_heading(p, answer):
            out.append(Block(p, Style.HEADING))
            titled = True
        elif answer.full and _is_subheading(p, answer):
            out.append(Block(p, Style.HEADING))
        else:
            out.append(Block(p))
    return out


def _is_heading(paragraph: str, answer: AnswerParts) -> bool:
    title = answer.section_title.strip()
    first = paragraph.partition("\n")[0]
    return bool(title) and title in first and len(first) <= len(title) + _HEADING_SLACK


def _is_subheading(paragraph: str, answer: AnswerParts) -> bool:
    """A subsection's heading in a whole section: one short line naming a subsection number
    ("Section 1.1. Personal Information"), not a sentence."""
    line = paragraph.strip()
    return (
        "\n" not in line
        and len(line) <= _HEADING_MAX
        and f" {answer.section_id}." in f" {line}"
        and not line.endswith((".", ":", ";"))
    )


def _quote_block(paragraph: str, quote: str) -> Block | None:
    """The paragraph that holds the quote (`quote`, tidied and its spaces collapsed): the
    quote alone (give or take quotation marks and a reference), a heading line over it, or
    the quote inside a sentence."""
    flat = " ".join(paragraph.split())
    if not quote or quote not in flat:
        return None
    first, _, rest = paragraph.partition("\n")
    rest_flat = " ".join(rest.split())
    fits = quote in rest_flat and len(rest_flat) - len(quote) <= _QUOTE_SLACK
    if fits and len(first) <= _HEADING_MAX:
        return Block(paragraph, Style.TITLED_QUOTE)
    if len(flat) - len(quote) <= _QUOTE_SLACK:
        return Block(paragraph, Style.QUOTE)
    return Block(flat, Style.INLINE_QUOTE, quote)


def pack(parts: Iterable[Block], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Paragraphs joined into as few messages of at most `limit` characters as they fit in;
    a paragraph too long for one message is cut at lines, then words."""
    return join_paragraphs((piece for b in parts for piece in _fitting(b, limit)), limit)


def _fitting(block: Block, limit: int) -> list[str]:
    """`block` as HTML pieces of at most `limit` characters each (escaping and tags lengthen
    a text: the plain budget shrinks until every piece fits)."""
    budget = limit
    while True:
        pieces = [b.html() for b in block.pieces(budget)]
        if all(len(p) <= limit for p in pieces) or budget <= _MIN_BUDGET:
            return pieces
        budget = max(budget * 3 // 4, _MIN_BUDGET)


def keyboard(
    options: Sequence[Option],
    pack_value: Callable[[str], str],
    extra: Sequence[InlineKeyboardButton] = (),
) -> dict[str, Any] | None:
    """Buttons for the options (short labels share a row), the feedback buttons on their own
    row, then `extra`: an inline keyboard markup as the Bot API reads it."""
    rows: list[list[dict[str, Any]]] = []
    feedback: list[dict[str, Any]] = []
    for opt in options:
        label = opt.label if len(opt.label) <= _MAX_LABEL else opt.label[: _MAX_LABEL - 1] + "…"
        button = {"text": label, "callback_data": pack_value(opt.value)}
        if ch.is_feedback(opt.value):
            feedback.append(button)
            continue
        last = rows[-1] if rows else None
        if (
            last is not None
            and len(last) == 1
            and len(label) <= _PAIR_LABEL
            and len(last[0]["text"]) <= _PAIR_LABEL
        ):
            last.append(button)
        else:
            rows.append([button])
    rows += [r for r in (feedback, [b.to_dict() for b in extra]) if r]
    return {"inline_keyboard": rows} if rows else None


def render(
    replies: Sequence[Reply],
    pack_value: Callable[[str], str],
    extra: Sequence[InlineKeyboardButton] = (),
) -> list[Message]:
    """The messages of one turn; its options (and `extra` buttons) under the last one."""
    out: list[Message] = []
    pending: list[Block] = []
    options: dict[str, Option] = {}
    for reply in replies:
        for opt in reply.options:
            options.setdefault(opt.value, opt)
        if reply.attachment is None:
            pending += blocks(reply)
            continue
        out += [Message(h) for h in pack(pending)]
        pending = []
        parts = blocks(reply)
        caption = pack(parts, CAPTION_LIMIT)
        if len(caption) > 1:  # too long for a caption: the text first, then the bare file
            out += [Message(h) for h in pack(parts)]
            caption = []
        out.append(Message(caption[0] if caption else "", document=reply.attachment))
    out += [Message(h) for h in pack(pending)]
    markup = keyboard(list(options.values()), pack_value, extra)
    if markup is not None:
        if not out:
            out.append(Message("…"))
        out[-1] = replace(out[-1], markup=markup)
    return out


def without_row(markup: InlineKeyboardMarkup, data: str) -> InlineKeyboardMarkup | None:
    """`markup` less the row of the button whose callback data is `data` (the feedback row,
    once a vote is given), or None when no row is left."""
    rows = [row for row in markup.inline_keyboard if all(b.callback_data != data for b in row)]
    return InlineKeyboardMarkup(rows) if rows else None


def chosen(message_html: str, label: str, limit: int = TELEGRAM_LIMIT) -> str | None:
    """The message with the option the user pressed written under it ("✓ Union européenne"),
    or None when that would not fit."""
    text = f"{message_html}\n\n✓ {_escape(label)}"
    return text if len(text) <= limit else None


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain(message_html: str) -> str:
    """The text of a rendered message without its tags (for the outbox, which escapes it)."""
    parser = _Text()
    parser.feed(message_html)
    parser.close()
    return "".join(parser.parts)
