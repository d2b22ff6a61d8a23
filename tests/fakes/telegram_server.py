"""A loopback Telegram Bot API server for end-to-end tests (aiohttp, 127.0.0.1, a free port).

It answers getMe, setMyCommands, deleteWebhook, setWebhook, getUpdates (long poll on updates
the test queues), sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery and
sendChatAction, and records every call. `fail_next(method, 429, retry_after=1)` makes the next
call of a method fail once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


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
                params = {k: _decode(str(v)) for k, v in form.items()}
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
        self.calls.append(Call(method, params))
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return web.json_response({"ok": True, "result": True})
        result = await handler(params)
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

    async def _m_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": "privbot",
                "username": self.username,
            },
            "text": p.get("text", ""),
        }
        if p.get("reply_markup"):
            message["reply_markup"] = p["reply_markup"]
        self.sent[message["message_id"]] = message
        return message

    async def _m_editMessageReplyMarkup(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        m = self.sent.get(int(p.get("message_id", 0)))
        if m is None:
            return True
        if p.get("reply_markup"):
            m["reply_markup"] = p["reply_markup"]
        else:
            m.pop("reply_markup", None)
        return m

    async def _m_editMessageText(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        m = self.sent.get(int(p.get("message_id", 0)))
        if m is None:
            return True
        m["text"] = p.get("text", "")
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
        """sendMessage calls that succeeded, to one chat, since a mark."""
        return [
            c.params
            for c in self.calls[since:]
            if c.method == "sendMessage" and c.status == 200 and int(c.params["chat_id"]) == chat_id
        ]

    def calls_of(self, method: str, since: int = 0) -> list[Call]:
        return [c for c in self.calls[since:] if c.method == method]

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
