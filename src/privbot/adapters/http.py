"""The one HTTP listener (`PRIVBOT_HTTP_LISTEN`): `/healthz`, `/readyz`, and whatever routes the
running parts mount (the Telegram webhook, Slack events and interactions).

It runs uvicorn inside the service's own asyncio loop; signals stay with `privbot run`.
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

log = logging.getLogger(__name__)

Endpoint = Callable[[Request], Awaitable[Response]]
Check = Callable[[], bool | Awaitable[bool]]


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

    def __init__(self, listen: str) -> None:
        self.host, self.port = parse_listen(listen)
        self._routes: list[Route] = []
        self._checks: dict[str, Check] = {}
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None

    def add_route(self, path: str, endpoint: Endpoint, methods: Sequence[str] = ("POST",)) -> None:
        self._routes.append(Route(path, endpoint, methods=list(methods)))

    def add_readiness(self, name: str, check: Check) -> None:
        """`check` returns True when that part can serve (sync checks run in a thread)."""
        self._checks[name] = check

    def app(self) -> Starlette:
        routes = [
            Route("/healthz", self._healthz, methods=["GET"]),
            Route("/readyz", self._readyz, methods=["GET"]),
            *self._routes,
        ]
        return Starlette(routes=routes)

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
