"""A loopback Telegram Bot API server for end-to-end tests (aiohttp, 127.0.0.1, a free port).

It answers getMe, setMyCommands, deleteWebhook, setWebhook, getUpdates (long poll on updates
the test queues), sendMessage, sendDocument (multipart upload), editMessageText,
editMessageReplyMarkup, answerCallbackQuery and sendChatAction, and records every call.
`fail_next(method, 429, retry_after=1)` makes the next call of a method fail once.

Like the real Bot API, `parse_mode=HTML` text is parsed: only Telegram's tags, balanced, and
only its entities (`&lt;` `&gt;` `&amp;` `&quot;` and numeric ones), else 400 "can't parse
entities"; the stored message holds the plain text and its entities (UTF-16 offsets), at most
4,096 characters (a caption 1,024) after parsing; editing a message's text without
`reply_markup` removes its keyboard, and an edit that changes nothing is a 400. Parameters
as in https://core.telegram.org/bots/api (#sendmessage, #senddocument, #editmessagetext,
#editmessagereplymarkup; formatting: #html-style).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# Telegram's HTML tags and the entity each makes (https://core.telegram.org/bots/api#html-style).
_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",  # only with class="tg-spoiler"
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class BadRequest(Exception):
    """A 400 of the Bot API, with its description."""


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _TelegramHtml(HTMLParser):
    """Telegram's HTML: its tags only, balanced, its entities only."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self.open: list[tuple[str, int, dict[str, Any]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS or (tag == "span" and ("class", "tg-spoiler") not in attrs):
            raise BadRequest(f'can\'t parse entities: Unsupported start tag "{tag}"')
        if tag == "blockquote" and any(t == "blockquote" for t, _, _ in self.open):
            raise BadRequest("can't parse entities: blockquote entities can't be nested")
        extra: dict[str, Any] = {}
        if tag == "a":
            extra["url"] = dict(attrs).get("href") or ""
        if tag == "blockquote" and any(name == "expandable" for name, _ in attrs):
            extra["type"] = "expandable_blockquote"
        self.open.append((tag, _utf16(self.text), extra))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            raise BadRequest(f'can\'t parse entities: Unmatched end tag "{tag}"')
        _, start, extra = self.open.pop()
        length = _utf16(self.text) - start
        if length:
            entity = {"type": _TAGS[tag], "offset": start, "length": length} | extra
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data or "&" in data:
            raise BadRequest("can't parse entities: unescaped <, > or &")
        self.text += data

    def handle_entityref(self, name: str) -> None:
        if name not in _NAMED_ENTITIES:
            raise BadRequest(f'can\'t parse entities: Unsupported HTML entity "&{name};"')
        self.text += _NAMED_ENTITIES[name]

    def handle_charref(self, name: str) -> None:
        code = int(name[1:], 16) if name[:1] in "xX" else int(name)
        self.text += chr(code)

    def unknown_decl(self, data: str) -> None:
        raise BadRequest("can't parse entities")


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's parse of a `parse_mode=HTML` text: the plain text and its entities."""
    parser = _TelegramHtml()
    parser.feed(source)
    parser.close()
    if parser.open:
        raise BadRequest(f"can't parse entities: Can't find end tag \"{parser.open[-1][0]}\"")
    return parser.text, sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    at: float = field(default_factory=time.monotonic)


def _decode(value: str) -> Any:
    with contextlib.suppress(ValueError):
        return json.loads(value)
    return value


class FakeTelegram:
    def __init__(
        self,
        token: str = "123456:TEST-token",
        username: str = "privbot_test_bot",
        bot_id: int = 4242,
    ) -> None:
        self.token = token
        self.username = username
        self.bot_id = bot_id
        self.calls: list[Call] = []
        self.sent: dict[int, dict[str, Any]] = {}  # message_id -> message object
        self.html: dict[int, str] = {}  # message_id -> the text or caption as sent
        self.documents: dict[int, bytes] = {}  # message_id -> the uploaded file
        self._updates: list[dict[str, Any]] = []
        self._confirmed = 0
        self._new = asyncio.Event()
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._failures: dict[str, list[tuple[int, int]]] = {}
        self._runner: web.AppRunner | None = None
        self.url = ""
        self._closing = False
        self.webhook: dict[str, Any] | None = None

    # --- server -----------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        self._closing = True
        self._new.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params: dict[str, Any] = {}
        if request.can_read_body:
            if request.content_type == "application/json":
                params = await request.json()
            else:
                form = await request.post()
                for k, v in form.items():
                    if isinstance(v, web.FileField):  # an upload: its name and bytes
                        params[k] = {"filename": v.filename, "content": v.file.read()}
                    else:
                        params[k] = _decode(str(v))
        failures = self._failures.get(method)
        if failures:
            status, retry_after = failures.pop(0)
            self.calls.append(Call(method, params, status))
            body: dict[str, Any] = {
                "ok": False,
                "error_code": status,
                "description": "fake failure",
            }
            if status == 429:
                body["description"] = f"Too Many Requests: retry after {retry_after}"
                body["parameters"] = {"retry_after": retry_after}
            return web.json_response(body, status=status)
        call = Call(method, params)
        self.calls.append(call)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return web.json_response({"ok": True, "result": True})
        try:
            result = await handler(params)
        except BadRequest as exc:
            call.status = 400
            body = {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
            return web.json_response(body, status=400)
        return web.json_response({"ok": True, "result": result})

    # --- methods ----------------------------------------------------------------------------
    async def _m_getMe(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "privbot",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_setWebhook(self, p: dict[str, Any]) -> bool:
        self.webhook = p
        return True

    async def _m_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        timeout = float(p.get("timeout") or 0)
        if offset:
            self._confirmed = max(self._confirmed, offset)
            self._updates = [u for u in self._updates if u["update_id"] >= self._confirmed]
        deadline = time.monotonic() + timeout
        while True:
            ready = [u for u in self._updates if u["update_id"] >= self._confirmed]
            if ready or self._closing:
                return ready[: int(p.get("limit") or 100)]
            left = deadline - time.monotonic()
            if left <= 0:
                return []
            self._new.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new.wait(), timeout=left)

    def _message(self, chat_id: int, p: dict[str, Any], text_key: str) -> dict[str, Any]:
        """A new message of the bot, its text (or caption) parsed as the real API does."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": "privbot",
                "username": self.username,
            },
        }
        limit = TEXT_LIMIT if text_key == "text" else CAPTION_LIMIT
        source = str(p.get(text_key) or "")
        if source or text_key == "text":
            text, entities = self._parsed(source, p.get("parse_mode"), limit)
            message[text_key] = text
            if entities:
                message[f"{text_key}_entities"] = entities
        if p.get("reply_markup"):
            message["reply_markup"] = p["reply_markup"]
        return message

    @staticmethod
    def _parsed(
        source: str, parse_mode: str | None, limit: int
    ) -> tuple[str, list[dict[str, Any]]]:
        text, entities = parse_html(source) if parse_mode == "HTML" else (source, [])
        if not text.strip():
            raise BadRequest("message text is empty")
        if len(text) > limit:
            raise BadRequest("message is too long")
        return text, entities

    def _keep(self, message: dict[str, Any], source: str) -> dict[str, Any]:
        self.sent[message["message_id"]] = message
        self.html[message["message_id"]] = source
        return message

    async def _m_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self._message(int(p["chat_id"]), p, "text")
        return self._keep(message, str(p.get("text", "")))

    async def _m_sendDocument(self, p: dict[str, Any]) -> dict[str, Any]:
        upload = p.get("document")
        if not isinstance(upload, dict) or not upload.get("content"):
            raise BadRequest("there is no document in the request")
        message = self._message(int(p["chat_id"]), p, "caption")
        name = upload["filename"] or "document"
        self.documents[message["message_id"]] = upload["content"]
        message["document"] = {
            "file_id": f"doc{message['message_id']}",
            "file_unique_id": f"udoc{message['message_id']}",
            "file_name": name,
            "mime_type": "application/json" if name.endswith(".json") else "text/plain",
            "file_size": len(upload["content"]),
        }
        return self._keep(message, str(p.get("caption", "")))

    def _target(self, p: dict[str, Any]) -> dict[str, Any]:
        """The message an edit names: chat_id and message_id (this bot sends no inline
        messages, so inline_message_id names none)."""
        if p.get("chat_id") is None or p.get("message_id") is None:
            raise BadRequest("message identifier is not specified")
        m = self.sent.get(int(p["message_id"]))
        if m is None or m["chat"]["id"] != int(p["chat_id"]):
            raise BadRequest("message to edit not found")
        return m

    async def _m_editMessageReplyMarkup(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        m = self._target(p)
        if (p.get("reply_markup") or None) == m.get("reply_markup"):
            raise BadRequest("message is not modified")
        if p.get("reply_markup"):
            m["reply_markup"] = p["reply_markup"]
        else:
            m.pop("reply_markup", None)
        return m

    async def _m_editMessageText(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        m = self._target(p)
        if "text" not in m:
            raise BadRequest("there is no text in the message to edit")
        text, entities = self._parsed(str(p.get("text", "")), p.get("parse_mode"), TEXT_LIMIT)
        markup = p.get("reply_markup") or None
        if (text, entities, markup) == (m["text"], m.get("entities", []), m.get("reply_markup")):
            raise BadRequest("message is not modified")
        m["text"] = text
        m.pop("entities", None)
        if entities:
            m["entities"] = entities
        m.pop("reply_markup", None)  # an edit without reply_markup takes the keyboard away
        if markup:
            m["reply_markup"] = markup
        self.html[m["message_id"]] = str(p.get("text", ""))
        return m

    # --- test controls ----------------------------------------------------------------------
    def fail_next(self, method: str, status: int = 429, retry_after: int = 1) -> None:
        self._failures.setdefault(method, []).append((status, retry_after))

    def push(self, update: dict[str, Any]) -> int:
        update_id = next(self._ids)
        update["update_id"] = update_id
        self._updates.append(update)
        self._new.set()
        return update_id

    def user(self, user_id: int, language_code: str | None = "fr") -> dict[str, Any]:
        u: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"U{user_id}"}
        if language_code:
            u["language_code"] = language_code
        return u

    def update_message(
        self,
        user_id: int,
        text: str,
        language_code: str | None = "fr",
        chat_id: int | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        chat_id = chat_id if chat_id is not None else user_id
        chat: dict[str, Any] = {"id": chat_id, "type": "private" if chat_id > 0 else "group"}
        if chat_id < 0:
            chat["title"] = "A group"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id, language_code),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return {"message": message}

    def send_text(self, user_id: int, text: str, **kw: Any) -> int:
        return self.push(self.update_message(user_id, text, **kw))

    def press(
        self, user_id: int, message: dict[str, Any], data: str, language_code: str | None = "fr"
    ) -> int:
        return self.push(
            {
                "callback_query": {
                    "id": str(next(self._ids)) + "cb",
                    "from": self.user(user_id, language_code),
                    "chat_instance": "ci",
                    "message": message,
                    "data": data,
                }
            }
        )

    # --- reading what the bot did -----------------------------------------------------------
    def mark(self) -> int:
        return len(self.calls)

    def messages(self, chat_id: int, since: int = 0) -> list[dict[str, Any]]:
        """sendMessage and sendDocument calls that succeeded, to one chat, since a mark."""
        return [
            c.params
            for c in self.calls[since:]
            if c.method in ("sendMessage", "sendDocument")
            and c.status == 200
            and int(c.params["chat_id"]) == chat_id
        ]

    def calls_of(self, method: str, since: int = 0) -> list[Call]:
        return [c for c in self.calls[since:] if c.method == method]

    async def wait_closed(self, timeout: float = 3.0) -> int:
        """Wait until no client holds a connection to this server any more; how many are
        still held at the timeout."""
        assert self._runner is not None and self._runner.server is not None
        deadline = time.monotonic() + timeout
        while self._runner.server.connections and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return len(self._runner.server.connections)

    async def wait_messages(
        self, chat_id: int, since: int, count: int = 1, quiet: float = 0.25, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """Wait for at least `count` messages, then until none arrives for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        last_n, last_change = -1, time.monotonic()
        while time.monotonic() < deadline:
            n = len(self.messages(chat_id, since))
            if n != last_n:
                last_n, last_change = n, time.monotonic()
            if n >= count and time.monotonic() - last_change >= quiet:
                break
            await asyncio.sleep(0.02)
        return self.messages(chat_id, since)

    def stored(self, sent_params: dict[str, Any]) -> dict[str, Any]:
        """The message object the fake made of a sendMessage (or sendDocument) call."""
        for message_id, m in reversed(list(self.sent.items())):
            if m["chat"]["id"] == int(sent_params["chat_id"]) and self.html[message_id] == str(
                sent_params.get("text", sent_params.get("caption", ""))
            ):
                return m
        raise AssertionError("message not found")

    def last_sent_with_buttons(self, chat_id: int) -> dict[str, Any]:
        for m in reversed(list(self.sent.values())):
            if m["chat"]["id"] == chat_id and m.get("reply_markup"):
                return m
        raise AssertionError("no message with buttons")


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    markup = message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def button(message: dict[str, Any], label_part: str) -> dict[str, Any]:
    for b in buttons(message):
        if label_part.lower() in b["text"].lower():
            return b
    raise AssertionError(f"no button {label_part!r} in {[b['text'] for b in buttons(message)]}")
