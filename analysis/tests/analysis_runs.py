"""Helpers for the analysis tests: where the fanflow program is, running it, the small scenarios and sweep
definitions that the loader and report tests share, the one-error-line check, and a sweep file made to look
interrupted."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
#: The first bytes of every PNG file.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_figures(page: str, folder: Path, figure_names: list[str]) -> None:
    """The report's figure folder holds exactly these PNG files, and the page links and embeds each of them."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(figure_names)
    for name in figure_names:
        assert (folder / name).read_bytes().startswith(PNG_SIGNATURE), name
        assert f"{folder.name}/{name}" in page, name
    embedded = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(embedded) == len(figure_names), "every figure is embedded in the page"

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


#: The base scenario of the sweep and comparison tests: a few hundred users over a few days (a run takes a
#: fraction of a second).
SMALL_PLATFORM = """\
run:
  seed: 3
  days: 8
population:
  users: 400
  creators: 16
  brands: 2
  topics: 10
graph:
  kind: barabasi_albert
  mean_degree: 8
"""

#: The plan of the comparison tests: the small platform, switching to follow-heavy rules on day 4.
SMALL_PLATFORM_PLAN = SMALL_PLATFORM + """\
timeline:
  - at: 4
    label: switch to follow-heavy rules
    set: {platform.preset: follow_heavy}
"""

#: Sobol indices of two levers: Saltelli's design with N = 6 base samples, 6 x (2 + 2) = 24 runs.
SALTELLI_SWEEP = """\
scenario: small.yaml
design: saltelli
base_samples: 6
replicates: 1
seed: 7
factors:
  engagement.share_rate: {range: [0.002, 0.05], scale: log}
  recommendation.explore_probability: {range: [0.02, 0.4]}
"""

#: Morris screening of three levers: 4 trajectories of 3 + 1 points on 4 levels, 16 runs.
MORRIS_SWEEP = """\
scenario: small.yaml
design: morris
trajectories: 4
levels: 4
replicates: 1
seed: 5
factors:
  engagement.share_rate: {range: [0.002, 0.05], scale: log}
  recommendation.explore_probability: {range: [0.02, 0.4]}
  platform.ad_load: {range: [0, 0.3]}
"""

#: A grid of 2 x 2 points with 2 replicates each (8 runs): replicate means and a design without indices.
GRID_SWEEP = """\
scenario: small.yaml
design: grid
replicates: 2
seed: 11
factors:
  engagement.share_rate: {values: [0.005, 0.02]}
  population.creators: {values: [10, 20]}
"""

#: Runs of different lengths (run.days as a factor): 4 and 8 days.
DAYS_SWEEP = """\
scenario: small.yaml
design: grid
replicates: 1
seed: 2
factors:
  run.days: {values: [4, 8]}
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


def assert_one_error_line(result: subprocess.CompletedProcess, *fragments: str) -> None:
    """The command failed with status 2, printed nothing on stdout and one error line holding `fragments`."""
    assert result.returncode == 2, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fanflow: error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def unfinished_copy(sweep: Path, folder: Path, not_completed: list[int]) -> Path:
    """A copy of `sweep` as an interrupted sweep leaves it: the runs `not_completed` unflagged, their rows NaN."""
    copy = folder / f"unfinished-{sweep.name}"
    shutil.copyfile(sweep, copy)
    with h5py.File(copy, "r+") as f:
        completed = f["runs/completed"][()]
        completed[not_completed] = 0
        f["runs/completed"][...] = completed
        for group in ("summary", "series"):
            for dataset in f[group].values():
                values = dataset[()]
                values[not_completed] = np.nan
                dataset[...] = values
    return copy
