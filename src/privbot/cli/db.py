"""`privbot db upgrade|current|rotate-key|purge|new-key`: the database's schema, keys and
retention, for operators and deployment scripts."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from privbot.cli.common import fail_on_errors, settings_or_exit


@click.group("db")
def db() -> None:
    """Schema migrations, encryption keys and retention."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def upgrade_cmd(revision: str) -> None:
    """Apply the migrations up to REVISION (the newest by default)."""
    settings = settings_or_exit()
    with fail_on_errors():
        from privbot.adapters.migrate import upgrade
        from privbot.bootstrap import build_engine

        before, after = upgrade(build_engine(settings), revision)
    if before == after:
        click.echo(f"database already at {after}")
    else:
        click.echo(f"database upgraded from {before or 'nothing'} to {after}")


@db.command("current")
def current_cmd() -> None:
    """Print the database's revision and the newest one this privbot knows."""
    settings = settings_or_exit()
    with fail_on_errors():
        from privbot.adapters.migrate import current_revision, head_revision
        from privbot.bootstrap import build_engine

        current, head = current_revision(build_engine(settings)), head_revision()
    state = "up to date" if current == head else "needs `privbot db upgrade`"
    click.echo(f"current: {current or 'nothing'}  head: {head}  ({state})")
    if current != head:
        raise SystemExit(3)


@db.command("rotate-key")
def rotate_key_cmd() -> None:
    """Re-encrypt every stored personal value with the first key of PRIVBOT_ENCRYPTION_KEY.

    Put the new key first and keep the old ones after it (comma-separated), on the running
    instances too (a value they write meanwhile is left as they wrote it); afterwards the old
    keys can be removed."""
    settings = settings_or_exit()
    with fail_on_errors():
        from privbot.bootstrap import build_repository

        done = build_repository(settings).rotate_encryption()
    click.echo(f"re-encrypted {done.rows} rows with the current key")
    if done.changed_meanwhile:
        # Written by a running instance after they were read: with that instance's first key.
        click.echo(
            f"{done.changed_meanwhile} values changed meanwhile were left as written; if an "
            "instance still had the old key first, run rotate-key again once it has the new one"
        )


@db.command("purge")
@click.option("--now", "now_text", default=None, help="ISO date-time to purge as of (tests).")
def purge_cmd(now_text: str | None) -> None:
    """Delete what the retention rules no longer keep (see `privbot.core.retention`)."""
    settings = settings_or_exit()
    try:
        now = datetime.fromisoformat(now_text) if now_text else datetime.now(UTC)
    except ValueError as exc:
        raise click.BadParameter("expected an ISO date-time", param_hint="--now") from exc
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    with fail_on_errors():
        from privbot.bootstrap import build_repository, retention_policy
        from privbot.services.retention import purge

        counts = purge(build_repository(settings), retention_policy(settings), now)
    click.echo(
        f"purged {counts.flows} flows, {counts.codes} codes, {counts.unverified_requests} "
        f"unverified and {counts.closed_requests} closed requests ({counts.audit_lines} audit "
        f"lines, {counts.notifications} notifications), {counts.inbox} inbox entries"
    )


@db.command("new-key")
def new_key_cmd() -> None:
    """Print a new random key for PRIVBOT_ENCRYPTION_KEY."""
    from privbot.adapters.crypto import new_key

    click.echo(new_key().decode())
