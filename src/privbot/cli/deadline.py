"""`privbot deadline`: the legal dates of a request received on a given day."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date

import click

from privbot.core.model import Establishment, Jurisdiction, RequestType

_HELP = """The legal dates of a rights request received on --received.

\b
due           the legal deadline
ack_due       the date by which receipt must be confirmed, where the law sets one
extended_due  the deadline after the one extension the law allows, if any

Every law that applies is combined and the earliest date binds: the law of
the user's residence (--jurisdiction) and the law of the controller's
establishment (--establishment, default PRIVBOT_CONTROLLER_ESTABLISHMENT, itself
eu by default): a California user of a controller established in the EU is
also under the GDPR (Art. 3(1)). --establishment other: the residence's law
alone. A withdrawal of consent, or an objection (--marketing) to direct
marketing, takes effect at once: due the day it is received.

Working days exclude Saturdays, Sundays and the public holidays of
PRIVBOT_HOLIDAYS_COUNTRY (default FR, the controller's country).

\b
--json prints one object:
  jurisdiction, type, received        as given (received as YYYY-MM-DD)
  establishment                       the controller's, as given or set
  laws                                the laws that apply, each with why
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
@click.option(
    "--establishment",
    "-e",
    type=click.Choice([e.value for e in Establishment]),
    default=None,
    help="Where the controller is established [default: PRIVBOT_CONTROLLER_ESTABLISHMENT, eu].",
)
@click.option(
    "--marketing",
    is_flag=True,
    help="With --type objection: an objection to direct marketing (takes effect at once).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (see above).")
def deadline(
    jurisdiction: str,
    received: date,
    request_type: str,
    establishment: str | None,
    marketing: bool,
    as_json: bool,
) -> None:
    from privbot.adapters.holiday_calendar import holiday_checker
    from privbot.config import load_settings
    from privbot.core.deadlines import DATE_KEYS, applicable_laws, compute
    from privbot.errors import ConfigError

    try:
        settings = load_settings()
        country = settings.holidays_country
        calendar = holiday_checker(country)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    where = Establishment(establishment) if establishment else settings.controller_establishment
    residence, rtype = Jurisdiction(jurisdiction), RequestType(request_type)
    try:
        dates = compute(residence, rtype, received, calendar, where, marketing_objection=marketing)
    except (ValueError, OverflowError) as exc:  # only a date past the calendar's end fails here
        raise click.BadParameter(
            f"{received.isoformat()}: the legal dates would fall after {date.max.isoformat()}",
            param_hint="'--received'",
        ) from exc
    laws = applicable_laws(residence, where)
    if as_json:
        data = dates.as_json() | {
            "establishment": str(where),
            "laws": [{"law": str(a.law), "why": a.why} for a in laws],
        }
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(
        f"{request_type} request, {jurisdiction}, received {_day(dates.received)}; "
        f"controller established in {where}; public holidays of {country}"
    )
    click.echo("laws:         " + "; ".join(f"{a.law} ({a.why})" for a in laws))
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
