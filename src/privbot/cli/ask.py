"""`privbot ask`: answer one question, or one per stdin line as JSON lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from privbot.cli.common import LANG_OPTION, fail_on_errors, settings_or_exit
from privbot.content.knowledge import Knowledge, load_knowledge
from privbot.core.model import Language, ReplyKind


def answer_json(knowledge: Knowledge, text: str, lang: Language | None) -> dict[str, Any]:
    """The JSON object for one question (its fields are listed in README.md)."""
    u = knowledge.matcher.understand(text, forced_language=lang)
    replies = knowledge.answers.render(u)
    out: dict[str, Any] = {
        "language": u.language.value,
        "kind": u.kind.value,
        "section": u.section,
        "request_type": u.request_type.value if u.request_type else None,
        "intent": u.intent,
        "confidence": round(u.confidence, 3),
        "options": [],
        "candidates": [
            {
                "section": c.section,
                "intent": c.intent,
                "request_type": c.request_type.value if c.request_type else None,
                "score": round(c.score, 3),
            }
            for c in u.candidates
        ],
        "reply": "\n\n".join(r.text for r in replies),
    }
    if u.kind is ReplyKind.CLARIFY:
        out["options"] = [{"label": o.label, "value": o.value} for r in replies for o in r.options]
    return out


@click.command()
@click.argument("text", required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question.")
@LANG_OPTION
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Answer from this one policy document (Markdown, numbered text or HTML).",
)
@click.option(
    "--intents",
    "intents_opt",
    default=None,
    help="Intent folder, or 'none' to answer from the section text alone.",
)
def ask(
    text: str, as_json: bool, lang: str | None, policy_file: Path | None, intents_opt: str | None
) -> None:
    """Answer TEXT, or one question per stdin line when TEXT is '-'."""
    settings = settings_or_exit()
    if intents_opt is None:
        intents_dir: Path | None = settings.intents_dir
    elif intents_opt.lower() == "none":
        intents_dir = None
    else:
        intents_dir = Path(intents_opt)
    with fail_on_errors():
        from privbot.adapters.langdetect_scorer import langdetect_scorer

        knowledge = load_knowledge(
            contact_email=settings.contact_email,
            corpus_dir=settings.corpus_dir,
            policy_file=policy_file,
            intents_dir=intents_dir,
            messages_dir=settings.intents_dir,
            ngram_scorer=langdetect_scorer(),
        )
    forced = Language(lang) if lang else None
    questions = (line.rstrip("\n") for line in sys.stdin) if text == "-" else iter([text])
    for question in questions:
        # An empty line still gets its JSON line (a fallback), so output lines stay aligned
        # with input lines.
        result = answer_json(knowledge, question, forced)
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
            sys.stdout.flush()
        else:
            click.echo(result["reply"])
            for option in result["options"]:
                click.echo(f"  - {option['label']}")
