"""Parse one policy, in any format it is published in, into a `PolicyDocument`.

Every format is first read into blocks (`policy_formats`); ids are then assigned the same
way: numbered headings keep their number ("3.2 Title" -> 3.2), an "Introduction" heading is
`intro`, an unnumbered sub-heading inside section N becomes N.1, N.2..., and when a policy
numbers none of its headings they are numbered 1, 2, 3... in order. Text before the first
section gives the title, tagline and date; left-over prose becomes the introduction.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import yaml

from privbot.content.policy_dates import is_date_line, last_updated_in
from privbot.content.policy_formats import (
    HEADING_ID,
    INTRO_TITLES,
    Block,
    PolicyFormat,
    detect_format,
    read_html,
    read_markdown,
    read_plain_text,
    split_front_matter,
)
from privbot.core.model import Language, PolicyDocument, Section

CONTACT_PLACEHOLDER = "{contact_email}"
# The address Cloudflare hid when the page was copied ("[email protected]", maybe with &nbsp;).
HIDDEN_EMAIL = re.compile(r"\[email\s*protected\]", re.I)
FRONT_MATTER_KEYS = frozenset({"language", "title", "tagline", "last_updated", "category"})
_PLACEHOLDER = re.compile(r"\{[^{}\s]*\}")


@dataclass(frozen=True, slots=True)
class ParsedPolicy:
    """A parsed policy file: the document plus what admins' tools need around it."""

    document: PolicyDocument
    format: PolicyFormat
    title: str = ""
    tagline: str = ""
    category: str = ""
    lines: Mapping[str, int] = field(default_factory=dict)  # section id -> heading line
    problems: tuple[str, ...] = ()  # "file:line: message"
    has_front_matter: bool = False


@dataclass
class _Draft:
    id: str
    title: str
    line: int
    level: int
    paragraphs: list[str] = field(default_factory=list)


def _join(paragraphs: list[str]) -> str:
    """Paragraphs separated by a blank line; consecutive bullet paragraphs stay one list."""
    out = ""
    for para in paragraphs:
        if out:
            bullets = out.rsplit("\n", 1)[-1].startswith("- ") and para.startswith("- ")
            out += "\n" if bullets else "\n\n"
        out += para
    return out


def _auto_level(blocks: list[Block]) -> int | None:
    """When no heading is numbered (many published policies), the level that holds sections.

    Those headings are numbered 1, 2, 3... in order, and deeper ones N.1, N.2...
    """
    headings = [b for b in blocks if b.is_heading]
    for block in headings:
        m = HEADING_ID.match(block.text)
        if m and (m[1] or m[2]):
            return None
    levels = Counter(b.level for b in headings if b.text.lower().strip(" .:") not in INTRO_TITLES)
    repeated = [level for level, count in levels.items() if count >= 2]
    return min(repeated) if repeated else min(levels, default=None)


def _build(
    blocks: list[Block], language: Language, where: str
) -> tuple[list[_Draft], list[Block], str, list[str]]:
    """Sections from blocks: (drafts, preamble paragraphs, level-1 title, problems)."""
    drafts: list[_Draft] = []
    preamble: list[Block] = []
    title = ""
    problems: list[str] = []
    top: _Draft | None = None  # the numbered section sub-headings belong to
    auto_level = _auto_level(blocks)
    for block in blocks:
        current = drafts[-1] if drafts else None
        if not block.is_heading:
            if is_date_line(block.text, language):
                continue
            if current is not None:
                current.paragraphs.append(block.text)
            else:
                preamble.append(block)
            continue
        m = HEADING_ID.match(block.text)
        if m and (m[1] or m[2]):
            section_id = "intro" if m[1] else m[2]
            draft = _Draft(section_id, (m[3] or "").strip(), block.line, block.level)
            drafts.append(draft)
            if section_id != "intro" and "." not in section_id:
                top = draft
            continue
        if block.text.lower().strip(" .:") in INTRO_TITLES and top is None:
            drafts.append(_Draft("intro", block.text, block.line, block.level))
            continue
        if auto_level is not None and block.level == auto_level:
            number = 1 + sum(1 for d in drafts if d.id.isdigit())
            top = _Draft(str(number), block.text, block.line, block.level)
            drafts.append(top)
            continue
        if top is not None and block.level > top.level:
            siblings = [d for d in drafts if d.id.startswith(top.id + ".")]
            numbers = [int(d.id.split(".")[1]) for d in siblings if d.id.count(".") == 1]
            sub_id = f"{top.id}.{max(numbers, default=0) + 1}"
            drafts.append(_Draft(sub_id, block.text, block.line, block.level))
            continue
        if current is None:
            if not title and block.level <= 2:
                title = block.text
            else:
                preamble.append(Block(block.text, block.line))
            continue
        current.paragraphs.append(block.text)  # an unnumbered heading we cannot place
    if not drafts:
        problems.append(f"{where}:1: no sections found (expected headings such as '## 1. Title')")
    return drafts, preamble, title, problems


def _preamble_meta(preamble: list[Block], title: str) -> tuple[str, str, str, list[str]]:
    """(title, tagline, category, leftover prose) from the text before the first section."""
    short = [b.text for b in preamble if len(b.text) <= 80 and not b.text.rstrip().endswith(".")]
    prose = [b.text for b in preamble if b.text not in short]
    if not title and short:
        title = short[-1]
    # A kicker above the title, such as "JURIDIQUE" or "LEGAL".
    category = next((s for s in short if s.isupper() and s != title), "")
    tagline = prose[0] if prose else ""
    return title, tagline, category, prose


FRONT_MATTER_MAX_CHARS = 4000


def _front_matter(raw: str, language: Language, where: str) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    if len(raw) > FRONT_MATTER_MAX_CHARS:
        return {}, [f"{where}:2: front matter longer than {FRONT_MATTER_MAX_CHARS} characters"]
    try:
        # Plain key: value lines need no alias; refusing them makes an alias bomb harmless.
        if any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(raw, Loader=yaml.SafeLoader)):
            return {}, [f"{where}:2: front matter may not use YAML aliases (*name)"]
        data = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        return {}, [f"{where}:{line}: front matter is not valid YAML"]
    if not isinstance(data, dict):
        return {}, [f"{where}:2: front matter must be a mapping of key: value"]
    for key in data:
        if key not in FRONT_MATTER_KEYS:
            known = ", ".join(sorted(FRONT_MATTER_KEYS))
            problems.append(f"{where}:1: unknown front matter key {key!r} (known: {known})")
    if "language" in data and str(data["language"]) != language.value:
        problems.append(
            f"{where}:1: front matter says language {data['language']!r}, expected {language}"
        )
    updated = data.get("last_updated")
    if updated is not None and not isinstance(updated, date):
        try:
            data["last_updated"] = date.fromisoformat(str(updated))
        except ValueError:
            problems.append(f"{where}:1: last_updated {updated!r} is not a YYYY-MM-DD date")
            data.pop("last_updated")
    return data, problems


def parse_policy_details(text: str, language: Language, source: str = "") -> ParsedPolicy:
    """Parse a policy in any supported format; problems are collected, never raised."""
    where = source or "<policy>"
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = HIDDEN_EMAIL.sub(CONTACT_PLACEHOLDER, text)
    fmt = detect_format(text)
    meta: dict[str, Any] = {}
    problems: list[str] = []
    has_front_matter = False
    if fmt is PolicyFormat.MARKDOWN:
        raw, used, body = split_front_matter(text)
        if raw is not None:
            has_front_matter = True
            meta, problems = _front_matter(raw, language, where)
        blocks = read_markdown(body, used + 1)
    elif fmt is PolicyFormat.HTML:
        blocks = read_html(text)
    else:
        blocks = read_plain_text(text)
    # Again after reading: in HTML the hidden address is written with entities (&#160;).
    blocks = [replace(b, text=HIDDEN_EMAIL.sub(CONTACT_PLACEHOLDER, b.text)) for b in blocks]
    drafts, preamble, h1, build_problems = _build(blocks, language, where)
    problems += build_problems
    title, tagline, category, prose = _preamble_meta(preamble, h1)
    if drafts and drafts[0].id != "intro" and prose and not any(d.id == "intro" for d in drafts):
        # Untitled opening text (common in third-party policies) is the introduction.
        intro = _Draft("intro", "Introduction", preamble[0].line, drafts[0].level)
        intro.paragraphs = prose
        drafts.insert(0, intro)
        tagline = ""
    sections: list[Section] = []
    lines: dict[str, int] = {}
    for draft in drafts:
        body_text = _join(draft.paragraphs)
        if draft.id in lines:
            problems.append(
                f"{where}:{draft.line}: duplicate section id {draft.id} "
                f"(first at line {lines[draft.id]})"
            )
            # Keep the text rather than lose it: append to the first occurrence.
            index = next(i for i, s in enumerate(sections) if s.id == draft.id)
            merged = _join([t for t in (sections[index].text, body_text) if t])
            sections[index] = replace(sections[index], text=merged)
            continue
        lines[draft.id] = draft.line
        sections.append(Section(draft.id, draft.title, body_text, language))
        for name in _PLACEHOLDER.findall(body_text + draft.title):
            if name != CONTACT_PLACEHOLDER:
                problems.append(f"{where}:{draft.line}: unknown placeholder {name} in {draft.id}")
    updated = meta.get("last_updated")
    if not isinstance(updated, date):
        updated = last_updated_in(text, language)
    document = PolicyDocument(language, tuple(sections), updated)
    return ParsedPolicy(
        document=document,
        format=fmt,
        title=str(meta.get("title") or title),
        tagline=str(meta.get("tagline") or tagline),
        category=str(meta.get("category") or category),
        lines=lines,
        problems=tuple(problems),
        has_front_matter=has_front_matter,
    )


def parse_policy(text: str, language: Language, source: str = "") -> PolicyDocument:
    """Parse Markdown, HTML or seed-like plain text into a `PolicyDocument` (lenient)."""
    return parse_policy_details(text, language, source).document
