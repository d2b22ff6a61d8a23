"""The live knowledge: one immutable `Knowledge`, replaced whole when admins edit files.

Readers call `store.current()` once per message and use that object throughout, so an
answer is never served from a half-loaded set; `reload()` builds and checks a complete new
set beside the live one and swaps a single reference only when every check passes, and
(with a `budget`) only when it finished in time. Any failure of a reload is returned as a
problem line: a reload never raises.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from privbot.content.knowledge import Knowledge
from privbot.errors import ContentError


class KnowledgeStore:
    """Holds the live Knowledge; a broken edit keeps the last good one live."""

    def __init__(
        self,
        initial: Knowledge,
        loader: Callable[[], Knowledge],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._current = initial
        self._loader = loader
        self._clock = clock
        self._lock = threading.Lock()  # one reload at a time; readers never wait
        self.generation = 0
        self._losing: frozenset[str] | None = None  # the live set's own losing tests

    def current(self) -> Knowledge:
        """The knowledge to answer one message with."""
        return self._current

    def reload(self, budget: float | None = None) -> list[str]:
        """Load, check and swap. Returns the problems (`file:line: message`); empty = live.
        A load that takes longer than `budget` seconds is dropped, not taken live."""
        started = self._clock()
        with self._lock:
            try:
                candidate = self._loader()
                if self._losing is None:
                    self._losing = losing_keys(self._current)
                problems, losing = check_edit(self._losing, candidate)
            except ContentError as exc:
                return list(exc.problems)
            except Exception as exc:  # reported, and the live set stays
                return [f"content: reload failed: {type(exc).__name__}: {str(exc)[:200]}"]
            if problems:
                return problems
            if budget is not None and self._clock() - started > budget:
                return [f"content: the reload took longer than {budget:g} s and was dropped"]
            self._losing = losing
            self._current = candidate  # a single reference assignment: atomic for readers
            self.generation += 1
            return []


def check_edit(
    live_losing: frozenset[str], candidate: Knowledge
) -> tuple[list[str], frozenset[str]]:
    """The rule every edit of the content must pass (a live reload, `intents inbox --add`):
    it may not make a test phrase lose that won before; phrases that already lost in the live
    set (`live_losing`, shown by `intents check`) don't block it. Returns the problems (empty:
    accepted) and the candidate's own losing phrases."""
    losing = _losing(candidate)
    return [p for k, p in losing.items() if k not in live_losing], frozenset(losing)


def losing_keys(knowledge: Knowledge) -> frozenset[str]:
    """The test phrases that lose in `knowledge` (by what they say)."""
    return frozenset(_losing(knowledge))


def _losing(knowledge: Knowledge) -> dict[str, str]:
    """Losing test phrases keyed by what they say (not where: lines move on edits)."""
    from privbot.content.evaluation import losing_tests  # at the first reload, not at start

    out: dict[str, str] = {}
    for problem in losing_tests(knowledge.intents, knowledge.matcher):
        _, _, message = problem.partition(": test phrase ")
        out[message] = problem
    return out
