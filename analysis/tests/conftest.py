"""Runs the loader and report tests share: small scenarios the engine runs once per test session (seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis_runs import TIMELINE_SCENARIO, fanflow


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
