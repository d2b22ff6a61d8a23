"""Floors on answering from section text alone (PolicyQA), when a mirror is at hand.

The data set is not shipped with this repository: set PRIVBOT_POLICYQA_GIT_DIR to the git
directory of a local mirror of wasiahmad/PolicyQA to run these floors (bench/policyqa.py
reads it and prints the full report, BM25 and token_set_ratio beside). Without it they are
skipped.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GIT_DIR = os.environ.get("PRIVBOT_POLICYQA_GIT_DIR")

pytestmark = pytest.mark.skipif(not GIT_DIR, reason="PRIVBOT_POLICYQA_GIT_DIR is not set")


@pytest.mark.parametrize(
    # Measured on 2026-12-01: test 0.459, dev 0.466 hit@3 (0.424 / 0.408 before BM25 over
    # whole sections); the target is 0.45 on the test split.
    ("split", "floor"),
    [("test", 0.45), ("dev", 0.455)],
)
def test_policyqa_hit_at_3(split: str, floor: float) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from policyqa import privbot_hit_rate

    rate = privbot_hit_rate(Path(str(GIT_DIR)), split)
    assert rate >= floor, f"{split}: hit@3 {rate:.3f} < {floor}"
