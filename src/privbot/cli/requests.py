"""`privbot requests list|show`: rights requests for staff and scripts."""

from __future__ import annotations

import json
from typing import Any

import click

from privbot.cli.common import fail_on_errors, settings_or_exit
from privbot.core.requests import AuditEvent, RequestStatus, RightsRequest


def request_json(req: RightsRequest, audit: list[AuditEvent] | None = None) -> dict[str, Any]:
    """One request as JSON (dates ISO, explanations per date key)."""
    out: dict[str, Any] = {
        "reference": req.reference,
        "type": str(req.type),
        "jurisdiction": str(req.jurisdiction),
        "status": str(req.status),
        "language": str(req.language),
        "received_at": req.received_at.isoformat(),
        "due": req.due.isoformat(),
        "dates": req.dates.as_json(),
        "extended": req.extended,
        "extension_reason": req.extension_reason,
        "assignee": req.assignee,
        "closing_reason": req.closing_reason,
        "closed_at": req.closed_at.isoformat() if req.closed_at else None,
        "details": req.details.as_dict(),
        "email": req.email,
        "user": {"channel": req.user.channel, "id": req.user.external_id},
    }
    if audit is not None:
        out["audit"] = [
            {"event": e.event, "actor": e.actor, "at": e.at.isoformat(), "detail": e.detail}
            for e in audit
        ]
    return out


@click.group("requests")
def requests_group() -> None:
    """List and show rights requests."""


@requests_group.command("list")
@click.option(
    "--status",
    "status",
    type=click.Choice([s.value for s in RequestStatus]),
    default=None,
    help="Only requests with this status.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_requests(status: str | None, as_json: bool) -> None:
    """Every request (oldest first), optionally of one status."""
    settings = settings_or_exit()
    with fail_on_errors():
        from privbot.bootstrap import build_repository

        repo = build_repository(settings)
    statuses = [RequestStatus(status)] if status else None
    for req in repo.list_requests(statuses=statuses):
        if as_json:
            click.echo(json.dumps(request_json(req), ensure_ascii=False))
        else:
            extended = " (extended)" if req.extended else ""
            click.echo(
                f"{req.reference}  {req.type:<16} {req.jurisdiction:<10} {req.status:<12} "
                f"due {req.due.isoformat()}{extended}"
            )


@requests_group.command("show")
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="As one JSON object.")
def show_request(reference: str, as_json: bool) -> None:
    """One request with its legal dates, how they were computed, and its audit log."""
    settings = settings_or_exit()
    with fail_on_errors():
        from privbot.bootstrap import build_repository

        repo = build_repository(settings)
    req = repo.get_request(reference)
    if req is None:
        click.echo(f"privbot: no request {reference}", err=True)
        raise SystemExit(1)
    data = request_json(req, repo.audit_log(req.reference))
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key in ("reference", "type", "jurisdiction", "status", "received_at", "due", "assignee"):
        click.echo(f"{key:<13} {data[key] if data[key] is not None else '-'}")
    if req.extended:
        click.echo(f"{'extended':<13} yes: {req.extension_reason}")
    if req.closing_reason:
        click.echo(f"{'reason':<13} {req.closing_reason}")
    for k, v in req.details.items:
        click.echo(f"{'detail':<13} {k} = {v}")
    for key, text in req.dates.explanation.items():
        click.echo(f"{key:<13} {text}")
    for e in data["audit"]:
        click.echo(f"audit         {e['at']}  {e['event']:<12} {e['actor']}  {e['detail']}")
