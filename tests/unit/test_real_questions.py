"""Floors on real people's questions (PrivacyQA's train split), when a mirror is at hand.

The data set is not shipped with this repository: set PRIVBOT_PRIVACYQA_GIT_DIR to the git
directory of a local mirror of AbhilashaRavichander/PrivacyQA_EMNLP to run these floors
(bench/real_questions.py reads it and prints the full report). Without it they are skipped.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GIT_DIR = os.environ.get("PRIVBOT_PRIVACYQA_GIT_DIR")

pytestmark = pytest.mark.skipif(not GIT_DIR, reason="PRIVBOT_PRIVACYQA_GIT_DIR is not set")


def test_real_questions_floors() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from real_questions import load_train, score_privbot, shipped_knowledge

    scores = score_privbot(shipped_knowledge().matcher, load_train(Path(str(GIT_DIR))))
    lab = scores.labelled
    report = "\n".join(scores.misses[:40])
    assert lab.n >= 900
    # Measured 76.3 % right first time (dev half 77.1 %, held-out half 75.4 %) and 6.0 %
    # refused on 2026-12-01, 967 labelled questions (the same question asked about several
    # apps counted once, with every annotator's categories).
    assert lab.rate(lab.right) >= 0.74, f"right first time {lab.rate(lab.right):.3f}\n{report}"
    held_out = scores.half("held-out")
    assert held_out.rate(held_out.right) >= 0.73, f"held-out {held_out.rate(held_out.right):.3f}"
    assert lab.rate(lab.refused) <= 0.07, f"refused {lab.rate(lab.refused):.3f}"
