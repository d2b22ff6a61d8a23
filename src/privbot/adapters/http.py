"""The one HTTP listener (`PRIVBOT_HTTP_LISTEN`): `/healthz`, `/readyz`, and whatever routes the
running parts mount (the Telegram webhook, Slack events and interactions).

It runs uvicorn inside the service's own asyncio loop; signals stay with `privbot run`.

Every request body is capped (`MAX_BODY_BYTES`; Slack's payloads and Telegram's updates are a
few kilobytes): a larger Content-Length is refused with 413 before a byte of the body is read,
and a body that streams in past the cap (chunked, or longer than declared) is cut off with 413
as soon as it does. A route sees a body only once it is whole and under the cap.

Bodies under the cap could still pile up: a client that sends most of one and stalls holds
it. So the bodies being received share one budget (`BODY_BUDGET`, counted at their declared
length, or the cap when chunked: past it, 503), and a body must arrive within `BODY_SECONDS`
(else 408): memory held by unfinished requests stays bounded, and is soon given back.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Generator, Sequence
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

Endpoint = Callable[[Request], Awaitable[Response]]
Check = Callable[[], bool | Awaitable[bool]]
MAX_BODY_BYTES = 1 << 20  # 1 MiB
BODY_BUDGET = 16 * MAX_BODY_BYTES  # every body being received, together
BODY_SECONDS = 10.0  # to receive one body (Telegram's and Slack's arrive at once)


class BodyCap:
    """ASGI middleware: refuses (413) a request body over `limit` bytes, on its declared
    length before reading it and on the bytes actually received while they stream in; and
    refuses one that does not fit in the shared `budget` (503) or arrive in `seconds` (408)."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int = MAX_BODY_BYTES,
        budget: int = BODY_BUDGET,
        seconds: float = BODY_SECONDS,
    ) -> None:
        self.app = app
        self.limit = limit
        self.budget = budget
        self.seconds = seconds
        self._reserved = 0  # bytes that the requests now in progress may hold

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send, 413 if declared.isdigit() else 400)
            return
        held = self.limit if declared is None else int(declared)
        if self._reserved + held > self.budget:
            await self._refuse(scope, receive, send, 503)
            return
        self._reserved += held
        try:
            await self._pass_on(scope, receive, send)
        finally:
            self._reserved -= held

    async def _pass_on(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the body (within the cap and the time) and hand the whole of it to the app."""
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.seconds):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return  # the client left: nothing to answer
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.limit:
                        await self._refuse(scope, receive, send, 413)
                        return
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            await self._refuse(scope, receive, send, 408)
            return
        whole: Message | None = {"type": "http.request", "body": b"".join(chunks)}

        async def replay() -> Message:
            nonlocal whole
            if whole is not None:
                message, whole = whole, None
                return message
            return await receive()  # only a disconnect can follow

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int) -> None:
        log.warning("http request refused: %d (body too large, too slow, or bad length)", status)
        await Response(status_code=status, headers={"Connection": "close"})(scope, receive, send)


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: `privbot run` owns SIGINT/SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def parse_listen(listen: str) -> tuple[str, int]:
    host, _, port = listen.rpartition(":")
    return host.strip("[]"), int(port)


class HttpListener:
    """Collects routes and readiness checks from the parts, then serves them on one port."""

    def __init__(self, listen: str, body_seconds: float = BODY_SECONDS) -> None:
        self.host, self.port = parse_listen(listen)
        self.body_seconds = body_seconds
        self._routes: list[Route] = []
        self._checks: dict[str, Check] = {}
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None

    def add_route(self, path: str, endpoint: Endpoint, methods: Sequence[str] = ("POST",)) -> None:
        self._routes.append(Route(path, endpoint, methods=list(methods)))

    def add_readiness(self, name: str, check: Check) -> None:
        """`check` returns True when that part can serve (sync checks run in a thread)."""
        self._checks[name] = check

    def app(self) -> ASGIApp:
        routes = [
            Route("/healthz", self._healthz, methods=["GET"]),
            Route("/readyz", self._readyz, methods=["GET"]),
            *self._routes,
        ]
        return BodyCap(Starlette(routes=routes), seconds=self.body_seconds)

    async def _healthz(self, request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def _readyz(self, request: Request) -> Response:
        results: dict[str, bool] = {}
        for name, check in self._checks.items():
            try:
                if inspect.iscoroutinefunction(check):
                    ok = await check()
                else:
                    value: Any = await asyncio.to_thread(check)
                    ok = await value if inspect.isawaitable(value) else bool(value)
            except Exception as exc:  # a failing check means "not ready", never a 500
                log.warning("readiness check %s failed: %s", name, type(exc).__name__)
                ok = False
            results[name] = bool(ok)
        ready = all(results.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": results},
            status_code=200 if ready else 503,
        )

    async def start(self) -> None:
        config = uvicorn.Config(
            self.app(),
            host=self.host,
            port=self.port,
            log_level="warning",
            access_log=False,  # access lines would carry webhook paths; keep logs lean
            lifespan="off",
        )
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve(), name="http-listener")
        while not self._server.started:
            if self._task.done():
                self._task.result()  # re-raise the bind error
                raise OSError(f"HTTP listener could not start on {self.host}:{self.port}")
            await asyncio.sleep(0.01)
        sockets = self._server.servers[0].sockets if self._server.servers else ()
        if sockets:
            self.port = int(sockets[0].getsockname()[1])  # the real port when 0 was asked

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._task, timeout=5)
        self._server = None
        self._task = None
