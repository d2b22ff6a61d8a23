"""Answer latency (p50, p99) with the shipped intents and with synthetic intent sets.

Usage: python bench/answer_latency.py [--sizes 1000,10000,50000] [--rounds N] [--clock wall|cpu]

Synthetic sets add intents whose examples are made of real policy words in random
orders (so they share terms with real questions and stress the index), on top of the
shipped intents. One process, one core: run with `taskset -c 0` for a single-core figure.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from eval_questions import load_cases  # noqa: E402

from privbot.adapters.langdetect_scorer import langdetect_scorer  # noqa: E402
from privbot.content.knowledge import load_knowledge  # noqa: E402
from privbot.core.matching import Matcher  # noqa: E402
from privbot.core.model import Intent, IntentKind, IntentSet, Language, Phrase  # noqa: E402
from privbot.core.text import normalise, tokens  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# Wall time by default; `--clock cpu` counts only this thread's CPU time, the fairer figure
# for "one core" when other processes share the machine.
CLOCKS = {"wall": time.perf_counter, "cpu": time.thread_time}
clock = CLOCKS["wall"]


def measure(matcher: Matcher, questions: list[str], rounds: int) -> tuple[float, float, float]:
    for q in questions[:20]:
        matcher.understand(q)  # warm the caches as a running bot would
    times = []
    for _ in range(rounds):
        for q in questions:
            t0 = clock()
            matcher.understand(q)
            times.append((clock() - t0) * 1000)
    return percentile(times, 0.5), percentile(times, 0.99), statistics.mean(times)


def synthetic(base: IntentSet, words: list[str], examples: int, rng: random.Random) -> IntentSet:
    per_intent = 25
    extra = []
    for i in range(examples // per_intent):
        phrases = tuple(
            Phrase(" ".join(rng.sample(words, rng.randint(3, 8))), rng.choice(list(Language)))
            for _ in range(per_intent)
        )
        extra.append(Intent(f"synthetic_{i}", IntentKind.ANSWER, phrases, section="1"))
    return IntentSet(intents=base.intents + tuple(extra))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    knowledge = load_knowledge(
        contact_email="privacy@example.test",
        corpus_dir=ROOT / "policy_corpus",
        intents_dir=ROOT / "intents",
        ngram_scorer=langdetect_scorer(),
    )
    questions = [c.text for c in load_cases()]
    n_examples = sum(len(i.examples) for i in knowledge.intents.intents)
    p50, p99, mean = measure(knowledge.matcher, questions, args.rounds)
    print(
        f"shipped intents ({n_examples} examples): p50 {p50:.2f} ms  p99 {p99:.2f} ms  "
        f"mean {mean:.2f} ms  over {len(questions) * args.rounds} answers"
    )
    words = sorted(
        {
            w
            for s in knowledge.policy.documents.values()
            for sec in s.sections
            for w in tokens(normalise(sec.text))
            if len(w) > 3
        }
    )
    rng = random.Random(7)
    for size in (int(s) for s in args.sizes.split(",")):
        intents = synthetic(knowledge.intents, words, size, rng)
        t0 = time.perf_counter()
        matcher = Matcher(knowledge.policy, intents, ngram_scorer=langdetect_scorer())
        build = time.perf_counter() - t0
        p50, p99, mean = measure(matcher, questions, 1)
        print(
            f"+{size} synthetic examples: p50 {p50:.2f} ms  p99 {p99:.2f} ms  "
            f"mean {mean:.2f} ms  (index built in {build:.1f} s)"
        )


if __name__ == "__main__":
    main()
