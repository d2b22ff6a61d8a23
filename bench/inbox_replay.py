"""Replay: does teaching the bot from its inbox help on questions it has not seen?

Usage: python bench/inbox_replay.py --privacyqa GIT_DIR [--seed N] [--candidates N] [--verbose]

Real people's questions (PrivacyQA's train split, read at run time from a local git mirror by
`real_questions.load_train`; its test split is never read, nothing of it is written here) are
split in two halves: `real_questions`' own "dev" and "held-out" halves (a stable hash), or at
random with `--seed`. The dev (first) half is sent as traffic through a fresh
bot (`build_app` on a temporary SQLite file and a temporary copy of `intents/`), one user per
question: what ends in the fallback is kept by the inbox, and each "did you mean" is left
unanswered, so the inbox sweep keeps it as unresolved. The inbox is then grouped
(`core.inbox.group`) and each group is taught, as an admin would with `privbot intents inbox
--add GROUP --to INTENT`, to its best candidate intent when the development label agrees
(the candidate's outcome is right, by `real_questions.OPP_OUTCOMES`, for most of the group's
labelled questions; with `--candidates N`, the first of its N best candidates that agrees);
the edit goes through `content.teach.apply`, so the intents check and the live-reload rule
can refuse it. The other half is scored before and after: right first
time, with a "did you mean" offering a right outcome, refused.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from real_questions import Question, Scores, load_train, pct, score_privbot  # noqa: E402

from privbot.bootstrap import build_app, build_knowledge  # noqa: E402
from privbot.config import Settings, load_settings  # noqa: E402
from privbot.content.knowledge import Knowledge  # noqa: E402
from privbot.content.teach import add_examples, apply  # noqa: E402
from privbot.core import inbox as ib  # noqa: E402
from privbot.core.model import Incoming, IntentKind, IntentSet, UserKey  # noqa: E402
from privbot.errors import ContentError  # noqa: E402

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def split(questions: list[Question], seed: int | None) -> tuple[list[Question], list[Question]]:
    """(traffic, held out): the dev and held-out halves, or a random halving by `seed`."""
    if seed is None:
        return [q for q in questions if q.half == "dev"], [q for q in questions if q.half != "dev"]
    shuffled = list(questions)
    random.Random(seed).shuffle(shuffled)
    half = len(shuffled) // 2
    return shuffled[:half], shuffled[half:]


def intent_for(guess: ib.Guess, intents: IntentSet) -> str | None:
    """The intent to teach a guess to: its own, or the first answer intent of its section."""
    if guess.intent is not None:
        return guess.intent
    return next(
        (
            i.id
            for i in intents.intents
            if i.kind is IntentKind.ANSWER and guess.outcome == f"section:{i.section}"
        ),
        None,
    )


def agrees(guess: ib.Guess, labels: list[frozenset[str]]) -> bool:
    """The candidate's outcome is right for most of the group's labelled questions."""
    labelled = [x for x in labels if x]
    return bool(labelled) and 2 * sum(guess.outcome in x for x in labelled) > len(labelled)


def summary(name: str, s: Scores) -> str:
    t = s.labelled
    return (
        f"  {name:7} right first time {pct(t.right, t.n)}   with 'did you mean' "
        f"{pct(t.clarify_ok, t.n)}   refused {pct(t.refused, t.n)}   "
        f"asked back {pct(t.clarified, t.n)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--privacyqa", type=Path, required=True, help="git dir of the mirror")
    parser.add_argument("--seed", type=int, default=None, help="a random split instead")
    parser.add_argument("--candidates", type=int, default=1, help="how many to try per group")
    parser.add_argument("--verbose", action="store_true", help="print each group's fate")
    args = parser.parse_args(argv)

    traffic, held_out = split(load_train(args.privacyqa), args.seed)
    labels_of: dict[str, list[frozenset[str]]] = {}
    for q in traffic:
        labels_of.setdefault(ib.redact(q.text), []).append(q.expected)
    with tempfile.TemporaryDirectory(prefix="privbot-replay-") as tmp:
        folder = Path(tmp) / "intents"
        shutil.copytree(ROOT / "intents", folder)
        settings: Settings = load_settings(
            database_url=f"sqlite:///{Path(tmp) / 'replay.sqlite3'}",
            intents_dir=folder,
            corpus_dir=ROOT / "policy_corpus",
        )
        before_knowledge = build_knowledge(settings)
        before = score_privbot(before_knowledge.matcher, held_out)
        app = build_app(settings, knowledge=before_knowledge)
        t0 = time.perf_counter()
        for n, q in enumerate(traffic):
            app.conversation.handle(Incoming(UserKey("replay", str(n)), q.text), NOW)
        swept = app.repo.sweep_inbox(NOW + timedelta(minutes=ib.CLARIFY_MINUTES + 1))
        sent = time.perf_counter() - t0
        entries = app.repo.inbox_entries()
        live: Knowledge = before_knowledge
        groups = ib.group(entries, live.matcher.terms)
        taught = refused = disagree = no_words = added = 0
        t0 = time.perf_counter()
        for g in groups:
            labels = [x for e in g.members for x in labels_of.get(e.text, [])]
            target = next(
                (
                    intent_for(c, live.intents)
                    for c in g.guesses[: args.candidates]
                    if agrees(c, labels) and intent_for(c, live.intents) is not None
                ),
                None,
            )
            if target is None:
                disagree += 1
                continue
            try:
                edit = add_examples(live.intents, target, g.teachable())
            except ContentError:
                no_words += 1
                continue
            if not edit.count:
                no_words += 1
                continue
            problems = apply(edit, folder, live, lambda d: build_knowledge(
                settings.model_copy(update={"intents_dir": d})))  # fmt: skip
            if problems:
                refused += 1
                if args.verbose:
                    print(f"  refused {g.id} -> {target}: {problems[0][:100]}")
                continue
            taught += 1
            added += edit.count
            live = build_knowledge(settings)
            if args.verbose:
                print(f"  taught {g.id} ({g.count}x) -> {target}: {edit.count} example(s)")
        teaching = time.perf_counter() - t0
        after = score_privbot(live.matcher, held_out)
        app.engine.dispose()

    kinds = {o: sum(e.outcome is o for e in entries) for o in ib.Outcome}
    print(
        f"PrivacyQA train split, {'dev/held-out' if args.seed is None else f'seed {args.seed}'},"
        f" best {args.candidates} candidate(s):"
        f" {len(traffic)} questions sent as traffic,"
        f" {len(held_out)} held out ({before.labelled.n} labelled)\n"
    )
    print(
        f"inbox: {len(entries)} questions kept ({kinds[ib.Outcome.FALLBACK]} fallbacks,"
        f" {kinds[ib.Outcome.UNRESOLVED]} unresolved 'did you mean', {swept} of them by the"
        f" sweep) in {len(groups)} groups; traffic sent in {sent:.1f} s"
    )
    print(
        f"taught: {taught} groups ({added} examples); label disagrees with the candidates"
        f" or no intent: {disagree}; nothing left to add: {no_words};"
        f" refused by the check: {refused}; {teaching:.0f} s\n"
    )
    print("held-out half, labelled questions:")
    print(summary("before", before))
    print(summary("after", after))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
