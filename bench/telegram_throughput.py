"""Messages per second through the whole Telegram path: loopback Bot API server -> getUpdates ->
PTB handlers -> engine (SQLite) -> sendMessage, as `privbot run` wires it.

    .venv/bin/python bench/telegram_throughput.py [--users 20] [--per-user 10] [--no-rate-limit]

Each simulated user sends a question, waits for the reply, then sends the next, so latency is
measured per message; throughput is all replies over the wall time. With the rate limiter on
(the production setting) Telegram's own cap of ~30 messages/second across chats applies.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from privbot.bootstrap import build_app  # noqa: E402
from privbot.config import Settings  # noqa: E402
from privbot.runtime import Service  # noqa: E402
from tests.fakes.telegram_server import FakeTelegram  # noqa: E402

QUESTIONS = (
    "Quels cookies utilisez-vous ?",
    "How long do you keep my data?",
    "Vendez-vous mes données ?",
    "How do you protect my information?",
    "Quels sont mes droits ?",
)


async def user_session(tg: FakeTelegram, user: int, n: int, latencies: list[float]) -> None:
    for i in range(n):
        before = len(tg.messages(user))
        t0 = time.perf_counter()
        tg.send_text(user, QUESTIONS[(user + i) % len(QUESTIONS)])
        while len(tg.messages(user)) <= before:
            await asyncio.sleep(0.002)
        latencies.append(time.perf_counter() - t0)
        await asyncio.sleep(0.05)  # let a multi-part answer finish before the next question


async def main(users: int, per_user: int, rate_limit: bool) -> None:
    tg = FakeTelegram()
    await tg.start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            telegram_token=tg.token,
            telegram_api_url=tg.url,
            intents_dir=ROOT / "intents",
            corpus_dir=ROOT / "policy_corpus",
        )
        t0 = time.perf_counter()
        app = build_app(settings, mail_console=open("/dev/null", "w"))  # noqa: SIM115
        service = Service(settings, app=app, telegram_rate_limit=rate_limit)
        await service.start()
        startup = time.perf_counter() - t0
        await user_session(tg, 1, 2, [])  # warm-up
        latencies: list[float] = []
        mark = tg.mark()
        t1 = time.perf_counter()
        await asyncio.gather(
            *(user_session(tg, 100 + u, per_user, latencies) for u in range(users))
        )
        wall = time.perf_counter() - t1
        sent = len([c for c in tg.calls_of("sendMessage", mark) if c.status == 200])
        await service.stop()
    await tg.stop()
    lat = sorted(latencies)
    print(f"rate limiter: {'on' if rate_limit else 'off'}; users: {users}; questions: {len(lat)}")
    print(f"start-up (build_app + Telegram connect): {startup:.2f} s")
    print(f"questions answered per second: {len(lat) / wall:.1f}")
    print(f"messages sent per second: {sent / wall:.1f} ({sent} messages in {wall:.2f} s)")
    print(
        f"reply latency: p50 {statistics.median(lat) * 1000:.0f} ms, "
        f"p95 {lat[int(len(lat) * 0.95) - 1] * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--no-rate-limit", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.per_user, not args.no_rate_limit))
