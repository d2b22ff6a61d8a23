"""Watches intents/ and policy_corpus/ (watchfiles) and reloads the live knowledge.

A reload runs in a daemon thread of its own, off the answering path: answers keep coming from
the live knowledge meanwhile (the engine's worker threads are never taken), shutdown does not
wait for it, and it has `RELOAD_BUDGET` seconds to finish or it is dropped and reported. Any
failure is logged and reported; the watcher itself only ends when asked to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

from privbot.content.live import KnowledgeStore

log = logging.getLogger(__name__)

ProblemSink = Callable[[Sequence[str]], Awaitable[object]]
RELOAD_BUDGET = 60.0  # seconds; the shipped content reloads in about 1 s
_T = TypeVar("_T")


async def watch_content(
    store: KnowledgeStore,
    folders: Sequence[Path],
    on_problems: ProblemSink | None = None,
    *,
    stop: asyncio.Event | None = None,
    debounce_ms: int = 200,
) -> None:
    """Reload on every settled change; report a broken edit without taking it live."""
    from watchfiles import awatch

    watched = [str(f) for f in folders if f.is_dir()]
    if not watched:
        return
    async for _changes in awatch(*watched, debounce=debounce_ms, stop_event=stop):
        try:
            running = in_daemon_thread(lambda: store.reload(RELOAD_BUDGET))
            problems = await asyncio.wait_for(asyncio.shield(running), RELOAD_BUDGET + 1)
        except TimeoutError:  # the store drops the late result itself
            problems = [f"content: the reload took longer than {RELOAD_BUDGET:g} s"]
        except Exception as exc:  # the watcher outlives any one reload
            problems = [f"content: reload failed: {type(exc).__name__}"]
        if not problems:
            log.info("content.reloaded generation=%d", store.generation)
            continue
        log.warning("content.rejected problems=%d (last good version stays live)", len(problems))
        for problem in problems:
            # Admin-written file positions and messages: no user data in them.
            log.warning("content.problem %s", problem)
        if on_problems is not None:
            try:
                await on_problems(problems)
            except Exception:  # the staff channel being down must not stop the watcher
                log.exception("content.problem_report_failed")


def in_daemon_thread(work: Callable[[], _T]) -> asyncio.Future[_T]:
    """Run `work` in a new daemon thread; its result as a future of the running loop."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()

    def settle(result: _T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            result, error = work(), None
        except BaseException as exc:  # handed to the awaiting task
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody is waiting
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name="content-reload", daemon=True).start()
    return future


class ContentWatch:
    """The running watcher, as a part of `privbot run`."""

    def __init__(self, task: asyncio.Task[None], stop_event: asyncio.Event, folders: str) -> None:
        self._task = task
        self._stop = stop_event
        self.description = f"live reload of {folders}"

    async def stop(self) -> None:
        self._stop.set()
        try:
            await asyncio.wait_for(self._task, 5)
        except (TimeoutError, asyncio.CancelledError):
            self._task.cancel()


async def start_watching(
    store: KnowledgeStore, folders: Sequence[Path], report: ProblemSink | None
) -> ContentWatch:
    """Watch the content folders; `report` tells staff about a rejected edit (Slack)."""
    stop_event = asyncio.Event()
    task = asyncio.create_task(watch_content(store, folders, report, stop=stop_event))
    return ContentWatch(task, stop_event, " and ".join(str(f) for f in folders))
