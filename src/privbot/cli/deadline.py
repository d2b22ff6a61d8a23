"""`privbot deadline`: the legal dates of a request received on a given day."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date

import click

from privbot.core.model import Jurisdiction, RequestType

_HELP = """The legal dates of a rights request received on --received.

\b
due           the legal deadline
ack_due       the date by which receipt must be confirmed, where the law sets one
extended_due  the deadline after the one extension the law allows, if any

Working days exclude Saturdays, Sundays and the public holidays of
PRIVBOT_HOLIDAYS_COUNTRY (default FR, the controller's country).

\b
--json prints one object:
  jurisdiction, type, received        as given (received as YYYY-MM-DD)
  due, ack_due, extended_due          YYYY-MM-DD, or null where the law sets none
  explanation                         an object with the keys due, ack_due and
                                      extended_due: how each date was computed
                                      (or why there is none)
"""


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(ctx: click.Context, param: click.Parameter, value: str) -> date:
    """YYYY-MM-DD only; an impossible date (2025-02-30) says why (exit 2, as click does)."""
    text = value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError("expected YYYY-MM-DD")
        return date.fromisoformat(text)
    except ValueError as exc:
        raise click.BadParameter(f"{text!r} is not a date: {exc}") from exc


@click.command("deadline", help=_HELP)
@click.option(
    "--jurisdiction",
    "-j",
    required=True,
    type=click.Choice([j.value for j in Jurisdiction]),
    help="Where the user lives; 'other' follows GDPR timing.",
)
@click.option(
    "--received",
    required=True,
    callback=_iso_date,
    metavar="YYYY-MM-DD",
    help="The day the request was received.",
)
@click.option(
    "--type",
    "request_type",
    default=RequestType.ACCESS.value,
    show_default=True,
    type=click.Choice([t.value for t in RequestType]),
    help="The right exercised.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (see above).")
def deadline(jurisdiction: str, received: date, request_type: str, as_json: bool) -> None:
    from privbot.adapters.holiday_calendar import holiday_checker
    from privbot.config import load_settings
    from privbot.core.deadlines import DATE_KEYS, compute
    from privbot.errors import ConfigError

    try:
        country = load_settings().holidays_country
        calendar = holiday_checker(country)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    dates = compute(Jurisdiction(jurisdiction), RequestType(request_type), received, calendar)
    if as_json:
        click.echo(json.dumps(dates.as_json(), ensure_ascii=False))
        return
    click.echo(
        f"{request_type} request, {jurisdiction}, received {_day(dates.received)}; "
        f"public holidays of {country}"
    )
    for key in DATE_KEYS:
        value: date | None = getattr(dates, key)
        click.echo(f"{key + ':':<14}{_day(value) if value else 'none'}")
        click.echo(
            textwrap.fill(
                dates.explanation[key], width=96, initial_indent="  ", subsequent_indent="  "
            )
        )


def _day(day: date) -> str:
    return f"{day.isoformat()} ({day.strftime('%A')})"
