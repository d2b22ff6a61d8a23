"""`privbot intents check | eval | suggest`: the admins' tools for the intent files."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from privbot.errors import ContentError

if TYPE_CHECKING:
    from privbot.adapters.persistence.repository import SqlRepository
    from privbot.config import Settings
    from privbot.content.evaluation import Evaluation
    from privbot.content.knowledge import Knowledge
    from privbot.core import inbox as ib
    from privbot.core.matching import Matcher
    from privbot.core.model import IntentSet, Policy

_DIR = click.option(
    "--dir",
    "intents_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Intent files folder (default: PRIVBOT_INTENTS_DIR, else intents/).",
)
_CORPUS = click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Policy corpus folder (default: PRIVBOT_CORPUS_DIR, else policy_corpus/).",
)


@click.group()
def intents() -> None:
    """Check, evaluate and explore the intent files."""


def _folders(intents_dir: Path | None, corpus_dir: Path | None) -> tuple[Path, Path, str]:
    from privbot.config import load_settings

    settings = load_settings()
    return (
        intents_dir or settings.intents_dir,
        corpus_dir or settings.corpus_dir,
        settings.contact_email,
    )


def _load(
    intents_dir: Path | None, corpus_dir: Path | None
) -> tuple[Policy | None, IntentSet | None, list[str]]:
    """The policy and the intents, or every problem found in their files."""
    from privbot.content.corpus import load_policy
    from privbot.content.intents import check_intent_files, load_intents, silent_problems

    intents_path, corpus_path, contact = _folders(intents_dir, corpus_dir)
    problems: list[str] = []
    policy: Policy | None = None
    try:
        policy = load_policy(corpus_path, contact)
    except ContentError as exc:
        problems.extend(exc.problems)
    known = policy.section_ids() if policy is not None else None
    problems.extend(check_intent_files(intents_path, known))
    if problems:
        return policy, None, problems
    intent_set = load_intents(intents_path, known)
    if policy is not None and (silent := silent_problems(intent_set, policy)):
        return policy, None, silent
    return policy, intent_set, []


def _matcher(policy: Policy | None, intent_set: IntentSet) -> Matcher:
    from privbot.core.matching import Matcher

    return Matcher(policy, intent_set)


def _fail(problems: list[str]) -> None:
    for line in problems:
        click.echo(line)
    raise SystemExit(1)


@intents.command()
@_DIR
@_CORPUS
def check(intents_dir: Path | None, corpus_dir: Path | None) -> None:
    """Validate the intent files and the messages; print each problem as `file:line: message`."""
    from privbot.content.evaluation import losing_tests
    from privbot.content.messages import check_catalogue
    from privbot.core.messages import required as required_messages

    policy, intent_set, problems = _load(intents_dir, corpus_dir)
    problems += check_catalogue(_folders(intents_dir, corpus_dir)[0])
    if intent_set is None or problems:
        _fail(problems)
        return
    problems = losing_tests(intent_set, _matcher(policy, intent_set))
    if problems:
        _fail(problems)
    n_examples = {lang: 0 for lang in ("fr", "en")}
    n_tests = 0
    for intent in intent_set.intents:
        for phrase in intent.examples:
            n_examples[phrase.language.value] += 1
        n_tests += len(intent.tests)
    n_messages = len(required_messages())  # the check above found each, in each language
    click.echo(
        f"OK: {len(intent_set.intents)} intents, {n_examples['fr']} French and"
        f" {n_examples['en']} English examples; all {n_tests} test phrases reach their intent;"
        f" all {n_messages} messages in French and English"
    )


@intents.command(name="eval")
@_DIR
@_CORPUS
@click.option(
    "--report",
    "report_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write intent_report.json, errors.json, confusion_matrix.png and the users' votes"
    " (feedback.json, from the database) here.",
)
def eval_(intents_dir: Path | None, corpus_dir: Path | None, report_dir: Path | None) -> None:
    """Run every test phrase; print precision and recall per intent; exit 1 below threshold."""
    from privbot.content.evaluation import evaluate

    policy, intent_set, problems = _load(intents_dir, corpus_dir)
    if intent_set is None:
        _fail(problems)
        return
    evaluation = evaluate(intent_set, _matcher(policy, intent_set))
    _print_evaluation(evaluation, intent_set.eval_threshold)
    if report_dir is not None:
        write_report(evaluation, report_dir)
        _report_feedback(report_dir)
        click.echo(f"Report written to {report_dir}/")
    if evaluation.accuracy < intent_set.eval_threshold:
        raise SystemExit(1)


def _print_evaluation(evaluation: Evaluation, threshold: float) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title="Intents")
    for name, justify in (
        ("intent", "left"),
        ("precision", "right"),
        ("recall", "right"),
        ("f1", "right"),
        ("support", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for s in evaluation.scores:
        style = "red" if s.f1 < threshold else None
        table.add_row(
            s.label,
            f"{s.precision:.2f}",
            f"{s.recall:.2f}",
            f"{s.f1:.2f}",
            str(s.support),
            style=style,
        )
    console.print(table)
    if evaluation.confusions:
        console.print("Most confused (expected -> predicted: count):")
        for expected, predicted, count in evaluation.confusions:
            console.print(f"  {expected} -> {predicted}: {count}")
    else:
        console.print("No confusions.")
    verdict = "OK" if evaluation.accuracy >= threshold else "BELOW THRESHOLD"
    console.print(
        f"Accuracy: {evaluation.accuracy:.3f} ({evaluation.correct}/{evaluation.total},"
        f" {evaluation.clarified} clarified), threshold {threshold:.2f}: {verdict}"
    )


def _report_feedback(report_dir: Path) -> None:
    """The users' 👍 / 👎 per intent, from the configured database: printed, and written as
    feedback.json (no file when the database holds no votes table yet)."""
    from privbot.bootstrap import feedback_counts
    from privbot.config import load_settings
    from privbot.core.feedback import totals

    counts = feedback_counts(load_settings())
    if counts is None:
        click.echo("Feedback: no database with votes yet.")
        return
    rows = [{"intent": c.intent, "section": c.section, "up": c.up, "down": c.down} for c in counts]
    (report_dir / "feedback.json").write_text(
        json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    up, down = totals(counts)
    click.echo(f"Feedback from users: {up} 👍, {down} 👎 (most 👎 first):")
    for c in counts:
        click.echo(f"  {c.label}: {c.up} 👍, {c.down} 👎")


def write_report(evaluation: Evaluation, report_dir: Path) -> None:
    """Write the Rasa-style report files into `report_dir`."""
    from privbot.content.evaluation import errors_report, report

    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "intent_report.json").write_text(
        json.dumps(report(evaluation), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (report_dir / "errors.json").write_text(
        json.dumps(errors_report(evaluation), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    _plot_confusion(evaluation, report_dir / "confusion_matrix.png")


def _plot_confusion(evaluation: Evaluation, path: Path) -> None:
    try:
        import matplotlib
    except ImportError:  # an optional extra: the service's image carries no plotting stack
        click.echo(
            f"{path.name} not written: it needs matplotlib, "
            "installed with `pip install 'privbot[reports]'`"
        )
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = max(len(evaluation.labels), 1)
    size = min(4 + n * 0.22, 40)
    fig, ax = plt.subplots(figsize=(size, size))
    try:
        image = ax.imshow(evaluation.matrix or [[0]], cmap="Blues", interpolation="nearest")
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        ax.set_xticks(range(len(evaluation.labels)))
        ax.set_yticks(range(len(evaluation.labels)))
        ax.set_xticklabels(evaluation.labels, rotation=90, fontsize=7)
        ax.set_yticklabels(evaluation.labels, fontsize=7)
        ax.set_xlabel("predicted")
        ax.set_ylabel("expected")
        ax.set_title(f"Intent confusion matrix (accuracy {evaluation.accuracy:.3f})")
        for i, row in enumerate(evaluation.matrix):
            for j, count in enumerate(row):
                if count:
                    ax.text(
                        j,
                        i,
                        str(count),
                        ha="center",
                        va="center",
                        fontsize=6,
                        color="white" if i == j else "black",
                    )
        fig.tight_layout()
        fig.savefig(path, dpi=100)
    finally:
        plt.close(fig)


@intents.command()
@_DIR
@_CORPUS
@click.option("--limit", default=5, show_default=True, help="How many candidates to show.")
@click.argument("phrase")
def suggest(intents_dir: Path | None, corpus_dir: Path | None, limit: int, phrase: str) -> None:
    """Show the best intents and sections for PHRASE, with scores and the words that matched."""
    from rich.console import Console
    from rich.table import Table

    policy, intent_set, problems = _load(intents_dir, corpus_dir)
    if intent_set is None:
        _fail(problems)
        return
    candidates = _matcher(policy, intent_set).suggest(phrase, limit=limit)
    table = Table(title=f"Best matches for {phrase!r}")
    for name in ("#", "score", "kind", "intent", "section", "request", "matched words"):
        table.add_column(name)
    for rank, c in enumerate(candidates, 1):
        table.add_row(
            str(rank),
            f"{c.score:.3f}",
            c.kind.value,
            c.intent or "-",
            c.section or "-",
            c.request_type.value if c.request_type else "-",
            ", ".join(c.matched_words) or "-",
        )
    Console(highlight=False).print(table)
    if not candidates:
        click.echo("No candidate: this phrase would get the fallback.")


@intents.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON document, for scripts.")
@click.option("--limit", default=20, show_default=True, help="How many groups to show.")
@click.option(
    "--days", type=click.IntRange(min=1), default=None, help="Only the last N days (default all)."
)
@click.option("--add", "group_ref", default=None, help="Teach this group (its number or id).")
@click.option("--to", "to_intent", default=None, help="...by adding its wordings to INTENT.")
@click.option("--new-intent", "new_id", default=None, help="...as a new answer intent ID.")
@click.option("--section", default=None, help="The policy section of --new-intent.")
@click.option(
    "--file",
    "file_name",
    default="taught.yaml",
    show_default=True,
    help="The intent file --new-intent is added to (in the intents folder).",
)
def inbox(
    as_json: bool,
    limit: int,
    days: int | None,
    group_ref: str | None,
    to_intent: str | None,
    new_id: str | None,
    section: str | None,
    file_name: str,
) -> None:
    """The questions the bot could not answer, grouped, most frequent first; with --add,
    teach a group to an intent (the file keeps its comments; refused if `intents check`
    fails or a test phrase would lose, as a live reload would be)."""
    from privbot.bootstrap import build_knowledge, build_repository
    from privbot.config import load_settings
    from privbot.core import inbox as ib

    settings = load_settings()
    repo = build_repository(settings)
    knowledge = build_knowledge(settings)
    since = date.today() - timedelta(days=days) if days is not None else None
    groups = ib.group(repo.inbox_entries(since), knowledge.matcher.terms)
    if group_ref is None:
        shown = groups[:limit]
        if as_json:
            click.echo(json.dumps([group_json(i, g) for i, g in enumerate(shown, 1)], indent=1))
        else:
            _print_groups(shown, len(groups))
        return
    found = ib.find_group(groups, group_ref)
    if found is None:
        _fail([f"no group {group_ref!r} (see `privbot intents inbox`)"])
        return
    _teach(settings, repo, knowledge, found, to_intent, new_id, section, file_name)


def group_json(rank: int, g: ib.Group) -> dict[str, object]:
    return {
        "rank": rank,
        "id": g.id,
        "count": g.count,
        "languages": {str(lang): n for lang, n in g.languages},
        "outcomes": {str(o): n for o, n in g.outcomes},
        "examples": [{"text": e.text, "language": str(e.language)} for e in g.examples],
        "candidates": [
            {"intent": c.intent, "outcome": c.outcome, "score": c.score} for c in g.guesses
        ],
    }


def _print_groups(groups: list[ib.Group], total: int) -> None:
    if not groups:
        click.echo("The inbox is empty: no unanswered question kept.")
        return
    for rank, g in enumerate(groups, 1):
        langs = ", ".join(f"{lang} {n}" for lang, n in g.languages)
        outcomes = ", ".join(f"{o} {n}" for o, n in g.outcomes)
        click.echo(f"{rank}. [{g.id}] {g.count}x  ({langs}; {outcomes})")
        for e in g.examples:
            click.echo(f"     - {e.text}")
        best = ", ".join(f"{c.label} {c.score:.2f}" for c in g.guesses) or "none"
        click.echo(f"     best candidates: {best}")
    if total > len(groups):
        click.echo(f"... and {total - len(groups)} more group(s) (--limit)")
    click.echo("Teach one: privbot intents inbox --add N --to INTENT")


def _teach(
    settings: Settings,
    repo: SqlRepository,
    knowledge: Knowledge,
    group: ib.Group,
    to_intent: str | None,
    new_id: str | None,
    section: str | None,
    file_name: str,
) -> None:
    from privbot.bootstrap import build_knowledge
    from privbot.content.teach import add_examples, apply, new_intent

    if (to_intent is None) == (new_id is None) or (new_id is not None and section is None):
        _fail(["give either --to INTENT, or --new-intent ID with --section S"])
        return
    phrases = group.teachable()
    intents_dir = settings.intents_dir
    try:
        if to_intent is not None:
            taught = add_examples(knowledge.intents, to_intent, phrases)
        else:
            assert new_id is not None and section is not None
            target = intents_dir / Path(file_name).name
            taught = new_intent(knowledge.intents, new_id, section, phrases, target)
    except ContentError as exc:
        _fail(list(exc.problems))
        return

    def load(folder: Path) -> Knowledge:
        # No cache: the trial folder's knowledge is thrown away, and writing it would evict
        # the live content's cached knowledge.
        return build_knowledge(
            settings.model_copy(update={"intents_dir": folder, "cache_dir": None})
        )

    problems = apply(taught, intents_dir, knowledge, load)
    if problems:
        _fail(["refused, nothing written:", *problems])
        return
    repo.forget_inbox_entries([e.id for e in group.members if e.id is not None])
    for lang, texts in taught.added.items():
        for t in texts:
            click.echo(f"+ {lang}: {t}")
    if taught.skipped:
        click.echo(f"{len(taught.skipped)} wording(s) left out: already examples or tests")
    click.echo(
        f"OK: {taught.count} example(s) added to {taught.path}; the intents check passes and"
        " no test phrase loses. A running bot reloads it by itself."
    )
