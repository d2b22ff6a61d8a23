"""The intent files' loader: valid files load, broken ones give `file:line: message`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from privbot.content.intents import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_INTENTS,
    MAX_TOTAL_BYTES,
    MAX_VALUES,
    check_intent_files,
    load_intents,
)
from privbot.core.model import IntentKind, Language, RequestType
from privbot.errors import ContentError

SECTIONS = ("intro", "1", "1.1", "6", "14")

VALID = """\
settings:
  eval_threshold: 0.75
intents:
  - id: data_collected
    kind: answer
    section: "1"
    examples:
      fr:
        - quelles données collectez-vous
        - vous collectez quoi
      en:
        - what data do you collect
    synonyms: [gather]
    tests:
      fr: [vous récoltez quoi]
      en: [which data do you gather]
    answer: {fr: Votre nom et vos coordonnées., en: Your name and contact details.}
  - id: request_erasure
    kind: request
    request_type: erasure
    examples:
      fr: [supprimez mes données]
      en: [delete my data]
    tests:
      fr: [effacez mes infos]
      en: [erase my info]
"""

SMALLTALK = """\
intents:
  - id: greet
    kind: smalltalk
    reply: {fr: Bonjour !, en: Hello!}
    examples:
      fr: [bonjour]
      en: [hello]
    tests:
      fr: [salut]
      en: [hi]
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(folder: Path) -> list[str]:
    return check_intent_files(folder, SECTIONS)


def test_valid_files_load_with_lines_and_settings(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", VALID)
    write(tmp_path, "b.yaml", SMALLTALK)
    write(tmp_path, "notes.txt", "not an intent file")

    assert problems(tmp_path) == []
    intents = load_intents(tmp_path, SECTIONS)

    assert intents.eval_threshold == 0.75
    assert [i.id for i in intents.intents] == ["data_collected", "request_erasure", "greet"]
    collected = intents.get("data_collected")
    assert collected is not None
    assert collected.kind is IntentKind.ANSWER and collected.section == "1"
    assert collected.source == str(tmp_path / "a.yaml") and collected.line == 4
    assert [(p.text, p.language, p.line) for p in collected.examples] == [
        ("quelles données collectez-vous", Language.FR, 9),
        ("vous collectez quoi", Language.FR, 10),
        ("what data do you collect", Language.EN, 12),
    ]
    assert collected.synonyms == ("gather",)
    assert collected.answers == {
        Language.FR: "Votre nom et vos coordonnées.",
        Language.EN: "Your name and contact details.",
    }
    assert [(p.text, p.line) for p in collected.tests] == [
        ("vous récoltez quoi", 15),
        ("which data do you gather", 16),
    ]
    erasure = intents.get("request_erasure")
    assert erasure is not None and erasure.request_type is RequestType.ERASURE
    greet = intents.get("greet")
    assert greet is not None and greet.replies[Language.EN] == "Hello!"


def test_default_threshold_and_no_section_check_without_corpus(tmp_path: Path) -> None:
    without_settings = VALID.replace("settings:\n  eval_threshold: 0.75\n", "")
    write(tmp_path, "a.yaml", without_settings.replace('section: "1"', 'section: "99"'))
    intents = load_intents(tmp_path)  # no known sections: any section id is accepted
    assert intents.eval_threshold == 0.9
    assert intents.intents[0].section == "99"


def test_bad_yaml_gives_the_parser_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "broken.yaml",
        """\
        intents:
          - id: greet
            kind: smalltalk
            examples:
              fr: [bonjour
              en: [hello]
        """,
    )
    found = problems(tmp_path)
    assert len(found) == 1
    assert found[0].startswith(f"{path}:6: bad YAML:")


def test_unknown_section(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", VALID.replace('section: "1"', 'section: "15"'))
    assert problems(tmp_path) == [
        f"{path}:6: intent 'data_collected': unknown section '15' (known: intro, 1, 1.1, 6, 14)"
    ]
    with pytest.raises(ContentError) as caught:
        load_intents(tmp_path, SECTIONS)
    assert caught.value.problems == tuple(problems(tmp_path))


def test_unknown_request_type(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", VALID.replace("request_type: erasure", "request_type: delete"))
    [found] = problems(tmp_path)
    assert found.startswith(f"{path}:20: intent 'request_erasure': unknown request type 'delete'")


def test_missing_language_in_examples_and_tests(tmp_path: Path) -> None:
    text = VALID.replace("      en:\n        - what data do you collect\n", "").replace(
        "      en: [erase my info]\n", ""
    )
    path = write(tmp_path, "a.yaml", text)
    assert problems(tmp_path) == [
        f"{path}:7: intent 'data_collected': no examples in language 'en'",
        f"{path}:22: intent 'request_erasure': no tests in language 'en'",
    ]


def test_unknown_language_and_unknown_field_are_schema_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        VALID.replace("      fr: [supprimez mes données]", "      de: [löschen]").replace(
            "    synonyms: [gather]", "    synonym: [gather]"
        ),
    )
    found = problems(tmp_path)
    assert f"{path}:13: intents.0.synonym: unknown field" in found
    assert any(p.startswith(f"{path}:22: intents.1.examples.de: Input should be") for p in found)


def test_same_example_under_two_intents_after_normalisation(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", VALID)
    second = write(
        tmp_path,
        "b.yaml",
        SMALLTALK.replace("fr: [bonjour]", "fr: [bonjour, 'Quelles DONNEES collectez vous ?']"),
    )
    assert problems(tmp_path) == [
        f"{second}:6: example 'Quelles DONNEES collectez vous ?' of intent 'greet' is also an"
        f" example of intent 'data_collected' ({first}:9)"
    ]


def test_test_phrase_equal_to_an_example(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", VALID.replace("en: [erase my info]", "en: [Delete my data!]"))
    assert problems(tmp_path) == [
        f"{path}:26: test phrase 'Delete my data!' of intent 'request_erasure' is one of its own"
        " examples; tests must differ from examples"
    ]


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", SMALLTALK)
    second = write(
        tmp_path, "b.yaml", SMALLTALK.replace("[bonjour]", "[coucou]").replace("[hello]", "[hey]")
    )
    assert problems(tmp_path) == [
        f"{second}:2: duplicate intent id 'greet' (first defined at {first}:2)"
    ]


def test_smalltalk_without_reply_in_a_language(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        SMALLTALK.replace("reply: {fr: Bonjour !, en: Hello!}", "reply: {fr: Bonjour !}"),
    )
    assert problems(tmp_path) == [
        f"{path}:4: intent 'greet': smalltalk needs a reply in language 'en'"
    ]
    write(tmp_path, "a.yaml", SMALLTALK.replace("    reply: {fr: Bonjour !, en: Hello!}\n", ""))
    assert problems(tmp_path) == [
        f"{path}:2: intent 'greet': smalltalk needs a reply in language 'fr'",
        f"{path}:2: intent 'greet': smalltalk needs a reply in language 'en'",
    ]


def test_kind_and_target_must_agree(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        VALID.replace('    section: "1"\n', "").replace(
            "request_type: erasure", 'request_type: erasure\n    section: "6"'
        ),
    )
    assert problems(tmp_path) == [
        f"{path}:5: intent 'data_collected': an answer intent needs a 'section'",
        f"{path}:20: intent 'request_erasure': only answer intents take a 'section'",
    ]


def test_bad_id_kind_threshold_and_boolean_phrase(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        VALID.replace("eval_threshold: 0.75", "eval_threshold: 2")
        .replace("id: data_collected", "id: Data-Collected")
        .replace("kind: request", "kind: demand")
        .replace("[effacez mes infos]", "[no]"),
    )
    found = problems(tmp_path)
    assert f"{path}:2: settings.eval_threshold: Input should be less than or equal to 1" in found


def test_schema_errors_in_intents_are_reported_per_intent(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        VALID.replace("id: data_collected", "id: Data-Collected")
        .replace("kind: request", "kind: demand")
        .replace("[effacez mes infos]", "[no]"),
    )
    found = problems(tmp_path)
    assert any(f.startswith(f"{path}:4: intents.0.id: String should match pattern") for f in found)
    assert any(f.startswith(f"{path}:19: intents.1.kind: Input should be") for f in found)
    assert any(
        f.startswith(f"{path}:25: intents.1.tests.fr.0: Input should be a valid string")
        for f in found
    )


def test_settings_in_two_files_and_duplicate_keys(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", VALID)
    second = write(
        tmp_path,
        "b.yaml",
        "settings:\n  eval_threshold: 0.5\n"
        + SMALLTALK.replace("    kind: smalltalk\n", "    kind: smalltalk\n    kind: smalltalk\n"),
    )
    assert problems(tmp_path) == [
        f"{second}:6: duplicate key 'kind'",
        f"{second}:1: settings are already given in {first}:1",
    ]


def test_empty_or_missing_folder(tmp_path: Path) -> None:
    assert problems(tmp_path) == [f"{tmp_path}:1: no intent files (*.yaml)"]
    assert problems(tmp_path / "nope") == [f"{tmp_path / 'nope'}:1: no such folder"]
    write(tmp_path, "a.yaml", "")
    assert problems(tmp_path) == [f"{tmp_path}:1: the intent files define no intent"]
    write(tmp_path, "a.yaml", "- just\n- a list\n")
    assert problems(tmp_path) == [f"{tmp_path / 'a.yaml'}:1: expected a mapping with 'intents:'"]


# --- hostile files: each is a `file:line: message`, never an exception --------------------
def _one_problem(folder: Path, path: Path, fragment: str) -> str:
    found = problems(folder)
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}:"), found
    assert fragment in found[0], found
    return found[0]


def test_a_python_tag_is_refused_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "intents: []\nx: !!python/name:os.system\n")
    assert _one_problem(tmp_path, path, "unsupported tag").startswith(f"{path}:2:")


def test_a_self_referencing_alias_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "intents: &a [*a]\n")
    _one_problem(tmp_path, path, "refers to itself")


def test_deep_nesting_is_refused_before_it_is_composed(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "x: " + "[" * 5000 + "]" * 5000 + "\n")
    _one_problem(tmp_path, path, f"nested deeper than {MAX_DEPTH} levels")


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    # Each level repeats the one before ten times: 10**6 values from a few lines.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 7):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path = write(tmp_path, "a.yaml", "\n".join(lines) + "\n")
    _one_problem(tmp_path, path, f"more than {MAX_VALUES:,} values")


def test_a_file_over_the_size_cap_is_not_read(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", SMALLTALK + "#" * MAX_FILE_BYTES + "\n")
    assert _one_problem(tmp_path, path, "larger than").startswith(f"{path}:1:")


def test_more_intents_than_the_cap_are_refused(tmp_path: Path) -> None:
    one = "  - {{id: i{n}, kind: smalltalk, reply: {{fr: a, en: a}}, examples: {{fr: [w{n}], en: [w{n}]}}, tests: {{fr: [t{n}], en: [t{n}]}}}}\n"  # noqa: E501
    body = "".join(one.format(n=n) for n in range(MAX_INTENTS + 1))
    path = write(tmp_path, "a.yaml", "intents:\n" + body)
    _one_problem(tmp_path, path, f"more than {MAX_INTENTS:,} intents")


def test_a_non_scalar_key_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "intents: []\n? [a, b]\n: c\n")
    _one_problem(tmp_path, path, "a key must be a plain value")


def test_files_together_over_the_total_cap_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", SMALLTALK)
    filler = "#" * (MAX_FILE_BYTES - 10) + "\n"
    paths = [
        write(tmp_path, f"z{i}.yaml", filler) for i in range(MAX_TOTAL_BYTES // MAX_FILE_BYTES + 1)
    ]
    found = problems(tmp_path)
    assert len(found) == 1 and "together larger than" in found[0], found
    assert found[0].split(":1:")[0] in {str(p) for p in paths}  # where the total crossed it


def test_an_answer_intent_needs_a_short_answer_in_each_language(tmp_path: Path) -> None:
    short = "    answer: {fr: Votre nom et vos coordonnées., en: Your name and contact details.}\n"
    path = write(tmp_path, "a.yaml", VALID.replace(short, ""))
    assert problems(tmp_path) == [
        f"{path}:4: intent 'data_collected': an answer intent needs a short 'answer' in 'fr'",
        f"{path}:4: intent 'data_collected': an answer intent needs a short 'answer' in 'en'",
    ]
    write(tmp_path, "a.yaml", VALID.replace(short, "    answer: {fr: Votre nom.}\n"))
    assert problems(tmp_path) == [
        f"{path}:17: intent 'data_collected': an answer intent needs a short 'answer' in 'en'"
    ]


def test_only_answer_intents_take_an_answer(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.yaml",
        VALID.replace("request_type: erasure", "request_type: erasure\n    answer: {fr: a, en: b}"),
    )
    assert problems(tmp_path) == [
        f"{path}:21: intent 'request_erasure': only answer intents take an 'answer'"
    ]


def test_a_short_answer_may_name_the_contact_only_and_alike_in_both_languages(
    tmp_path: Path,
) -> None:
    short = "    answer: {fr: Votre nom et vos coordonnées., en: Your name and contact details.}\n"
    path = write(
        tmp_path,
        "a.yaml",
        VALID.replace(short, "    answer: {fr: 'À {contact_email}.', en: 'To {email}.'}\n"),
    )
    assert problems(tmp_path) == [
        f"{path}:17: intent 'data_collected': answer in 'en' has email; only {{contact_email}} "
        "may be filled in",
        f"{path}:17: intent 'data_collected': the answer texts use different {{values}}",
    ]
    write(
        tmp_path,
        "a.yaml",
        VALID.replace(short, "    answer: {fr: 'À {contact_email}.', en: 'To us.'}\n"),
    )
    assert problems(tmp_path) == [
        f"{path}:17: intent 'data_collected': the answer texts use different {{values}}"
    ]
    write(tmp_path, "a.yaml", VALID.replace(short, "    answer: {fr: 'a {x', en: 'b {x'}\n"))
    assert len(problems(tmp_path)) == 2  # a stray brace in each language


SILENT = """\
silent:
  section: "1"
  topics:
    - id: audio
      words: [microphone, Micro, écoute]
      name: {fr: le microphone, en: the microphone}
    - id: camera
      words: [caméra]
      name: {fr: la caméra, en: the camera}
"""


def test_the_kinds_of_data_the_policy_is_silent_on(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", VALID)
    write(tmp_path, "silent.yaml", SILENT)
    assert problems(tmp_path) == []
    silent = load_intents(tmp_path, SECTIONS).silent
    assert silent is not None and silent.section == "1"
    audio = silent.get("audio")
    assert audio is not None and audio.phrases == ("microphone", "micro", "ecoute")
    assert audio.names[Language.EN] == "the microphone" and audio.line == 4


def test_silent_topics_are_checked(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", VALID)
    bad = (
        SILENT.replace('section: "1"', 'section: "9"')
        .replace("[caméra]", "[camera, micro]")
        .replace("{fr: la caméra, en: the camera}", "{fr: la caméra}")
    )
    path = write(tmp_path, "silent.yaml", bad)
    assert problems(tmp_path) == [
        f"{path}:2: silent: unknown section '9' (known: intro, 1, 1.1, 6, 14)",
        f"{path}:9: silent: topic 'camera' has no name in language 'en'",
        f"{path}:8: silent: 'micro' is also a word of topic 'audio'",
    ]
    more = write(tmp_path, "more.yaml", SILENT)  # read first: files are read in name order
    assert problems(tmp_path) == [f"{path}:1: silent is already given in {more}:1"]


def test_a_silent_use_names_a_known_section_of_its_own(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", VALID)
    use = (
        SILENT
        + '    - id: ai\n      section: "6"\n      words: [ia]\n      name: {fr: l\'IA, en: AI}\n'
    )
    write(tmp_path, "silent.yaml", use)
    assert problems(tmp_path) == []
    silent = load_intents(tmp_path, SECTIONS).silent
    assert silent is not None
    ai, audio = silent.get("ai"), silent.get("audio")
    assert ai is not None and ai.section == "6" and audio is not None and audio.section is None
    path = write(tmp_path, "silent.yaml", use.replace('section: "6"', 'section: "7"'))
    assert problems(tmp_path) == [
        f"{path}:11: silent: unknown section '7' (known: intro, 1, 1.1, 6, 14)"
    ]
