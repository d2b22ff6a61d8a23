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
    # Measured 77.2 % right first time (dev half 78.3 %, held-out half 76.1 %) and 5.2 %
    # refused on 2026-12-01, 967 labelled questions (the same question asked about several
    # apps counted once, with every annotator's categories).
    assert lab.rate(lab.right) >= 0.76, f"right first time {lab.rate(lab.right):.3f}\n{report}"
    held_out = scores.half("held-out")
    assert held_out.rate(held_out.right) >= 0.75, f"held-out {held_out.rate(held_out.right):.3f}"
    assert lab.rate(lab.refused) <= 0.06, f"refused {lab.rate(lab.refused):.3f}"
