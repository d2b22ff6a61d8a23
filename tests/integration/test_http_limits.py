"""The HTTP listener refuses bodies over its cap while they stream in: a huge POST is
answered 413 without being read whole, whatever its Content-Length says."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response

from privbot.adapters.http import BODY_BUDGET, MAX_BODY_BYTES, HttpListener

CHUNK = 64 * 1024


async def _listener() -> tuple[HttpListener, list[int]]:
    read: list[int] = []

    async def sink(request: Request) -> Response:
        read.append(len(await request.body()))
        return Response(status_code=200)

    http = HttpListener("127.0.0.1:0")
    http.add_route("/sink", sink)
    await http.start()
    return http, read


async def _status(reader: asyncio.StreamReader) -> int:
    line = await asyncio.wait_for(reader.readline(), 30)  # a liveness bound, not a timing
    return int(line.split()[1])


async def test_a_declared_huge_body_is_refused_before_it_is_sent() -> None:
    http, read = await _listener()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", http.port)
        writer.write(
            b"POST /sink HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 200000000\r\n\r\n{"a": 1'
        )
        await writer.drain()
        assert await _status(reader) == 413  # the other 200 MB were never sent
        writer.close()
        assert read == []
    finally:
        await http.stop()


async def test_a_chunked_body_is_cut_off_at_the_cap() -> None:
    http, read = await _listener()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", http.port)
        writer.write(b"POST /sink HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        sent = 0
        status = asyncio.ensure_future(_status(reader))
        while not status.done() and sent < 4 * MAX_BODY_BYTES:
            writer.write(b"%x\r\n" % CHUNK + b"x" * CHUNK + b"\r\n")
            sent += CHUNK
            try:
                await writer.drain()
            except ConnectionError:
                break
            await asyncio.sleep(0)
        assert await status == 413
        assert sent < 4 * MAX_BODY_BYTES
        writer.close()
        assert read == []
    finally:
        await http.stop()


async def test_a_body_under_the_cap_reaches_the_route() -> None:
    http, read = await _listener()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", http.port)
        body = b"x" * 1000
        writer.write(b"POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + body)
        await writer.drain()
        assert await _status(reader) == 200
        writer.close()
        assert read == [1000]
    finally:
        await http.stop()


async def _unfinished(
    port: int, declared: int, sent: int
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A POST that declares `declared` bytes, sends `sent` of them and then stalls."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % declared)
    writer.write(b"x" * sent)
    await writer.drain()
    return reader, writer


async def test_stalled_bodies_are_dropped_and_together_stay_under_a_budget() -> None:
    """Bodies under the cap but never finished (a slow or hostile client) must not pile up:
    the bodies being received share one budget (past it: 503), and one that does not arrive
    within the listener's time for a body is answered 408 and forgotten."""
    read: list[int] = []

    async def sink(request: Request) -> Response:
        read.append(len(await request.body()))
        return Response(status_code=200)

    http = HttpListener("127.0.0.1:0", body_seconds=10)
    http.add_route("/sink", sink)
    await http.start()
    try:
        n = BODY_BUDGET // MAX_BODY_BYTES + 1
        readers = [
            await _unfinished(http.port, MAX_BODY_BYTES, MAX_BODY_BYTES - 10) for _ in range(n)
        ]
        statuses = await asyncio.gather(*(_status(r) for r, _ in readers))
        assert statuses.count(503) == 1 and statuses.count(408) == n - 1, statuses
        reader, writer = await asyncio.open_connection("127.0.0.1", http.port)  # room again
        writer.write(b"POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        await writer.drain()
        assert await _status(reader) == 200 and read == [3]
        writer.close()
    finally:
        await http.stop()
