"""The shipped scenarios run and show the qualitative outcome their header comment documents, and docs/scenarios.md
states the figures they give (fanflow_analysis.scenario_outcomes computes both)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from fanflow_analysis import scenario_outcomes

REPO = Path(__file__).resolve().parents[2]


def fanflow() -> Path:
    configured = os.environ.get("FANFLOW_BINARY")
    return Path(configured).absolute() if configured else REPO / "build" / "fanflow"


_RUNS: dict[str, Path] = {}


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scenario_runs")


def run_file(scenario: str, folder: Path) -> Path:
    """The scenario's run file, run once per test session."""
    if scenario not in _RUNS:
        out = folder / (Path(scenario).stem + ".h5")
        result = subprocess.run([str(fanflow()), "run", "-q", str(REPO / "scenarios" / scenario), "-o", str(out)],
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        _RUNS[scenario] = out
    return _RUNS[scenario]


def run(scenario: str, folder: Path) -> h5py.File:
    return h5py.File(run_file(scenario, folder), "r")


@pytest.mark.parametrize("scenario", sorted(p.name for p in (REPO / "scenarios").glob("*.yaml")))
def test_every_scenario_validates_and_says_what_it_answers(scenario: str) -> None:
    text = (REPO / "scenarios" / scenario).read_text()
    assert text.startswith("#"), f"{scenario} must start with a comment saying what question it answers"
    result = subprocess.run([str(fanflow()), "validate", str(REPO / "scenarios" / scenario)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_default_exercises_every_mechanism(run_folder: Path) -> None:
    with run("default.yaml", run_folder) as f:
        impressions = f["timeseries/impressions"][:]
        channels = [str(c) for c in f["timeseries/impressions"].attrs["columns"]]
        kind = f["events/kind"][:]
        spend = f["timeseries/brand_spend"][:]
        unfollows = f["timeseries/unfollows"][:]
        true_fans = f["timeseries/true_fans"][:]
        purchases = f["timeseries/purchases"][:]
        lives = f["timeseries/lives"][:]
        content_spend = f["timeseries/brand_content_spend"][:]
        own_followers = f["brands/own_followers"][-1]
        live_income = f["creators/summary/income_live_selling"][:]
    per_channel = impressions.sum(axis=0)
    assert all(per_channel > 0), dict(zip(channels, per_channel.tolist()))
    assert (kind == 2).sum() > 0, "some creators quit"
    assert (kind == 1).sum() > 0, "new creators join"
    assert (kind == 3).sum() > 0, "creators reach stages"
    assert spend.sum() > 0, "brands spend"
    assert unfollows.sum() > 0 and true_fans[-1] > 0
    assert (purchases.sum(axis=1)[1:] > 0).all(), "brands sell every day"
    assert (purchases.sum(axis=0) > 0).all(), "every channel sells"
    assert lives.sum() > 0 and live_income.sum() > 0, "creators sell live and earn from it"
    assert content_spend.sum() > 0 and (own_followers > 0).sum() >= len(own_followers) // 2, "brand accounts grow"


def figures(scenario: str, folder: Path) -> scenario_outcomes.Figures:
    return scenario_outcomes.outcome(scenario).measure(run_file(scenario, folder))


def test_small_vs_big_ip(run_folder: Path) -> None:
    with run("small_vs_big_ip.yaml", run_folder) as f:
        kind = f["creators/summary/type"][:]
    assert (kind == 1).sum() >= 10 and (kind == 0).sum() >= 100
    x = figures("small_vs_big_ip.yaml", run_folder)
    assert x["big_followers"] > 2 * x["small_followers"], x
    assert x["small_true_fan_percent"] > 1.5 * x["big_true_fan_percent"], x


def test_bonus_period(run_folder: Path) -> None:
    x = figures("bonus_period.yaml", run_folder)
    assert x["early_entrants_per_day"] > 1.5 * x["late_entrants_per_day"], x
    assert x["early_joiners"] >= 10 and x["late_joiners"] >= 5, x
    assert x["early_followed_percent"] > 1.5 * x["late_followed_percent"], x


def test_sponsorship_fatigue(run_folder: Path) -> None:
    x = figures("sponsorship_fatigue.yaml", run_folder)
    assert x["creators_with_deals"] >= 50, x
    assert x["high_income_per_follower"] > 2 * x["low_income_per_follower"], x
    assert x["high_true_fan_percent"] < 0.5 * x["low_true_fan_percent"], x


def test_super_brand_day(run_folder: Path) -> None:
    x = figures("super_brand_day.yaml", run_folder)
    assert x["sessions"] >= 5, "the event's sessions were held"
    assert x["followers_on_the_day"] > 10 * max(x["followers_other_days"], 0.05), x
    assert x["followers_on_the_day"] > x["followers_at_end"] / 6, x
    assert x["customers_on_the_day"] > 2 * x["customers_other_days"], x


def test_algorithm_change(run_folder: Path) -> None:
    x = figures("algorithm_change.yaml", run_folder)  # past the first days, and the switch
    assert x["after_percent"] > 1.5 * x["before_percent"], x


@pytest.mark.parametrize("outcome", scenario_outcomes.OUTCOMES, ids=lambda o: o.scenario)
def test_the_doc_states_the_figures_the_scenario_gives(outcome: scenario_outcomes.Outcome, run_folder: Path) -> None:
    figures = outcome.measure(run_file(outcome.scenario, run_folder))
    row = f"| `{outcome.scenario}` | {outcome.question} | {outcome.statement(figures)} |"
    doc = (REPO / "docs" / "scenarios.md").read_text().splitlines()
    assert row in doc, ("docs/scenarios.md is stale: regenerate it with "
                        f"`/usr/bin/python3 scripts/update_scenarios_doc.py`\nmeasured: {row}")


def test_the_strategist_worked_example_states_what_the_comparison_gives(tmp_path: Path) -> None:
    # docs/experiments.md, "What happens to our brand": the printed table and the sentence under it are those of
    # `fanflow compare` of scenarios/strategist/ with 10 replicates, and Acme's effect is the one the doc explains:
    # its revenue moves by far more than all brands' revenue does.
    out = tmp_path / "acme.h5"
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "update_experiments_doc.py"), "--check",
                             "--fanflow", str(fanflow()), "--output", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    from fanflow_analysis import experiments
    acme = experiments.load_comparison_effects(out, ["revenue"], focal="Acme").loc["revenue"]
    platform = experiments.load_comparison_effects(out, ["brand_sales_revenue"]).loc["brand_sales_revenue"]
    assert abs(acme["relative"]) > 10 * abs(platform["relative"]), (acme, platform)
