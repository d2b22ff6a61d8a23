"""The seam: the core imports none of the I/O libraries, and adapters don't leak into it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "privbot" / "core"
FORBIDDEN = (
    "telegram",
    "slack_bolt",
    "slack_sdk",
    "sqlmodel",
    "sqlalchemy",
    "apscheduler",
    "aiosmtplib",
    "smtplib",
    "httpx",
    "requests",
    "aiohttp",
    "starlette",
    "uvicorn",
    "watchfiles",
    "langdetect",
    "yaml",
    "holidays",
    "cryptography",
    "privbot.adapters",
    "privbot.services",
    "privbot.content",
    "privbot.bootstrap",
)


def test_core_imports_no_io_library() -> None:
    modules = sorted(f"privbot.core.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )
    leaks = [m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]
    assert leaks == [], leaks


def test_core_does_no_file_or_network_io() -> None:
    offenders = []
    for path in CORE.glob("*.py"):
        text = path.read_text("utf-8")
        for needle in (
            " open(",
            "(open(",
            "read_text(",
            "write_text(",
            "socket",
            "urllib",
            "datetime.now(",
            "date.today(",
            "time.time(",
        ):
            if needle in text:
                offenders.append(f"{path.name}: {needle}")
    assert offenders == [], offenders
