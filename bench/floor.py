"""What the Telegram and start-up benchmarks share: the loopback Bot API server in a thread,
the floor (bench/echo_bot.py, a plain python-telegram-bot echo bot), `privbot run` as a
subprocess against the same server, and timing a child process (wall and CPU time).

The machine these figures are taken on is shared: every figure is reported beside the
floor's, measured in the same run, interleaved, and as their ratio.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
BIN = Path(sys.executable).parent
PRIVBOT = str(BIN / "privbot")
ECHO_BOT = str(ROOT / "bench" / "echo_bot.py")

from fakes.telegram_server import FakeTelegram  # noqa: E402


def clean_env(**values: str) -> dict[str, str]:
    """The environment without any PRIVBOT_* variable of the caller's, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRIVBOT_")}
    env.update(values)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class CountingTelegram(FakeTelegram):
    """The fake Bot API server, counting sendMessage per chat and waking who waits on it."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: dict[int, int] = {}
        self._waiters: dict[int, asyncio.Event] = {}

    async def _m_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        result = await super()._m_sendMessage(p)
        chat = int(p["chat_id"])
        self.replies[chat] = self.replies.get(chat, 0) + 1
        waiter = self._waiters.get(chat)
        if waiter is not None:
            waiter.set()
        return result

    async def wait_reply(self, chat: int, count: int) -> None:
        """Until `chat` has received `count` messages in all."""
        while self.replies.get(chat, 0) < count:
            event = self._waiters.setdefault(chat, asyncio.Event())
            event.clear()
            if self.replies.get(chat, 0) >= count:
                return
            await event.wait()

    def first_poll_after(self, since: float) -> float | None:
        """The monotonic time of the first getUpdates call at or after `since`."""
        return next((c.at for c in self.calls if c.method == "getUpdates" and c.at >= since), None)


class LoopbackTelegram:
    """A CountingTelegram in a thread of its own; `run(coro)` runs a coroutine in its loop."""

    def __init__(self) -> None:
        self.fake = CountingTelegram()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> LoopbackTelegram:
        self.thread.start()
        self.run(self.fake.start())
        return self

    def run(self, coro: Any, timeout: float | None = None) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def __exit__(self, *exc: object) -> None:
        self.run(self.fake.stop(), 10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def echo_bot_command(tg: LoopbackTelegram, rate_limit: bool = False) -> list[str]:
    cmd = [sys.executable, ECHO_BOT, "--api-url", tg.fake.url, "--token", tg.fake.token]
    return [*cmd, "--rate-limit"] if rate_limit else cmd


def privbot_env(tg: LoopbackTelegram, database_url: str, **extra: str) -> dict[str, str]:
    return clean_env(
        PRIVBOT_DATABASE_URL=database_url,
        PRIVBOT_AUTO_MIGRATE="1",
        PRIVBOT_TELEGRAM_TOKEN=tg.fake.token,
        PRIVBOT_TELEGRAM_API_URL=tg.fake.url,
        **extra,
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process so far (/proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def compile_privbot() -> None:
    """Write privbot's bytecode, as an installed privbot has it (pip compiles a package when
    it installs it, PYTHONDONTWRITEBYTECODE or not): an editable install run under that
    variable, as here, would otherwise compile its 150-odd modules again at every start."""
    import compileall

    compileall.compile_dir(ROOT / "src" / "privbot", quiet=1)


def loop_cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process's main thread (where its event loop runs;
    the rest of `cpu_seconds` is its other threads')."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def timed_run(
    cmd: Sequence[str], *, stdin: str = "", output: bool = True, **kw: Any
) -> tuple[float, float]:
    """Run a command to its end: (wall seconds, CPU seconds of the child). It must succeed,
    and print something when `output`."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw
    )
    proc.stdin.write(stdin.encode())  # type: ignore[union-attr]
    proc.stdin.close()  # type: ignore[union-attr]
    out = proc.stdout.read()  # type: ignore[union-attr]
    err = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or (output and not out.strip()):
        raise RuntimeError(f"{cmd[0]} failed: {err.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


class Running:
    """A bot subprocess polling the loopback server: ready when its first getUpdates arrives."""

    def __init__(
        self, tg: LoopbackTelegram, cmd: Sequence[str], env: dict[str, str], cwd: str
    ) -> None:
        self.tg = tg
        # its log, in a file: a pipe nobody reads would block the bot once full
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - read after the bot stopped
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=self.log
        )

    def stderr(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def wait_ready(self, timeout: float = 120) -> float:
        """Seconds from the process start to its first getUpdates call."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"exited: {self.stderr()[-2000:]}")
            at = self.tg.fake.first_poll_after(self.started)
            if at is not None:
                return at - self.started
            time.sleep(0.005)
        raise TimeoutError("no getUpdates")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def row(measure: str, ours: float, floor: float, unit: str, fmt: str = ".2f") -> str:
    """One line of a figures table: privbot, the floor, the ratio."""
    return f"| {measure} | {ours:{fmt}} {unit} | {floor:{fmt}} {unit} | {ours / floor:.2f}× |"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
