"""`privbot reminders run --now ISO-DATETIME`: one reminder sweep as if at that time (after
posting any verified request not yet in Slack), printing what it sent. For operators and tests;
the claims are the same as the scheduler's, so nothing is sent twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click

from privbot.cli.common import fail_on_errors, settings_or_exit
from privbot.config import Settings


def _parse_now(value: str | None, settings: Settings) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        now = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO date-time: {value!r}", param_hint="--now") from exc
    # A date-time without an offset is read in the controller's time zone.
    return now if now.tzinfo else now.replace(tzinfo=ZoneInfo(settings.timezone))


@click.group("reminders")
def reminders() -> None:
    """Deadline reminders posted to the staff channel in Slack."""


@reminders.command("run")
@click.option("--now", "now_text", metavar="ISO-DATETIME", help="Sweep as if at this time.")
@click.option("--digest", is_flag=True, help="Also post the daily digest (once per day).")
def run_once(now_text: str | None, digest: bool) -> None:
    """Run one sweep and print each reminder sent (REFERENCE KEY due DATE)."""
    settings = settings_or_exit()
    now = _parse_now(now_text, settings)
    with fail_on_errors():
        lines = asyncio.run(_sweep(settings, now, digest))
    for line in lines:
        click.echo(line)


async def _sweep(settings: Settings, now: datetime, digest: bool) -> list[str]:
    from privbot.bootstrap import build_slack_tools

    slack = build_slack_tools(settings)
    lines = [f"posted {ref}" for ref in await slack.poster.post_new(now, limit=1000)]
    result = await slack.reminders.sweep(now)
    lines += [
        f"sent {n.reference} {n.point.key} due {n.point.for_due.isoformat()}" for n in result.sent
    ]
    lines += [f"failed {n.reference} {n.point.key} (will retry)" for n in result.failed]
    if digest:
        posted = await slack.reminders.digest(now)
        if posted is not None:
            lines.append(f"digest {posted.today.isoformat()} ({posted.total} open)")
    if not lines:
        lines.append("nothing due")
    return lines
