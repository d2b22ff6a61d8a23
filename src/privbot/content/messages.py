"""Loading and checking the message catalogue (`intents/messages.yaml`).

The file is nested groups of keys; a key holds one text per language:

    flow:
      code_wrong:
        fr: Ce code n'est pas le bon. Il vous reste {left} {left|essai|essais}.
        en: That code is not right. {left} {left|attempt|attempts} left.

Checked against `core.messages` (the keys the code uses and the values it gives each): every
key the code uses is there, in every language; no key is there that the code does not use;
French and English use the same values, and only values the key is given. Every problem is
`file:line: message`, like the intent files'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from privbot.content.intents import MESSAGES_FILE, Lines, read_yaml
from privbot.core import messages
from privbot.core.catalogue import Catalogue, placeholders, stray_braces
from privbot.core.model import Language
from privbot.errors import ContentError

_LANGUAGES = {lang.value: lang for lang in Language}


@dataclass
class _Read:
    """What the file holds: texts by key and language, and where each key is."""

    source: str
    lines: Lines
    problems: list[str]
    texts: dict[str, dict[Language, str]] = field(default_factory=dict)
    where: dict[str, int] = field(default_factory=dict)  # key -> line

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.source}:{line}: {message}")


def messages_path(intents_dir: Path) -> Path:
    return intents_dir / MESSAGES_FILE


def check_catalogue(intents_dir: Path) -> list[str]:
    """Every problem of the message catalogue as `file:line: message` (empty when all is well)."""
    return _load(messages_path(intents_dir))[1]


def load_catalogue(intents_dir: Path) -> Catalogue:
    """Read and check the catalogue; raise ContentError listing every problem."""
    catalogue, problems = _load(messages_path(intents_dir))
    if problems:
        raise ContentError(problems)
    return catalogue


def _load(path: Path) -> tuple[Catalogue, list[str]]:
    problems: list[str] = []
    if not path.is_file():
        return Catalogue({}), [f"{path}:1: no such file (the bot's messages)"]
    read = read_yaml(path, problems)
    if read is None:
        return Catalogue({}), problems
    data, lines = read
    found = _Read(str(path), lines, problems)
    if not isinstance(data, dict):
        found.problem(lines.of(()), "expected groups of messages (a mapping)")
        return Catalogue({}), problems
    _walk(data, (), found)
    _check(found)
    return Catalogue(found.texts), problems


def _walk(node: Mapping[Any, Any], path: tuple[str, ...], found: _Read) -> None:
    """Collect every text below `node`; a mapping with language keys is one message."""
    for raw_key, value in node.items():
        here = (*path, str(raw_key))
        line = found.lines.of(here)
        if not isinstance(raw_key, str):
            found.problem(line, f'key {raw_key!r} must be text: quote it ("{raw_key}")')
            continue
        name = ".".join(here)
        if not isinstance(value, dict):
            found.problem(line, f"{name}: expected a group of messages or fr/en texts")
        elif any(k in _LANGUAGES for k in value):
            _message(name, value, here, found)
        else:
            _walk(value, here, found)


def _message(name: str, value: Mapping[Any, Any], path: tuple[str, ...], found: _Read) -> None:
    found.where[name] = found.lines.of(path)
    texts: dict[Language, str] = {}
    for lang_code, text in value.items():
        line = found.lines.of((*path, str(lang_code)))
        lang = _LANGUAGES.get(str(lang_code))
        if lang is None:
            known = ", ".join(_LANGUAGES)
            found.problem(line, f"{name}: unknown language {lang_code!r} (known: {known})")
        elif not isinstance(text, str) or not text.strip():
            found.problem(
                line, f"{name}.{lang_code}: expected a text (quote yes, no, on, off and numbers)"
            )
        else:
            if stray_braces(text):
                found.problem(
                    line,
                    f"{name}.{lang_code}: a brace that is not a {{value}} or {{number|one|many}}",
                )
            texts[lang] = text
    found.texts[name] = texts


def _check(found: _Read) -> None:
    """Keys against the code's, languages against each other, values against the code's."""
    required = messages.required()
    for name in required:
        if name not in found.where:
            group = tuple(name.split(".")[:-1])
            found.problem(found.lines.of(group), f"{name}: missing (the bot says it)")
    for name, texts in found.texts.items():
        line = found.where[name]
        key = required.get(name)
        if key is None:
            found.problem(line, f"{name}: not a message the bot says (a misspelt key?)")
            continue
        for lang in Language:
            if lang not in texts:
                found.problem(line, f"{name}: no text in language {lang.value!r}")
        used = {lang: placeholders(t) for lang, t in texts.items()}
        for lang, names in used.items():
            unknown = names - key.values
            if unknown:
                given = ", ".join(f"{{{v}}}" for v in sorted(key.values)) or "none"
                found.problem(
                    found.lines.of((*name.split("."), lang.value)),
                    f"{name}.{lang.value}: {_braced(unknown)} is not a value of this message "
                    f"(it has: {given})",
                )
        if len(used) == len(Language) and len(set(used.values())) > 1:
            shown = "; ".join(
                f"{lang.value} uses {_braced(v) or 'none'}" for lang, v in used.items()
            )
            found.problem(line, f"{name}: the languages use different values ({shown})")


def _braced(names: frozenset[str]) -> str:
    return ", ".join(f"{{{n}}}" for n in sorted(names))
