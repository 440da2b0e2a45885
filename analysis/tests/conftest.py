"""Runs the loader and report tests share: small scenarios the engine runs once per test session (seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis_runs import (DAYS_SWEEP, GRID_SWEEP, MORRIS_SWEEP, SALTELLI_SWEEP, SMALL_PLATFORM, SMALL_PLATFORM_PLAN,
                           TIMELINE_SCENARIO, fanflow)


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
    """No brands, no brand accounts, no timeline and no exits (exit hazard off, and six days is shorter than the
    patience before a quit): the sections that need them must say so."""
    folder = tmp_path_factory.mktemp("plain_run")
    out = folder / "plain.h5"
    result = fanflow("run", "-q", "--threads", 2, "-o", out, "--set", "run.days=6", "--set", "population.users=1500",
                     "--set", "population.creators=30", "--set", "population.brands=0", "--set", "lifecycle.exit_hazard=0",
                     cwd=folder)
    assert result.returncode == 0, result.stderr
    return out


def _sweep(tmp_path_factory: pytest.TempPathFactory, name: str, definition: str) -> Path:
    folder = tmp_path_factory.mktemp(name)
    (folder / "small.yaml").write_text(SMALL_PLATFORM)
    (folder / f"{name}.yaml").write_text(definition)
    out = folder / f"{name}.h5"
    result = fanflow("sweep", "-q", "--threads", 2, f"{name}.yaml", "-o", out, cwd=folder)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def saltelli_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sweep(tmp_path_factory, "saltelli", SALTELLI_SWEEP)


@pytest.fixture(scope="session")
def morris_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sweep(tmp_path_factory, "morris", MORRIS_SWEEP)


@pytest.fixture(scope="session")
def grid_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sweep(tmp_path_factory, "grid", GRID_SWEEP)


@pytest.fixture(scope="session")
def days_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sweep(tmp_path_factory, "days", DAYS_SWEEP)


@pytest.fixture(scope="session")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three matched replicates of the small platform against the same platform switching rules on day 4."""
    folder = tmp_path_factory.mktemp("comparison")
    (folder / "baseline.yaml").write_text(SMALL_PLATFORM)
    (folder / "plan.yaml").write_text(SMALL_PLATFORM_PLAN)
    out = folder / "comparison.h5"
    result = fanflow("compare", "-q", "--threads", 2, "baseline.yaml", "plan.yaml", "--replicates", 3, "-o", out,
                     cwd=folder)
    assert result.returncode == 0, result.stderr
    return out
