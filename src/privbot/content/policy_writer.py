"""Write a policy in the corpus format, and compare two versions of it section by section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import yaml

from privbot.content.policy_dates import format_date_line
from privbot.core.model import PolicyDocument, Section


def _heading(section: Section) -> str:
    level = "##" if section.id == "intro" or "." not in section.id else "###"
    return f"{level} {section.id}. {section.title}".rstrip()


def format_policy_markdown(
    document: PolicyDocument, *, title: str = "", tagline: str = "", category: str = ""
) -> str:
    """The corpus file for `document`: YAML front matter, then one heading per section."""
    meta: dict[str, object] = {"language": document.language.value}
    if category:
        meta["category"] = category
    if title:
        meta["title"] = title
    if tagline:
        meta["tagline"] = tagline
    if document.last_updated:
        meta["last_updated"] = document.last_updated
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    parts = [f"---\n{front}---"]
    if title:
        parts.append(f"# {title}")
    if tagline:
        parts.append(tagline)
    if document.last_updated:
        parts.append(format_date_line(document.last_updated, document.language))
    for section in document.sections:
        parts.append(_heading(section))
        if section.text:
            parts.append(section.text)
    return "\n\n".join(parts) + "\n"


@dataclass(frozen=True, slots=True)
class SectionChange:
    """One section that differs between two versions of the policy."""

    id: str
    title: str
    old_title: str = ""
    title_changed: bool = False
    text_changed: bool = False


@dataclass(frozen=True, slots=True)
class PolicyDiff:
    """Sections added, removed and changed from `old` to `new`, in policy order."""

    added: tuple[Section, ...]
    removed: tuple[Section, ...]
    changed: tuple[SectionChange, ...]
    unchanged: int
    old_date: date | None

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def diff_documents(old: PolicyDocument | None, new: PolicyDocument) -> PolicyDiff:
    """Compare by section id; whitespace-only edits do not count as changes."""
    old_sections = old.sections if old else ()
    new_ids = {s.id for s in new.sections}
    old_by_id = {s.id: s for s in old_sections}
    added = tuple(s for s in new.sections if s.id not in old_by_id)
    removed = tuple(s for s in old_sections if s.id not in new_ids)
    changed: list[SectionChange] = []
    unchanged = 0
    for section in new.sections:
        before = old_by_id.get(section.id)
        if before is None:
            continue
        title_changed = not _same(before.title, section.title)
        text_changed = not _same(before.text, section.text)
        if title_changed or text_changed:
            changed.append(
                SectionChange(section.id, section.title, before.title, title_changed, text_changed)
            )
        else:
            unchanged += 1
    return PolicyDiff(
        added,
        removed,
        tuple(changed),
        unchanged,
        old.last_updated if old else None,
    )
