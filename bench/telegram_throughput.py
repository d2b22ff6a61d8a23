"""Questions per second and reply latency through the whole Telegram path, beside the floor,
in one run: a loopback Bot API server (tests/fakes/telegram_server.py) in this process;
`privbot run` (getUpdates -> the update ledger -> PTB handlers -> the engine and its
database -> sendMessage) and a python-telegram-bot echo bot (bench/echo_bot.py, same builder
settings) as subprocesses, each serving the same simulated users in turn.

    .venv/bin/python bench/telegram_throughput.py [--users 20] [--per-user 10] [--rounds 2]
        [--rate-limit] [--database-url URL] [--profile DIR] [--before DIR]

Each user sends a question, waits for the first message of the reply, then sends the next,
so latency is measured per message; throughput is all questions over the wall time. The
bot's CPU per question is shown whole and for its main thread alone (the event loop; the
rest is its worker threads'). With
the rate limiter off (the default here) the bot's own path is what is measured. privbot's
per-user inbound limit (8 at once, then one every 2 s) is lifted: these users ask 10
questions in a second or two, and a question it drops gets "slow down" instead of an
answer (or, dropped twice, no reply and a burst that never ends); the echo bot has none. `--profile
DIR` records privbot with py-spy (`pip install py-spy`) into DIR/privbot.svg and prints the
top functions (`py-spy record --format raw`). `--before DIR` interleaves a third bot: privbot
from another checkout (DIR holds its `src/` and `bench/`, e.g. `git archive main | tar -x -C
DIR`), the code before a change measured in the same run, with the same database.

Targets (limiter off): throughput >= 0.8x the echo bot, p50 latency <= 1.5x.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from cryptography.fernet import Fernet
from floor import (
    PRIVBOT,
    LoopbackTelegram,
    Running,
    clean_env,
    cpu_seconds,
    echo_bot_command,
    loop_cpu_seconds,
    median,
    privbot_env,
    row,
)

QUESTIONS = (
    "Quels cookies utilisez-vous ?",
    "How long do you keep my data?",
    "Vendez-vous mes données ?",
    "How do you protect my information?",
    "Quels sont mes droits ?",
)


async def burst(tg: LoopbackTelegram, users: range, per_user: int) -> tuple[float, list[float]]:
    """Every user asks `per_user` questions in turn; (wall seconds, latencies)."""
    fake = tg.fake
    latencies: list[float] = []

    async def session(user: int) -> None:
        for i in range(per_user):
            before = fake.replies.get(user, 0)
            t0 = time.perf_counter()
            fake.send_text(user, QUESTIONS[(user + i) % len(QUESTIONS)], language_code="en")
            await fake.wait_reply(user, before + 1)
            latencies.append(time.perf_counter() - t0)
            await asyncio.sleep(0.05)  # a multi-part answer finishes before the next question

    t0 = time.perf_counter()
    await asyncio.gather(*(session(u) for u in users))
    return time.perf_counter() - t0, latencies


def measure(
    tg: LoopbackTelegram, bot: Running, users: range, per_user: int, spy: Path | None = None
) -> tuple[float, float, float, float, float]:
    """(questions/s, p50 ms, p95 ms, CPU seconds of the bot, of its main thread: the event
    loop) for one burst; with `spy`, the burst (not the start, nor the warm-up) is recorded
    by py-spy into that file."""
    bot.wait_ready()
    warm = range(users.start - 10, users.start - 9)
    tg.run(burst(tg, warm, 2), 120)
    recorder = _spy(bot, spy) if spy is not None else None
    try:
        cpu0, loop0 = cpu_seconds(bot.proc.pid), loop_cpu_seconds(bot.proc.pid)
        wall, lat = tg.run(burst(tg, users, per_user), 600)
        cpu = cpu_seconds(bot.proc.pid) - cpu0
        loop = loop_cpu_seconds(bot.proc.pid) - loop0
    finally:
        if recorder is not None:
            recorder.send_signal(signal.SIGINT)  # py-spy writes its file then
            recorder.wait(60)
    lat.sort()
    return len(lat) / wall, median(lat) * 1000, lat[int(len(lat) * 0.95) - 1] * 1000, cpu, loop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved bursts of each")
    parser.add_argument("--rate-limit", action="store_true")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--profile", type=Path, default=None, help="py-spy output folder")
    parser.add_argument("--before", type=Path, default=None, help="another checkout of privbot")
    args = parser.parse_args()
    Figures = list[tuple[float, float, float, float, float]]
    ours: Figures = []
    echo: Figures = []
    before: Figures = []
    with tempfile.TemporaryDirectory() as tmp, LoopbackTelegram() as tg:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        env = privbot_env(tg, url, PRIVBOT_CACHE_DIR=f"{tmp}/cache", PRIVBOT_LOG_LEVEL="WARNING")
        if not url.startswith("sqlite"):  # required beside a database server
            env["PRIVBOT_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
        flags = ["--no-inbound-limit"] + ([] if args.rate_limit else ["--no-rate-limit"])
        cmd = [sys.executable, str(Path(__file__).with_name("privbot_service.py")), *flags]
        targets = ["privbot", "echo"]
        if args.before is not None:
            targets.append("before")
            old = args.before.resolve()
            old_cmd = [sys.executable, str(old / "bench" / "privbot_service.py"), *flags]
            old_env = {**env, "PYTHONPATH": str(old / "src")}
        base = 1000
        for _ in range(args.rounds):
            for target in targets:
                users = range(base, base + args.users)
                base += 1000
                if target == "privbot":
                    bot = Running(tg, cmd, env, tmp)
                elif target == "before":
                    bot = Running(tg, old_cmd, old_env, tmp)
                else:
                    bot = Running(tg, echo_bot_command(tg, args.rate_limit), clean_env(), tmp)
                spy = None
                if target == "privbot" and args.profile:
                    args.profile.mkdir(parents=True, exist_ok=True)
                    spy = args.profile / f"privbot-{len(ours) + 1}.txt"
                try:
                    figures = {"privbot": ours, "echo": echo, "before": before}[target]
                    figures.append(measure(tg, bot, users, args.per_user, spy))
                finally:
                    bot.stop()
                    problems = [
                        li for li in bot.stderr().splitlines() if "WARNING" in li or "ERROR" in li
                    ]
                    if problems:  # e.g. "database is locked": the figures would be wrong
                        print(f"{target}: {len(problems)} log warnings, {problems[0][:200]}")
    db = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    n = args.users * args.per_user
    print(f"{db}; rate limiter {'on' if args.rate_limit else 'off'}; {args.users} users x "
          f"{args.per_user} questions ({n}) per burst; {args.rounds} interleaved bursts each, "
          "medians")  # fmt: skip
    _table(ours, echo, n, "privbot")
    if before:
        print("\nThe code before (--before), in the same run:")
        _table(before, echo, n, "before")
    if args.profile:
        _summary(args.profile)


def _table(
    ours: list[tuple[float, float, float, float, float]],
    echo: list[tuple[float, float, float, float, float]],
    n: int,
    name: str,
) -> None:
    """The medians of `ours` beside the echo bot's, and their ratios."""
    print(f"| measure | {name} | echo bot | ratio |")
    print("|---|---|---|---|")
    print(row("questions answered per second", median([o[0] for o in ours]),
              median([e[0] for e in echo]), "/s", ".1f"))  # fmt: skip
    print(row("reply latency p50", median([o[1] for o in ours]),
              median([e[1] for e in echo]), "ms", ".0f"))  # fmt: skip
    print(row("reply latency p95", median([o[2] for o in ours]),
              median([e[2] for e in echo]), "ms", ".0f"))  # fmt: skip
    print(row("bot CPU per question", median([o[3] for o in ours]) / n * 1000,
              median([e[3] for e in echo]) / n * 1000, "ms", ".2f"))  # fmt: skip
    print(row("of which the event loop's thread", median([o[4] for o in ours]) / n * 1000,
              median([e[4] for e in echo]) / n * 1000, "ms", ".2f"))  # fmt: skip


def _spy(bot: Running, out: Path) -> subprocess.Popen[bytes]:
    spy = shutil.which("py-spy") or str(Path(PRIVBOT).with_name("py-spy"))
    return subprocess.Popen(
        [spy, "record", "--pid", str(bot.proc.pid), "--rate", "200", "--format", "raw", "--gil",
         "--output", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _summary(out: Path, top: int = 25) -> None:
    """Share of samples per function (its lines together), inclusive and self (collapsed
    stacks from py-spy, sampled while the thread holds the GIL: CPU), over the bursts
    recorded."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for path in sorted(out.glob("privbot-*.txt")):
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            n = int(count)
            total += n
            frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
            own[frames[-1]] += n
            for frame in set(frames):
                inclusive[frame] += n
    for title, counts in (("inclusive", inclusive), ("self", own)):
        print(f"\nprivbot profile ({total} samples, py-spy; {title} share):")
        for frame, n in counts.most_common(top):
            print(f"{100 * n / total:5.1f}%  {frame[:150]}")


if __name__ == "__main__":
    main()
