"""Real people's questions: how often the shipped bot does the right thing first time.

Usage: python bench/real_questions.py --privacyqa GIT_DIR [--failures N] [--unlabelled]
       [--json OUT]

The questions come from PrivacyQA (Ravichander, Black, Wilson, Norton and Sadeh, "Question
Answering for Privacy Policies", EMNLP 2019; repository AbhilashaRavichander/PrivacyQA_EMNLP,
MIT licence): questions crowd workers asked about real mobile apps, each labelled with the
OPP-115 categories (Wilson et al., 2016) it is about. They are read at run time from a local
git mirror of that repository (GIT_DIR, read with `git show`), never copied here, and only the
rows whose split is `train` are used: the test split is kept for independent evaluation.
The train split is halved by a stable hash of each question: the "dev" half is the one to read
failures from (--failures prints only its misses), the "held-out" half is only measured, so
its figure stays honest about tuning.

Each category is mapped (OPP_OUTCOMES below, our own mapping) to the outcomes of our policy
that answer it; a question is right when the bot's outcome is one of the outcomes of any of
its categories. A question with no category is mostly off-topic (price, features, where the
nearest shop is) though the annotators also left some privacy questions unlabelled: it is
reported apart, as "unlabelled", with how often the bot refuses it.

Compared side by side on the same outcomes:
- privbot: `Matcher.understand`, what `privbot ask --json` decides (answer, request,
  smalltalk, clarify or fallback); "strict" counts only a first-time right outcome,
  "clarify ok" also a "did you mean" that offers a right outcome;
- privbot rank, BM25 (Okapi, k1=1.5, b=0.75, lowercase words) and rapidfuzz
  `token_set_ratio`: the outcome of the best document among every intent example and every
  section (title + text), never refusing (top-1 over the labelled questions).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, utils

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from answer_without_intents import BM25  # noqa: E402
from eval_questions import outcome  # noqa: E402

from privbot.adapters.langdetect_scorer import langdetect_scorer  # noqa: E402
from privbot.content.knowledge import Knowledge, load_knowledge  # noqa: E402
from privbot.core.matching import Matcher  # noqa: E402
from privbot.core.model import Candidate, IntentKind, ReplyKind  # noqa: E402

HALVES = ("dev", "held-out")
ANNOTATIONS = "data/meta-annotations/OPP-115 Annotations/train_opp_annotations.csv"

# OPP-115 category (PrivacyQA column) -> the outcomes of our policy that answer it.
_REQUESTS_ACCESS = ("access", "rectification", "erasure", "portability")
_REQUESTS_CHOICE = ("objection", "restriction", "withdraw_consent", "opt_out_sale", "erasure")
OPP_OUTCOMES: dict[str, frozenset[str]] = {
    # First party collection/use: what is collected, how and why (cookies and trackers
    # collect too; children's data is a collection rule).
    "first": frozenset(
        {"section:1", "section:1.1", "section:1.2", "section:2", "section:7", "section:9"}
    ),
    # Third party sharing/collection: sharing in general and each case, third-party
    # services, transfers abroad, selling.
    "third": frozenset(
        {
            "section:3",
            "section:3.1",
            "section:3.2",
            "section:3.3",
            "section:3.4",
            "section:8",
            "section:10",
            "section:12",
        }
    ),
    "datasecurity": frozenset({"section:4"}),
    # Data retention: how long and where data is kept.
    "dataretention": frozenset({"section:5", "section:10"}),
    # User access, edit and deletion: the rights sections (6, and 12's rights to know and to
    # deletion) or the request itself.
    "user_access": frozenset(
        {"section:6", "section:12", *(f"request:{t}" for t in _REQUESTS_ACCESS)}
    ),
    # User choice/control: rights, consent, cookie settings, opting out.
    "user_choice": frozenset(
        {
            "section:6",
            "section:3.4",
            "section:7",
            "section:11",
            "section:12",
            *(f"request:{t}" for t in _REQUESTS_CHOICE),
        }
    ),
    # Other: general text, who we are, changes, contact, specific audiences.
    "other": frozenset(
        {"section:intro", "section:9", "section:11", "section:12", "section:13", "section:14"}
    ),
}


@dataclass(frozen=True)
class Question:
    text: str
    expected: frozenset[str]  # empty: unlabelled (no OPP-115 category)
    categories: tuple[str, ...]

    @property
    def half(self) -> str:
        """The "dev" half (looked at while tuning) or the "held-out" one, by a stable hash."""
        digest = hashlib.sha256(self.text.lower().encode("utf-8")).digest()
        return "dev" if digest[0] % 2 == 0 else "held-out"


def load_train(git_dir: Path) -> list[Question]:
    """The train split's distinct questions (case aside). The same question asked about
    several apps was labelled by several annotators, not always alike ("can other members
    see my real name?": user choice once, third-party sharing once): it is one question
    whose categories are all of theirs, as a question's several categories all count."""
    raw = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"HEAD:{ANNOTATIONS}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    labels: dict[str, set[str]] = {}
    texts: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(raw), delimiter="\t"):
        if row["Split"].strip().lower() != "train":
            continue  # the test split is reserved: never read past this line
        text = " ".join(row["Query"].split())
        if not text:
            continue
        texts.setdefault(text.lower(), text)
        cats = labels.setdefault(text.lower(), set())
        cats.update(c for c in OPP_OUTCOMES if row.get(c, "0").strip() == "1")
    out = []
    for key, text in texts.items():
        cats = tuple(c for c in OPP_OUTCOMES if c in labels[key])
        expected = frozenset().union(*(OPP_OUTCOMES[c] for c in cats)) if cats else frozenset()
        out.append(Question(text, expected, cats))
    return out


def candidate_outcome(c: Candidate) -> str:
    if c.kind is IntentKind.ANSWER:
        return f"section:{c.section}"
    if c.kind is IntentKind.REQUEST:
        return f"request:{c.request_type}"
    return "smalltalk" if c.kind is IntentKind.SMALLTALK else "fallback"


@dataclass
class Tally:
    n: int = 0
    right: int = 0
    clarify_ok: int = 0
    refused: int = 0
    clarified: int = 0
    seconds: list[float] = field(default_factory=list)

    def rate(self, count: int) -> float:
        return count / self.n if self.n else 0.0


@dataclass
class Scores:
    """How privbot decided on every question (what `privbot ask --json` would show)."""

    labelled: Tally = field(default_factory=Tally)
    unlabelled: Tally = field(default_factory=Tally)
    # (half, labelled?) -> tally: the dev half and the held-out half apart
    halves: dict[tuple[str, bool], Tally] = field(
        default_factory=lambda: {(h, lab): Tally() for h in HALVES for lab in (True, False)}
    )
    by_category: dict[str, Tally] = field(
        default_factory=lambda: {c: Tally() for c in OPP_OUTCOMES}
    )
    rows: list[dict[str, object]] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)  # on the dev half only
    unlabelled_dev: list[str] = field(default_factory=list)  # what the dev half's got

    def half(self, name: str) -> Tally:
        """The labelled questions of one half ("dev", "held-out")."""
        return self.halves[name, True]


def score_privbot(matcher: Matcher, questions: Sequence[Question]) -> Scores:
    """Run `understand` on every question and tally right, "did you mean" and refusals."""
    scores = Scores()
    for q in questions[:20]:
        matcher.understand(q.text)  # warm the caches as a running bot would
    for q in questions:
        t0 = time.perf_counter()
        u = matcher.understand(q.text)
        elapsed = time.perf_counter() - t0
        got = outcome(u)
        offered = [candidate_outcome(c) for c in u.alternatives]
        if q.expected:
            tallies = [scores.labelled, *(scores.by_category[c] for c in q.categories)]
        else:
            tallies = [scores.unlabelled]
        tallies.append(scores.halves[q.half, bool(q.expected)])
        for t in tallies:
            t.n += 1
            t.right += got in q.expected
            t.clarify_ok += got in q.expected or bool(
                u.kind is ReplyKind.CLARIFY and set(offered) & q.expected
            )
            t.refused += u.kind is ReplyKind.FALLBACK
            t.clarified += u.kind is ReplyKind.CLARIFY
        tallies[0].seconds.append(elapsed)
        if q.expected and got not in q.expected and q.half == "dev":
            scores.misses.append(f"{got:24} want {'/'.join(q.categories):24} {q.text}")
        if not q.expected and q.half == "dev":
            scores.unlabelled_dev.append(f"{got:24} {u.confidence:5.3f} {q.text}")
        scores.rows.append(
            {
                "question": q.text,
                "categories": list(q.categories),
                "got": got,
                "offered": offered,
                "offered_scores": [c.score for c in u.alternatives],
                "confidence": u.confidence,
            }
        )
    return scores


def baselines(knowledge: Knowledge) -> dict[str, Callable[[str], str]]:
    """Top-1 outcome by privbot's ranking, BM25 and token_set_ratio, never refusing."""
    matcher = knowledge.matcher
    # The baselines' documents: every intent example and every section, with its outcome.
    doc_outcomes: list[str] = []
    doc_texts: list[str] = []
    for intent in knowledge.intents.intents:
        label = {
            IntentKind.ANSWER: f"section:{intent.section}",
            IntentKind.REQUEST: f"request:{intent.request_type}",
            IntentKind.SMALLTALK: "smalltalk",
            IntentKind.OUT_OF_SCOPE: "fallback",
        }[intent.kind]
        for ex in intent.examples:
            doc_outcomes.append(label)
            doc_texts.append(ex.text)
    for doc in knowledge.policy.documents.values():
        for sec in doc.sections:
            doc_outcomes.append(f"section:{sec.id}")
            doc_texts.append(f"{sec.title}\n{sec.text}")
    bm25 = BM25(doc_texts)
    processed = [utils.default_process(t) for t in doc_texts]

    def best(scores: Sequence[float]) -> str:
        i = max(range(len(scores)), key=scores.__getitem__)
        return doc_outcomes[i] if scores[i] > 0 else "fallback"

    return {
        "privbot rank": lambda q: next(
            (candidate_outcome(c) for c in matcher.rank(q, matcher.detect_language(q))),
            "fallback",
        ),
        "bm25": lambda q: best(bm25.scores(q)),
        "token_set_ratio": lambda q: best(
            [fuzz.token_set_ratio(utils.default_process(q), t) for t in processed]
        ),
    }


def shipped_knowledge() -> Knowledge:
    return load_knowledge(
        contact_email="privacy@example.test",
        corpus_dir=ROOT / "policy_corpus",
        intents_dir=ROOT / "intents",
        ngram_scorer=langdetect_scorer(),
    )


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f} %" if b else "    -"


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--privacyqa", type=Path, required=True, help="git dir of the mirror")
    parser.add_argument(
        "--failures", type=int, default=0, help="print N privbot misses (dev half only)"
    )
    parser.add_argument(
        "--unlabelled",
        action="store_true",
        help="print what privbot did with each of the dev half's unlabelled questions",
    )
    parser.add_argument("--json", type=Path, help="write every question's outcome here")
    args = parser.parse_args(argv)

    questions = load_train(args.privacyqa)
    knowledge = shipped_knowledge()
    scores = score_privbot(knowledge.matcher, questions)
    top1: dict[str, Tally] = {}
    for name, rank in baselines(knowledge).items():
        t = top1[name] = Tally()
        for q in questions:
            if q.expected:
                t0 = time.perf_counter()
                top = rank(q.text)
                t.seconds.append(time.perf_counter() - t0)
                t.n += 1
                t.right += top in q.expected

    lab, unl = scores.labelled, scores.unlabelled
    print(f"PrivacyQA train split: {len(questions)} distinct questions, {lab.n} labelled\n")
    print("privbot (understand, as `privbot ask --json`):")
    parts = [
        *((f"{h} half", scores.halves[h, True], scores.halves[h, False]) for h in HALVES),
        ("whole split", lab, unl),
    ]
    for name, lt, ut in parts:
        print(
            f"  {name:11} labelled n={lt.n:4}  right first time {pct(lt.right, lt.n)}   "
            f"with 'did you mean' {pct(lt.clarify_ok, lt.n)}   refused {pct(lt.refused, lt.n)}"
            f"   asked back {pct(lt.clarified, lt.n)}"
        )
        print(
            f"  {'':11} unlabelled n={ut.n:3} (mostly off-topic)  refused {pct(ut.refused, ut.n)}"
            f"   asked back {pct(ut.clarified, ut.n)}   answered "
            f"{pct(ut.n - ut.refused - ut.clarified, ut.n)}"
        )
    print("\n  by OPP-115 category (a question may have several):")
    for cat, t in scores.by_category.items():
        print(
            f"    {cat:14} n={t.n:4}  right {pct(t.right, t.n)}  "
            f"with 'did you mean' {pct(t.clarify_ok, t.n)}  refused {pct(t.refused, t.n)}"
        )
    times = lab.seconds + unl.seconds
    print(
        f"\n  latency per answer: p50 {1000 * percentile(times, 0.5):.2f} ms, "
        f"p99 {1000 * percentile(times, 0.99):.2f} ms"
    )
    print("\nside by side, top-1 outcome on the labelled questions (no refusal):")
    for name, t in top1.items():
        mean = 1000 * sum(t.seconds) / max(len(t.seconds), 1)
        print(
            f"  {name:16} {pct(t.right, t.n)}   mean {mean:.2f} ms, "
            f"p99 {1000 * percentile(t.seconds, 0.99):.2f} ms"
        )
    if args.failures:
        print(
            f"\nprivbot misses on the dev half's labelled questions ({len(scores.misses)}), "
            f"first {args.failures}:"
        )
        for m in scores.misses[: args.failures]:
            print("  " + m)
    if args.unlabelled:
        print(f"\nthe dev half's unlabelled questions ({len(scores.unlabelled_dev)}), by outcome:")
        for line in sorted(scores.unlabelled_dev):
            print("  " + line)
    if args.json:
        args.json.write_text(json.dumps(scores.rows, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
