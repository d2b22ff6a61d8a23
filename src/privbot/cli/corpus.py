"""`privbot corpus import | check`: update the policy corpus from a new version of the policy.

`import` reads Markdown, seed-like plain text or HTML, shows what changed against
`policy_corpus/<lang>.md`, which intents point at removed sections and which removed sections
the intent files mark as about rights, and writes the corpus file only with `--write`, and only
when the corpus it would leave passes `corpus check` (the service refuses to start on one that
does not). Adding or removing a section means importing every language in one command.
Output goes to the admin's terminal (policy text is escaped, never read as markup); nothing is
logged.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from privbot.core.model import Language

if TYPE_CHECKING:
    from rich.console import Console

    from privbot.content.corpus import ParsedPolicy
    from privbot.content.policy_writer import PolicyDiff

_CORPUS = click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("policy_corpus"),
    envvar="PRIVBOT_CORPUS_DIR",
    show_default=True,
    help="Policy corpus folder (PRIVBOT_CORPUS_DIR).",
)


@click.group()
def corpus() -> None:
    """Check the policy corpus and import new versions of the policy."""


@corpus.command("check")
@_CORPUS
def check_command(corpus_dir: Path) -> None:
    """Print every corpus problem as file:line: message; exit 1 on any."""
    from privbot.content.corpus import check_corpus

    problems = check_corpus(corpus_dir)
    for line in problems:
        click.echo(line)
    if problems:
        raise SystemExit(1)
    click.echo(f"{corpus_dir}: ok")


def _intent_sections(intents_dir: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(intent id, section id) for every intent that answers a section, and the sections the
    intent files mark as about rights."""
    if not intents_dir.is_dir():
        return [], []
    try:
        from privbot.content.intents import load_intents
        from privbot.errors import PrivbotError

        try:
            intent_set = load_intents(intents_dir)
        except PrivbotError:
            pass  # a broken intent file: still list what can be read below
        else:
            pairs = [(i.id, i.section) for i in intent_set.intents if i.section]
            return pairs, [r.section for r in intent_set.rights]
    except ImportError:
        pass
    return _read_intents_minimally(intents_dir)


def _read_intents_minimally(intents_dir: Path) -> tuple[list[tuple[str, str]], list[str]]:
    import yaml

    found: list[tuple[str, str]] = []
    rights: list[str] = []
    for path in sorted([*intents_dir.rglob("*.yml"), *intents_dir.rglob("*.yaml")]):
        try:
            data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(data, dict):
            continue
        items = data.get("intents")
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get("id") and item.get("section") is not None:
                found.append((str(item["id"]), str(item["section"])))
        marked = data.get("rights")
        for entry in marked if isinstance(marked, list) else []:
            if isinstance(entry, dict) and entry.get("section") is not None:
                rights.append(str(entry["section"]))
    return found, rights


def _esc(text: object) -> str:
    """Text from a policy or a file name, shown as it is (`[/bold]` is not rich markup)."""
    from rich.markup import escape

    return escape(str(text))


def _show(
    console: Console,
    diff: PolicyDiff,
    parsed: ParsedPolicy,
    intents: list[tuple[str, str]],
    rights: list[str],
) -> None:
    from rich.table import Table

    source_date = parsed.document.last_updated
    console.print(
        f"Read {len(parsed.document.sections)} sections ({parsed.format}); "
        f"last updated: {source_date.isoformat() if source_date else 'not found in the text'}"
    )
    if diff.old_date and source_date and diff.old_date == source_date and not diff.is_empty:
        console.print("[yellow]The text changed but its last-updated date did not.[/yellow]")
    if diff.is_empty:
        console.print(f"No section changed ({diff.unchanged} unchanged).")
    else:
        table = Table("change", "section", "title", title="Changes against the corpus")
        for section in diff.added:
            table.add_row("[green]added[/green]", _esc(section.id), _esc(section.title))
        for section in diff.removed:
            table.add_row("[red]removed[/red]", _esc(section.id), _esc(section.title))
        for change in diff.changed:
            what = " and ".join(
                w
                for w, flag in (("title", change.title_changed), ("text", change.text_changed))
                if flag
            )
            title = change.title
            if change.title_changed:
                title = f"{change.old_title} -> {change.title}"
            table.add_row(f"[yellow]changed ({what})[/yellow]", _esc(change.id), _esc(title))
        console.print(table)
        console.print(
            f"added {len(diff.added)}, removed {len(diff.removed)}, "
            f"changed {len(diff.changed)}, unchanged {diff.unchanged}"
        )
    removed_ids = {s.id for s in diff.removed}
    orphans = [(intent, target) for intent, target in intents if target in removed_ids]
    if orphans:
        console.print("[red]Intents pointing at removed sections:[/red]")
        for intent, target in orphans:
            console.print(_esc(f"  {intent} -> section {target}"))
    elif diff.removed:
        console.print("No intent points at a removed section.")
    gone = [section for section in rights if section in removed_ids]
    if gone:
        console.print(
            "[yellow]warning[/yellow] removed sections the intent files mark as about rights "
            f"(`rights:`): {_esc(', '.join(gone))}; their answers offered requests. Mark the "
            "sections that now describe the rights instead."
        )


@corpus.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True)
)
@click.option(
    "--lang",
    "languages",
    type=click.Choice([lang.value for lang in Language]),
    required=True,
    multiple=True,
    help="Language of the policy in FILE (one --lang per FILE, in the same order).",
)
@_CORPUS
@click.option(
    "--intents",
    "intents_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("intents"),
    envvar="PRIVBOT_INTENTS_DIR",
    show_default=True,
    help="Intent files to check against removed sections (PRIVBOT_INTENTS_DIR).",
)
@click.option("--write", is_flag=True, help="Write <corpus>/<lang>.md (otherwise only show).")
def import_command(
    files: tuple[Path, ...],
    languages: tuple[str, ...],
    corpus_dir: Path,
    intents_dir: Path,
    write: bool,
) -> None:
    """Read FILE (Markdown, plain text numbered like the seed, or HTML) and diff it; several
    FILEs (one per language) are checked and written together."""
    from rich.console import Console

    if len(files) != len(languages) or len(set(languages)) != len(languages):
        raise click.UsageError("give one FILE per language, each followed by its --lang")
    console = Console(highlight=False, soft_wrap=True)
    contents: dict[Path, str] = {}
    for file, language in zip(files, languages, strict=True):
        target = corpus_dir / f"{language}.md"
        contents[target] = _import_one(console, file, Language(language), target, intents_dir)
    if not write:
        console.print("Nothing written (use --write to update the corpus).")
        return
    problems = _check_with(corpus_dir, contents)
    if problems:
        for problem in problems:
            console.print(f"[yellow]corpus check[/yellow] {_esc(problem)}")
        console.print(
            "[red]The corpus check rejects the result: nothing written.[/red] To add or remove "
            "sections, import every language in one command (FILE --lang fr FILE --lang en)."
        )
        raise SystemExit(1)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    for target, content in contents.items():
        temporary = target.with_suffix(".md.tmp")
        temporary.write_text(content, encoding="utf-8")
        temporary.replace(target)  # atomic: a live reload never sees half a file
        console.print(f"Wrote {_esc(target)}.")


def _import_one(
    console: Console, file: Path, lang: Language, target: Path, intents_dir: Path
) -> str:
    """Show what `file` changes against `target`; the corpus file it would write."""
    from privbot.content.corpus import parse_policy_details
    from privbot.content.policy_writer import diff_documents, format_policy_markdown

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file}: cannot read it as UTF-8 text ({exc})") from exc
    parsed = parse_policy_details(text, lang, str(file))
    if not parsed.document.sections:
        for problem in parsed.problems:
            click.echo(problem, err=True)
        click.echo(f"{file}: no policy sections found; nothing imported.", err=True)
        raise SystemExit(1)
    for problem in parsed.problems:
        console.print(f"[yellow]warning[/yellow] {_esc(problem)}")
    current: ParsedPolicy | None = None
    if target.is_file():
        current = parse_policy_details(target.read_text(encoding="utf-8"), lang, str(target))
    diff = diff_documents(current.document if current else None, parsed.document)
    _show(console, diff, parsed, *_intent_sections(intents_dir))
    document = parsed.document
    if document.last_updated is None and current and current.document.last_updated:
        document = replace(document, last_updated=current.document.last_updated)
        console.print("[yellow]No last-updated date in the text: kept the corpus's date.[/yellow]")
    # Keep the corpus's own title and tagline when the import does not carry them.
    return format_policy_markdown(
        document,
        title=parsed.title or (current.title if current else ""),
        tagline=parsed.tagline or (current.tagline if current else ""),
        category=parsed.category or (current.category if current else ""),
    )


def _check_with(corpus_dir: Path, contents: dict[Path, str]) -> list[str]:
    """`corpus check` of the corpus as it would be with `contents` written, reported against
    the real corpus paths."""
    import shutil
    import tempfile

    from privbot.content.corpus import check_corpus

    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "corpus"
        if corpus_dir.is_dir():
            shutil.copytree(corpus_dir, staged)
        staged.mkdir(exist_ok=True)
        for target, content in contents.items():
            (staged / target.name).write_text(content, encoding="utf-8")
        return [p.replace(str(staged), str(corpus_dir)) for p in check_corpus(staged)]
