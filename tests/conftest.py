"""Shared test setup: make `tests/` helpers importable."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

pytest_plugins = ["dbfixtures"]  # db_url / db_overrides: SQLite and PostgreSQL
