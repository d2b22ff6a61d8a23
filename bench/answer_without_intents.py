"""Answering without intents: does the matcher find a relevant section of a third-party policy?

Usage: python bench/answer_without_intents.py [--questions FILE] [--failures N] [--json OUT]

Four policies written for this benchmark (bench/policies/: a fitness app and an e-commerce
site in English, a B2B SaaS as numbered plain text, a messaging app in French) and user-style
questions labelled with every relevant section id (bench/policy_questions.jsonl). Each policy
is loaded once with `--intents none` semantics; every question is ranked over its sections by

- privbot: `Matcher.rank` (top-1 = its first section; `understand` is also run to count how
  often the bot would fall back instead of answering),
- privbot_ask: what `privbot ask --json` shows, `section` then `candidates`; a fallback has
  no `section`, so its top-1 is a miss (the strictest reading of the target),
- rapidfuzz `fuzz.token_set_ratio(question, title + text)` (lowercased, punctuation removed),
- BM25 (Okapi, k1=1.5, b=0.75) over title + text, lowercase word tokens, no stemming.

A question is a top-k hit when one of its relevant sections is among the first k distinct
sections. Questions whose answer is not in the policy (`"relevant": []`) count as misses in
the "all" figures and are reported apart (how often privbot falls back on them).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, utils

from privbot.content.knowledge import load_knowledge
from privbot.core.model import ReplyKind, Section

HERE = Path(__file__).resolve().parent
POLICIES = HERE / "policies"
QUESTIONS = HERE / "policy_questions.jsonl"
TOKEN = re.compile(r"\w+", re.UNICODE)


def bm25_tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


class BM25:
    """Okapi BM25 over a fixed list of documents."""

    def __init__(self, docs: Sequence[str], k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tfs = [Counter(bm25_tokens(d)) for d in docs]
        self.lens = [sum(tf.values()) for tf in self.tfs]
        self.avgdl = sum(self.lens) / max(len(self.lens), 1)
        df: Counter[str] = Counter()
        for tf in self.tfs:
            df.update(tf.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: str) -> list[float]:
        terms = bm25_tokens(query)
        out = []
        for tf, dl in zip(self.tfs, self.lens, strict=True):
            norm = self.k1 * (1 - self.b + self.b * dl / (self.avgdl or 1))
            s = 0.0
            for t in terms:
                f = tf.get(t, 0)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + norm)
            out.append(s)
        return out


def distinct(ids: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for i in ids:
        if i is not None and i not in out:
            out.append(i)
    return out


def ranked_ids(ids: Sequence[str], scores: Sequence[float]) -> list[str]:
    """Section ids by score, best first; ties keep document order; zero scores dropped."""
    order = sorted(range(len(ids)), key=lambda i: -scores[i])
    return [ids[i] for i in order if scores[i] > 0]


@dataclass
class Tally:
    n: int = 0
    answerable: int = 0
    top1: int = 0
    top3: int = 0
    seconds: float = 0.0

    def add(self, ranking: list[str], relevant: set[str], seconds: float) -> None:
        self.n += 1
        self.seconds += seconds
        if relevant:
            self.answerable += 1
            self.top1 += bool(ranking[:1] and ranking[0] in relevant)
            self.top3 += bool(relevant & set(ranking[:3]))


@dataclass
class PolicyRun:
    sections: list[Section]
    privbot: Callable[[str], tuple[list[str], list[str], ReplyKind, str | None]]
    bm25: BM25
    texts: list[str] = field(default_factory=list)


def load_policy(path: Path) -> PolicyRun:
    k = load_knowledge(
        contact_email="privacy@example.com",
        policy_file=path,
        intents_dir=None,
        messages_dir=HERE.parent / "intents",
    )
    (doc,) = k.policy.documents.values()
    sections = list(doc.sections)
    texts = [f"{s.title}\n{s.text}" for s in sections]
    matcher = k.matcher

    def privbot(question: str) -> tuple[list[str], list[str], ReplyKind, str | None]:
        """(rank's sections, what `ask --json` shows: section then candidates, kind, section)."""
        language = matcher.detect_language(question)
        seen = distinct(c.section for c in matcher.rank(question, language))
        u = matcher.understand(question)
        # On a fallback `ask --json` has no `section`: its top-1 is then a miss.
        shown = [u.section or "(none)", *distinct(c.section for c in u.candidates)]
        return seen, shown, u.kind, u.section

    return PolicyRun(sections, privbot, BM25(texts), texts)


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    -"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--failures", type=int, default=0, help="print N privbot top-3 misses")
    parser.add_argument("--json", type=Path, help="write every question's rankings here")
    args = parser.parse_args(argv)

    cases = [json.loads(line) for line in args.questions.read_text("utf-8").splitlines() if line]
    t0 = time.perf_counter()
    runs = {name: load_policy(POLICIES / name) for name in sorted({c["policy"] for c in cases})}
    load_s = time.perf_counter() - t0

    methods = ("privbot", "privbot_ask", "token_set_ratio", "bm25")
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    unanswerable_fallback: Counter[str] = Counter()
    answerable_fallback: Counter[str] = Counter()
    understand_top1: Counter[str] = Counter()
    failures: list[dict[str, object]] = []
    rows: list[dict[str, object]] = []
    for case in cases:
        run = runs[case["policy"]]
        ids = [s.id for s in run.sections]
        relevant = set(case["relevant"])
        unknown = relevant - set(ids)
        if unknown:
            raise SystemExit(f"{case['policy']}: unknown section ids {sorted(unknown)}: {case}")
        q = case["question"]
        rankings: dict[str, list[str]] = {}
        t = time.perf_counter()
        rankings["privbot"], rankings["privbot_ask"], kind, chosen = run.privbot(q)
        timing = {"privbot": time.perf_counter() - t, "privbot_ask": 0.0}
        t = time.perf_counter()
        rankings["token_set_ratio"] = ranked_ids(
            ids, [fuzz.token_set_ratio(q, x, processor=utils.default_process) for x in run.texts]
        )
        timing["token_set_ratio"] = time.perf_counter() - t
        t = time.perf_counter()
        rankings["bm25"] = ranked_ids(ids, run.bm25.scores(q))
        timing["bm25"] = time.perf_counter() - t
        group = f"{case['policy']} [{case.get('lang', '?')}]"
        for m in methods:
            for key in (group, "ALL"):
                tallies[(m, key)].add(rankings[m], relevant, timing[m])
        for key in (group, "ALL"):
            if not relevant:
                unanswerable_fallback[key] += kind is ReplyKind.FALLBACK
            else:
                answerable_fallback[key] += kind is ReplyKind.FALLBACK
                understand_top1[key] += chosen in relevant
        rows.append(
            {
                **case,
                "rankings": {m: r[:5] for m, r in rankings.items()},
                "kind": str(kind),
                "understand_section": chosen,
            }
        )
        if relevant and not relevant & set(rankings["privbot"][:3]):
            titles = {s.id: s.title for s in run.sections}
            failures.append(
                {
                    "policy": case["policy"],
                    "question": q,
                    "expected": [f"{i} {titles[i]}" for i in sorted(relevant)],
                    "got": [f"{i} {titles[i]}" for i in rankings["privbot"][:3]],
                }
            )

    groups = [*sorted({g for _, g in tallies if g != "ALL"}), "ALL"]
    print(
        f"policies loaded in {load_s:.2f}s; {len(cases)} questions, "
        f"{sum(1 for c in cases if not c['relevant'])} with no answer in the policy\n"
    )
    print("top-k over ALL questions (no-answer questions count as misses)")
    print(f"{'group':42} {'n':>4}  " + "  ".join(f"{m:>15} t1/t3" for m in methods))
    for g in groups:
        cells = []
        for m in methods:
            tl = tallies[(m, g)]
            cells.append(f"{pct(tl.top1, tl.n)} / {pct(tl.top3, tl.n)}")
        print(f"{g:42} {tallies[('privbot', g)].n:>4}  " + "  ".join(f"{c:>21}" for c in cells))
    print("\ntop-k over ANSWERABLE questions only")
    for g in groups:
        cells = []
        for m in methods:
            tl = tallies[(m, g)]
            cells.append(f"{pct(tl.top1, tl.answerable)} / {pct(tl.top3, tl.answerable)}")
        n = tallies[("privbot", g)].answerable
        print(f"{g:42} {n:>4}  " + "  ".join(f"{c:>21}" for c in cells))
    print(
        "\nprivbot understand(): answer correct / falls back, on answerable questions; "
        "falls back on no-answer questions"
    )
    for g in groups:
        tl = tallies[("privbot", g)]
        na = tl.n - tl.answerable
        print(
            f"{g:42} correct {pct(understand_top1[g], tl.answerable)}  "
            f"fallback {pct(answerable_fallback[g], tl.answerable)}  |  "
            f"no-answer fallback {unanswerable_fallback[g]}/{na}"
        )
    print(
        "\nmean latency per question: "
        + ", ".join(
            f"{m} {1000 * tallies[(m, 'ALL')].seconds / tallies[(m, 'ALL')].n:.2f} ms"
            for m in methods
            if m != "privbot_ask"
        )
        + "  (privbot = rank + understand)"
    )
    if args.failures:
        print(f"\nprivbot top-3 misses ({len(failures)}), first {args.failures}:")
        for f in failures[: args.failures]:
            print(
                f"- [{f['policy']}] {f['question']!r}\n    expected {f['expected']}\n"
                f"    got      {f['got']}"
            )
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
