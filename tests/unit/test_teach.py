"""`content.teach`'s line-based edit of an intent file: new examples go after the last one of
their language, whatever the list's indentation; every other line (comments, blank lines,
flow lists elsewhere) stays as it was; a wording already known is left out, one YAML would
misread is quoted; a flow list of examples is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from privbot.content.intents import load_intents
from privbot.content.teach import add_examples, scalar
from privbot.core.model import Language
from privbot.errors import ContentError

FILE = """\
intents:
  # the first intent
  - id: cookies
    kind: smalltalk
    reply: {fr: Oui., en: Yes.}
    examples:
      fr:
      - utilisez-vous des cookies   # key-column list
      en:
          - do you use cookies
          # a trailing comment

          - which cookies do you use
    tests:
      fr: [des cookies chez vous]
      en: [any cookies here]
  - id: hello
    kind: smalltalk
    reply: {fr: Bonjour !, en: Hello!}
    examples:
      fr:
        - bonjour
      en:
        - hello
    tests: {fr: [salut toi], en: [hello you]}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.yaml").write_text(FILE, "utf-8")
    return tmp_path


def test_examples_go_after_the_last_of_their_language(folder: Path) -> None:
    intents = load_intents(folder)
    phrases = {
        Language.EN: ["are cookies: tracking me?", "do you use cookies", "- yes"],
        Language.FR: ["des cookies partout"],
    }
    taught = add_examples(intents, "cookies", phrases)
    assert taught.skipped == ["do you use cookies"]
    assert taught.text == FILE.replace(
        "      - utilisez-vous des cookies   # key-column list\n",
        "      - utilisez-vous des cookies   # key-column list\n      - des cookies partout\n",
    ).replace(
        "          - which cookies do you use\n",
        '          - which cookies do you use\n          - "are cookies: tracking me?"\n'
        '          - "- yes"\n',
    )
    data = yaml.safe_load(taught.text)["intents"][0]["examples"]
    assert data["en"][-2:] == ["are cookies: tracking me?", "- yes"]


def test_flow_lists_and_unknown_intents_are_refused(folder: Path) -> None:
    flow = FILE.replace("      en:\n        - hello\n", "      en: [hello]\n")
    (folder / "a.yaml").write_text(flow, "utf-8")
    with pytest.raises(ContentError, match="block list"):
        add_examples(load_intents(folder), "hello", {Language.EN: ["hi there"]})
    with pytest.raises(ContentError, match="no such intent"):
        add_examples(load_intents(folder), "nope", {Language.EN: ["hi there"]})


def test_scalars_read_back_as_written() -> None:
    for text in ["plain words", "a: colon", "hash #here", "yes", "- dash", "'quoted'", "é ü"]:
        assert yaml.safe_load(f"k: {scalar(text)}")["k"] == text
