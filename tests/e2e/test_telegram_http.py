"""Bot API requests over aiohttp (`adapters.telegram.http`) against the loopback Bot API
server: the same requests as PTB's httpx client makes (form fields, a keyboard, a file, a
long poll), Telegram's refusals read the same way (429 with its wait, 400), a server that is
not there or does not answer is a NetworkError or TimedOut as with httpx; and the switch
from httpx happens once messages come in, never behind a proxy; the certificates trusted are
httpx's."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest

from privbot.adapters.telegram.http import AiohttpRequest, TelegramHttp
from tests.fakes.telegram_server import FakeTelegram

CHAT = 1001
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Lire", callback_data="full:7|sig")]])


def _bot(tg: FakeTelegram, request: BaseRequest) -> Bot:
    return Bot(tg.token, base_url=f"{tg.url}/bot", request=request, get_updates_request=request)


async def _calls(tg: FakeTelegram, bot: Bot) -> list[tuple[str, dict[str, object]]]:
    mark = tg.mark()
    await bot.send_message(CHAT, "<b>é</b> &amp; ü", parse_mode=ParseMode.HTML)
    await bot.send_message(CHAT, "choisir", reply_markup=KEYBOARD)
    upload = InputFile(b'{"profil": "\xc3\xa9"}', filename="export.json")
    await bot.send_document(CHAT, upload, caption="<i>vos données</i>", parse_mode="HTML")
    await bot.get_updates(offset=5, timeout=0, allowed_updates=["message"])
    return [(c.method, c.params) for c in tg.calls[mark:]]


@pytest.fixture
async def fast() -> AsyncIterator[AiohttpRequest]:
    import aiohttp  # noqa: F401  (loaded, as TelegramHttp does before switching)

    request = AiohttpRequest(8)
    await request.initialize()
    yield request
    await request.shutdown()


async def test_the_requests_are_httpx_s(tg: FakeTelegram, fast: AiohttpRequest) -> None:
    slow = HTTPXRequest()
    await slow.initialize()
    try:
        theirs = await _calls(tg, _bot(tg, slow))
    finally:
        await slow.shutdown()
    ours = await _calls(tg, _bot(tg, fast))
    assert [m for m, _ in ours] == ["sendMessage", "sendMessage", "sendDocument", "getUpdates"]
    assert ours == theirs
    assert ours[2][1]["document"] == {
        "filename": "export.json",
        "content": '{"profil": "é"}'.encode(),
    }


async def test_telegram_s_refusals_read_as_with_httpx(
    tg: FakeTelegram, fast: AiohttpRequest
) -> None:
    bot = _bot(tg, fast)
    tg.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter) as waited:
        await bot.send_message(CHAT, "x")
    assert waited.value.retry_after in (3, timedelta(seconds=3))
    with pytest.raises(BadRequest):
        await bot.send_message(CHAT, "<b>unclosed", parse_mode=ParseMode.HTML)


async def test_no_server_or_no_answer_is_a_network_error_or_a_timeout(
    fast: AiohttpRequest,
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed: nobody listens there
    with pytest.raises(NetworkError):
        await fast.post(f"http://127.0.0.1:{port}/botx/getMe")

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(10)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(TimedOut):
            await fast.post(f"http://127.0.0.1:{port}/botx/getMe", read_timeout=0.2)
    finally:
        server.close()


async def test_requests_switch_to_aiohttp_once_asked(
    tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    http = TelegramHttp()
    bot = Bot(tg.token, base_url=f"{tg.url}/bot", request=http.general,
              get_updates_request=http.updates)  # fmt: skip
    await bot.initialize()
    try:
        assert not http.general.upgraded
        http.upgrade_soon()
        http.upgrade_soon()  # once
        await http.stop()
        assert http.general.upgraded and http.updates.upgraded
        mark = tg.mark()
        await bot.send_message(CHAT, "après")
        await bot.get_updates(timeout=0)
        assert [c.method for c in tg.calls[mark:]] == ["sendMessage", "getUpdates"]
    finally:
        await bot.shutdown()


async def test_no_switch_is_started_once_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message still handled after the stop (the drain timed out) opens no aiohttp
    session that nothing would close."""
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    http = TelegramHttp()
    await http.stop()
    http.upgrade_soon()
    await http.stop()
    assert not http.general.upgraded and not http.updates.upgraded


async def test_behind_a_proxy_requests_stay_with_httpx(
    tg: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    http = TelegramHttp()
    http.upgrade_soon()
    await http.stop()
    assert not http.general.upgraded and not http.updates.upgraded


BUILD = """
import sys
from privbot.adapters.telegram.bot import PrivbotTelegram, TelegramDeps
PrivbotTelegram(TelegramDeps(None, None, None)).build("123:abc", "http://127.0.0.1:9")
print("aiohttp" in sys.modules)
"""


def test_aiohttp_is_not_loaded_to_start() -> None:
    """Building the bot does not load it (the first message does: the test above)."""
    done = subprocess.run(
        [sys.executable, "-c", BUILD], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["False"]


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


async def test_tls_is_trusted_as_httpx_trusts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server whose certificate no known authority signed is refused by both clients; once
    SSL_CERT_FILE names that certificate, both accept it (httpx's SSL context, as httpx)."""
    from aiohttp import web

    cert_file, key_file = _self_signed(tmp_path)
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert_file, key_file)

    async def get_me(_: web.Request) -> web.Response:
        return web.json_response({"ok": True, "result": 1})

    app = web.Application()
    app.router.add_post("/botx/getMe", get_me)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=served)
    await site.start()
    url = f"https://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/botx/getMe"  # type: ignore[union-attr]

    async def answers(request: BaseRequest) -> bool:
        await request.initialize()
        try:
            return await request.post(url) == 1
        except NetworkError:
            return False
        finally:
            await request.shutdown()

    try:
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
        assert (await answers(AiohttpRequest(1)), await answers(HTTPXRequest())) == (False, False)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
        assert (await answers(AiohttpRequest(1)), await answers(HTTPXRequest())) == (True, True)
    finally:
        await runner.cleanup()


async def _raw_server(answer: bytes | None) -> tuple[asyncio.Server, str]:
    """A loopback server that sends `answer` once a request's first line came, or with None
    accepts and never reads (a dead peer); the bot URL on it."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if answer is None:
            await asyncio.sleep(60)
            return
        await reader.readline()
        writer.write(answer)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/bot123:SECRET"


async def test_a_redirect_is_not_followed_as_httpx_does_not(fast: AiohttpRequest) -> None:
    """A redirected POST would come back a GET without its text, refused by Telegram as a
    message no retry helps (BadRequest, dropped); unfollowed, it fails as with httpx."""
    from aiohttp import web

    seen: list[str] = []

    async def moved(request: web.Request) -> web.Response:
        seen.append(f"{request.method} {request.path}")
        if request.method == "POST":
            raise web.HTTPFound("/elsewhere")
        refused = {"ok": False, "error_code": 400, "description": "Bad Request: text is empty"}
        return web.json_response(refused, status=400)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", moved)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}/bot123:SECRET/sendMessage"
    slow = HTTPXRequest()
    await slow.initialize()
    errors = []
    try:
        for request in (fast, slow):
            with pytest.raises(TelegramError) as failed:
                await request.post(url)
            errors.append(type(failed.value))
    finally:
        await slow.shutdown()
        await runner.cleanup()
    assert errors[0] is errors[1]
    assert seen == ["POST /bot123:SECRET/sendMessage"] * 2


async def test_a_broken_answer_s_error_does_not_carry_the_token(fast: AiohttpRequest) -> None:
    server, base = await _raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n")
    try:
        with pytest.raises(NetworkError) as failed:
            await fast.post(f"{base}/getMe")
    finally:
        server.close()
    assert "SECRET" not in str(failed.value)
    assert failed.value.__cause__ is None and failed.value.__suppress_context__


async def test_an_upload_to_a_peer_that_stops_reading_times_out(fast: AiohttpRequest) -> None:
    """aiohttp has no write timeout: without a bound on the whole upload a /privacy export
    to a dead connection would hold the user's queue until TCP gives up (minutes)."""
    server, base = await _raw_server(None)
    bot = Bot("123:SECRET", base_url=f"{base.rsplit('/bot', 1)[0]}/bot", request=fast)
    upload = InputFile(b"x" * (64 << 20), filename="export.json")
    try:
        with pytest.raises(TimedOut):
            await asyncio.wait_for(
                bot.send_document(
                    CHAT, upload, write_timeout=0.5, read_timeout=0.5, connect_timeout=0.5
                ),
                timeout=20,
            )
    finally:
        server.close()
