"""The shipped scenarios run and show the qualitative outcome their header comment documents."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]


def fanflow() -> Path:
    configured = os.environ.get("FANFLOW_BINARY")
    return Path(configured).absolute() if configured else REPO / "build" / "fanflow"


def run(scenario: str, tmp_path: Path) -> h5py.File:
    out = tmp_path / (Path(scenario).stem + ".h5")
    result = subprocess.run([str(fanflow()), "run", "-q", str(REPO / "scenarios" / scenario), "-o", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return h5py.File(out, "r")


@pytest.mark.parametrize("scenario", sorted(p.name for p in (REPO / "scenarios").glob("*.yaml")))
def test_every_scenario_validates_and_says_what_it_answers(scenario: str) -> None:
    text = (REPO / "scenarios" / scenario).read_text()
    assert text.startswith("#"), f"{scenario} must start with a comment saying what question it answers"
    result = subprocess.run([str(fanflow()), "validate", str(REPO / "scenarios" / scenario)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_small_vs_big_ip(tmp_path: Path) -> None:
    with run("small_vs_big_ip.yaml", tmp_path) as f:
        kind = f["creators/summary/type"][:]
        followers = f["creators/summary/followers"][:].astype(float)
        true_fans = f["creators/summary/true_fans"][:].astype(float)
    big, small = kind == 1, kind == 0
    assert big.sum() >= 10 and small.sum() >= 100
    assert followers[big].mean() > 2 * followers[small].mean()
    share_small = true_fans[small].sum() / followers[small].sum()
    share_big = true_fans[big].sum() / followers[big].sum()
    assert share_small > 1.5 * share_big, (share_small, share_big)


def test_bonus_period(tmp_path: Path) -> None:
    with run("bonus_period.yaml", tmp_path) as f:
        joined = f["creators/summary/joined_tick"][:]
        curves = f["creators/followers"][:]  # [tick x creator slot]
        kind = f["events/kind"][:]
        tick = f["events/tick"][:]
        days = int(f.attrs["ticks"])
    entrants_per_day = np.bincount(tick[kind == 1], minlength=days)
    assert entrants_per_day[:30].mean() > 1.5 * entrants_per_day[-30:].mean()
    ids = np.arange(len(joined))
    early = ids[(joined > 0) & (joined < 30)]
    late = ids[(joined >= 90) & (joined < 120)]
    assert len(early) >= 10 and len(late) >= 5, (len(early), len(late))
    early_at_30 = curves[joined[early] + 30, early].mean()
    late_at_30 = curves[joined[late] + 30, late].mean()
    assert early_at_30 > 1.2 * late_at_30, (early_at_30, late_at_30)
