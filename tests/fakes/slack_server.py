"""A loopback Slack Web API server for tests (aiohttp, 127.0.0.1, a free port).

Point `AsyncWebClient(base_url=server.url)` (or PRIVBOT_SLACK_API_URL) at it. It answers
auth.test, chat.postMessage, chat.update, chat.postEphemeral, views.open, views.publish,
usergroups.users.list and users.info, and records every call in `calls`.
`fail_next("chat.postMessage", status=500)` makes the next call of a method fail once.

Socket Mode: `apps.connections.open` returns the ws:// URL of a websocket on the same server;
`push_envelope(type, payload)` sends an envelope to the connected client, and `acks` records
what the client sends back (`{"envelope_id": ...}`, with a payload where there is one).

`sign(secret, body, ts)` builds the headers Slack sends to the bot (v0 HMAC of
`v0:{ts}:{body}`), compatible with `slack_sdk.signature.SignatureVerifier`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import web


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200


@dataclass
class FakeSlack:
    bot_user: str = "UBOT"
    groups: dict[str, list[str]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    url: str = ""
    _failures: dict[str, list[int]] = field(default_factory=dict)
    acks: list[dict[str, Any]] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._dispatch)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/api/"
        return self.url

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def fail_next(self, method: str, status: int = 500, times: int = 1) -> None:
        self._failures.setdefault(method, []).extend([status] * times)

    # --- Socket Mode ----------------------------------------------------------------------
    async def wait_connected(self, timeout: float = 8.0) -> None:
        async with asyncio.timeout(timeout):
            while not self._sockets:
                await asyncio.sleep(0.02)

    async def push_envelope(self, type_: str, payload: dict[str, Any]) -> str:
        """Send an envelope to the connected Socket Mode client; returns its envelope_id."""
        envelope_id = f"env-{next(self._ts)}"
        await self._sockets[-1].send_json(
            {"envelope_id": envelope_id, "type": type_, "payload": payload,
             "accepts_response_payload": type_ != "events_api", "retry_attempt": 0,
             "retry_reason": ""}
        )  # fmt: skip
        return envelope_id

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()  # answers the client's pings
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "A1"}})  # fmt: skip
        try:
            async for msg in ws:
                if msg.type.name == "TEXT":
                    self.acks.append(json.loads(msg.data))
        finally:
            self._sockets.remove(ws)
        return ws

    # --- what the tests read ------------------------------------------------------------
    def of(self, method: str) -> list[dict[str, Any]]:
        """The params of each successful call of `method`, in order."""
        return [c.params for c in self.calls if c.method == method and c.status == 200]

    def posts(self) -> list[dict[str, Any]]:
        return self.of("chat.postMessage")

    def replies(self, thread_ts: str | None = None) -> list[dict[str, Any]]:
        return [p for p in self.posts() if p.get("thread_ts") and
                (thread_ts is None or p["thread_ts"] == thread_ts)]  # fmt: skip

    def payload_text(self) -> str:
        """Everything the bot ever sent to Slack, as one string (for privacy scans)."""
        return json.dumps([c.params for c in self.calls], ensure_ascii=False)

    # --- server -------------------------------------------------------------------------
    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                for k, v in (await request.post()).items():
                    params[k] = _decode(str(v))
        failures = self._failures.get(method)
        if failures:
            status = failures.pop(0)
            self.calls.append(Call(method, params, status))
            return web.json_response({"ok": False, "error": "fatal_error"}, status=status)
        self.calls.append(Call(method, params))
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        body = handler(params) if handler else {"ok": True}
        return web.json_response(body)

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "privbot",
                "team_id": "T1", "user_id": self.bot_user, "bot_id": "B1"}  # fmt: skip

    def _chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        ts = self._next_ts()
        return {"ok": True, "channel": p.get("channel"), "ts": ts,
                "message": {"text": p.get("text"), "ts": ts}}  # fmt: skip

    def _chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}

    def _chat_postEphemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "V1", **_as_dict(p.get("view"))}}

    def _views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "VH", **_as_dict(p.get("view"))}}

    def _usergroups_users_list(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "users": self.groups.get(str(p.get("usergroup")), [])}

    def _apps_connections_open(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.url.replace("http://", "ws://").replace("/api/", "/socket")}

    def _users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "user": {"id": p.get("user"), "name": "someone"}}


def _decode(value: str) -> Any:
    with contextlib.suppress(ValueError):
        return json.loads(value)
    return value


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        value = _decode(value)
    return value if isinstance(value, dict) else {}


def sign(secret: str, body: str, ts: int | None = None) -> dict[str, str]:
    """The headers of a request signed like Slack does (v0 HMAC-SHA256)."""
    stamp = str(int(time.time()) if ts is None else ts)
    base = f"v0:{stamp}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }


def interaction_body(payload: dict[str, Any]) -> tuple[str, str]:
    """(body, content type) of an interactivity POST: `payload=<json>` form-encoded."""
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


def block_action(user: str, action_id: str, value: str, channel: str, ts: str) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user, "username": user, "team_id": "T1"},
        "api_app_id": "A1",
        "team": {"id": "T1"},
        "token": "legacy",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel},
        "trigger_id": "1337.42.abcd",
        "channel": {"id": channel, "name": "privacy"},
        "message": {"ts": ts, "text": "request"},
        "actions": [{"action_id": action_id, "block_id": "privbot_actions", "value": value,
                     "type": "button", "action_ts": str(time.time())}],
    }  # fmt: skip


def view_submission(
    user: str, callback_id: str, reference: str, values: dict[str, dict[str, str | None]]
) -> dict[str, Any]:
    """`values`: block_id -> {action_id: text}."""
    state = {
        block: {a: {"type": "plain_text_input", "value": text} for a, text in acts.items()}
        for block, acts in values.items()
    }
    return {
        "type": "view_submission",
        "user": {"id": user, "username": user, "team_id": "T1"},
        "api_app_id": "A1",
        "team": {"id": "T1"},
        "token": "legacy",
        "trigger_id": "1337.42.efgh",
        "view": {"id": "V1", "type": "modal", "callback_id": callback_id,
                 "private_metadata": reference, "state": {"values": state}},
    }  # fmt: skip
