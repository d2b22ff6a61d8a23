"""Turn a policy written as Markdown, HTML or seed-like plain text into a flat list of blocks.

Each reader only finds headings and paragraphs (with their line numbers); `corpus.py` then
assigns section ids the same way for every format. Bullets of every style become "- " lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class PolicyFormat(StrEnum):
    """The formats `parse_policy` recognises."""

    MARKDOWN = "markdown"
    HTML = "html"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Block:
    """A heading (level >= 1) or a paragraph (level 0), with its 1-based source line."""

    text: str
    line: int
    level: int = 0

    @property
    def is_heading(self) -> bool:
        return self.level > 0


_BULLET = re.compile(r"^\s*(?:[-*+•·▪◦‣–—]|\u2022)\s+")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_HTML_TAG = re.compile(r"<\s*(?:html|body|h[1-6]|p|div|ul|ol|li|section|article)\b[^>]*>", re.I)
# "3. Title", "3.2 Title", "3.2. Title", "3." (empty title), "intro. Introduction"
HEADING_ID = re.compile(r"^(?:(intro)\b|(\d{1,3}(?:\.\d{1,3})*))\.?(?:\s+(.*))?$", re.I)
_SENTENCE_END = re.compile(r"[.:;!?…,]\s*$")
_SPACES = re.compile(r"[ \t\u00a0]+")
INTRO_TITLES = frozenset({"introduction", "intro", "preambule", "préambule", "preamble"})


def detect_format(text: str) -> PolicyFormat:
    """Markdown if it has front matter or '#' headings, HTML if it has block tags, else text."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("---\n") or stripped.startswith("---\r\n"):
        return PolicyFormat.MARKDOWN
    if _HTML_TAG.search(text):
        return PolicyFormat.HTML
    if any(_MD_HEADING.match(line) for line in text.splitlines()):
        return PolicyFormat.MARKDOWN
    return PolicyFormat.TEXT


def split_front_matter(text: str) -> tuple[str | None, int, str]:
    """(front matter YAML or None, number of lines it took, the rest of the text)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, 0, text
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), i + 1, "\n".join(lines[i + 1 :])
    return None, 0, text


def clean_paragraph(lines: list[str]) -> str:
    """Join wrapped lines; each bullet becomes its own '- ' line."""
    items: list[str] = []
    last_bullet = False
    for raw in lines:
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            continue
        if _BULLET.match(raw) or line in ("•", "-"):
            items.append("- " + _BULLET.sub("", raw).strip())
            last_bullet = True
        elif items and (not last_bullet or raw[:1].isspace()):
            items[-1] = f"{items[-1]} {line}"
        else:
            items.append(line)
            last_bullet = False
    return "\n".join(items)


def _paragraphs(lines: list[str], first_line: int) -> list[tuple[list[str], int]]:
    """Groups of consecutive non-blank lines with the line number of the first."""
    groups: list[tuple[list[str], int]] = []
    current: list[str] = []
    start = 0
    for offset, line in enumerate(lines):
        if line.strip():
            if not current:
                start = first_line + offset
            current.append(line)
        elif current:
            groups.append((current, start))
            current = []
    if current:
        groups.append((current, start))
    return groups


def read_markdown(body: str, first_line: int = 1) -> list[Block]:
    """Blocks of a Markdown body; `first_line` is the line the body starts on."""
    blocks: list[Block] = []
    pending: list[str] = []
    pending_start = first_line

    def flush() -> None:
        for group, start in _paragraphs(pending, pending_start):
            text = clean_paragraph(group)
            if text:
                blocks.append(Block(text, start))
        pending.clear()

    for offset, line in enumerate(body.split("\n")):
        m = _MD_HEADING.match(line)
        if m:
            flush()
            blocks.append(Block(_SPACES.sub(" ", m[2]).strip(), first_line + offset, len(m[1])))
            pending_start = first_line + offset + 1
        else:
            if not pending:
                pending_start = first_line + offset
            pending.append(line)
    flush()
    return blocks


_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "dt", "dd")


def read_html(text: str) -> list[Block]:
    """Blocks of an HTML page: h1..h6 headings, paragraphs and list items (as bullets)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for junk in soup(["script", "style", "noscript", "template"]):
        junk.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    blocks: list[Block] = []
    bullets: list[str] = []
    bullet_line = 0

    def flush() -> None:
        if bullets:
            blocks.append(Block("\n".join(bullets), bullet_line))
            bullets.clear()

    element: Any
    for element in soup.find_all(_HTML_BLOCKS):
        if element.find_parent(_HTML_BLOCKS) is not None:
            continue  # nested (a <p> inside an <li>): its text is in the parent's
        # Inline elements (<a>, <b>) join their neighbours as written; <br> keeps a line break.
        raw_text = str(element.get_text())
        content = " ".join(raw_text.split())
        if not content:
            continue
        line = int(element.sourceline or 0)
        if element.name == "li":
            if not bullets:
                bullet_line = line
            bullets.append("- " + content)
            continue
        flush()
        if element.name[0] == "h" and element.name[1:].isdigit():
            blocks.append(Block(content, line, int(element.name[1:])))
        else:
            blocks.append(Block(clean_paragraph(raw_text.split("\n")), line))
    flush()
    return blocks


def _is_numbered_heading(line: str, last_top: int) -> bool:
    m = HEADING_ID.match(line)
    if not m or not m[2] or len(line) > 100 or _SENTENCE_END.search(line):
        return False
    top = int(m[2].split(".")[0])
    return "." in m[2] or top > last_top  # a numbered list inside the text restarts at 1


def _looks_like_subtitle(line: str) -> bool:
    """A short title line: 'Informations Personnelles' yes; 'QAZAR CLOUD', 'Email : x' no."""
    words = line.split()
    return (
        0 < len(words) <= 10
        and len(line) <= 80
        and line[0].isupper()
        and not line.isupper()
        and not _SENTENCE_END.search(line)
        and not _BULLET.match(line)
        and not any(c in line for c in ":@/<>[]{}")
        and not any(c.isdigit() for c in line)
    )


def _is_prose(text: str) -> bool:
    return not _BULLET.match(text) and (bool(_SENTENCE_END.search(text)) or len(text) > 80)


def read_plain_text(text: str) -> list[Block]:
    """Blocks of the seed's plain text: 'N. Title' lines, 'Introduction', short sub-titles."""
    groups = _paragraphs(text.split("\n"), 1)
    blocks: list[Block] = []
    last_top = 0
    # Without any "N. Title" line, the short title lines are the sections themselves.
    numbered = any(len(g) == 1 and _is_numbered_heading(g[0].strip(), 0) for g, _ in groups)
    in_numbered = not numbered
    for index, (group, start) in enumerate(groups):
        single = group[0].strip() if len(group) == 1 else ""
        if single and _is_numbered_heading(single, last_top):
            number = HEADING_ID.match(single)
            assert number is not None and number[2]
            if "." not in number[2]:
                last_top = int(number[2])
            in_numbered = True
            blocks.append(Block(_SPACES.sub(" ", single), start, 2))
            continue
        if single and single.lower() in INTRO_TITLES and last_top == 0:
            blocks.append(Block(single, start, 2))
            continue
        following = groups[index + 1][0] if index + 1 < len(groups) else []
        if (
            single
            and in_numbered
            and _looks_like_subtitle(single)
            and following
            and _is_prose(" ".join(s.strip() for s in following))
        ):
            level = 3 if numbered else (1 if not blocks else 2)
            blocks.append(Block(_SPACES.sub(" ", single), start, level))
            continue
        cleaned = clean_paragraph(group)
        if cleaned:
            blocks.append(Block(cleaned, start))
    return blocks
