"""Watches intents/ and policy_corpus/ (watchfiles) and reloads the live knowledge."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from privbot.content.live import KnowledgeStore

log = logging.getLogger(__name__)

ProblemSink = Callable[[Sequence[str]], Awaitable[object]]


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
        problems = await asyncio.to_thread(store.reload)
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
