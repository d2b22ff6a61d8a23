"""Logging: plain or JSON lines (`PRIVBOT_LOG_FORMAT`), carrying request ids and event names only.

Privacy rule (policy section 5): log records name events (`verification code sent`,
`request DSR-2026-000042 stored`) and carry ids; never message text, names, e-mail addresses
or codes. What helps: every line emitted while one incoming message is handled carries the
same `request_id` (set by `request_context`), so one conversation turn can be followed
across modules without logging what was said.

Libraries that would log URLs (the Telegram token is in them), SQL parameters or per-job
chatter are held at WARNING whatever the level; the SQL engine also hides parameters itself
(`hide_parameters=True` in bootstrap).
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import secrets
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Literal, TextIO

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("privbot_request_id", default="-")

QUIET_LOGGERS = (
    "httpx",
    "httpcore",
    "apscheduler",
    "telegram.ext",
    "uvicorn.error",
    "uvicorn.access",
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "alembic.runtime.migration",
    "slack_bolt",
    "slack_sdk",
    "aiohttp.access",
)


def error_origin(error: BaseException | None) -> str:
    """`module:line` of an exception's innermost frame: enough to find the bug, no content."""
    tb = error.__traceback__ if error else None
    if tb is None:
        return "?"
    while tb.tb_next is not None:
        tb = tb.tb_next
    return f"{tb.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno}"


@contextlib.contextmanager
def request_context(request_id: str | None = None) -> Iterator[str]:
    """Tag every log line inside with one id (a new random one unless given or already set)."""
    rid = request_id or (_request_id.get() if _request_id.get() != "-" else secrets.token_hex(6))
    token = _request_id.set(rid)
    try:
        yield rid
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` (the current context's, or `-`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, request_id (and the exception
    type, never its message, which may quote data)."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        if record.exc_info and record.exc_info[0] is not None:
            out["error"] = record.exc_info[0].__name__
        return json.dumps(out, ensure_ascii=False)


PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def make_handler(fmt: Literal["plain", "json"], stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(PLAIN_FORMAT))
    return handler


def configure_logging(
    fmt: Literal["plain", "json"] = "plain",
    level: str = "INFO",
    stream: TextIO | None = None,
) -> None:
    """Replace the root handlers with one plain or JSON handler at `level`."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(make_handler(fmt, stream))
    root.setLevel(level.upper())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
