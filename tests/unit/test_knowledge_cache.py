"""The knowledge cache: the same answers as a fresh build, rebuilt when the content changes,
a corrupt or foreign file ignored, written atomically."""

from __future__ import annotations

import gc
import os
import pickle
import shutil
from pathlib import Path

import pytest

from privbot.bootstrap import StartupPhases, build_knowledge
from privbot.config import load_settings
from privbot.content.cache import cache_key, cached_knowledge
from privbot.content.knowledge import Knowledge, load_knowledge
from privbot.core.index import Doc, Outcome
from privbot.core.model import IntentKind, Language, Phrase

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = (
    "How long do you keep my data?",
    "supprimez mes données",
    "vous vendez mes infos ?",
    "who can see my photos",
)


@pytest.fixture
def content(tmp_path: Path) -> tuple[Path, Path]:
    intents = tmp_path / "intents"
    corpus = tmp_path / "policy_corpus"
    shutil.copytree(ROOT / "intents", intents)
    shutil.copytree(ROOT / "policy_corpus", corpus)
    return intents, corpus


def _build(intents: Path, corpus: Path) -> Knowledge:
    return load_knowledge(contact_email="dpo@example.test", corpus_dir=corpus, intents_dir=intents)


def _load(cache: Path, intents: Path, corpus: Path, builds: list[int]) -> tuple[Knowledge, bool]:
    def build() -> Knowledge:
        builds.append(1)
        return _build(intents, corpus)

    return cached_knowledge(cache, cache_key((intents, corpus), "test"), build)


def test_a_cached_knowledge_answers_as_a_fresh_one(
    tmp_path: Path, content: tuple[Path, Path]
) -> None:
    builds: list[int] = []
    first, hit = _load(tmp_path / "cache", *content, builds)
    assert not hit
    second, hit = _load(tmp_path / "cache", *content, builds)
    assert hit and builds == [1] and second is not first
    for q in QUESTIONS:
        assert second.matcher.understand(q) == first.matcher.understand(q)
        assert second.matcher.detect_language(q) is first.matcher.detect_language(q)
    assert second.catalogue == first.catalogue and second.intents == first.intents
    mode = os.stat(tmp_path / "cache").st_mode & 0o777
    assert mode == 0o700
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")]


def test_what_the_cache_holds_by_the_thousand_comes_back_whole() -> None:
    """Phrases and the index's documents are pickled as their fields, rebuilt by __init__:
    each comes back equal, field for field."""
    phrase = Phrase("who sees my data?", Language.EN, 12)
    outcome = Outcome(IntentKind.ANSWER, "3")
    doc = Doc(outcome, "data_sharing", ("see", "DATA"), "see DATA", 0.6, 0.9)
    for obj in (phrase, doc):
        back = pickle.loads(pickle.dumps(obj, protocol=4))
        assert back == obj and back is not obj


def test_an_edit_rebuilds_and_replaces_the_old_file(
    tmp_path: Path, content: tuple[Path, Path]
) -> None:
    intents, corpus = content
    builds: list[int] = []
    _load(tmp_path / "cache", intents, corpus, builds)
    old = list((tmp_path / "cache").iterdir())
    greeting = intents / "smalltalk.yaml"
    greeting.write_text(greeting.read_text("utf-8") + "\n", "utf-8")  # any byte counts
    _, hit = _load(tmp_path / "cache", intents, corpus, builds)
    assert not hit and builds == [1, 1]
    files = list((tmp_path / "cache").iterdir())
    assert len(files) == 1 and files != old


@pytest.mark.parametrize("damage", ["truncate", "garbage", "foreign key"])
def test_a_damaged_file_is_rebuilt(tmp_path: Path, content: tuple[Path, Path], damage: str) -> None:
    builds: list[int] = []
    _load(tmp_path / "cache", *content, builds)
    (path,) = (tmp_path / "cache").iterdir()
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(os.urandom(1000))
    else:  # a whole file, but written for another key
        first, _, rest = data.partition(b"\n")
        path.write_bytes(first + b"\n" + b"0" * 64 + rest[64:])
    knowledge, hit = _load(tmp_path / "cache", *content, builds)
    assert not hit and builds == [1, 1]
    assert knowledge.matcher.understand(QUESTIONS[0]).section
    _, hit = _load(tmp_path / "cache", *content, builds)
    assert hit  # written again, whole


def test_a_file_others_may_write_is_not_read(tmp_path: Path, content: tuple[Path, Path]) -> None:
    builds: list[int] = []
    _load(tmp_path / "cache", *content, builds)
    (path,) = (tmp_path / "cache").iterdir()
    path.chmod(0o666)
    _, hit = _load(tmp_path / "cache", *content, builds)
    assert not hit and builds == [1, 1]


def test_an_unwritable_folder_only_costs_the_build(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    knowledge, hit = cached_knowledge(
        blocker / "cache", "k", lambda: _build(ROOT / "intents", ROOT / "policy_corpus")
    )
    assert not hit and knowledge.matcher.understand(QUESTIONS[0]).section


def test_the_service_knowledge_comes_from_the_cache_with_langdetect(
    tmp_path: Path, content: tuple[Path, Path]
) -> None:
    intents, corpus = content
    settings = load_settings(intents_dir=intents, corpus_dir=corpus, cache_dir=tmp_path / "c")
    fresh = build_knowledge(settings)
    phases = StartupPhases()
    cached = build_knowledge(settings, phases=phases)
    assert [name for name, _ in phases.phases] == ["knowledge from cache"]
    assert len(list((tmp_path / "c").iterdir())) == 1
    # A message only langdetect can place still is placed by it after a cache load.
    for q in ("politique de confidentialite data", *QUESTIONS):
        assert cached.matcher.detect_language(q) is fresh.matcher.detect_language(q)
    assert cached.matcher._language._ngram is not None
    off = load_settings(intents_dir=intents, corpus_dir=corpus, cache_dir="off")
    assert off.cache_dir is None


def test_a_replaced_knowledge_is_freed_without_the_garbage_collector(
    tmp_path: Path, content: tuple[Path, Path]
) -> None:
    """`bootstrap.settle` freezes what the start made; a knowledge replaced by a reload is
    freed only if it holds no reference cycle (reference counts alone)."""
    builds: list[int] = []
    _load(tmp_path / "cache", *content, builds)
    gc.collect()
    gc.disable()
    try:
        knowledge, hit = _load(tmp_path / "cache", *content, builds)
        assert hit
        for q in QUESTIONS:
            knowledge.matcher.understand(q)
        del knowledge
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_contents_sharing_a_folder_keep_their_files(
    tmp_path: Path, content: tuple[Path, Path]
) -> None:
    """Two instances of different content (here: other build parameters) sharing a cache
    folder do not remove each other's file; each still replaces its own older one."""
    builds: list[int] = []

    def build() -> Knowledge:
        builds.append(1)
        return _build(*content)

    cache = tmp_path / "cache"
    a, b = cache_key(content, "a"), cache_key(content, "b")
    assert not cached_knowledge(cache, a, build)[1]
    assert not cached_knowledge(cache, b, build)[1]
    assert cached_knowledge(cache, a, build)[1] and cached_knowledge(cache, b, build)[1]
    assert len(builds) == 2 and len(list(cache.iterdir())) == 2
    greeting = content[0] / "smalltalk.yaml"
    greeting.write_text(greeting.read_text("utf-8") + "\n", "utf-8")  # a's content edited
    assert not cached_knowledge(cache, cache_key(content, "a"), build)[1]
    assert len(list(cache.iterdir())) == 2  # a's new file instead of its old one
    assert cached_knowledge(cache, b, build)[1]  # b's (built before the edit) kept


def test_a_file_named_before_places_is_removed(tmp_path: Path, content: tuple[Path, Path]) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    old = cache / f"knowledge-{'0' * 40}.pickle"  # how files were named before
    old.write_bytes(b"x")
    _load(cache, *content, [])
    assert not old.exists() and len(list(cache.iterdir())) == 1
