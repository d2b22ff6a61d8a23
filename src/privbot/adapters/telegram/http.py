"""python-telegram-bot's Bot API requests over aiohttp once messages come in.

PTB's own client (httpx, over httpcore and anyio) costs about half a millisecond of CPU per
Bot API call on loopback, aiohttp's about a tenth of it; with a sendMessage per answer and a
getUpdates per few, that was 0.9 of the event loop's 2.1 ms of CPU per answer in the burst
bench. aiohttp is not loaded at start (0.14 s and 9 MB more there): each `LazyRequest` sends
with PTB's `HTTPXRequest` until `TelegramHttp.upgrade_soon()`, called when the first update
is handled, has loaded aiohttp in a worker thread; from then on requests go through aiohttp
with the same timeouts, connection limit, User-Agent and certificate authorities (httpx's own
SSL context). With a proxy in the environment (which httpx follows in ways aiohttp does not
all follow) requests stay with httpx.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import urllib.request
import warnings
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.warnings import PTBUserWarning

if TYPE_CHECKING:
    import aiohttp

log = logging.getLogger(__name__)

_READ, _WRITE, _CONNECT, _POOL = 5.0, 5.0, 5.0, 1.0  # PTB's defaults, seconds
_FORM = "application/x-www-form-urlencoded"


def quiet_api_request(endpoint: str) -> None:
    """privbot calls do_api_request for `endpoint` on purpose (to skip what the Bot method
    adds around the call): PTB's warning that Bot has a method for it is not shown (a filter
    for that one warning from privbot)."""
    warnings.filterwarnings(
        "ignore", f"Please use 'Bot.{endpoint}' instead of", PTBUserWarning, "privbot"
    )


class AiohttpRequest(BaseRequest):
    """A PTB request backend on an aiohttp session (aiohttp must be imported already)."""

    def __init__(self, pool_size: int) -> None:
        self._pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return _READ

    async def initialize(self) -> None:
        import aiohttp
        import httpx

        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=httpx.create_ssl_context())
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        import aiohttp

        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        unset = BaseRequest.DEFAULT_NONE
        read = _READ if read_timeout is unset else read_timeout
        write = _WRITE if write_timeout is unset else write_timeout
        connect = _CONNECT if connect_timeout is unset else connect_timeout
        pool = _POOL if pool_timeout is unset else pool_timeout
        files = request_data.multipart_data if request_data is not None else None
        # aiohttp has no write timeout (its read timer starts once the body is sent), so an
        # upload is bounded as a whole, as httpx bounds its parts; its `connect` is the wait
        # for a pooled connection and the connection's making together.
        parts = (pool, connect, write, read)
        total = sum(parts) if files and None not in parts else None
        timeout = aiohttp.ClientTimeout(
            total=total,
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=read,
        )
        data: Any = None
        if request_data is not None:
            fields = request_data.json_parameters
            if files:
                form = aiohttp.FormData()
                for name, value in fields.items():
                    form.add_field(name, value)
                for name, (filename, content, mimetype) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mimetype)
                data = form
            else:
                # The body aiohttp makes of a dict, without the FormData around it (which
                # draws a multipart boundary from os.urandom: a release of the interpreter
                # lock, which the event loop then waits to get back from a worker thread).
                body = urlencode(list(fields.items()), doseq=True).encode()
                data = aiohttp.payload.BytesPayload(body, content_type=_FORM)
        try:
            # Not following redirects, as httpx does not: a redirected POST comes back a GET
            # without its body, which Telegram would refuse as a message no retry can help.
            async with self._session.request(
                method, url, data=data, timeout=timeout, allow_redirects=False
            ) as res:
                return res.status, await res.read()
        except TimeoutError as err:  # aiohttp's timeouts are TimeoutErrors
            raise TimedOut from err
        except aiohttp.ClientError as err:
            # Its text and its cause's can carry the URL, and the URL the bot token.
            raise NetworkError(f"aiohttp.{err.__class__.__name__}") from None


class LazyRequest(BaseRequest):
    """PTB's HTTPXRequest until `upgrade()`, an `AiohttpRequest` after."""

    def __init__(self, pool_size: int) -> None:
        self._pool_size = pool_size
        self._httpx = HTTPXRequest(connection_pool_size=pool_size)
        self._aiohttp: AiohttpRequest | None = None
        self._current: BaseRequest = self._httpx

    @property
    def read_timeout(self) -> float | None:
        return self._current.read_timeout

    @property
    def upgraded(self) -> bool:
        return self._current is self._aiohttp

    async def initialize(self) -> None:
        await self._current.initialize()

    async def upgrade(self) -> None:
        """From now on through aiohttp (loaded already)."""
        if self._aiohttp is None:
            fast = AiohttpRequest(self._pool_size)
            await fast.initialize()
            self._aiohttp = self._current = fast

    async def shutdown(self) -> None:
        await self._httpx.shutdown()
        if self._aiohttp is not None:
            await self._aiohttp.shutdown()

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        return await self._current.do_request(*args, **kwargs)


class TelegramHttp:
    """The requests of one Application: `general` for every call but getUpdates (PTB's 256
    connections), `updates` for getUpdates (one)."""

    def __init__(self) -> None:
        self.general = LazyRequest(256)
        self.updates = LazyRequest(1)
        self._asked = False
        self._upgrading: asyncio.Task[None] | None = None

    def upgrade_soon(self) -> None:
        """Start loading aiohttp at the first call (none behind a proxy); later calls do
        nothing."""
        if self._asked:
            return
        self._asked = True
        if not urllib.request.getproxies():
            self._upgrading = asyncio.create_task(self._upgrade(), name="telegram-http-upgrade")

    async def _upgrade(self) -> None:
        try:
            await asyncio.to_thread(importlib.import_module, "aiohttp")
            await self.general.upgrade()
            await self.updates.upgrade()
        except Exception as exc:  # httpx goes on serving
            log.warning("telegram: requests stay on httpx: %s", type(exc).__name__)

    async def stop(self) -> None:
        self._asked = True  # a message still handled while stopping starts no aiohttp session
        if self._upgrading is not None:
            await asyncio.gather(self._upgrading, return_exceptions=True)

    async def close(self) -> None:
        """Close both requests' clients (again: closing a closed one does nothing)."""
        await self.stop()
        await self.general.shutdown()
        await self.updates.shutdown()
