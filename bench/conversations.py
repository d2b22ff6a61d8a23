"""The multi-turn evaluation, conversation by conversation (tests/data/conversations/).

Usage: python bench/conversations.py [-v] [--only SUBSTRING] [--failed]

Plays every conversation through `ConversationService.handle` on a temporary SQLite database
with a fixed clock and prints each one's turns handled right, the problems of each wrong turn
(-v: with the bot's reply), and the overall share the test suite holds to its floor.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conversation_eval import load_conversations, report, run_all, share_right  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="show the wrong replies")
    parser.add_argument("--only", default="", help="conversations whose id contains this")
    parser.add_argument("--failed", action="store_true", help="list only the wrong ones")
    args = parser.parse_args()
    conversations = [c for c in load_conversations() if args.only in c.id]
    with tempfile.TemporaryDirectory() as folder:
        results = run_all(Path(folder), conversations)
    shown = [r for r in results if r.right < len(r.turns)] if args.failed else results
    print("\n".join(report(shown, args.verbose).splitlines()[:-1]))
    right, total = share_right(results)
    share = right / max(total, 1)
    print(f"{len(results)} conversations; turns handled right: {right}/{total} = {share:.1%}")


if __name__ == "__main__":
    main()
