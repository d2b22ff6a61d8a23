"""The `privbot` command. Each subcommand lives in its own module and imports heavy
libraries lazily, so `privbot ask` starts fast."""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # the start-up phases count the imports from here

import importlib  # noqa: E402

import click  # noqa: E402

# module name -> attribute holding the click command or group
_SUBCOMMANDS: tuple[tuple[str, str], ...] = (
    ("privbot.cli.ask", "ask"),
    ("privbot.cli.chat", "chat"),
    ("privbot.cli.deadline", "deadline"),
    ("privbot.cli.intents", "intents"),
    ("privbot.cli.corpus", "corpus"),
    ("privbot.cli.requests", "requests_group"),
    ("privbot.cli.run", "run"),
    ("privbot.cli.reminders", "reminders"),
    ("privbot.cli.db", "db"),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="privbot")
def main() -> None:
    """privbot: the privacy assistant of QAZAR CLOUD TECHNOLOGIES."""


for _module, _attr in _SUBCOMMANDS:
    try:
        _mod = importlib.import_module(_module)
    except ModuleNotFoundError as _exc:
        if _exc.name != _module:
            raise
        continue  # subcommand not built yet
    main.add_command(getattr(_mod, _attr))
