"""Helpers shared by the subcommands: settings, content errors, common options."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from privbot.config import Settings, load_settings
from privbot.errors import ConfigError, ContentError

LANG_OPTION = click.option(
    "--lang", type=click.Choice(["fr", "en"]), default=None, help="Reply in this language."
)


def settings_or_exit() -> Settings:
    """The settings, or one clear line naming the bad variable and exit 1."""
    try:
        return load_settings()
    except ConfigError as exc:
        click.echo(f"privbot: {exc}", err=True)
        raise SystemExit(1) from exc


@contextmanager
def fail_on_errors() -> Iterator[None]:
    """Broken intent or corpus files: print each `file:line: message` and exit 1."""
    try:
        yield
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise SystemExit(1) from exc
    except ConfigError as exc:
        click.echo(f"privbot: {exc}", err=True)
        raise SystemExit(1) from exc
