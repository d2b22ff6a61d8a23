"""The lifecycle of `privbot run`: start the parts the composition root built, in one asyncio
loop and behind one HTTP listener, and stop them in reverse order.

Each part is something with `description` and `stop()`: Telegram, Slack, the job scheduler,
the content watcher. `Service.start()` starts what the settings configure and returns one
line per part; `stop()` undoes it, part by part, even when one of them fails to stop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from privbot.bootstrap import App, ServiceWiring, build_app, build_service, utc_now
from privbot.config import Settings

if TYPE_CHECKING:
    from datetime import datetime

    from privbot.adapters.http import HttpListener
    from privbot.adapters.scheduler import JobScheduler
    from privbot.adapters.telegram.connection import Mount
    from privbot.adapters.telegram.inbound import InboundLimit

log = logging.getLogger(__name__)


class Part(Protocol):
    """A running part of the service."""

    description: str

    def stop(self) -> Awaitable[None]: ...


@dataclass
class ScheduledJobs:
    """The job scheduler as a part (its jobs run in the service's loop)."""

    description: str
    scheduler: JobScheduler

    async def stop(self) -> None:
        self.scheduler.stop()


@dataclass
class Service:
    """Starts the configured parts in the running loop; `stop()` undoes `start()`."""

    settings: Settings
    app: App | None = None
    telegram_rate_limit: bool = True
    telegram_inbound: InboundLimit | None = None  # None: the default per-user limit
    clock: Callable[[], datetime] = utc_now
    http: HttpListener | None = None
    parts: dict[str, Part] = field(default_factory=dict)

    async def start(self) -> list[str]:
        """Start everything configured; returns one line per started part."""
        if self.app is None:
            self.app = await asyncio.to_thread(build_app, self.settings)
        phases = self.app.startup
        started = time.perf_counter()
        wiring = build_service(self.app, self.clock, self.telegram_inbound)
        if self.settings.http_listen:
            self.http = _listener(self.settings.http_listen, self.app)
        phases.record("wiring", started)
        try:
            await self._start_parts(wiring)
            if self.http is not None:
                started = time.perf_counter()
                await self.http.start()
                phases.record("http", started)
        except BaseException:
            await self.stop()
            raise
        lines = [p.description for p in self.parts.values()]
        if self.http is not None:
            lines.append(f"HTTP on {self.http.host}:{self.http.port} (/healthz, /readyz)")
        return lines

    async def _start_parts(self, wiring: ServiceWiring) -> None:
        app = wiring.app
        started = time.perf_counter()
        if wiring.telegram is not None:
            from privbot.adapters.telegram.connection import connect_telegram

            self.parts["telegram"] = await connect_telegram(
                wiring.telegram.bot, wiring.telegram.endpoint, outbox=app.repo, ledger=app.repo,
                mount=self._mount(), rate_limit=self.telegram_rate_limit,
            )  # fmt: skip
            started = app.startup.record("telegram", started)
        if wiring.slack is not None:
            from privbot.adapters.slack.connection import connect_slack

            slack = wiring.slack
            self.parts["slack"] = await connect_slack(
                slack.context, slack.side.client, slack.tokens, self._mount()
            )
            started = app.startup.record("slack", started)
        wiring.scheduler.start()
        name = "reminders" if wiring.slack is not None else "housekeeping"
        self.parts[name] = ScheduledJobs(wiring.scheduler_description, wiring.scheduler)
        from privbot.adapters.content_watcher import start_watching

        self.parts["content"] = await start_watching(
            app.store, wiring.content_folders, wiring.content_reporter
        )
        app.startup.record("scheduler and content watcher", started)

    def _mount(self) -> Mount | None:
        return self.http.add_route if self.http is not None else None

    async def stop(self) -> None:
        for name, part in reversed(list(self.parts.items())):
            try:
                await part.stop()
            except Exception as exc:  # stop the others anyway
                log.warning("stopping %s failed: %s", name, type(exc).__name__)
        self.parts.clear()
        if self.http is not None:
            await self.http.stop()


def _listener(listen: str, app: App) -> HttpListener:
    """The one HTTP listener, with the readiness checks of /readyz."""
    from privbot.adapters.http import HttpListener

    http = HttpListener(listen)
    http.add_readiness("database", lambda: _database_ok(app))
    http.add_readiness("knowledge", lambda: app.store.current() is not None)
    return http


def _database_ok(app: App) -> bool:
    from sqlalchemy import text

    with app.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return True
