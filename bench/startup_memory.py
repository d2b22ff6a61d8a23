"""Start-up time and idle memory of the real commands (subprocesses), printed as figures.

- `privbot chat` answering one line: process start -> answer printed -> exit (first run on a
  new SQLite file: migrations + key generation; then a warm run on the same file);
- `privbot run` until `/healthz` answers, with Telegram pointed at a loopback Bot API server
  (tests/fakes/telegram_server.py) and PRIVBOT_HTTP_LISTEN on a free loopback port;
- idle RSS of that `privbot run` 5 s after /healthz answered (VmRSS and VmHWM, /proc).

    .venv/bin/python bench/startup_memory.py [--runs 3] [--database-url URL --encryption-key K]

Targets: start-up within 3 s, idle `privbot run` within 150 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
PRIVBOT = str(Path(sys.executable).with_name("privbot"))


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRIVBOT_")}
    env.update(values)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chat_once(env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    out = subprocess.run(
        [PRIVBOT, "chat", "--lang", "en"],
        input="How long do you keep my data?\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=True,
    )
    elapsed = time.perf_counter() - start
    assert out.stdout.strip(), out.stderr
    return elapsed


class LoopbackTelegram:
    """The fake Bot API server in a thread of its own."""

    def __init__(self) -> None:
        from fakes.telegram_server import FakeTelegram

        self.fake = FakeTelegram()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> LoopbackTelegram:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.start(), self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def _status_kb(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":", 1)
            out[key] = int(value.split()[0])
    return out


def run_once(env: dict[str, str], cwd: str, idle: float) -> tuple[float, dict[str, int]]:
    port = _free_port()
    env = {**env, "PRIVBOT_HTTP_LISTEN": f"127.0.0.1:{port}"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [PRIVBOT, "run"], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "exited")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.01)
        ready = time.perf_counter() - start
        time.sleep(idle)
        memory = _status_kb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(15)
    return ready, memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds before reading RSS")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--encryption-key", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = {
            "PRIVBOT_DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.sqlite3",
            "PRIVBOT_AUTO_MIGRATE": "1",
        }
        if args.encryption_key:
            base["PRIVBOT_ENCRYPTION_KEY"] = args.encryption_key
        db = "PostgreSQL" if base["PRIVBOT_DATABASE_URL"].startswith("postgresql") else "SQLite"
        env = _env(**base)
        first = chat_once(env, tmp)
        warm = [chat_once(env, tmp) for _ in range(args.runs)]
        print(f"privbot chat, one answer ({db}): first run {first:.2f} s (new database), "
              f"warm median {statistics.median(warm):.2f} s (min {min(warm):.2f}, "
              f"max {max(warm):.2f}, n={len(warm)})")  # fmt: skip
        with LoopbackTelegram() as tg:
            env = _env(
                **base,
                PRIVBOT_TELEGRAM_TOKEN=tg.fake.token,
                PRIVBOT_TELEGRAM_API_URL=tg.fake.url,
            )
            results = [run_once(env, tmp, args.idle) for _ in range(args.runs)]
        ready = [r[0] for r in results]
        rss = [r[1]["VmRSS"] / 1024 for r in results]
        hwm = [r[1]["VmHWM"] / 1024 for r in results]
        print(f"privbot run until /healthz answers ({db}, Telegram polling a loopback Bot API): "
              f"median {statistics.median(ready):.2f} s (min {min(ready):.2f}, "
              f"max {max(ready):.2f}, n={len(ready)})")  # fmt: skip
        print(f"privbot run idle RSS after {args.idle:g} s: median {statistics.median(rss):.1f} MB "
              f"(max {max(rss):.1f} MB; peak VmHWM {max(hwm):.1f} MB)")  # fmt: skip
        print("targets: start-up <= 3 s, idle RSS <= 150 MB")


if __name__ == "__main__":
    main()
