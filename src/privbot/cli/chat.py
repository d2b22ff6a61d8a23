"""`privbot chat`: the bot in the terminal, one user line per stdin line (scriptable)."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

import click

from privbot.cli.common import (
    LANG_OPTION,
    collector_off_while_starting,
    fail_on_errors,
    settings_or_exit,
)
from privbot.core.dialogue import option_number
from privbot.core.model import Incoming, Language, Option, Outgoing, UserKey
from privbot.core.text import normalise


def pick(text: str, options: tuple[Option, ...]) -> Option | None:
    """The option a console line means: its number or its exact label."""
    numbered = option_number(text, options)
    if numbered is not None:
        return numbered
    said = normalise(text)
    for option in options:
        if said and normalise(option.label) == said:
            return option
    return None


def render(out: Outgoing) -> tuple[str, tuple[Option, ...]]:
    """The replies as terminal text, options numbered; and the options now on offer."""
    lines: list[str] = []
    offered: tuple[Option, ...] = ()
    for reply in out.replies:
        lines.append(reply.text)
        if reply.attachment is not None:
            lines.append(f"--- {reply.attachment.filename}\n{reply.attachment.content.rstrip()}")
        if reply.options:
            offered = reply.options
            lines.extend(f"  {i}. {o.label}" for i, o in enumerate(reply.options, 1))
    return "\n".join(lines), offered


@click.command()
@click.option("--user", "user_id", default="local", show_default=True, help="Console user id.")
@LANG_OPTION
@click.option(
    "--profile-startup", is_flag=True, help="Print the start-up phases and the first answer's time."
)
@collector_off_while_starting()
def chat(user_id: str, lang: str | None, profile_startup: bool) -> None:
    """Talk to the bot in the terminal; options can be answered by number or label."""
    from privbot.cli import STARTED

    began = time.perf_counter()
    settings = settings_or_exit()
    loaded = time.perf_counter()
    with fail_on_errors():
        from privbot.bootstrap import build_app, settle

        prelude = (
            f"imports {began - STARTED:.3f} s, settings {loaded - began:.3f} s, "
            f"imports for the bot {time.perf_counter() - loaded:.3f} s, "
        )
        app = build_app(settings, mail_console=sys.stdout)
    settle()
    if app.mail_is_local:
        from privbot.adapters.mail import LOCAL_ONLY_NOTICE

        click.echo(f"privbot: {LOCAL_ONLY_NOTICE}", err=True)
    if app.keys.created:  # say it once, when the key is made
        click.echo(f"privbot: {app.keys.notice()}", err=True)
    user = UserKey("console", user_id)
    forced = Language(lang) if lang else None
    interactive = sys.stdin.isatty()
    offered: tuple[Option, ...] = ()
    while True:
        if interactive:
            click.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line:
            break
        text = line.rstrip("\n")
        chosen = pick(text, offered) if offered else None
        incoming = Incoming(
            user=user,
            text=text,
            choice=chosen.value if chosen else None,
            forced_language=forced,
        )
        started = time.perf_counter()
        out = app.conversation.handle(incoming, datetime.now(UTC))
        shown, new_options = render(out)
        offered = new_options
        click.echo(shown)
        click.echo("")
        if profile_startup:
            profile_startup = False  # the first answer only
            app.startup.record("first answer", started)
            click.echo(f"privbot: start-up: {prelude}{app.startup.line()}", err=True)
