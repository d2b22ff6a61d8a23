"""Live reload: a good edit goes live, a broken one is kept out, answers never see a
half-loaded set, and the watcher picks up a file change by itself."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from pathlib import Path

import pytest

from privbot.adapters.content_watcher import watch_content
from privbot.content.knowledge import Knowledge, load_knowledge
from privbot.content.live import KnowledgeStore
from privbot.core import messages as M
from privbot.core.model import Language, ReplyKind

ROOT = Path(__file__).resolve().parents[2]
NEW_INTENT = """
  - id: office_hours
    kind: smalltalk
    examples:
      fr: [horaires zorglub, quand zorglub frobnique]
      en: [zorglub frobnication hours, when does zorglub frobnicate]
    reply:
      fr: Zorglub frobnique à 9 h.
      en: Zorglub frobnicates at 9.
    tests:
      fr: [zorglub frobnique quand]
      en: [zorglub frobnication time]
"""


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "intents", tmp_path / "intents")
    shutil.copytree(ROOT / "policy_corpus", tmp_path / "policy_corpus")
    return tmp_path


def _loader(root: Path):  # type: ignore[no-untyped-def]
    def load() -> Knowledge:
        return load_knowledge(
            contact_email="dpo@example.test",
            corpus_dir=root / "policy_corpus",
            intents_dir=root / "intents",
        )

    return load


def _store(root: Path) -> KnowledgeStore:
    load = _loader(root)
    return KnowledgeStore(load(), load)


def _add_intent(root: Path) -> None:
    path = root / "intents" / "smalltalk.yaml"
    path.write_text(path.read_text("utf-8").rstrip("\n") + "\n" + NEW_INTENT, "utf-8")


def test_good_edit_goes_live(content: Path) -> None:
    store = _store(content)
    before = store.current()
    assert before.matcher.understand("zorglub frobnication hours").kind is ReplyKind.FALLBACK
    _add_intent(content)
    assert store.reload() == []
    after = store.current()
    assert after is not before and store.generation == 1
    u = after.matcher.understand("zorglub frobnication hours")
    assert (u.kind, u.intent) == (ReplyKind.SMALLTALK, "office_hours")


def test_broken_edit_is_kept_out_with_file_and_line(content: Path) -> None:
    store = _store(content)
    live = store.current()
    path = content / "intents" / "requests.yaml"
    path.write_text(path.read_text("utf-8") + "\n  - id: [unclosed\n", "utf-8")
    problems = store.reload()
    assert problems and all(p.startswith(str(path)) for p in problems)
    assert ":" in problems[0].removeprefix(str(path))[1:]  # file:line: message
    assert store.current() is live and store.generation == 0
    # An unknown section is refused the same way.
    path.write_text(path.read_text("utf-8").replace("  - id: [unclosed\n", ""), "utf-8")
    sections = content / "intents" / "sections.yaml"
    sections.write_text(sections.read_text("utf-8").replace('section: "5"', 'section: "99"', 1))
    assert any("99" in p for p in store.reload())
    assert store.current() is live


def test_a_message_edit_goes_live_and_a_broken_one_is_kept_out(content: Path) -> None:
    store = _store(content)
    path = content / "intents" / "messages.yaml"
    text = path.read_text("utf-8")
    old = "    en: Which right would you like to exercise?\n"
    path.write_text(text.replace(old, "    en: Which right shall it be?\n"), "utf-8")
    assert store.reload() == []
    assert store.current().catalogue.text(Language.EN, M.PICK_RIGHT) == "Which right shall it be?"
    live = store.current()
    path.write_text(text.replace(old, "    en: Which right, {name}?\n"), "utf-8")
    problems = store.reload()
    assert problems and all(p.startswith(f"{path}:") for p in problems)
    assert store.current() is live


def test_answers_during_a_burst_of_reloads_are_whole(content: Path) -> None:
    store = _store(content)
    _add_intent(content)
    errors: list[str] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            k = store.current()  # one object per message, as the services do
            u = k.matcher.understand("how long do you keep my data")
            replies = k.answers.render(u)
            retention = k.intents.get("retention")
            short = retention.answers[Language.EN] if retention else "?"
            answer = replies[0].answer
            if (
                u.section != "5"
                or answer is None
                or answer.short != short
                or not replies[0].text.startswith(f"{short}\n\nSection 5")
            ):
                errors.append(f"{u.kind} {u.section}")
            time.sleep(0.001)  # like real traffic: leave the reloading thread some time

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for _ in range(3):
        assert store.reload() == []
    stop.set()
    for t in threads:
        t.join()
    assert errors == [] and store.generation == 3


async def test_watcher_picks_up_an_edit(content: Path) -> None:
    store = _store(content)
    reported: list[list[str]] = []

    async def sink(problems) -> None:  # type: ignore[no-untyped-def]
        reported.append(list(problems))

    stop = asyncio.Event()
    task = asyncio.create_task(
        watch_content(store, [content / "intents", content / "policy_corpus"], sink, stop=stop)
    )
    try:
        await asyncio.sleep(0.5)  # let the watcher start
        _add_intent(content)
        for _ in range(400):
            if store.generation:
                break
            await asyncio.sleep(0.05)
        assert store.generation == 1
        broken = content / "intents" / "smalltalk.yaml"
        broken.write_text(broken.read_text("utf-8") + "\n: : :\n", "utf-8")
        for _ in range(400):
            if reported:
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    assert reported and store.generation == 1


async def _wait_for(condition, rounds: int = 400) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0.05)


async def test_a_hostile_file_is_reported_and_the_watcher_keeps_watching(content: Path) -> None:
    store = _store(content)
    reported: list[list[str]] = []

    async def sink(problems) -> None:  # type: ignore[no-untyped-def]
        reported.append(list(problems))

    stop = asyncio.Event()
    task = asyncio.create_task(watch_content(store, [content / "intents"], sink, stop=stop))
    hostile = content / "intents" / "zz_hostile.yaml"
    try:
        await asyncio.sleep(0.5)  # let the watcher start
        hostile.write_text("x: !!python/name:os.system\n", "utf-8")
        await _wait_for(lambda: bool(reported))
        assert reported and f"{hostile}:1: unsupported tag" in reported[0][0]
        hostile.unlink()
        _add_intent(content)  # a later good edit still goes live
        await _wait_for(lambda: store.generation == 1)
        assert store.generation == 1 and not task.done()
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


def test_any_failure_of_a_reload_is_a_problem_not_an_exception(content: Path) -> None:
    live = _loader(content)()

    def broken() -> Knowledge:
        raise RecursionError("maximum recursion depth exceeded")

    store = KnowledgeStore(live, broken)
    problems = store.reload()
    assert len(problems) == 1 and "reload failed: RecursionError" in problems[0]
    assert store.current() is live and store.generation == 0


def test_a_reload_over_its_time_budget_is_not_taken_live(content: Path) -> None:
    load = _loader(content)
    now = [100.0]

    def slow() -> Knowledge:
        now[0] += 61.0  # the clock the store reads moves past the budget while loading
        return load()

    store = KnowledgeStore(load(), slow, clock=lambda: now[0])
    live = store.current()
    problems = store.reload(budget=60.0)
    assert len(problems) == 1 and "longer than 60 s" in problems[0]
    assert store.current() is live and store.generation == 0


def test_a_running_reload_blocks_neither_answers_nor_shutdown(content: Path) -> None:
    load = _loader(content)
    entered, release = threading.Event(), threading.Event()

    def stuck() -> Knowledge:
        entered.set()
        release.wait(60)
        return load()

    store = KnowledgeStore(load(), stuck)
    answered: list[ReplyKind] = []

    async def service() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(watch_content(store, [content / "intents"], stop=stop))
        await asyncio.sleep(0.5)
        _add_intent(content)
        while not entered.is_set():
            await asyncio.sleep(0.05)
        # Answers are served by the old knowledge while the reload runs.
        u = await asyncio.to_thread(store.current().matcher.understand, "do you use cookies")
        answered.append(u.kind)
        stop.set()
        try:
            await asyncio.wait_for(task, 1)
        except TimeoutError:
            task.cancel()

    # `asyncio.run` waits for its executor's threads at exit: the reload must not be one.
    runner = threading.Thread(target=asyncio.run, args=(service(),), daemon=True)
    runner.start()
    runner.join(30)
    stopped = not runner.is_alive()
    release.set()
    assert answered == [ReplyKind.ANSWER]
    assert stopped, "shutdown waited for the running reload"
