"""Shared test setup: make `tests/` helpers importable."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# The knowledge cache of this test session (never the user's): shared by its processes.
os.environ["PRIVBOT_CACHE_DIR"] = tempfile.mkdtemp(prefix="privbot-test-cache-")

pytest_plugins = ["dbfixtures"]  # db_url / db_overrides: SQLite and PostgreSQL
