"""The `privbot` command. Each subcommand lives in its own module, imported only when that
subcommand runs (or for `--help`), and imports heavy libraries lazily, so a command starts
fast."""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # the start-up phases count the imports from here

import importlib  # noqa: E402

import click  # noqa: E402

# command name -> (module, attribute holding the click command or group)
_SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "ask": ("privbot.cli.ask", "ask"),
    "chat": ("privbot.cli.chat", "chat"),
    "deadline": ("privbot.cli.deadline", "deadline"),
    "intents": ("privbot.cli.intents", "intents"),
    "corpus": ("privbot.cli.corpus", "corpus"),
    "requests": ("privbot.cli.requests", "requests_group"),
    "run": ("privbot.cli.run", "run"),
    "reminders": ("privbot.cli.reminders", "reminders"),
    "db": ("privbot.cli.db", "db"),
}


class _LazyGroup(click.Group):
    """A group whose subcommands are imported by name, when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = _SUBCOMMANDS.get(cmd_name)
        if found is None:
            return None
        module, attr = found
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="privbot")
def main() -> None:
    """privbot: the privacy assistant of QAZAR CLOUD TECHNOLOGIES."""
