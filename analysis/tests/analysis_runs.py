"""Helpers for the analysis tests: where the fanflow program is, running it, and the small scenario with a
timeline that the loader and report tests share."""

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


def fanflow(*args: object, cwd: Path, timeout: float = 300,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Runs the fanflow program with `args` in `cwd` (pipes, never a terminal), with `env` added to the
    environment."""
    return subprocess.run([str(binary()), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})
