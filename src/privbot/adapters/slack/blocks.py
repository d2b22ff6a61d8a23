"""Block Kit for staff: the message of each verified request, its modals, reminders, the digest
and the App Home tab. Pure functions of the request and "today".

What reaches Slack is what staff need to act: reference, type, jurisdiction, dates, status,
assignee and the options the user picked. Never the chat transcript, the e-mail address, the
verification data, or the user's own free-text words (those stay in the database; staff read
them with `privbot requests show REF`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from privbot.core.deadlines import days_left
from privbot.core.feedback import FeedbackCount, totals
from privbot.core.flows import FIELDS
from privbot.core.inbox import Outcome
from privbot.core.model import Jurisdiction, RequestType
from privbot.core.reminders import Candidate, ReminderPoint
from privbot.core.requests import (
    CLOSED_STATUSES,
    NO_VERIFICATION_BY_LAW,
    RequestStatus,
    RightsRequest,
)
from privbot.services.inbox import InboxDigest

Block = dict[str, Any]

ACK, ASSIGN, EXTEND, COMPLETE, DENY = (
    "privbot_ack",
    "privbot_assign",
    "privbot_extend",
    "privbot_complete",
    "privbot_deny",
)
EXTEND_VIEW, COMPLETE_VIEW, DENY_VIEW = (
    "privbot_extend_view",
    "privbot_complete_view",
    "privbot_deny_view",
)
REASON_BLOCK, REASON_INPUT = "reason", "reason_input"
NOTE_BLOCK, NOTE_INPUT = "note", "note_input"

TYPE_NAMES: dict[RequestType, str] = {
    RequestType.ACCESS: "Access",
    RequestType.RECTIFICATION: "Rectification",
    RequestType.ERASURE: "Erasure",
    RequestType.PORTABILITY: "Portability",
    RequestType.OBJECTION: "Objection",
    RequestType.RESTRICTION: "Restriction",
    RequestType.WITHDRAW_CONSENT: "Withdrawal of consent",
    RequestType.OPT_OUT_SALE: "Opt-out of sale/sharing",
}
JURISDICTION_NAMES: dict[Jurisdiction, str] = {
    Jurisdiction.EU: "EU GDPR",
    Jurisdiction.UK: "UK GDPR",
    Jurisdiction.CALIFORNIA: "California (CCPA)",
    Jurisdiction.QUEBEC: "Quebec (Law 25)",
    Jurisdiction.SWITZERLAND: "Switzerland (nFADP)",
    Jurisdiction.OTHER: "Elsewhere (GDPR timing)",
}
STATUS_ICONS: dict[RequestStatus, str] = {
    RequestStatus.RECEIVED: ":inbox_tray:",
    RequestStatus.VERIFIED: ":new:",
    RequestStatus.ACKNOWLEDGED: ":envelope_with_arrow:",
    RequestStatus.IN_PROGRESS: ":hammer_and_wrench:",
    RequestStatus.COMPLETED: ":white_check_mark:",
    RequestStatus.DENIED: ":no_entry:",
    RequestStatus.CANCELLED: ":wastebasket:",
}


def type_name(value: str) -> str:
    try:
        return TYPE_NAMES[RequestType(value)]
    except ValueError:
        return value


def jurisdiction_name(value: str) -> str:
    try:
        return JURISDICTION_NAMES[Jurisdiction(value)]
    except ValueError:
        return value


def mention(actor: str | None) -> str:
    """`slack:U123` (how Slack actors are stored) -> `<@U123>`; other actors as they are."""
    if not actor:
        return "nobody"
    return f"<@{actor.removeprefix('slack:')}>" if actor.startswith("slack:") else actor


def left_text(due: date, today: date) -> str:
    n = days_left(due, today)
    if n > 1:
        return f"{n} days left"
    if n == 1:
        return "1 day left"
    if n == 0:
        return "due today"
    return f"*overdue by {-n} day{'s' if n < -1 else ''}*"


def detail_lines(req: RightsRequest) -> list[str]:
    """The options the user picked, by their ids ("legal claim"): staff read what is stored,
    not the user's wording of it (which is content and may change); free text is only said to
    exist."""
    lines: list[str] = []
    for f in FIELDS[req.type]:
        value = req.details.get(f.key)
        if value is None:
            continue
        if f.is_choice:
            lines.append(f"{f.key.replace('_', ' ')}: {value.replace('_', ' ')}")
            if f.other_text and req.details.get(f.other_key):
                lines.append(f"{f.key.replace('_', ' ')} (other): given by the user")
        else:
            lines.append(f"{f.key}: given by the user")
    return lines


ACT_NOW = (
    ":zap: *Act now:* this takes effect at once (GDPR Art. 7(3) for a withdrawal of consent, "
    "Art. 21(3) for an objection to direct marketing): stop the processing today, then complete."
)
NO_VERIFICATION = "received, no verification needed"  # CCPA regs §7026(d): none may be asked
_SKIPS_VERIFICATION = frozenset(t.value for t in NO_VERIFICATION_BY_LAW)


def status_text(req: RightsRequest) -> str:
    """The status as staff read it: an opt-out is never shown as "verified"."""
    if req.status is RequestStatus.CANCELLED:
        return "cancelled by the user"
    return NO_VERIFICATION if req.verification_skipped else str(req.status)


def request_text(req: RightsRequest, today: date) -> str:
    """The notification text (fallback for clients without blocks)."""
    act_now = "ACT NOW: " if req.takes_effect_at_once and req.is_open else ""
    return (
        f"{act_now}{req.reference}: {TYPE_NAMES[req.type]} request "
        f"({JURISDICTION_NAMES[req.jurisdiction]}), due {req.due.isoformat()}, {status_text(req)}"
    )


def request_message(req: RightsRequest, today: date) -> tuple[str, list[Block]]:
    """(text, blocks) of the request's message; buttons only while it can be acted on.
    Days left are shown only while it is open (so a closed message never changes again)."""
    closed = req.status in CLOSED_STATUSES
    due_line = f"*Due:* {req.due.isoformat()}"
    if not closed:
        due_line += f" ({left_text(req.due, today)})"
    if req.extended:
        due_line += f"\n*Extended* from {req.dates.due.isoformat()} (reason given to the user)"
    if req.dates.ack_due is not None and req.status is RequestStatus.VERIFIED:
        due_line += f"\n*Acknowledge by:* {req.dates.ack_due.isoformat()}"
    fields = [
        f"*Reference:*\n{req.reference}",
        f"*Type:*\n{TYPE_NAMES[req.type]}",
        f"*Jurisdiction:*\n{JURISDICTION_NAMES[req.jurisdiction]}",
        f"*Received:*\n{req.dates.received.isoformat()}",
        f"*Status:*\n{STATUS_ICONS[req.status]} {status_text(req)}",
        f"*Assignee:*\n{mention(req.assignee)}",
    ]
    blocks: list[Block] = [
        {"type": "header", "text": _plain(f"{req.reference} · {TYPE_NAMES[req.type]}")},
    ]
    if req.takes_effect_at_once and not closed:
        blocks.append({"type": "section", "text": md(ACT_NOW)})
    blocks += [
        {"type": "section", "fields": [md(f) for f in fields]},
        {"type": "section", "text": md(due_line)},
    ]
    details = detail_lines(req)
    if details:
        blocks.append({"type": "section", "text": md("*Details:*\n" + "\n".join(details))})
    blocks.append(
        {"type": "context", "elements": [md(req.dates.explanation.get("due", "")[:1900] or " ")]}
    )
    if closed:
        blocks.append({"type": "section", "text": md(closed_text(req))})
    else:
        blocks.append({"type": "actions", "block_id": "privbot_actions",
                       "elements": _buttons(req, today)})  # fmt: skip
    return request_text(req, today), blocks


def closed_text(req: RightsRequest) -> str:
    """How a closed request's message ends (in place of the buttons)."""
    what = "cancelled by the user" if req.status is RequestStatus.CANCELLED else str(req.status)
    line = f"{STATUS_ICONS[req.status]} *{what}*"
    if req.closed_at is not None:
        line += f" on {req.closed_at.date().isoformat()}"
    return line


def message_digest(text: str, blocks: list[Block]) -> str:
    """A fingerprint of what a message shows: equal digests, nothing to update."""
    raw = json.dumps([text, blocks], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _buttons(req: RightsRequest, today: date) -> list[Block]:
    out: list[Block] = []
    if req.status is RequestStatus.VERIFIED:
        out.append(_button("Acknowledge", ACK, req.reference, "primary"))
    if req.assignee is None or req.status is not RequestStatus.IN_PROGRESS:
        out.append(_button("Assign to me", ASSIGN, req.reference))
    if can_extend(req, today):
        out.append(_button("Extend", EXTEND, req.reference))
    out.append(_button("Complete", COMPLETE, req.reference, "primary"))
    out.append(_button("Deny", DENY, req.reference, "danger"))
    return out


def can_extend(req: RightsRequest, today: date) -> bool:
    return (
        req.is_open
        and not req.extended
        and req.dates.extended_due is not None
        and today <= req.dates.due
    )


def extend_modal(req: RightsRequest) -> Block:
    new = req.dates.extended_due.isoformat() if req.dates.extended_due else "?"
    return _modal(
        EXTEND_VIEW,
        f"Extend {req.reference}",
        req.reference,
        [
            {"type": "section", "text": md(
                f"The deadline moves from {req.dates.due.isoformat()} to *{new}*. Once only. "
                "The user is told the new date and this reason."
            )},
            _input(REASON_BLOCK, REASON_INPUT, "Reason (shown to the user)", optional=False),
        ],
    )  # fmt: skip


def complete_modal(req: RightsRequest) -> Block:
    return _modal(
        COMPLETE_VIEW,
        f"Complete {req.reference}",
        req.reference,
        [_input(NOTE_BLOCK, NOTE_INPUT, "Note to the user (optional)", optional=True)],
    )


def deny_modal(req: RightsRequest) -> Block:
    return _modal(
        DENY_VIEW,
        f"Deny {req.reference}",
        req.reference,
        [_input(REASON_BLOCK, REASON_INPUT, "Reason (shown to the user)", optional=False)],
    )


def reminder_text(point: ReminderPoint, reference: str, today: date, who: str) -> str:
    """A threaded reminder; `who` is mentioned on overdue ones."""
    due = point.for_due.isoformat()
    if point.key == "ack_due":
        return (
            f":envelope: {reference}: confirm receipt to the user now (acknowledgement due soon)."
        )
    if point.kind == "overdue":
        n = (today - point.for_due).days
        return (
            f":rotating_light: {reference} is *overdue* by {n} day{'s' if n > 1 else ''} "
            f"(due {due}). {who}"
        )
    if point.key == "due_today":
        return f":alarm_clock: {reference} is due *today* ({due})."
    n = point.days_left
    return f":hourglass_flowing_sand: {reference}: {n} day{'s' if n > 1 else ''} left (due {due})."


def candidate_line(c: Candidate, today: date) -> str:
    skipped = c.status is RequestStatus.VERIFIED and c.type in _SKIPS_VERIFICATION
    status = NO_VERIFICATION if skipped else str(c.status)
    return (
        f"*{c.reference}* · {type_name(c.type)} · {jurisdiction_name(c.jurisdiction)} · "
        f"due {c.due.isoformat()} ({left_text(c.due, today)}) · {status} · {mention(c.assignee)}"
    )


def list_blocks(title: str, found: list[Candidate], total: int, today: date) -> list[Block]:
    blocks: list[Block] = [{"type": "header", "text": _plain(title)}]
    if not found:
        blocks.append({"type": "section", "text": md("Nothing here.")})
        return blocks
    lines = [candidate_line(c, today) for c in found]
    for i in range(0, len(lines), 10):  # a section holds 3000 characters
        blocks.append({"type": "section", "text": md("\n".join(lines[i : i + 10]))})
    if total > len(found):
        blocks.append({"type": "context", "elements": [md(f"and {total - len(found)} more")]})
    return blocks


FEEDBACK_SHOWN = 10


def feedback_blocks(counts: Sequence[FeedbackCount]) -> list[Block]:
    """The digest's votes on answers over the last day: the totals, then the answers with the
    most 👎 (intent ids and section numbers only: votes carry no text)."""
    up, down = totals(counts)
    head = f"*Answers rated in the last 24 h:* 👍 {up} · 👎 {down}"
    if not counts:
        return [{"type": "section", "text": md(f"{head} (no votes)")}]
    lines = [f"• `{c.label}`: 👍 {c.up} · 👎 {c.down}" for c in counts[:FEEDBACK_SHOWN]]
    return [{"type": "section", "text": md("\n".join([head, *lines]))}]


def home_view(found: list[Candidate], total: int, today: date) -> Block:
    title = f"Open requests by due date ({total})"
    return {"type": "home", "blocks": list_blocks(title, found, total, today)}


def _plain(text: str) -> Block:
    return {"type": "plain_text", "text": text[:150], "emoji": True}


def md(text: str) -> Block:
    return {"type": "mrkdwn", "text": text}


def _button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    b: Block = {"type": "button", "text": _plain(text), "action_id": action_id, "value": value}
    if style:
        b["style"] = style
    return b


def _input(block_id: str, action_id: str, label: str, optional: bool) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": _plain(label),
        "element": {"type": "plain_text_input", "action_id": action_id, "multiline": True,
                    "max_length": 1000},
    }  # fmt: skip


def _modal(callback_id: str, title: str, reference: str, blocks: list[Block]) -> Block:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": reference,
        "title": _plain(title[:24]),
        "submit": _plain("Submit"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


# --- the weekly inbox digest (admins) ----------------------------------------------------------
def escape(text: str) -> str:
    """Plain text in Slack mrkdwn: `<email>` stays a word, never a link or a mention."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inbox_digest_text(d: InboxDigest) -> str:
    """Counts, intent ids and redacted examples only; no link."""
    last = d.until - timedelta(days=1)
    head = (
        f"Weekly inbox, {d.since.isoformat()} to {last.isoformat()}: {d.questions} question(s),"
        f" {d.fallbacks} fallback(s) ({d.fallback_rate:.1%}),"
        f' {d.outcomes.get(Outcome.UNRESOLVED, 0)} "did you mean" unresolved,'
        f" {d.outcomes.get(Outcome.DISLIKED, 0)} answer(s) marked 👎."
    )
    lines = [head]
    if d.groups:
        lines.append(f"*Top unanswered* ({len(d.groups)} of {d.total_groups} group(s)):")
    for rank, g in enumerate(d.groups, 1):
        langs = ", ".join(f"{lang} {n}" for lang, n in g.languages)
        best = ", ".join(f"{c.label} {c.score:.2f}" for c in g.guesses) or "none"
        examples = " / ".join(f"“{escape(e.text)}”" for e in g.examples[:2])
        lines.append(f"{rank}. `{g.id}` {g.count}x ({langs}): {examples}; best: {escape(best)}")
    if d.groups:
        lines.append("Teach one: `privbot intents inbox --days 7 --add ID --to INTENT`")
    if d.feedback:
        votes = ", ".join(f"{escape(c.label)} {c.up}/{c.down}" for c in d.feedback[:FEEDBACK_SHOWN])
        lines.append(f"👍/👎 per intent: {votes}")
    return "\n".join(lines)
