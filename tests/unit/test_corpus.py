"""The policy corpus and its parsers: ids, alignment, dates, formats, contact address."""

from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from privbot.content.corpus import MAX_FILE_BYTES as CORPUS_MAX_BYTES
from privbot.content.corpus import (
    check_corpus,
    load_policy,
    parse_policy,
    parse_policy_details,
    section_children,
    section_full_text,
)
from privbot.content.policy_dates import find_date, format_date_line, last_updated_in
from privbot.content.policy_writer import diff_documents, format_policy_markdown
from privbot.core.model import Language
from privbot.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "policy_corpus"
SEED = ROOT / "tests" / "data" / "seed-privacy-policy.fr.txt"  # the seed, verbatim
EXPECTED_IDS = (
    "intro", "1", "1.1", "1.2", "2", "3", "3.1", "3.2", "3.3", "3.4",
    *(str(n) for n in range(4, 15)),
)  # fmt: skip
SUBTITLES = {
    "Informations Personnelles",
    "Informations Collectées Automatiquement",
    "Prestataires de Services",
    "Exigences Légales",
    "Transferts d'Entreprise",
    "Avec Votre Consentement",
}
NUMBERED = re.compile(r"^\d+\. ")


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_as_markdown(text: str) -> str:
    """The seed with Markdown headings; sub-headings left unnumbered, bullets as '*'."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line == "Politique de Confidentialité":
            out.append("# " + line)
        elif line == "Introduction" or NUMBERED.match(line):
            out.append("## " + line)
        elif line in SUBTITLES:
            out.append("### " + line)
        elif line.startswith("•"):
            out.append("* " + line[1:].strip())
        else:
            out.append(line)
    return "\n".join(out)


def seed_as_html(text: str) -> str:
    """The seed as a web page: h1/h2/h3, <p>, <ul><li>, a Cloudflare-hidden address."""
    body: list[str] = []
    in_list = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        is_bullet = line.startswith("•")
        if in_list and not is_bullet:
            body.append("</ul>")
            in_list = False
        escaped = html.escape(line.lstrip("• "))
        escaped = re.sub(
            r"\[email\s+protected\]",
            '<a href="/cdn-cgi/l/email-protection" class="__cf_email__">[email&#160;protected]</a>',
            escaped,
        )
        if line == "Politique de Confidentialité":
            body.append(f"<h1>{escaped}</h1>")
        elif line == "Introduction" or NUMBERED.match(line):
            body.append(f"<h2>{escaped}</h2>")
        elif line in SUBTITLES:
            body.append(f"<h3>{escaped}</h3>")
        elif is_bullet:
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{escaped}</li>")
        else:
            body.append(f"<p>{escaped}</p>")
    if in_list:
        body.append("</ul>")
    return (
        "<!DOCTYPE html>\n<html><head><title>x</title><script>var a = 1;</script></head>\n"
        "<body><nav><a href='/'>Accueil</a></nav><main>\n"
        + "\n".join(body)
        + "\n</main></body></html>"
    )


def ids(text: str, language: Language = Language.FR) -> tuple[str, ...]:
    return tuple(s.id for s in parse_policy(text, language).sections)


# --- the shipped corpus ---------------------------------------------------------------


def test_corpus_files_have_the_expected_ids_and_date() -> None:
    for language in Language:
        doc = parse_policy((CORPUS / f"{language}.md").read_text("utf-8"), language)
        assert tuple(s.id for s in doc.sections) == EXPECTED_IDS
        assert doc.last_updated == date(2025, 1, 4)
        assert all(s.title for s in doc.sections)


def test_shipped_corpus_passes_its_check() -> None:
    assert check_corpus(CORPUS) == []


def test_french_corpus_is_the_seed_verbatim() -> None:
    def words(text: str) -> list[str]:
        text = re.sub(r"^#+ (?:intro\. |\d+(?:\.\d+)*\.? )?", "", text, flags=re.M)
        text = re.sub(r"^\s*(?:[-•]|\d+\.) ", "", text, flags=re.M)
        return text.split()

    seed = re.sub(r"\[email\s+protected\]", "{contact_email}", seed_text())
    body = (CORPUS / "fr.md").read_text("utf-8").split("---\n", 2)[2]
    assert words(body) == [w for w in words(seed) if w != "JURIDIQUE"]


def test_parent_text_is_its_lead_and_children_are_reachable() -> None:
    doc = parse_policy((CORPUS / "fr.md").read_text("utf-8"), Language.FR)
    three = doc.section("3")
    assert three is not None
    assert three.text == "Nous pouvons partager vos informations dans les circonstances suivantes :"
    assert doc.section("1") is not None and doc.section("1").text == ""  # type: ignore[union-attr]
    assert [s.id for s in section_children(doc, "3")] == ["3.1", "3.2", "3.3", "3.4"]
    assert section_children(doc, "3.1") == ()
    full = section_full_text(doc, "1")
    assert "1.1. Informations Personnelles" in full and "- Données de localisation" in full


def test_bullets_are_dash_lines() -> None:
    doc = parse_policy((CORPUS / "en.md").read_text("utf-8"), Language.EN)
    six = doc.section("6")
    assert six is not None
    assert "\n- Access: Request a copy" in six.text
    assert "•" not in six.text


# --- contact address ------------------------------------------------------------------


def test_contact_email_is_rendered_and_placeholder_never_left(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    en = corpus / "en.md"
    en.write_text(en.read_text("utf-8").replace("{contact_email}", "[email protected]", 1))
    policy = load_policy(corpus, "dpo@example.org")
    for doc in policy.documents.values():
        for section in doc.sections:
            assert "{contact_email}" not in section.text
            assert "[email" not in section.text
        assert "dpo@example.org" in doc.section("6").text  # type: ignore[union-attr]
        assert "dpo@example.org" in doc.section("14").text  # type: ignore[union-attr]


# --- checks ---------------------------------------------------------------------------


def _heading_line(path: Path, heading: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(heading))


def test_check_fails_when_a_section_is_missing_in_one_language(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    en = corpus / "en.md"
    text = en.read_text("utf-8")
    start = text.index("### 3.2. ")
    en.write_text(text[:start] + text[text.index("### 3.3. ") :], encoding="utf-8")
    problems = check_corpus(corpus)
    line = _heading_line(corpus / "fr.md", "### 3.2. ")
    assert problems == [
        f"{corpus / 'fr.md'}:{line}: section 3.2 (Exigences Légales) is missing from en.md"
    ]
    with pytest.raises(ContentError) as caught:
        load_policy(corpus, "dpo@example.org")
    assert caught.value.problems == tuple(problems)


def test_check_reports_duplicates_and_bad_front_matter(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    fr = corpus / "fr.md"
    fr.write_text(
        fr.read_text("utf-8")
        .replace("last_updated: 2025-01-04", "last_updated: 4 janvier\nlast_update: x")
        .replace("## 5. Conservation", "## 4. Conservation"),
        encoding="utf-8",
    )
    problems = check_corpus(corpus)
    text = "\n".join(problems)
    assert "unknown front matter key 'last_update'" in text
    assert "last_updated '4 janvier' is not a YYYY-MM-DD date" in text
    dup_line = _heading_line(fr, "## 4. Conservation")
    assert any(p.startswith(f"{fr}:{dup_line}: duplicate section id 4") for p in problems)
    assert f"{corpus / 'en.md'}:" in text  # en's section 5 now has no French counterpart


def test_check_reports_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fr.md").write_text("---\nlanguage: [fr\n---\n## 1. Titre\n\nTexte.\n", "utf-8")
    problems = check_corpus(corpus)
    assert any(p.startswith(f"{corpus / 'fr.md'}:") and "not valid YAML" in p for p in problems)
    assert any(p.startswith(f"{corpus / 'en.md'}:1: missing") for p in problems)


def test_hostile_front_matter_and_huge_files_are_problems(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    fr, en = corpus / "fr.md", corpus / "en.md"
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 7)]
    fr.write_text(
        fr.read_text("utf-8").replace("---\n", "---\n" + "\n".join(bomb) + "\nbomb: *a6\n", 1),
        "utf-8",
    )
    en.write_text(en.read_text("utf-8") + "x" * CORPUS_MAX_BYTES, "utf-8")
    problems = check_corpus(corpus)
    assert f"{fr}:2: front matter may not use YAML aliases (*name)" in problems
    assert f"{en}:1: larger than {CORPUS_MAX_BYTES:,} bytes" in problems


def test_unparseable_file_is_a_problem(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "en.md").write_text("just some words\n", "utf-8")
    problems = check_corpus(corpus)
    assert any("en.md:1: no sections found" in p for p in problems)


# --- formats --------------------------------------------------------------------------


def test_seed_plain_text() -> None:
    parsed = parse_policy_details(seed_text(), Language.FR, "seed.txt")
    doc = parsed.document
    assert parsed.format == "text"
    assert tuple(s.id for s in doc.sections) == EXPECTED_IDS
    assert doc.last_updated == date(2025, 1, 4)
    assert parsed.title == "Politique de Confidentialité"
    assert parsed.tagline.startswith("Votre vie privée nous importe.")
    assert doc.section("1.1").title == "Informations Personnelles"  # type: ignore[union-attr]
    fourteen = doc.section("14").text  # type: ignore[union-attr]
    assert "QAZAR CLOUD TECHNOLOGIES" in fourteen and "Email : {contact_email}" in fourteen
    assert "- Chiffrement des données en transit et au repos" in doc.section("4").text  # type: ignore[union-attr]
    assert parsed.problems == ()


def test_markdown_version_of_the_seed() -> None:
    parsed = parse_policy_details(seed_as_markdown(seed_text()), Language.FR)
    assert parsed.format == "markdown"
    assert tuple(s.id for s in parsed.document.sections) == EXPECTED_IDS
    assert parsed.document.last_updated == date(2025, 1, 4)
    assert parsed.document.section("3.3").title == "Transferts d'Entreprise"  # type: ignore[union-attr]
    assert "\n- Opposition : " in parsed.document.section("6").text  # type: ignore[union-attr]


def test_html_version_of_the_seed() -> None:
    parsed = parse_policy_details(seed_as_html(seed_text()), Language.FR)
    doc = parsed.document
    assert parsed.format == "html"
    assert tuple(s.id for s in doc.sections) == EXPECTED_IDS
    assert doc.last_updated == date(2025, 1, 4)
    assert parsed.title == "Politique de Confidentialité"
    seed_doc = parse_policy(seed_text(), Language.FR)
    assert [(s.title, s.text) for s in doc.sections] == [
        (s.title, s.text) for s in seed_doc.sections
    ]


def test_markdown_heading_variants() -> None:
    text = (
        "Last updated: 2024-11-30\n\n## intro. Introduction\n\nHello.\n\n## 1. Data\n\nLead.\n\n"
        "## 3.2 No trailing dot\n\nSub.\n\n## 2.\n\nUntitled section.\n\n### Unnumbered\n\nAuto.\n"
    )
    doc = parse_policy(text, Language.EN)
    assert [(s.id, s.title) for s in doc.sections] == [
        ("intro", "Introduction"),
        ("1", "Data"),
        ("3.2", "No trailing dot"),
        ("2", ""),
        ("2.1", "Unnumbered"),
    ]
    assert doc.last_updated == date(2024, 11, 30)


def test_preamble_without_introduction_becomes_intro() -> None:
    text = (
        "<h1>Privacy Policy</h1><p>Effective date: March 3, 2024</p>"
        "<p>We care about your privacy and explain it here.</p>"
        "<h2>1. What we collect</h2><p>Things.</p><h3>Cookies</h3><p>Small files.</p>"
    )
    doc = parse_policy(text, Language.EN)
    assert [s.id for s in doc.sections] == ["intro", "1", "1.1"]
    assert doc.section("intro").text == "We care about your privacy and explain it here."  # type: ignore[union-attr]
    assert doc.last_updated == date(2024, 3, 3)


def test_writer_round_trip() -> None:
    parsed = parse_policy_details((CORPUS / "en.md").read_text("utf-8"), Language.EN)
    written = format_policy_markdown(
        parsed.document, title=parsed.title, tagline=parsed.tagline, category=parsed.category
    )
    again = parse_policy_details(written, Language.EN)
    assert again.document == parsed.document
    assert diff_documents(parsed.document, again.document).is_empty
    assert written == (CORPUS / "en.md").read_text("utf-8")


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Dernière mise à jour : 4 janvier 2025", Language.FR, date(2025, 1, 4)),
        ("Derniere mise a jour: 1er fevrier 2024", Language.FR, date(2024, 2, 1)),
        ("Mis à jour le 12/03/2024", Language.FR, date(2024, 3, 12)),
        ("Last updated: January 4, 2025", Language.EN, date(2025, 1, 4)),
        ("Last Updated on 4th Jan 2025", Language.EN, date(2025, 1, 4)),
        ("Last updated 2025-01-04", Language.EN, date(2025, 1, 4)),
        ('Nous mettrons à jour la date de "Dernière mise à jour".', Language.FR, None),
    ],
)
def test_last_updated_in(text: str, language: Language, expected: date | None) -> None:
    assert last_updated_in(text, language) == expected


def test_dates_are_only_read_from_last_updated_lines() -> None:
    assert find_date("on 2020-05-06 we", Language.EN) == date(2020, 5, 6)
    text = "## 1. Data\n\nSince January 1, 2020 we keep data.\n"
    assert parse_policy(text, Language.EN).last_updated is None


def test_format_date_line() -> None:
    assert (
        format_date_line(date(2025, 1, 4), Language.FR) == "Dernière mise à jour : 4 janvier 2025"
    )
    assert (
        format_date_line(date(2025, 1, 1), Language.FR) == "Dernière mise à jour : 1er janvier 2025"
    )
    assert format_date_line(date(2025, 1, 4), Language.EN) == "Last updated: January 4, 2025"


# --- published policies without numbered headings ---------------------------------------

UNNUMBERED_HTML = """<html><body><h1>Acme Privacy Policy</h1><p>Last updated: May 2, 2024</p>
<p>This policy explains what Acme does with your data.</p>
<h2>Information We Collect</h2><p>We collect things.</p><h3>Cookies</h3><p>We use cookies.</p>
<h2>How We Use Information</h2><ul><li>To run the service</li><li>To improve it</li></ul>
<h2>Contact Us</h2><p>Write to us.</p></body></html>"""

UNNUMBERED_TEXT = """Privacy Policy

This policy explains things.

Last updated: 2024-05-02

Information We Collect

We collect your name and email.

How We Share It

We do not sell it.
"""


@pytest.mark.parametrize("text", [UNNUMBERED_HTML, UNNUMBERED_TEXT])
def test_unnumbered_headings_are_numbered_in_order(text: str) -> None:
    parsed = parse_policy_details(text, Language.EN)
    doc = parsed.document
    assert [s.id for s in doc.sections][:3] == ["intro", "1", "1.1" if "<h3>" in text else "2"]
    assert doc.section("1").title == "Information We Collect"  # type: ignore[union-attr]
    assert doc.last_updated == date(2024, 5, 2)
    assert "Privacy Policy" in parsed.title
    assert parsed.problems == ()


def test_unnumbered_markdown() -> None:
    doc = parse_policy("# Policy\n\nHi.\n\n## Data\n\nStuff.\n\n## Sharing\n\nNo.\n", Language.EN)
    assert [(s.id, s.title) for s in doc.sections] == [
        ("intro", "Introduction"),
        ("1", "Data"),
        ("2", "Sharing"),
    ]
