"""Doing something once across restarts and instances: a claim row (`core.reminders.ClaimKey`,
stored by `adapters.persistence.reminder_claims`) is taken before the action, marked sent
after it, and given back if the action fails, so a later run retries it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from privbot.core.reminders import ClaimKey


class Claims(Protocol):
    """The claim side of `adapters.persistence.slack_store.SlackStore`."""

    def claim(
        self, keys: Sequence[ClaimKey], owner: str, now: datetime, stale: timedelta
    ) -> tuple[set[ClaimKey], set[ClaimKey]]: ...
    def release(self, key: ClaimKey, owner: str) -> None: ...
    def mark_sent(self, key: ClaimKey, owner: str, ts: str | None, now: datetime) -> None: ...


async def run_once(
    claims: Claims,
    key: ClaimKey,
    now: datetime,
    stale: timedelta,
    action: Callable[[], Awaitable[str | None]],
) -> bool:
    """Run `action` (which returns the posted message's id, or None) unless some instance has
    claimed `key` (and not died on it for longer than `stale`). False: not ours to run. An
    error of the action is raised after the claim is given back."""
    owner = f"{key.reference}-{uuid.uuid4().hex}"
    mine, _ = await asyncio.to_thread(claims.claim, [key], owner, now, stale)
    if key not in mine:
        return False
    try:
        ts = await action()
    except BaseException:
        await asyncio.to_thread(claims.release, key, owner)
        raise
    await asyncio.to_thread(claims.mark_sent, key, owner, ts, now)
    return True
