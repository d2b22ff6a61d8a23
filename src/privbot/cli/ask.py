"""`privbot ask`: answer one question, or one per stdin line as JSON lines."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from privbot.cli.common import LANG_OPTION, fail_on_errors, settings_or_exit
from privbot.content.knowledge import Knowledge, load_knowledge
from privbot.core import messages as M
from privbot.core.dialogue import MAX_MESSAGE
from privbot.core.model import Language, Reply, ReplyKind


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
        **_answer_fields(replies),
    }
    if u.kind is ReplyKind.CLARIFY:
        out["options"] = [{"label": o.label, "value": o.value} for r in replies for o in r.options]
    return out


def _answer_fields(replies: tuple[Reply, ...]) -> dict[str, Any]:
    """A policy answer's parts: its short answer, the quote and the (sub)section it is from,
    whether the policy is silent on what was asked; null outside policy answers."""
    parts = next((r.answer for r in replies if r.answer is not None), None)
    return {
        "short_answer": parts.short or None if parts else None,
        "quote": parts.quote or None if parts else None,
        "quote_section": parts.quote_section or None if parts else None,
        "silent": parts.silent if parts else False,
    }


def too_long_json(
    knowledge: Knowledge, head: str, length: int, lang: Language | None
) -> dict[str, Any]:
    """The object for a question over the chat path's cap: its answer, in the language of
    its beginning, without matching it."""
    language = lang or knowledge.matcher.understand(head[:MAX_MESSAGE]).language
    reply = knowledge.catalogue.text(language, M.TOO_LONG, length=length, limit=MAX_MESSAGE)
    return {
        "language": language.value,
        "kind": ReplyKind.FALLBACK.value,
        "section": None,
        "request_type": None,
        "intent": None,
        "confidence": 0.0,
        "options": [],
        "candidates": [],
        "reply": reply,
        **_answer_fields(()),
    }


def read_questions(stream: TextIO) -> Iterator[tuple[str, int]]:
    """(question, its length) per line; a line over the cap is not read whole: its first
    characters and its length only."""
    while True:
        line = stream.readline(MAX_MESSAGE + 1)
        if not line:
            return
        if line.endswith("\n") or len(line) <= MAX_MESSAGE:
            text = line.removesuffix("\n")
            yield text, len(text)
            continue
        length = len(line)
        while True:  # skip the rest of the line, counting it
            rest = stream.readline(1 << 16)
            length += len(rest.removesuffix("\n"))
            if not rest or rest.endswith("\n"):
                break
        yield line, length


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
    questions = read_questions(sys.stdin) if text == "-" else iter([(text, len(text))])
    for question, length in questions:
        # An empty line still gets its JSON line (a fallback), so output lines stay aligned
        # with input lines.
        if length > MAX_MESSAGE:
            result = too_long_json(knowledge, question, length, forced)
        else:
            result = answer_json(knowledge, question, forced)
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
            sys.stdout.flush()
        else:
            click.echo(result["reply"])
            for option in result["options"]:
                click.echo(f"  - {option['label']}")
