"""PolicyQA: does answering from section text alone find the passage that holds the answer?

Usage: python bench/policyqa.py --policyqa GIT_DIR [--split test|dev] [--failures N]
       [--json OUT]

The questions and policies come from PolicyQA (Ahmad, Chi, Tian and Chang, "PolicyQA: A
Reading Comprehension Dataset for Privacy Policies", Findings of EMNLP 2020; repository
wasiahmad/PolicyQA, MIT licence): crowd questions over the segments of OPP-115 privacy
policies (Wilson et al., 2016), each answered by a span of one segment, in SQuAD format.
They are read at run time from a local git mirror of that repository (GIT_DIR, read with
`git show`), never copied here. The mirror holds `data/dev.json` and `data/test.json` (20
policies each; `train.json` is stored there only as a large-file pointer): `test` is the
split the paper's 2,643 distinct questions over "20 third-party policies" refer to and gives
the headline figure; `dev` (20 other policies, 2,420 questions) is the one to tune on and to
read failures from.

A policy becomes one Markdown file with one section per distinct segment (`## N`, no title:
OPP-115 segments have none of their own), loaded the way `privbot ask --policy FILE
--intents none` loads it. The same question is often asked of several segments of one
policy; it is counted once, and every segment that holds one of its answer spans is right
for it. Each question is ranked over its policy's sections by

- privbot: `Matcher.rank` (its distinct sections in order; language detection included),
- privbot_ask: what `privbot ask --json` shows, `section` then `candidates` (a fallback has
  no `section`: its first place is a miss),
- rapidfuzz `fuzz.token_set_ratio(question, text)` (lowercased, punctuation removed),
- BM25 (Okapi, k1=1.5, b=0.75) over the text, lowercase word tokens, no stemming.

hit@k: a right section is among the first k distinct sections. Policies with three sections
or fewer are a hit@3 whatever the ranking (as in the data set); they are counted, and the
figure without them is printed beside.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, utils

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from answer_without_intents import BM25, distinct, ranked_ids  # noqa: E402

from privbot.content.knowledge import load_knowledge  # noqa: E402

METHODS = ("privbot", "privbot_ask", "token_set_ratio", "bm25")
KS = (1, 3, 5)


@dataclass(frozen=True)
class Question:
    policy: str
    text: str
    relevant: frozenset[str]  # section ids holding an answer span


@dataclass
class PolicyRun:
    ids: list[str]
    texts: list[str]
    privbot: Callable[[str], tuple[list[str], list[str]]]
    bm25: BM25


def read_split(git_dir: Path, split: str) -> list[dict[str, object]]:
    raw = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"HEAD:data/{split}.json"],
        check=True,
        capture_output=True,
    ).stdout
    data: list[dict[str, object]] = json.loads(raw)["data"]
    return data


def policy_markdown(title: str, segments: Sequence[str]) -> str:
    """One section per segment, numbered from 1, untitled."""
    parts = [f"# {title}\n"]
    parts.extend(f"## {n}\n\n{text}\n" for n, text in enumerate(segments, 1))
    return "\n".join(parts)


def load_run(path: Path, segments: Sequence[str]) -> PolicyRun:
    k = load_knowledge(
        contact_email="privacy@example.com",
        policy_file=path,
        intents_dir=None,
        messages_dir=ROOT / "intents",
    )
    (doc,) = k.policy.documents.values()
    ids = [s.id for s in doc.sections]
    if ids != [str(n) for n in range(1, len(segments) + 1)]:
        raise SystemExit(f"{path.name}: {len(ids)} sections parsed for {len(segments)} segments")
    matcher = k.matcher

    def privbot(question: str) -> tuple[list[str], list[str]]:
        ranked = distinct(
            c.section for c in matcher.rank(question, matcher.detect_language(question))
        )
        u = matcher.understand(question)
        shown = [u.section or "(none)", *distinct(c.section for c in u.candidates)]
        return ranked, shown

    return PolicyRun(ids, list(segments), privbot, BM25(list(segments)))


def build(
    data: list[dict[str, object]], folder: Path
) -> tuple[dict[str, PolicyRun], list[Question]]:
    runs: dict[str, PolicyRun] = {}
    questions: list[Question] = []
    for doc in data:
        title = str(doc["title"])
        paragraphs: list[dict[str, object]] = doc["paragraphs"]  # type: ignore[assignment]
        segment_id: dict[str, str] = {}
        for p in paragraphs:
            segment_id.setdefault(str(p["context"]), str(len(segment_id) + 1))
        path = folder / f"{title}.md"
        path.write_text(policy_markdown(title, list(segment_id)), "utf-8")
        runs[title] = load_run(path, list(segment_id))
        relevant: dict[str, set[str]] = defaultdict(set)
        for p in paragraphs:
            for qa in p["qas"]:  # type: ignore[attr-defined]
                relevant[qa["question"]].add(segment_id[str(p["context"])])
        questions.extend(Question(title, q, frozenset(r)) for q, r in relevant.items())
    return runs, questions


def privbot_hit_rate(git_dir: Path, split: str, k: int = 3) -> float:
    """privbot's hit@k on one split (the floors in tests/unit/test_policyqa.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        runs, questions = build(read_split(git_dir, split), Path(tmp))
    hits = sum(bool(q.relevant & set(runs[q.policy].privbot(q.text)[0][:k])) for q in questions)
    return hits / len(questions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policyqa", type=Path, required=True, help="git dir of the mirror")
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("--failures", type=int, default=0, help="print N privbot top-3 misses")
    parser.add_argument("--json", type=Path, help="write every question's rankings here")
    args = parser.parse_args(argv)
    if args.failures and args.split == "test":
        parser.error("--failures reads the dev split only (tune there, measure on test)")

    data = read_split(args.policyqa, args.split)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        runs, questions = build(data, Path(tmp))
        load_s = time.perf_counter() - t0

    hits: dict[tuple[str, bool], Counter[int]] = defaultdict(Counter)
    counts: Counter[bool] = Counter()
    seconds: dict[str, list[float]] = defaultdict(list)
    rows: list[dict[str, object]] = []
    misses: list[Question] = []
    for q in questions:
        run = runs[q.policy]
        small = len(run.ids) <= 3
        rankings: dict[str, list[str]] = {}
        t = time.perf_counter()
        rankings["privbot"], rankings["privbot_ask"] = run.privbot(q.text)
        seconds["privbot"].append(time.perf_counter() - t)
        t = time.perf_counter()
        rankings["token_set_ratio"] = ranked_ids(
            run.ids,
            [fuzz.token_set_ratio(q.text, x, processor=utils.default_process) for x in run.texts],
        )
        seconds["token_set_ratio"].append(time.perf_counter() - t)
        t = time.perf_counter()
        rankings["bm25"] = ranked_ids(run.ids, run.bm25.scores(q.text))
        seconds["bm25"].append(time.perf_counter() - t)
        for key in (False, small):
            counts[key] += key is False or small  # False: all; True: small policies
        for m in METHODS:
            for k in KS:
                hit = bool(q.relevant & set(rankings[m][:k]))
                hits[(m, False)][k] += hit
                if small:
                    hits[(m, True)][k] += hit
        if not q.relevant & set(rankings["privbot"][:3]):
            misses.append(q)
        rows.append(
            {
                "policy": q.policy,
                "question": q.text,
                "relevant": sorted(q.relevant, key=int),
                "rankings": {m: r[:5] for m, r in rankings.items()},
            }
        )

    n = len(questions)
    n_small = sum(1 for q in questions if len(runs[q.policy].ids) <= 3)
    print(
        f"PolicyQA {args.split}: {len(runs)} policies, "
        f"{sum(len(r.ids) for r in runs.values())} sections, {n} distinct questions "
        f"({n_small} on policies of 3 sections or fewer); loaded in {load_s:.2f}s\n"
    )
    print(f"{'method':16} " + " ".join(f"{'hit@' + str(k):>7}" for k in KS) + "   hit@3 w/o small")
    for m in METHODS:
        cells = " ".join(f"{hits[(m, False)][k] / n:7.3f}" for k in KS)
        rest = (hits[(m, False)][3] - hits[(m, True)][3]) / max(n - n_small, 1)
        print(f"{m:16} {cells}   {rest:7.3f}")
    print("\nlatency per question (ms): mean / p50 / p99")
    for m, s in seconds.items():
        ordered = sorted(s)
        p = [1000 * ordered[min(len(ordered) - 1, int(f * len(ordered)))] for f in (0.5, 0.99)]
        print(f"{m:16} {1000 * sum(s) / len(s):6.2f} / {p[0]:6.2f} / {p[1]:6.2f}")
    print("(privbot = language detection + rank + understand)")
    if args.failures:
        print(f"\nprivbot top-3 misses ({len(misses)}), first {args.failures}:")
        for q in misses[: args.failures]:
            run = runs[q.policy]
            got = next(r for r in rows if r["question"] == q.text and r["policy"] == q.policy)
            print(f"- [{q.policy}] {q.text!r}")
            for sid in sorted(q.relevant, key=int)[:2]:
                print(f"    expected {sid}: {run.texts[int(sid) - 1][:160]!r}")
            for sid in got["rankings"]["privbot"][:3]:  # type: ignore[index]
                print(f"    got      {sid}: {run.texts[int(sid) - 1][:160]!r}")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
