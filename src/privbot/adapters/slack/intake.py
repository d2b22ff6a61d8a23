"""What reaches the bolt app in HTTP mode: signed first, then well formed.

The listener caps the body (`adapters.http`); here Slack's signature (v0 HMAC-SHA256 of the raw
body, at most 5 minutes old) is checked on the bytes before anything parses them, then the
payload is checked for the shape bolt and the listeners read (`user.id`, a first action with
an `action_id`, a modal's `view`). A request failing either gets a short status and one log
line that never carries the payload.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)


def signed(verifier: SignatureVerifier, body: bytes, headers: Mapping[str, str]) -> bool:
    """Slack's signature over exactly these bytes, and fresh."""
    stamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not stamp.isdigit() or not signature:
        return False
    return verifier.is_valid(body, stamp, signature)


def shape_problem(body: bytes, content_type: str) -> str | None:
    """Why this body is not a Slack request privbot handles (a few words), or None."""
    try:
        if content_type.startswith("application/json"):
            return _event_problem(json.loads(body))
        form = parse_qs(body.decode("utf-8"), strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return "not JSON or form data"
    if "payload" in form:
        try:
            return _interaction_problem(json.loads(form["payload"][-1]))
        except ValueError:
            return "payload is not JSON"
    if not _text(form.get("command", [None])[-1]) or not _text(form.get("user_id", [None])[-1]):
        return "neither an interaction nor a slash command"
    return None


def _event_problem(data: Any) -> str | None:
    if not isinstance(data, dict) or not _text(data.get("type")):
        return "an event without a type"
    if data["type"] == "event_callback" and not isinstance(data.get("event"), dict):
        return "an event callback without its event"
    return None


def _interaction_problem(data: Any) -> str | None:
    if not isinstance(data, dict) or not _text(data.get("type")):
        return "an interaction without a type"
    user = data.get("user")
    if not isinstance(user, dict) or not _text(user.get("id")):
        return "an interaction without its user"
    kind = data["type"]
    if kind == "block_actions":
        actions = data.get("actions")
        if not isinstance(actions, list) or not actions:
            return "a block action without actions"
        if not all(isinstance(a, dict) and _text(a.get("action_id")) for a in actions):
            return "an action without an action_id"
    if kind in ("view_submission", "view_closed"):
        view = data.get("view")
        if not isinstance(view, dict) or not all(
            _text(view.get(k)) for k in ("callback_id", "type")
        ):
            return "a modal without its view"
    return None


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)
