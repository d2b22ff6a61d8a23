"""The message catalogue: its checks (`privbot intents check`), placeholders, plurals, dates."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fakes.rights import shipped_catalogue

from privbot.content.messages import check_catalogue, load_catalogue
from privbot.core import messages as M
from privbot.core.catalogue import Catalogue, format_date, is_singular
from privbot.core.model import Language, RequestType
from privbot.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (ROOT / "intents" / "messages.yaml").read_text(encoding="utf-8")
FR, EN = Language.FR, Language.EN


def problems_after(tmp_path: Path, old: str, new: str) -> list[str]:
    """The check's problems once `old` (found once in the shipped file) becomes `new`."""
    assert SHIPPED.count(old) == 1, old
    (tmp_path / "messages.yaml").write_text(SHIPPED.replace(old, new), encoding="utf-8")
    return check_catalogue(tmp_path)


def line_of(text: str) -> int:
    return SHIPPED.splitlines().index(text) + 1


def test_the_shipped_catalogue_is_complete() -> None:
    assert check_catalogue(ROOT / "intents") == []


def test_a_text_missing_in_one_language_is_reported_at_its_key(tmp_path: Path) -> None:
    old = "    en: Which information is wrong?\n"
    problems = problems_after(tmp_path, old, "")
    where = f"{tmp_path / 'messages.yaml'}:{line_of('  ask_wrong:')}"
    assert problems == [f"{where}: flow.ask_wrong: no text in language 'en'"]


def test_languages_must_use_the_same_placeholders(tmp_path: Path) -> None:
    old = "    en: Your request {reference} is being handled.\n"
    problems = problems_after(tmp_path, old, "    en: Your request is being handled.\n")
    where = f"{tmp_path / 'messages.yaml'}:{line_of('  assigned:')}"
    assert problems == [
        f"{where}: notice.assigned: the languages use different values "
        "(fr uses {reference}; en uses none)"
    ]


def test_a_placeholder_the_code_does_not_give_is_reported(tmp_path: Path) -> None:
    old = "    en: Address verified.\n"
    problems = problems_after(tmp_path, old, "    en: Address {email} verified.\n")
    assert len(problems) == 2  # not given by the code, and unlike the French
    line = SHIPPED.splitlines().index(old.rstrip("\n")) + 1
    assert problems[0] == (
        f"{tmp_path / 'messages.yaml'}:{line}: flow.code_ok.en: {{email}} is not a value of "
        "this message (it has: none)"
    )


def test_every_key_the_code_uses_must_be_there_and_no_other(tmp_path: Path) -> None:
    old = "  no_requests:\n"
    problems = problems_after(tmp_path, old, "  no_requestz:\n")
    assert any(p.endswith(": chat.no_requests: missing (the bot says it)") for p in problems)
    assert any(p.endswith("chat.no_requestz: not a message the bot says (a misspelt key?)")
               for p in problems)  # fmt: skip
    assert all(re.match(rf"{re.escape(str(tmp_path))}/messages.yaml:\d+: ", p) for p in problems)


def test_a_stray_brace_is_reported(tmp_path: Path) -> None:
    old = "    en: Your request {reference} is cancelled.\n"
    problems = problems_after(tmp_path, old, "    en: Your request {reference is cancelled.\n")
    assert any("chat.request_cancelled.en: a brace that is not a {value}" in p for p in problems)


def test_yes_and_no_must_be_quoted(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, '    "no":\n', "    no:\n")
    assert any("key False must be text: quote it" in p for p in problems)
    problems = problems_after(tmp_path, "    en: Yes, erase\n", "    en: yes\n")
    assert any("privacy.erase_yes.en: expected a text" in p for p in problems)


def test_a_broken_catalogue_is_not_loaded(tmp_path: Path) -> None:
    problems_after(tmp_path, "    en: Which information is wrong?\n", "")
    with pytest.raises(ContentError) as caught:
        load_catalogue(tmp_path)
    assert "flow.ask_wrong" in str(caught.value)


def test_no_file_is_a_problem(tmp_path: Path) -> None:
    missing = tmp_path / "messages.yaml"
    assert check_catalogue(tmp_path) == [f"{missing}:1: no such file (the bot's messages)"]


def test_values_fill_placeholders_plurals_and_dates() -> None:
    texts = Catalogue(
        {
            "flow.code_wrong": {FR: "Il vous reste {left} {left|essai|essais}.",
                                EN: "{left} {left|attempt|attempts} left."},
            "flow.submitted": {FR: "Réponse le {due}.", EN: "Answer by {due}."},
        }
    )  # fmt: skip
    said = [texts.text(FR, M.CODE_WRONG, left=n) for n in (0, 1, 2)]
    assert said == ["Il vous reste 0 essai.", "Il vous reste 1 essai.", "Il vous reste 2 essais."]
    said = [texts.text(EN, M.CODE_WRONG, left=n) for n in (0, 1, 2)]
    assert said == ["0 attempts left.", "1 attempt left.", "2 attempts left."]
    due = date(2026, 3, 1)
    assert texts.text(FR, M.SUBMITTED, reference="X", due=due) == "Réponse le 1er mars 2026."
    assert texts.text(EN, M.SUBMITTED, reference="X", due=due) == "Answer by March 1, 2026."


def test_the_code_must_give_exactly_the_values_of_a_key() -> None:
    texts = shipped_catalogue()
    with pytest.raises(ValueError, match="takes"):
        texts.text(EN, M.CODE_WRONG)
    with pytest.raises(ValueError, match="takes"):
        texts.text(EN, M.CODE_OK, left=1)


def test_one_date_format_and_one_plural_rule() -> None:
    assert format_date(date(2026, 3, 1), FR) == "1er mars 2026"
    assert format_date(date(2026, 3, 12), FR) == "12 mars 2026"
    assert format_date(date(2026, 3, 1), EN) == "March 1, 2026"
    assert [is_singular(n, FR) for n in (0, 1, 2)] == [True, True, False]
    assert [is_singular(n, EN) for n in (0, 1, 2)] == [False, True, False]


def test_facts_come_from_the_code_not_the_prose() -> None:
    texts = shipped_catalogue()
    sent = texts.text(EN, M.CODE_SENT, digits=8, minutes=15)
    assert "8-digit" in sent and "15 minutes" in sent
    assert "(s)" not in SHIPPED  # plurals go through {n|one|many}


def test_the_code_names_texts_only_through_core_messages() -> None:
    """So that `required()` lists every key the code can ask for."""
    source = ROOT / "src" / "privbot"
    built = [
        f"{path.relative_to(source)}:{n}"
        for path in source.rglob("*.py")
        if path.name != "messages.py" or path.parent.name != "core"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bKey\(", line)
    ]
    assert built == []
    assert {M.right(t).name for t in RequestType} <= set(M.required())
