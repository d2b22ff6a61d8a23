"""`privbot corpus import | check` end to end, on temporary copies of the corpus."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner, Result

from privbot.cli.corpus import corpus
from privbot.content.corpus import check_corpus, parse_policy
from privbot.core.model import Language

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "policy_corpus"
SEED = ROOT / "tests" / "data" / "seed-privacy-policy.fr.txt"  # the seed, verbatim


def _unit_helpers() -> ModuleType:
    """The seed-to-HTML/Markdown converters of the unit tests (tests/ is not a package)."""
    path = ROOT / "tests" / "unit" / "test_corpus.py"
    spec = importlib.util.spec_from_file_location("_corpus_unit_helpers", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


INTENTS_YAML = """\
intents:
  - id: share_with_consent
    kind: answer
    section: "3.4"
  - id: retention
    kind: answer
    section: "5"
  - id: hello
    kind: smalltalk
"""


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    (tmp_path / "intents").mkdir()
    (tmp_path / "intents" / "minimal.yml").write_text(INTENTS_YAML, encoding="utf-8")
    return tmp_path


def run(workdir: Path, *args: str) -> Result:
    argv = [*args, "--corpus", str(workdir / "corpus")]
    if args[0] == "import":
        argv += ["--intents", str(workdir / "intents")]
    return CliRunner().invoke(corpus, argv, env={"COLUMNS": "160"})


def seed_variant(workdir: Path, name: str, edit: tuple[str, str] | None = None) -> Path:
    text = SEED.read_text(encoding="utf-8")
    if edit:
        assert edit[0] in text
        text = text.replace(*edit)
    path = workdir / name
    path.write_text(text, encoding="utf-8")
    return path


def test_importing_the_seed_changes_nothing(workdir: Path) -> None:
    result = run(workdir, "import", str(seed_variant(workdir, "seed.txt")), "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert "last updated: 2025-01-04" in result.output
    assert "No section changed (21 unchanged)" in result.output
    assert "Nothing written" in result.output


def test_diff_lists_a_changed_section_and_does_not_write(workdir: Path) -> None:
    before = (workdir / "corpus" / "fr.md").read_bytes()
    path = seed_variant(
        workdir, "new.txt", ("aussi longtemps que nécessaire", "pendant trois ans au plus")
    )
    result = run(workdir, "import", str(path), "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert re.search(r"changed \(text\)\s.*\b5\b.*Conservation des Données", result.output)
    assert "changed 1, unchanged 20" in result.output
    assert "its last-updated date did not" in result.output
    assert (workdir / "corpus" / "fr.md").read_bytes() == before


def test_diff_lists_a_removed_section_and_its_intents(workdir: Path) -> None:
    removed = (
        "Avec Votre Consentement\n\n"
        "Nous pouvons partager vos informations à d'autres fins avec votre consentement explicite."
        "\n\n"
    )
    path = seed_variant(workdir, "new.txt", (removed, ""))
    result = run(workdir, "import", str(path), "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert re.search(r"removed\s.*3\.4\s.*Avec Votre Consentement", result.output)
    assert "Intents pointing at removed sections:" in result.output
    assert "share_with_consent -> section 3.4" in result.output
    assert "retention" not in result.output


def test_added_section_and_new_date(workdir: Path) -> None:
    path = seed_variant(
        workdir,
        "new.txt",
        ("4 janvier 2025", "1er mars 2025"),
    )
    text = (
        path.read_text("utf-8")
        + "\n\n15. Intelligence Artificielle\n\nNous n'entraînons aucun modèle.\n"
    )
    path.write_text(text, encoding="utf-8")
    result = run(workdir, "import", str(path), "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert "last updated: 2025-03-01" in result.output
    assert re.search(r"added\s.*15\s.*Intelligence Artificielle", result.output)


def test_write_round_trip_from_html(workdir: Path) -> None:
    seed_as_html = _unit_helpers().seed_as_html
    page = workdir / "policy.html"
    page.write_text(seed_as_html(SEED.read_text("utf-8")), encoding="utf-8")
    target = workdir / "corpus" / "fr.md"
    target.unlink()
    result = run(workdir, "import", str(page), "--lang", "fr", "--write")
    assert result.exit_code == 0, result.output
    assert "added" in result.output and f"Wrote {target}" in result.output.replace("\n", "")
    assert target.read_text("utf-8") == (CORPUS / "fr.md").read_text("utf-8")
    assert check_corpus(workdir / "corpus") == []
    again = run(workdir, "import", str(page), "--lang", "fr")
    assert "No section changed (21 unchanged)" in again.output


def test_write_keeps_the_corpus_date_when_the_text_has_none(workdir: Path) -> None:
    path = seed_variant(workdir, "new.txt", ("Dernière mise à jour : 4 janvier 2025", ""))
    result = run(workdir, "import", str(path), "--lang", "fr", "--write")
    assert result.exit_code == 0, result.output
    assert "not found in the text" in result.output
    doc = parse_policy((workdir / "corpus" / "fr.md").read_text("utf-8"), Language.FR)
    assert doc.last_updated is not None and doc.last_updated.isoformat() == "2025-01-04"
    assert check_corpus(workdir / "corpus") == []


def test_write_refuses_what_the_corpus_check_rejects(workdir: Path) -> None:
    before = {p.name: p.read_bytes() for p in (workdir / "corpus").iterdir()}
    text = (CORPUS / "en.md").read_text("utf-8")
    start = text.index("### 3.4. ")
    path = workdir / "en-new.md"
    path.write_text(text[:start] + text[text.index("## 4. ") :], encoding="utf-8")
    result = run(workdir, "import", str(path), "--lang", "en", "--write")
    assert result.exit_code == 1, result.output
    assert "corpus check" in result.output and "section 3.4" in result.output
    assert "nothing written" in result.output
    assert {p.name: p.read_bytes() for p in (workdir / "corpus").iterdir()} == before
    # A policy with 3 of its sections is refused the same way.
    short = workdir / "fr-short.md"
    fr = (CORPUS / "fr.md").read_text("utf-8")
    short.write_text(fr[: fr.index("## 3. ")], encoding="utf-8")
    result = run(workdir, "import", str(short), "--lang", "fr", "--write")
    assert result.exit_code == 1 and "nothing written" in result.output
    assert check_corpus(workdir / "corpus") == []


def test_both_languages_imported_together_may_remove_a_section(workdir: Path) -> None:
    files = []
    for lang, heading, following in (("en", "### 3.4. ", "## 4. "), ("fr", "### 3.4. ", "## 4. ")):
        text = (CORPUS / f"{lang}.md").read_text("utf-8")
        path = workdir / f"{lang}-new.md"
        path.write_text(text[: text.index(heading)] + text[text.index(following) :], "utf-8")
        files += [str(path), "--lang", lang]
    result = run(workdir, "import", *files, "--write")
    assert result.exit_code == 0, result.output
    assert check_corpus(workdir / "corpus") == []
    assert "### 3.4. " not in (workdir / "corpus" / "fr.md").read_text("utf-8")


def test_titles_with_rich_markup_are_shown_as_text(workdir: Path) -> None:
    text = (CORPUS / "en.md").read_text("utf-8")
    text = text.replace("## 5. ", "## 5. [/bold] [link=https://evil.example]Retention[/link] ", 1)
    path = workdir / "en-new.md"
    path.write_text(text, encoding="utf-8")
    result = run(workdir, "import", str(path), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "[/bold] [link=https://evil.example]Retention[/link]" in result.output


def test_unparseable_file_exits_1(workdir: Path) -> None:
    path = workdir / "empty.txt"
    path.write_text("Rien à voir ici.\n", encoding="utf-8")
    result = run(workdir, "import", str(path), "--lang", "fr")
    assert result.exit_code == 1
    assert "no policy sections found" in result.output


def test_check_ok_on_the_shipped_corpus(workdir: Path) -> None:
    result = run(workdir, "check")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(": ok")


def _without_section_11(workdir: Path) -> Path:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("11. Utilisateurs Européens (RGPD)")
    end = text.index("12. Droits de Confidentialité en Californie")
    path = workdir / "new.txt"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return path


def test_warns_when_a_section_marked_as_about_rights_disappears(workdir: Path) -> None:
    shutil.rmtree(workdir / "intents")
    shutil.copytree(ROOT / "intents", workdir / "intents")  # the shipped marking (`rights:`)
    result = run(workdir, "import", str(_without_section_11(workdir)), "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert re.search(r"removed\s.*\b11\b", result.output)
    assert "mark as about rights (`rights:`): 11;" in result.output


def test_rights_warning_also_from_intent_files_that_do_not_load(workdir: Path) -> None:
    marking = 'rights:\n  - section: "11"\n  - section: "12"\n    offers: opt_out_sale\n'
    (workdir / "intents" / "rights.yml").write_text(marking, encoding="utf-8")
    result = run(workdir, "import", str(_without_section_11(workdir)), "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert "mark as about rights (`rights:`): 11;" in result.output
    unchanged = run(workdir, "import", str(seed_variant(workdir, "seed.txt")), "--lang", "fr")
    assert "about rights" not in unchanged.output
