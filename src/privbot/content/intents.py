"""Loading and checking the admin-editable intent files (`intents/*.yaml`).

The schema is documented for admins in `intents/README.md`. Every problem is reported as
`file:line: message` with the line the admin has to edit, so the YAML is composed into nodes
first (which keep their positions) and only then turned into plain data and validated.

The files are admin-edited but read by the running service on every edit, so hostile or
mistaken YAML is refused with a `file:line` problem before it can cost much: files over
`MAX_FILE_BYTES` (or together over `MAX_TOTAL_BYTES`), nesting over `MAX_DEPTH` (checked on
the parser's events, before the recursive composer sees it), more than `MAX_VALUES` values
once aliases are expanded (an alias bomb is a few bytes), an alias inside itself, tags other
than YAML's plain types, and more than `MAX_INTENTS` intents (the files after the one that
reaches it are not read).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from privbot.core.catalogue import placeholders, stray_braces
from privbot.core.model import (
    Intent,
    IntentKind,
    IntentSet,
    Language,
    Phrase,
    Policy,
    RequestType,
    RightsSection,
    SilentTopic,
    SilentTopics,
)
from privbot.core.text import normalise
from privbot.errors import ContentError

LANGUAGES: tuple[Language, ...] = tuple(Language)
DEFAULT_EVAL_THRESHOLD = 0.9
MESSAGES_FILE = "messages.yaml"  # the message catalogue (content.messages), not intents
MAX_FILE_BYTES = 1_000_000  # per file; the shipped files are under 100 kB
MAX_TOTAL_BYTES = 4_000_000  # all the files together
MAX_DEPTH = 32  # the schema needs 5 levels
MAX_VALUES = 200_000  # per file, aliases expanded
MAX_INTENTS = 2_000  # in all the files; 58 are shipped
# What a reply or a short answer may name: the privacy contact (PRIVBOT_CONTACT_EMAIL).
ALLOWED_PLACEHOLDERS = frozenset({"contact_email"})

# libyaml's parser when installed (much faster on large files), else PyYAML's own.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_Path = tuple[str | int, ...]


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    eval_threshold: float = Field(default=DEFAULT_EVAL_THRESHOLD, ge=0.0, le=1.0)


class _IntentModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    kind: IntentKind
    section: str | None = None
    request_type: str | None = None
    examples: dict[Language, list[_Text]]
    synonyms: list[_Text] = []
    reply: dict[Language, _Text] = {}
    answer: dict[Language, _Text] = {}
    tests: dict[Language, list[_Text]] = {}


class _RightsSectionModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    section: str
    describes: list[RequestType] = []
    offers: RequestType | None = None


class _SilentTopicModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    words: list[_Text]
    name: dict[Language, _Text]
    section: str | None = None
    also: list[_Text] = []


class _SilentModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    section: str
    topics: list[_SilentTopicModel]


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    settings: _Settings | None = None
    rights: list[_RightsSectionModel] | None = None
    silent: _SilentModel | None = None
    intents: list[dict[str, Any]] = []


class _Refused(Exception):
    """A file refused whole: `line` and `message` make its one problem."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Lines:
    """Line (1-based) of every value in one file, by its path from the document root."""

    by_path: dict[_Path, int] = field(default_factory=dict)

    def of(self, path: Sequence[str | int]) -> int:
        # The longest known prefix: a missing key is reported at its parent mapping.
        key = tuple(path)
        while key:
            if key in self.by_path:
                return self.by_path[key]
            key = key[:-1]
        return self.by_path.get((), 1)


class NodeBuilder:
    """Turns composed YAML nodes into plain data, recording each value's line.

    Raises `_Refused` for an alias inside itself, too many values or an unsupported tag."""

    def __init__(self, lines: Lines, problems: list[str], source: str) -> None:
        self._constructor = yaml.constructor.SafeConstructor()
        self._lines = lines
        self._problems = problems
        self._source = source
        self._values = 0
        self._open: set[int] = set()  # ids of the nodes being built (an alias cycle returns)

    def build(self, node: yaml.Node, path: _Path = ()) -> Any:
        line = node.start_mark.line + 1
        self._values += 1
        if self._values > MAX_VALUES:
            raise _Refused(line, f"more than {MAX_VALUES:,} values (aliases expanded)")
        if len(path) > MAX_DEPTH:
            raise _Refused(line, f"nested deeper than {MAX_DEPTH} levels (aliases expanded)")
        self._lines.by_path[path] = line
        if isinstance(node, yaml.ScalarNode):
            try:
                return self._constructor.construct_object(node, deep=True)
            except yaml.YAMLError as exc:
                raise _Refused(line, f"unsupported tag {node.tag!r}") from exc
        if id(node) in self._open:
            raise _Refused(line, "an alias refers to itself")
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        finally:
            self._open.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: _Path) -> dict[Any, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise _Refused(node.start_mark.line + 1, f"unsupported tag {node.tag!r}")
        data: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            where = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(where, "a key must be a plain value, not a list or a mapping")
            key = self.build(key_node, path)
            if not isinstance(key, str | int | float | bool) or key is None:
                key = str(key)
            if key in data:
                self._problems.append(f"{self._source}:{where}: duplicate key {key!r}")
            data[key] = self.build(value_node, (*path, str(key)))
            # A mapping entry is reported at its key ("examples:"), not at its first item.
            self._lines.by_path[(*path, str(key))] = where
        return data


@dataclass
class _State:
    """What the files seen so far define, for checks across files."""

    known_sections: frozenset[str] | None
    problems: list[str] = field(default_factory=list)
    intents: list[Intent] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # id -> "file:line"
    examples: dict[str, tuple[str, str]] = field(default_factory=dict)  # norm -> (id, where)
    # (normalised text, intent id, phrase, file) of every test phrase
    tests: list[tuple[str, str, Phrase, str]] = field(default_factory=list)
    given: dict[str, str] = field(default_factory=dict)  # settings/rights/silent -> file:line
    eval_threshold: float = DEFAULT_EVAL_THRESHOLD
    rights: tuple[RightsSection, ...] = ()
    silent: SilentTopics | None = None


def intent_files(intents_dir: Path) -> list[Path]:
    """The intent files of a folder, in the order they are read (sorted by name)."""
    return sorted(
        p
        for p in intents_dir.iterdir()
        if p.suffix in {".yaml", ".yml"} and p.name != MESSAGES_FILE and p.is_file()
    )


def check_intent_files(intents_dir: Path, known_sections: Collection[str] | None) -> list[str]:
    """Every problem of the intent files as `file:line: message` (empty when all is well)."""
    return _load(intents_dir, known_sections)[1]


def load_intents(intents_dir: Path, known_sections: Collection[str] | None = None) -> IntentSet:
    """Read and validate `intents_dir`; raise ContentError listing every problem."""
    intents, problems = _load(intents_dir, known_sections)
    if problems:
        raise ContentError(problems)
    return intents


def _load(intents_dir: Path, known_sections: Collection[str] | None) -> tuple[IntentSet, list[str]]:
    state = _State(frozenset(known_sections) if known_sections is not None else None)
    if not intents_dir.is_dir():
        return IntentSet(()), [f"{intents_dir}:1: no such folder"]
    files = intent_files(intents_dir)
    if not files:
        state.problems.append(f"{intents_dir}:1: no intent files (*.yaml)")
    total = 0
    for path in files:
        with contextlib.suppress(OSError):  # an unreadable file is reported by its read
            total += path.stat().st_size
        if total > MAX_TOTAL_BYTES:
            state.problems.append(
                f"{path}:1: the intent files are together larger than {MAX_TOTAL_BYTES:,} bytes"
            )
            break
        if len(state.ids) >= MAX_INTENTS:
            break  # the cap is reported where it was reached; the rest is not read
        _load_file(path, state)
    for norm, intent_id, phrase, source in state.tests:
        owner = state.examples.get(norm)
        if owner is not None:
            whose = (
                "one of its own examples"
                if owner[0] == intent_id
                else (f"an example of intent {owner[0]!r} ({owner[1]})")
            )
            state.problems.append(
                f"{source}:{phrase.line}: test phrase {phrase.text!r} of intent {intent_id!r}"
                f" is {whose}; tests must differ from examples"
            )
    if not state.problems and not state.intents:
        state.problems.append(f"{intents_dir}:1: the intent files define no intent")
    intents = IntentSet(tuple(state.intents), state.eval_threshold, state.rights, state.silent)
    return intents, state.problems


def read_yaml(path: Path, problems: list[str]) -> tuple[Any, Lines] | None:
    """A YAML file's data and the line of each value; None (with its problems) if unreadable
    or refused (see the module docstring). An empty file reads as None data."""
    source = str(path)
    try:
        return _read_yaml(path, source, problems)
    except _Refused as exc:
        problems.append(f"{source}:{exc.line}: {exc.message}")
    except Exception as exc:  # a check reports, it never crashes
        problems.append(f"{source}:1: cannot load the file: {type(exc).__name__}")
    return None


def _read_yaml(path: Path, source: str, problems: list[str]) -> tuple[Any, Lines] | None:
    try:
        with path.open("rb") as f:
            content = f.read(MAX_FILE_BYTES + 1)
        text = content.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{source}:1: cannot read the file: {exc}")
        return None
    if len(content) > MAX_FILE_BYTES:
        raise _Refused(1, f"larger than {MAX_FILE_BYTES:,} bytes; split it into several files")
    try:
        _check_depth(text)
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(f"{source}:{line}: bad YAML: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        problems.append(f"{source}:1: bad YAML: {exc}")
        return None
    lines = Lines()
    if root is None:
        return None, lines
    return NodeBuilder(lines, problems, source).build(root), lines


def _load_file(path: Path, state: _State) -> None:
    source = str(path)
    read = read_yaml(path, state.problems)
    if read is None or read[0] is None:
        return  # unreadable (reported), or an empty file: it defines nothing
    data, lines = read
    if not isinstance(data, dict):
        state.problems.append(f"{source}:{lines.of(())}: expected a mapping with 'intents:'")
        return
    try:
        parsed = _FileModel.model_validate(data)
    except ValidationError as exc:
        state.problems.extend(_pydantic_problems(exc, source, lines, ()))
        return
    if parsed.settings is not None and _first_given("settings", "are", source, lines, state):
        state.eval_threshold = parsed.settings.eval_threshold
    if parsed.rights is not None:
        _load_rights(parsed.rights, source, lines, state)
    if parsed.silent is not None:
        _load_silent(parsed.silent, source, lines, state)
    for index, raw in enumerate(parsed.intents):
        if len(state.ids) >= MAX_INTENTS:
            line = lines.of(("intents", index))
            state.problems.append(f"{source}:{line}: more than {MAX_INTENTS:,} intents in all")
            return
        _load_intent(raw, ("intents", index), source, lines, state)


def _check_depth(text: str) -> None:
    """Refuse deep nesting from the parser's events: the composer recurses per level."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else 1
                    raise _Refused(line, f"nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" not in str(exc.problem):
            raise  # an ordinary syntax error: reported with its line by the caller
        mark = exc.problem_mark
        raise _Refused(
            mark.line + 1 if mark else 1, f"nested deeper than {MAX_DEPTH} levels"
        ) from exc


def _first_given(key: str, verb: str, source: str, lines: Lines, state: _State) -> bool:
    """True for the first file that gives `key` (settings, rights, silent: one file each);
    for any other, the problem that says where it was given first."""
    where = f"{source}:{lines.of((key,))}"
    first = state.given.setdefault(key, where)
    if first != where:
        state.problems.append(f"{where}: {key} {verb} already given in {first}")
    return first == where


def _check_section(section: str, where: str, state: _State) -> None:
    """A section named beside the intents (`rights`, `silent`) must be one of the policy's."""
    known = state.known_sections
    if known is not None and section not in known:
        listed = ", ".join(sorted(known, key=_section_order))
        state.problems.append(f"{where}: unknown section {section!r} (known: {listed})")


def _load_rights(
    entries: Sequence[_RightsSectionModel], source: str, lines: Lines, state: _State
) -> None:
    """The sections about rights: known sections, each once; each request type described once."""
    if not _first_given("rights", "are", source, lines, state):
        return
    before = len(state.problems)
    seen: set[str] = set()
    described: dict[RequestType, str] = {}
    for index, entry in enumerate(entries):
        line = lines.of(("rights", index, "section"))
        _check_section(entry.section, f"{source}:{line}: rights", state)
        if entry.section in seen:
            state.problems.append(f"{source}:{line}: rights: section {entry.section!r} twice")
        seen.add(entry.section)
        for t in entry.describes:
            if t in described:
                state.problems.append(
                    f"{source}:{lines.of(('rights', index, 'describes'))}: rights: {t.value!r} "
                    f"is already described by section {described[t]!r}"
                )
            described[t] = entry.section
    if len(state.problems) == before:
        state.rights = tuple(
            RightsSection(e.section, tuple(e.describes), e.offers) for e in entries
        )


def _load_silent(silent: _SilentModel, source: str, lines: Lines, state: _State) -> None:
    """The kinds of data the policy is silent on: a known section; each topic named in every
    language, with words that are not another topic's."""
    if not _first_given("silent", "is", source, lines, state):
        return
    before = len(state.problems)
    _check_section(silent.section, f"{source}:{lines.of(('silent', 'section'))}: silent", state)
    owners: dict[str, str] = {}
    topics: list[SilentTopic] = []
    for index, topic in enumerate(silent.topics):
        path = ("silent", "topics", index)
        if topic.id in {t.id for t in topics}:
            state.problems.append(
                f"{source}:{lines.of((*path, 'id'))}: silent: topic {topic.id!r} twice"
            )
        for lang in LANGUAGES:
            if lang not in topic.name:
                state.problems.append(
                    f"{source}:{lines.of((*path, 'name'))}: silent: topic {topic.id!r} has no "
                    f"name in language {lang.value!r}"
                )
        phrases: list[str] = []
        for i, word in enumerate(topic.words):
            norm = normalise(word)
            at = f"{source}:{lines.of((*path, 'words', i))}"
            if not norm:
                state.problems.append(f"{at}: silent: {word!r} has no words")
            elif owners.get(norm, topic.id) != topic.id:
                state.problems.append(
                    f"{at}: silent: {word!r} is also a word of topic {owners[norm]!r}"
                )
            else:
                owners[norm] = topic.id
                phrases.append(norm)
        if topic.section is not None:
            _check_section(topic.section, f"{source}:{lines.of((*path, 'section'))}: silent", state)
        line = lines.of((*path, "id"))
        also = tuple(normalise(w) for w in topic.also)
        topics.append(
            SilentTopic(
                topic.id, tuple(phrases), dict(topic.name), source, line, topic.section, also
            )
        )
    if len(state.problems) == before:
        state.silent = SilentTopics(silent.section, tuple(topics))


def silent_problems(intents: IntentSet, policy: Policy) -> list[str]:
    """A kind of data marked as one the policy is silent on, yet named by the policy's list
    of collected data (its `section` and subsections, in any language): the bot would say
    something false, so it is a problem to fix in the intent files."""
    silent = intents.silent
    if silent is None:
        return []

    def texts(section: str) -> list[str]:
        return [
            f" {normalise(s.text)} "
            for doc in policy.documents.values()
            for s in doc.sections
            if s.id == section or s.id.startswith(section + ".")
        ]

    problems = []
    for topic in silent.topics:
        section = topic.section or silent.section
        listed = texts(section)
        problems += [
            f"{topic.source}:{topic.line}: silent: topic {topic.id!r}: {phrase!r} is in the "
            f"policy's section {section}; the policy is not silent on it"
            for phrase in topic.phrases
            if any(f" {phrase} " in text for text in listed)
        ]
    return problems


# Reports a problem at a path inside the intent being loaded (`file:line: message`).
ProblemAt = Callable[[Sequence[str | int], str], None]


def _load_intent(
    raw: Mapping[str, Any], path: _Path, source: str, lines: Lines, state: _State
) -> None:
    try:
        model = _IntentModel.model_validate(raw)
    except ValidationError as exc:
        state.problems.extend(_pydantic_problems(exc, source, lines, path))
        return
    before = len(state.problems)

    def problem(where: Sequence[str | int], message: str) -> None:
        state.problems.append(f"{source}:{lines.of((*path, *where))}: {message}")

    name = f"intent {model.id!r}"
    here = f"{source}:{lines.of((*path, 'id'))}"
    if model.id in state.ids:
        problem(
            ["id"], f"duplicate intent id {model.id!r} (first defined at {state.ids[model.id]})"
        )
    else:
        state.ids[model.id] = here
    request_type = _check_target(model, name, problem, state.known_sections)
    _check_languages(model, raw, name, problem)
    examples = tuple(_phrases(model.examples, (*path, "examples"), lines))
    tests = tuple(_phrases(model.tests, (*path, "tests"), lines))
    _check_examples(examples, model.id, name, source, state)
    state.tests.extend((normalise(t.text), model.id, t, source) for t in tests)
    if len(state.problems) > before:
        return
    state.intents.append(
        Intent(
            id=model.id,
            kind=model.kind,
            examples=examples,
            section=model.section,
            request_type=request_type,
            synonyms=tuple(model.synonyms),
            replies=dict(model.reply),
            tests=tests,
            source=source,
            line=lines.of((*path, "id")),
            answers=dict(model.answer),
        )
    )


def _check_languages(
    model: _IntentModel,
    raw: Mapping[str, Any],
    name: str,
    problem: ProblemAt,
) -> None:
    """Examples and tests in every language; a smalltalk reply in every language."""
    for lang in LANGUAGES:
        if not model.examples.get(lang):
            problem(["examples"], f"{name}: no examples in language {lang.value!r}")
        if not model.tests.get(lang):
            where = ["tests"] if "tests" in raw else ["id"]
            problem(where, f"{name}: no tests in language {lang.value!r}")
    if model.kind is IntentKind.SMALLTALK:
        for lang in LANGUAGES:
            if lang not in model.reply:
                where = ["reply"] if "reply" in raw else ["id"]
                problem(where, f"{name}: smalltalk needs a reply in language {lang.value!r}")
    if model.kind is IntentKind.ANSWER:
        for lang in LANGUAGES:
            if lang not in model.answer:
                where = ["answer"] if "answer" in raw else ["id"]
                problem(where, f"{name}: an answer intent needs a short 'answer' in {lang.value!r}")
    elif model.answer:
        problem(["answer"], f"{name}: only answer intents take an 'answer'")
    for field_name, texts in (("reply", model.reply), ("answer", model.answer)):
        _check_placeholders(texts, field_name, name, problem)


def _check_placeholders(
    texts: Mapping[Language, str], field_name: str, name: str, problem: ProblemAt
) -> None:
    """A reply or short answer may name `{contact_email}` only, the same way in every language."""
    used = {lang: placeholders(text) for lang, text in texts.items()}
    for lang, text in texts.items():
        unknown = used[lang] - ALLOWED_PLACEHOLDERS
        if unknown or stray_braces(text):
            what = ", ".join(sorted(unknown)) or "a stray brace"
            problem(
                [field_name, lang.value],
                f"{name}: {field_name} in {lang.value!r} has {what}; only {{contact_email}} "
                "may be filled in",
            )
    if len(set(used.values())) > 1:
        problem([field_name], f"{name}: the {field_name} texts use different {{values}}")


def _check_examples(
    examples: Sequence[Phrase], intent_id: str, name: str, source: str, state: _State
) -> None:
    """Every example has words and belongs to one intent only (first owner kept)."""
    for phrase in examples:
        norm = normalise(phrase.text)
        if not norm:
            state.problems.append(
                f"{source}:{phrase.line}: {name}: example {phrase.text!r} has no words"
            )
            continue
        owner = state.examples.get(norm)
        if owner is not None and owner[0] != intent_id:
            state.problems.append(
                f"{source}:{phrase.line}: example {phrase.text!r} of {name} is also an example"
                f" of intent {owner[0]!r} ({owner[1]})"
            )
        elif owner is None:
            state.examples[norm] = (intent_id, f"{source}:{phrase.line}")


def _check_target(
    model: _IntentModel,
    name: str,
    problem: ProblemAt,
    known_sections: frozenset[str] | None,
) -> RequestType | None:
    """Check `section`/`request_type` against the kind; return the request type if valid."""
    kind = model.kind
    if kind is IntentKind.ANSWER:
        if model.section is None:
            problem(["kind"], f"{name}: an answer intent needs a 'section'")
        elif known_sections is not None and model.section not in known_sections:
            known = ", ".join(sorted(known_sections, key=_section_order))
            problem(["section"], f"{name}: unknown section {model.section!r} (known: {known})")
    elif model.section is not None:
        problem(["section"], f"{name}: only answer intents take a 'section'")
    if kind is IntentKind.REQUEST:
        if model.request_type is None:
            problem(["kind"], f"{name}: a request intent needs a 'request_type'")
            return None
        try:
            return RequestType(model.request_type)
        except ValueError:
            known = ", ".join(t.value for t in RequestType)
            problem(
                ["request_type"],
                f"{name}: unknown request type {model.request_type!r} (known: {known})",
            )
            return None
    if model.request_type is not None:
        problem(["request_type"], f"{name}: only request intents take a 'request_type'")
    return None


def _section_order(section_id: str) -> tuple[int, ...]:
    if section_id == "intro":
        return (-1,)
    try:
        return tuple(int(p) for p in section_id.split("."))
    except ValueError:
        return (10_000,)


def _phrases(
    by_language: Mapping[Language, list[str]], path: _Path, lines: Lines
) -> Iterator[Phrase]:
    for lang in LANGUAGES:
        for i, text in enumerate(by_language.get(lang, ())):
            yield Phrase(text=text, language=lang, line=lines.of((*path, lang.value, i)))


def _pydantic_problems(exc: ValidationError, source: str, lines: Lines, prefix: _Path) -> list[str]:
    out: list[str] = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if part != "[key]")
        where = ".".join(str(p) for p in (*prefix, *loc))
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        elif error["type"] == "missing":
            message = "missing field"
        line = lines.of((*prefix, *loc))
        out.append(f"{source}:{line}: {where}: {message}")
    return out
