"""Teaching the bot from the inbox: the group's wordings become examples of an intent.

The intent file is edited line by line, so its comments, order and layout stay as the admin
wrote them: the new examples go after the last example of their language (a block list; a
flow list `en: [...]` is refused); a new intent goes at the end of the file.
The edited folder is then loaded and checked like a live reload (`content.live`):
every `intents check` problem, or a test phrase that won before and would now lose, refuses
the edit and nothing is written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from privbot.content.knowledge import Knowledge
from privbot.content.live import check_edit, losing_keys
from privbot.core.model import IntentSet, Language
from privbot.core.text import normalise
from privbot.errors import ContentError

_INDENT = re.compile(r"^(\s*)")


@dataclass(frozen=True, slots=True)
class Taught:
    """An edit of one intent file: its new text, and the phrases it adds or leaves out."""

    path: Path
    text: str
    added: dict[Language, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # already an example or a test phrase

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.added.values())


def scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when YAML reads it back as the same string, else
    double-quoted (JSON strings are valid YAML)."""
    plain = text.strip()
    try:
        same = yaml.safe_load(plain) == plain
    except yaml.YAMLError:
        same = False
    if same and ": " not in plain and " #" not in plain and not plain.startswith(("'", '"')):
        return plain
    return json.dumps(plain, ensure_ascii=False)


def fresh(intents: IntentSet, phrases: Mapping[Language, Sequence[str]]) -> Taught:
    """The phrases no intent has as an example or a test phrase yet (as `Taught.added`)."""
    known = {normalise(p.text) for i in intents.intents for p in (*i.examples, *i.tests)}
    added: dict[Language, list[str]] = {}
    skipped: list[str] = []
    for lang, texts in phrases.items():
        for t in texts:
            norm = normalise(t)
            if norm in known or not norm:
                skipped.append(t)
                continue
            known.add(norm)
            added.setdefault(lang, []).append(t)
    return Taught(Path(), "", added, skipped)


def add_examples(
    intents: IntentSet, intent_id: str, phrases: Mapping[Language, Sequence[str]]
) -> Taught:
    """The edit adding `phrases` to the examples of `intent_id` (ContentError if unknown)."""
    intent = intents.get(intent_id)
    if intent is None:
        raise ContentError([f"intent {intent_id!r}: no such intent"])
    todo = fresh(intents, phrases)
    path = Path(intent.source)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    start, end = _block(lines, intent.line - 1)
    ex = _key_line(lines, start, end, "examples", _indent(lines[start]) + 2)
    if ex is None:
        raise ContentError([f"{path}:{intent.line}: intent {intent_id!r} has no examples: block"])
    ex_end = _end_of(lines, ex, end)
    inserts: list[tuple[int, list[str]]] = []
    for lang, texts in todo.added.items():
        key = _key_line(lines, ex + 1, ex_end, lang.value, None)
        if key is None:  # `intents check` requires both: only an unchecked file lacks one
            raise ContentError(
                [f"{path}:{ex + 1}: intent {intent_id!r} has no {lang.value} examples"]
            )
        if lines[key].split(":", 1)[1].strip():
            raise ContentError(
                [f"{path}:{key + 1}: write the {lang.value} examples as a block list to add to it"]
            )
        items = _end_of(lines, key, ex_end)
        last = _last_content(lines, key, items)
        pad = _item_pad(lines, key, items)
        inserts.append((last + 1, [f"{pad}- {scalar(t)}\n" for t in texts]))
    for at, block in sorted(inserts, key=lambda x: -x[0]):
        lines[at:at] = block
    return Taught(path, "".join(lines), todo.added, todo.skipped)


def new_intent(
    intents: IntentSet,
    intent_id: str,
    section: str,
    phrases: Mapping[Language, Sequence[str]],
    file: Path,
) -> Taught:
    """The edit adding an answer intent for `section` at the end of `file`: in each language,
    the group's wordings as examples but the last, which is its test phrase (an intent needs
    both in both languages: `intents check` refuses a group in one language only), and the
    short answer of the section's answer intent."""
    todo = fresh(intents, phrases)
    text = file.read_text("utf-8") if file.exists() else "intents:\n"
    tops = [line for line in text.splitlines() if _content(line) and not line[0].isspace()]
    if not tops or not tops[-1].startswith("intents:"):
        raise ContentError([f"{file}:1: 'intents:' must be the file's last key to add an intent"])
    examples = {lang: texts[:-1] if len(texts) > 1 else texts for lang, texts in todo.added.items()}
    tests = {lang: texts[-1:] for lang, texts in todo.added.items() if len(texts) > 1}
    lines = [f"  - id: {intent_id}\n", "    kind: answer\n", f"    section: {scalar(section)}\n"]
    # The short answer of the section's answer intent, to edit if the new one asks something
    # else; a section with none has no answer to copy, and `intents check` asks for one.
    same = intents.answer_intent(section)
    if same is not None and same.answers:
        lines.append("    answer:\n")
        lines += [f"      {lang.value}: {scalar(text)}\n" for lang, text in same.answers.items()]
    for part, by_lang in (("examples", examples), ("tests", tests)):
        lines.append(f"    {part}:\n")
        for lang, chosen in by_lang.items():
            lines.append(f"      {lang.value}:\n")
            lines += [f"        - {scalar(t)}\n" for t in chosen]
    body = text if text.endswith("\n") else text + "\n"
    return Taught(file, body + "".join(lines), todo.added, todo.skipped)


def apply(
    taught: Taught,
    intents_dir: Path,
    live: Knowledge,
    load: Callable[[Path], Knowledge],
) -> list[str]:
    """Check the edit on a copy of the folder as a live reload would (`load` it, then the
    test-phrase rule against `live`); write it only if that passes. The problems, or []."""
    if not taught.count:
        return ["nothing to add: every wording is already an example or a test phrase"]
    with tempfile.TemporaryDirectory(prefix="privbot-teach-") as tmp:
        copy = Path(tmp) / "intents"
        shutil.copytree(intents_dir, copy)
        edited = copy / taught.path.resolve().relative_to(intents_dir.resolve())
        edited.write_text(taught.text, "utf-8")
        try:
            candidate = load(copy)
        except ContentError as exc:
            return [p.replace(str(copy), str(intents_dir)) for p in exc.problems]
        problems, _ = check_edit(losing_keys(live), candidate)
        if problems:
            return [p.replace(str(copy), str(intents_dir)) for p in problems]
    temp = taught.path.with_name(f".{taught.path.name}.teach")
    temp.write_text(taught.text, "utf-8")
    os.replace(temp, taught.path)  # one rename: the watcher never reads half a file
    return []


# --- line helpers -------------------------------------------------------------------------
def _indent(line: str) -> int:
    return len(_INDENT.match(line).group(1))  # type: ignore[union-attr]


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _block(lines: list[str], id_index: int) -> tuple[int, int]:
    """The lines of the list item whose `id:` is at `id_index`: [start, end)."""
    start = id_index
    while start > 0 and not lines[start].lstrip().startswith("- "):
        start -= 1
    return start, _end_of(lines, start, len(lines))


def _end_of(lines: list[str], start: int, limit: int) -> int:
    """The end of the block opened at `start`: the next content line indented no deeper
    (a key's list may also be written at the key's own column: `fr:` then `- ...`)."""
    base = _indent(lines[start])
    key = not lines[start].lstrip().startswith("- ")
    for i in range(start + 1, limit):
        if not _content(lines[i]) or _indent(lines[i]) > base:
            continue
        if key and _indent(lines[i]) == base and lines[i].lstrip().startswith("- "):
            continue
        return i
    return limit


def _key_line(lines: list[str], start: int, end: int, key: str, indent: int | None) -> int | None:
    """The line of `key:` between start and end (at `indent`, or the first indentation seen)."""
    pattern = re.compile(rf"^\s*(?:- )?{re.escape(key)}\s*:")
    depth = indent
    for i in range(start, end):
        if not _content(lines[i]):
            continue
        here = _indent(lines[i]) + (2 if lines[i].lstrip().startswith("- ") else 0)
        if depth is None:
            depth = here
        if here == depth and pattern.match(lines[i]):
            return i
    return None


def _last_content(lines: list[str], start: int, end: int) -> int:
    last = start
    for i in range(start + 1, end):
        if _content(lines[i]):
            last = i
    return last


def _item_pad(lines: list[str], key: int, end: int) -> str:
    for i in range(key + 1, end):
        if lines[i].lstrip().startswith("- "):
            return " " * _indent(lines[i])
    return " " * (_indent(lines[key]) + 2)
