"""Runs the loader and report tests share: small scenarios the engine runs once per test session (seconds)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: A small run with brands, exits (short patience) and a timeline: one labelled preset switch and one window.
TIMELINE_SCENARIO = """\
run:
  seed: 5
  days: 20
population:
  users: 3000
  creators: 60
  brands: 5
lifecycle:
  patience_days: 3
  quit_line: 0.45
marketplace:
  min_followers: 5
timeline:
  - at: 8
    label: switch to follow-heavy rules
    set: {platform.preset: follow_heavy}
  - from: 12
    until: 16
    set:
      engagement.share_rate: 0.05
"""


def binary() -> Path:
    configured = os.environ.get("FANFLOW_BINARY")
    path = Path(configured).absolute() if configured else REPO / "build" / "fanflow"
    if not path.is_file():
        pytest.fail(f"no fanflow binary at {path}; set FANFLOW_BINARY to the built program")
    return path


def fanflow(*args: object, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Runs the fanflow program with `args` in `cwd` (pipes, never a terminal)."""
    return subprocess.run([str(binary()), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="session")
def timeline_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("timeline_run")
    scenario = folder / "timeline.yaml"
    scenario.write_text(TIMELINE_SCENARIO)
    out = folder / "timeline.h5"
    result = fanflow("run", "-q", "--threads", 2, scenario, "-o", out, cwd=folder)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def plain_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """No brands, no brand accounts and no timeline: the sections that need them must say so."""
    folder = tmp_path_factory.mktemp("plain_run")
    out = folder / "plain.h5"
    result = fanflow("run", "-q", "--threads", 2, "-o", out, "--set", "run.days=6", "--set", "population.users=1500",
                     "--set", "population.creators=30", "--set", "population.brands=0", cwd=folder)
    assert result.returncode == 0, result.stderr
    return out
