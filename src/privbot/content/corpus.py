"""The policy corpus: `policy_corpus/<lang>.md` files, parsed into `PolicyDocument`s.

Corpus file format (what admins edit)::

    ---
    language: fr
    title: Politique de Confidentialité
    tagline: Votre vie privée nous importe. ...
    last_updated: 2025-01-04
    ---
    # Politique de Confidentialité            (optional, for readers; ignored)
    ## intro. Introduction
    ## 1. Informations que Nous Collectons
    ### 1.1. Informations Personnelles
    ## 3.2 Title without the trailing dot     (also accepted; the title may be empty)

`parse_policy` (in `policy_parser`, re-exported here) also reads HTML and the seed's
plain-text numbering. `check_corpus` lists every problem as `file:line: message`: a section
present in one language and missing in another, duplicate ids, bad front matter, an
unreadable file, unknown `{placeholders}`, last-updated dates that differ by language.
Section ids are the policy's own numbers; an unnumbered sub-heading inside section N becomes
N.1, N.2... A parent section's `text` is its own lead text only: `section_children` and
`section_full_text` give an answer for "1" that includes 1.1 and 1.2.

The contact address is written `{contact_email}` in the corpus; `load_policy` renders it
from the setting (as it does any `[email protected]` left over from the copied web page).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from privbot.content.policy_parser import (
    CONTACT_PLACEHOLDER,
    HIDDEN_EMAIL,
    ParsedPolicy,
    parse_policy,
    parse_policy_details,
)
from privbot.core.model import Language, Policy, PolicyDocument, Section
from privbot.errors import ContentError

__all__ = [
    "CONTACT_PLACEHOLDER",
    "ParsedPolicy",
    "check_corpus",
    "load_policy",
    "parse_policy",
    "parse_policy_details",
    "read_corpus",
    "render_contact",
    "section_children",
    "section_full_text",
]


def render_contact(document: PolicyDocument, contact_email: str) -> PolicyDocument:
    """Replace `{contact_email}` and any hidden-address placeholder with the real address."""

    def render(value: str) -> str:
        return HIDDEN_EMAIL.sub(contact_email, value.replace(CONTACT_PLACEHOLDER, contact_email))

    sections = tuple(
        replace(s, title=render(s.title), text=render(s.text)) for s in document.sections
    )
    return replace(document, sections=sections)


def section_children(document: PolicyDocument, section_id: str) -> tuple[Section, ...]:
    """The direct subsections of `section_id` ("1" -> 1.1, 1.2), in policy order."""
    depth = section_id.count(".") + 1
    prefix = section_id + "."
    return tuple(
        s for s in document.sections if s.id.startswith(prefix) and s.id.count(".") == depth
    )


def section_full_text(document: PolicyDocument, section_id: str) -> str:
    """A section's lead text followed by each subsection's title and text (recursively)."""
    section = document.section(section_id)
    if section is None:
        return ""
    parts = [section.text] if section.text else []
    for child in section_children(document, section_id):
        body = section_full_text(document, child.id)
        heading = f"{child.id}. {child.title}".strip() if child.title else child.id
        parts.append(f"{heading}\n{body}" if body else heading)
    return "\n\n".join(parts)


MAX_FILE_BYTES = 1_000_000  # per language; the shipped policy is under 10 kB


def _corpus_files(corpus_dir: Path) -> dict[Language, Path]:
    return {lang: corpus_dir / f"{lang.value}.md" for lang in Language}


def read_corpus(corpus_dir: Path) -> tuple[dict[Language, ParsedPolicy], list[str]]:
    """Parse every `<lang>.md` and check them together; (parsed files, problems)."""
    parsed: dict[Language, ParsedPolicy] = {}
    problems: list[str] = []
    for language, path in _corpus_files(corpus_dir).items():
        if not path.is_file():
            problems.append(f"{path}:1: missing: the policy is needed in every language")
            continue
        try:
            with path.open("rb") as f:
                raw = f.read(MAX_FILE_BYTES + 1)
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}:1: cannot read the file ({type(exc).__name__})")
            continue
        if len(raw) > MAX_FILE_BYTES:
            problems.append(f"{path}:1: larger than {MAX_FILE_BYTES:,} bytes")
            continue
        result = parse_policy_details(text, language, str(path))
        parsed[language] = result
        problems += result.problems
        if not result.has_front_matter:
            problems.append(f"{path}:1: no front matter (--- language/title/last_updated ---)")
        elif result.document.last_updated is None:
            problems.append(f"{path}:1: front matter has no last_updated date")
    problems += _alignment_problems(parsed, corpus_dir)
    return parsed, problems


def _alignment_problems(parsed: Mapping[Language, ParsedPolicy], corpus_dir: Path) -> list[str]:
    problems: list[str] = []
    for language, result in parsed.items():
        path = corpus_dir / f"{language.value}.md"
        for other_language, other in parsed.items():
            if other_language is language:
                continue
            other_path = corpus_dir / f"{other_language.value}.md"
            for section in result.document.sections:
                if other.document.section(section.id) is None:
                    problems.append(
                        f"{path}:{result.lines.get(section.id, 1)}: section {section.id} "
                        f"({section.title or 'untitled'}) is missing from {other_path.name}"
                    )
    dates = {lang: p.document.last_updated for lang, p in parsed.items()}
    if len({d for d in dates.values() if d is not None}) > 1:
        listed = ", ".join(f"{lang.value}.md {d}" for lang, d in dates.items())
        problems.append(f"{corpus_dir}:1: last_updated differs between languages ({listed})")
    return problems


def check_corpus(corpus_dir: Path) -> list[str]:
    """Every problem of the corpus as `file:line: message` (empty when it is sound)."""
    return read_corpus(corpus_dir)[1]


def load_policy(corpus_dir: Path, contact_email: str) -> Policy:
    """The policy in every language, contact address rendered; ContentError if unsound."""
    parsed, problems = read_corpus(corpus_dir)
    if problems:
        raise ContentError(problems)
    return Policy({lang: render_contact(p.document, contact_email) for lang, p in parsed.items()})
