"""Watches intents/ and policy_corpus/ (watchfiles) and reloads the live knowledge."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from privbot.content.live import KnowledgeStore

log = logging.getLogger(__name__)

ProblemSink = Callable[[Sequence[str]], Awaitable[None]]


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
