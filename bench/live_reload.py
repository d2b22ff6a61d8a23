"""How long an admin's edit takes to go live in a running bot.

Copies intents/ and policy_corpus/ to a temporary folder, starts the watcher on them, then
times (several times) from the moment an edited intent file is written until the new
knowledge answers with it. Usage: python bench/live_reload.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from privbot.adapters.content_watcher import watch_content
from privbot.content.knowledge import Knowledge, load_knowledge
from privbot.content.live import KnowledgeStore
from privbot.core.model import ReplyKind

ROOT = Path(__file__).resolve().parents[1]
INTENT = """
  - id: bench_{n}
    kind: smalltalk
    examples:
      fr: [zorglub quux{n} frobnique]
      en: [zorglub quux{n} frobnicate]
    reply:
      fr: Réponse {n}.
      en: Answer {n}.
    tests:
      fr: [frobnique zorglub quux{n}]
      en: [frobnicate quux{n} zorglub]
"""


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "intents", root / "intents")
        shutil.copytree(ROOT / "policy_corpus", root / "policy_corpus")

        def load() -> Knowledge:
            return load_knowledge(
                contact_email="dpo@example.test",
                corpus_dir=root / "policy_corpus",
                intents_dir=root / "intents",
            )

        t0 = time.perf_counter()
        store = KnowledgeStore(load(), load)
        print(f"initial load and check: {time.perf_counter() - t0:.2f} s")
        stop = asyncio.Event()
        task = asyncio.create_task(watch_content(store, [root / "intents"], stop=stop))
        await asyncio.sleep(0.5)
        delays = []
        path = root / "intents" / "smalltalk.yaml"
        for n in range(rounds):
            text = path.read_text("utf-8").rstrip("\n") + "\n" + INTENT.format(n=n)
            started = time.perf_counter()
            path.write_text(text, "utf-8")
            while True:
                u = store.current().matcher.understand(f"zorglub quux{n} frobnicate")
                if u.kind is ReplyKind.SMALLTALK and u.intent == f"bench_{n}":
                    break
                await asyncio.sleep(0.01)
            delays.append(time.perf_counter() - started)
        stop.set()
        await task
        print(
            f"edit live after: median {statistics.median(delays):.2f} s, "
            f"max {max(delays):.2f} s over {rounds} edits"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
