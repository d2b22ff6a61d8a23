"""Start-up time and idle memory of the real commands (subprocesses), beside their floor,
measured in one run, interleaved, with the ratio:

- `privbot run` (Telegram polling a loopback Bot API server, tests/fakes/telegram_server.py)
  from process start to its first getUpdates call, vs the floor: a python-telegram-bot echo
  bot (bench/echo_bot.py) on the same server, measured the same way; wall time and the CPU
  time the process has used by then (/proc);
- the idle RSS of each, `--idle` seconds after that first poll (VmRSS, /proc), then a second
  after each has answered its first message (what loads at the first message counts there);
- `privbot chat` answering one line (process start -> answer printed -> exit; warm: the
  database and the knowledge cache exist) vs `python -c "import telegram"`; wall time and
  the child's CPU time (a fairer figure on a shared machine).

    .venv/bin/python bench/startup_memory.py [--runs 5] [--database-url URL --encryption-key K]

Targets: `privbot run` ready <= 2x the echo bot, `privbot chat` first answer <= 2x `import
telegram`, idle memory <= 1.5x the echo bot. Each `privbot` run prints its phases
(`--profile-startup`, the `start-up:` log line) with `-v`. privbot's modules are compiled
first, as an installed privbot's are (`floor.compile_privbot`).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time

from floor import (
    PRIVBOT,
    LoopbackTelegram,
    Running,
    clean_env,
    compile_privbot,
    cpu_seconds,
    echo_bot_command,
    median,
    privbot_env,
    row,
    rss_mb,
    timed_run,
)

QUESTION = "How long do you keep my data?\n"
USER = 4242  # the Telegram user asking it


def chat_once(env: dict[str, str], cwd: str, verbose: bool) -> tuple[float, float]:
    cmd = [PRIVBOT, "chat", "--lang", "en"]
    if verbose:
        cmd.append("--profile-startup")
        out = subprocess.run(cmd, input=QUESTION, capture_output=True, text=True, env=env, cwd=cwd)
        print("  chat:", next(li for li in out.stderr.splitlines() if "start-up" in li))
    return timed_run(cmd, stdin=QUESTION, env=env, cwd=cwd)


async def ask(tg: LoopbackTelegram, user: int) -> None:
    """One question from `user`, until its answer is sent."""
    before = tg.fake.replies.get(user, 0)
    tg.fake.send_text(user, QUESTION.strip(), language_code="en")
    await tg.fake.wait_reply(user, before + 1)


def run_once(
    tg: LoopbackTelegram, cmd: list[str], env: dict[str, str], cwd: str, idle: float
) -> tuple[float, float, str, float, float]:
    """(seconds to the first poll, idle RSS, privbot's phases, CPU seconds to the first poll,
    RSS a second after the first answer)."""
    bot = Running(tg, cmd, env, cwd)
    try:
        ready = bot.wait_ready()
        cpu = cpu_seconds(bot.proc.pid)  # read within 5 ms of the poll, for both bots alike
        time.sleep(idle)
        rss = rss_mb(bot.proc.pid)
        tg.run(ask(tg, USER), 60)
        time.sleep(1)
        answered = rss_mb(bot.proc.pid)
    finally:
        bot.stop()
    phases = re.search(r"start-up: (.*)", bot.stderr())
    return ready, rss, phases.group(1) if phases else "", cpu, answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds before reading RSS")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--encryption-key", default=None)
    parser.add_argument("-v", "--verbose", action="store_true", help="print privbot's phases")
    args = parser.parse_args()
    compile_privbot()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        extra = {"PRIVBOT_CACHE_DIR": f"{tmp}/cache"}
        if args.encryption_key:
            extra["PRIVBOT_ENCRYPTION_KEY"] = args.encryption_key
        db = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        env = clean_env(PRIVBOT_DATABASE_URL=url, PRIVBOT_AUTO_MIGRATE="1", **extra)
        first = timed_run([PRIVBOT, "chat", "--lang", "en"], stdin=QUESTION, env=env, cwd=tmp)
        floor_cmd = [sys.executable, "-c", "import telegram"]
        chat, imp = [], []
        for _ in range(args.runs):
            chat.append(chat_once(env, tmp, args.verbose))
            imp.append(timed_run(floor_cmd, env=env, cwd=tmp, output=False))
        with LoopbackTelegram() as tg:
            run_env = privbot_env(tg, url, **extra)
            ours, echo = [], []
            for _ in range(args.runs):
                ours.append(run_once(tg, [PRIVBOT, "run"], run_env, tmp, args.idle))
                echo.append(run_once(tg, echo_bot_command(tg), clean_env(), tmp, args.idle))
                if args.verbose:
                    print("  run:", ours[-1][2])
    print(f"{db}, {args.runs} interleaved runs each, medians; first `privbot chat` on a new "
          f"database and no cache: {first[0]:.2f} s")  # fmt: skip
    print("| measure | privbot | floor | ratio |")
    print("|---|---|---|---|")
    print(row("`privbot run` start to first poll (wall) vs echo bot",
              median([r[0] for r in ours]), median([r[0] for r in echo]), "s"))  # fmt: skip
    print(row("`privbot run` start to first poll (CPU) vs echo bot",
              median([r[3] for r in ours]), median([r[3] for r in echo]), "s"))  # fmt: skip
    print(row(f"idle RSS {args.idle:g} s after the first poll vs echo bot",
              median([r[1] for r in ours]), median([r[1] for r in echo]), "MB", ".0f"))  # fmt: skip
    print(row("RSS a second after the first answer vs echo bot",
              median([r[4] for r in ours]), median([r[4] for r in echo]), "MB", ".0f"))  # fmt: skip
    print(row("`privbot chat` first answer (wall) vs `python -c 'import telegram'`",
              median([c[0] for c in chat]), median([i[0] for i in imp]), "s"))  # fmt: skip
    print(row("`privbot chat` first answer (CPU) vs `import telegram`",
              median([c[1] for c in chat]), median([i[1] for i in imp]), "s"))  # fmt: skip
    print("targets: run <= 2x, chat <= 2x, idle RSS <= 1.5x")


if __name__ == "__main__":
    main()
