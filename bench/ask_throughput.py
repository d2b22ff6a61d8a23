"""`privbot ask --json -` throughput: questions per second through the real command,
start-up included and excluded. Usage: python bench/ask_throughput.py [--repeat 20]"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from eval_questions import load_cases  # noqa: E402


def run(lines: list[str]) -> float:
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "privbot", "ask", "--json", "-"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert out.count("\n") == len(lines), "one JSON line per question"
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    questions = [c.text for c in load_cases()] * args.repeat
    startup = run(["hello"])
    total = run(questions)
    print(f"start-up + one question: {startup:.2f} s")
    print(
        f"{len(questions)} questions in {total:.2f} s: "
        f"{len(questions) / total:.0f} q/s overall, "
        f"{len(questions) / max(total - startup, 1e-9):.0f} q/s after start-up"
    )


if __name__ == "__main__":
    main()
