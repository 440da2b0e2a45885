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


def test_default_exercises_every_mechanism(tmp_path: Path) -> None:
    with run("default.yaml", tmp_path) as f:
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


def test_sponsorship_fatigue(tmp_path: Path) -> None:
    with run("sponsorship_fatigue.yaml", tmp_path) as f:
        summary = {name: f["creators/summary"][name][:] for name in
                   ("sponsored_share", "followers", "true_fans", "income_brand_orders")}
    lever = summary["sponsored_share"]
    followers = summary["followers"].astype(float)
    true_fans = summary["true_fans"].astype(float)
    income = summary["income_brand_orders"]
    took = income > 0
    assert took.sum() >= 50
    low_cut, high_cut = np.quantile(lever[took], [1 / 3, 2 / 3])
    low, high = took & (lever <= low_cut), took & (lever >= high_cut)
    assert income[high].sum() / followers[high].sum() > 2 * income[low].sum() / followers[low].sum()
    assert true_fans[high].sum() / followers[high].sum() < 0.5 * true_fans[low].sum() / followers[low].sum()


def test_super_brand_day(tmp_path: Path) -> None:
    with run("super_brand_day.yaml", tmp_path) as f:
        own = f["brands/own_followers"][:, 0].astype(float)
        customers = f["brands/new_customers"][:, 0].astype(float)
        lives = f["brands/lives"][:, 0]
    day = 30
    gained = np.diff(own, prepend=0.0)
    others = np.delete(gained, day)
    assert lives[day] >= 5, "the event's sessions were held"
    assert gained[day] > 10 * max(others.mean(), 0.05), (gained[day], others.mean())
    assert gained[day] > own[-1] / 6, (gained[day], own[-1])
    assert customers[day] > 2 * np.delete(customers, day).mean(), (customers[day], customers.mean())


def test_algorithm_change(tmp_path: Path) -> None:
    with run("algorithm_change.yaml", tmp_path) as f:
        impressions = f["timeseries/impressions"][:].astype(float)
        channels = [str(c) for c in f["timeseries/impressions"].attrs["columns"]]
    share = impressions[:, channels.index("follow_feed")] / impressions.sum(axis=1)
    before, after = share[5:45].mean(), share[50:].mean()  # past the first days, and the switch
    assert after > 1.5 * before, (before, after)
