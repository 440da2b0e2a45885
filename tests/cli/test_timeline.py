"""The what-if timeline from the command line: a scenario with a timeline runs, the /timeline table and the
timeline_applied events (kind 4) of /events match its entries, the resolved scenario carries it, `fanflow
validate` reports a bad entry with file:line:column, and scenarios/algorithm_change.yaml shows what it says."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import yaml

from fanflow_cli import REPO, Cli, describe

TIMELINE_KIND = 4
FOLLOW_FEED = 1  # column of follow_feed in the per-channel time series

SCENARIO = """\
run: {seed: 2, days: 10}
population: {users: 3000, creators: 40}
timeline:
  - at: 2
    label: fewer shares
    set: {engagement.share_rate: 0.001}
  - from: 4
    until: 7
    label: no private traffic
    set:
      feed: {private_share_max: 0}
      recommendation.explore_probability: 0.3
"""


def strings(dataset: h5py.Dataset) -> list[str]:
    return list(dataset.asstr()[:])


def test_timeline_rows_and_events_match_the_entries(cli: Cli) -> None:
    scenario = cli.write("timeline.yaml", SCENARIO)
    result = cli.run("run", scenario, "-q", "-o", cli.out)
    assert result.returncode == 0, describe(result)
    with h5py.File(cli.out, "r") as f:
        rows = list(zip(f["timeline/tick"][:].tolist(), f["timeline/entry"][:].tolist(), strings(f["timeline/key"]),
                        strings(f["timeline/value"]), strings(f["timeline/label"])))
        for name in ("tick", "entry", "key", "value", "label"):
            assert "unit" in f[f"timeline/{name}"].attrs and f[f"timeline/{name}"].attrs["description"]
        kind = f["events/kind"][:]
        events = list(zip(f["events/tick"][kind == TIMELINE_KIND].tolist(),
                          f["events/subject"][kind == TIMELINE_KIND].tolist(),
                          f["events/value"][kind == TIMELINE_KIND].tolist()))
        impressions = f["timeseries/impressions"][:]
        resolved = yaml.safe_load(f["provenance/scenario"].asstr()[()])
    assert rows == [
        (2, 0, "engagement.share_rate", "0.001", "fewer shares"),
        (4, 1, "feed.private_share_max", "0", "no private traffic"),
        (4, 1, "recommendation.explore_probability", "0.3", "no private traffic"),
        (7, 1, "feed.private_share_max", "0.5", "no private traffic"),
        (7, 1, "recommendation.explore_probability", "0.1", "no private traffic"),
    ]
    assert events == [(2, 0, 1), (4, 1, 1), (7, 1, 0)]
    assert np.all(impressions[4:7, 1:4] == 0), "private traffic during the window"  # columns 1..3: private
    assert impressions[7:, FOLLOW_FEED].sum() > 0
    assert resolved["timeline"][1] == {
        "from": 4, "until": 7, "label": "no private traffic",
        "set": {"feed.private_share_max": 0, "recommendation.explore_probability": 0.3},
    }


def test_run_without_timeline_writes_an_empty_table(cli: Cli) -> None:
    scenario = cli.write("plain.yaml", "run: {days: 2}\npopulation: {users: 1000, creators: 10}\n")
    result = cli.run("run", scenario, "-q", "-o", cli.out)
    assert result.returncode == 0, describe(result)
    with h5py.File(cli.out, "r") as f:
        assert f["timeline/tick"].shape == (0,)
        assert f["timeline/key"].shape == (0,)
        assert "timeline" not in yaml.safe_load(f["provenance/scenario"].asstr()[()])


def test_validate_reports_a_bad_timeline_entry_with_its_place(cli: Cli) -> None:
    bad = SCENARIO.replace("recommendation.explore_probability: 0.3", "recommendation.explore_probability: 3")
    scenario = cli.write("bad.yaml", bad)
    for command in ("validate", "run"):
        message = cli.error(cli.run(command, scenario, "-o", cli.out) if command == "run" else
                            cli.run(command, scenario))
        assert message == (f"{scenario}:12:43: timeline[1].set.recommendation.explore_probability: "
                           "expected a number in [0, 1], got '3'")
    cli.assert_no_output(cli.out)
    setup = cli.write("setup.yaml", "timeline:\n  - at: 1\n    set: {population.users: 10}\n")
    assert cli.error(cli.run("validate", setup)) == (
        f"{setup}:3:11: timeline[0].set.population.users: population.users is drawn at setup and cannot change "
        "during a run")
    late = cli.write("late.yaml", "run: {days: 5}\ntimeline:\n  - {at: 5, set: {feed.private_share_max: 0}}\n")
    assert cli.error(cli.run("validate", late)) == (
        f"{late}:3:10: timeline[0].at: expected a tick in [0, 4] (run.days is 5), got 5")
    # run.days from --set is the one the ticks must fit in.
    good = cli.write("good.yaml", SCENARIO)
    assert cli.error(cli.run("validate", good, "--set", "run.days=5")) == (
        f"{good}:8:12: timeline[1].until: expected a tick in [5, 5] (run.days is 5), got 7")


def test_algorithm_change_scenario_shifts_traffic_to_the_follow_feed(cli: Cli) -> None:
    """scenarios/algorithm_change.yaml: recommendation-heavy rules until day 45, follow-heavy after; the follow
    feed's share of impressions rises after the switch."""
    scenario = REPO / "scenarios" / "algorithm_change.yaml"
    result = cli.run("run", scenario, "-q", "-o", cli.out)
    assert result.returncode == 0, describe(result)
    with h5py.File(cli.out, "r") as f:
        impressions = f["timeseries/impressions"][:].astype(float)
        keys = strings(f["timeline/key"])
        assert set(f["timeline/tick"][:].tolist()) == {45}
    assert "platform.preset" in keys and "feed.private_share_max" in keys
    share = impressions[:, FOLLOW_FEED] / impressions.sum(axis=1)
    before, after = share[30:45].mean(), share[46:61].mean()
    assert after > 1.3 * before, f"follow-feed share {before:.3f} before day 45, {after:.3f} after"
