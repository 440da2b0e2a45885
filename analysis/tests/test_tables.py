"""The pandas loaders (fanflow_analysis.tables) against the same file read with h5py, and their errors."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

from fanflow_analysis import RunFileError
from fanflow_analysis import tables

CHANNELS = ["recommendation", "follow_feed", "friend_share", "group", "ads", "live"]


def read(path: Path, name: str) -> np.ndarray:
    with h5py.File(path, "r") as f:
        return f[name][()]


def test_load_timeseries(timeline_run: Path) -> None:
    frame = tables.load_timeseries(timeline_run)
    assert frame.index.name == "tick" and list(frame.index) == list(range(20))
    assert np.array_equal(frame["follow_edges"], read(timeline_run, "timeseries/follow_edges"))
    assert np.array_equal(frame["brand_spend"], read(timeline_run, "timeseries/brand_spend"))
    assert "impressions" not in frame, "per-channel series are in load_channel_traffic"
    assert frame.attrs["units"]["active_users"] == "users"


def test_load_channel_traffic(timeline_run: Path) -> None:
    frame = tables.load_channel_traffic(timeline_run)
    assert list(frame.columns) == ["tick", "channel", "impressions", "views", "likes", "shares", "follows",
                                   "unfollows", "purchases"]
    assert list(frame["channel"].cat.categories) == CHANNELS
    assert len(frame) == 20 * len(CHANNELS)
    wide = frame.pivot(index="tick", columns="channel", values="impressions")
    assert np.array_equal(wide[CHANNELS].to_numpy(), read(timeline_run, "timeseries/impressions"))
    row = frame[(frame["tick"] == 3) & (frame["channel"] == "follow_feed")].iloc[0]
    assert row["follows"] == read(timeline_run, "timeseries/follows")[3, 1]


def test_load_pool_items(timeline_run: Path) -> None:
    frame = tables.load_pool_items(timeline_run)
    assert list(frame["pool"].cat.categories) == ["tier1", "tier2", "tier3", "tier4", "top"]
    assert frame.groupby("tick")["alive"].sum().to_numpy() == pytest.approx(
        read(timeline_run, "timeseries/items_by_tier").sum(axis=1))


def test_load_creator_series_long_and_wide(timeline_run: Path) -> None:
    raw = read(timeline_run, "creators/followers")
    joined = read(timeline_run, "creators/summary/joined_tick")
    long = tables.load_creator_series(timeline_run, "followers")
    assert list(long.columns) == ["tick", "creator", "followers"]
    assert len(long) == int(sum(20 - j for j in joined)), "one row per creator and tick from its joining tick"
    late = int(np.argmax(joined))
    assert joined[late] > 0, "the run should have entrants"
    rows = long[long["creator"] == late]
    assert rows["tick"].min() == joined[late]
    assert np.array_equal(rows["followers"], raw[joined[late]:, late])
    wide = tables.load_creator_series(timeline_run, "followers", form="wide")
    assert wide.shape == (20, len(joined))
    assert wide[late].iloc[: joined[late]].isna().all()
    assert np.array_equal(wide[late].iloc[joined[late]:].to_numpy(), raw[joined[late]:, late])
    stage = tables.load_creator_series(timeline_run, "stage", form="wide")
    assert (stage.diff().fillna(0) >= 0).all().all(), "stages never go back"


def test_load_creator_series_refuses_unknown_names(timeline_run: Path) -> None:
    with pytest.raises(ValueError, match="unknown creator series"):
        tables.load_creator_series(timeline_run, "fans")
    with pytest.raises(ValueError, match="unknown form"):
        tables.load_creator_series(timeline_run, "followers", form="tall")


def test_load_creators(timeline_run: Path) -> None:
    frame = tables.load_creators(timeline_run)
    exit_tick = read(timeline_run, "creators/summary/exit_tick")
    never = np.iinfo(np.uint32).max
    assert len(frame) == len(exit_tick) and frame.index.name == "creator"
    assert np.array_equal(frame["exited"].to_numpy(), exit_tick != never)
    assert frame["exited"].sum() > 0, "the short patience makes creators exit"
    exited = frame[frame["exited"]]
    assert np.array_equal(exited["lifetime"], exited["exit_tick"].astype(int) - exited["joined_tick"])
    staying = frame[~frame["exited"]]
    assert np.array_equal(staying["lifetime"], 20 - staying["joined_tick"].astype(int))
    assert frame["exit_tick"].isna().sum() == (exit_tick == never).sum()
    assert set(frame["type_name"]) <= {"small IP", "big IP", "brand account"}
    assert set(exited["exit_reason_name"]) <= {"feedback", "income"}
    assert (frame.loc[~frame["exited"], "exit_reason_name"] == "none").all()
    assert np.array_equal(frame["followers"], read(timeline_run, "creators/summary/followers"))


def test_load_brands_and_brand_series(timeline_run: Path) -> None:
    brands = tables.load_brands(timeline_run)
    assert len(brands) == 5 and brands.index.name == "brand"
    assert np.array_equal(brands["revenue"], read(timeline_run, "brands/summary/revenue"))
    series = tables.load_brand_series(timeline_run)
    assert len(series) == 20 * 5
    revenue = series.pivot(index="tick", columns="brand", values="revenue").to_numpy()
    assert revenue == pytest.approx(read(timeline_run, "brands/revenue"))
    assert series.groupby("brand")["spend_ads"].sum().to_numpy() == pytest.approx(brands["spend_ads"].to_numpy())


def test_no_brands(plain_run: Path) -> None:
    assert tables.load_brands(plain_run).empty
    assert tables.load_brand_series(plain_run).empty


def test_load_events(timeline_run: Path) -> None:
    events = tables.load_events(timeline_run)
    assert list(events.columns) == ["tick", "kind", "kind_code", "subject", "value"]
    assert np.array_equal(events["kind_code"], read(timeline_run, "events/kind"))
    applied = events[events["kind"] == "timeline_applied"]
    assert list(zip(applied["tick"], applied["subject"], applied["value"])) == [(8, 0, 1), (12, 1, 1), (16, 1, 0)]
    exits = events[events["kind"] == "creator_exited"]
    creators = tables.load_creators(timeline_run)
    assert len(exits) == creators["exited"].sum()


def test_load_timeline(timeline_run: Path, plain_run: Path) -> None:
    timeline = tables.load_timeline(timeline_run)
    assert list(timeline.columns) == ["tick", "entry", "key", "value", "label"]
    assert list(timeline["tick"]) == [8, 8, 8, 8, 12, 16]
    assert timeline.iloc[3]["key"] == "platform.preset" and timeline.iloc[3]["value"] == "follow_heavy"
    assert timeline.iloc[0]["label"] == "switch to follow-heavy rules"
    assert list(timeline.loc[timeline["entry"] == 1, "value"].astype(float)) == [0.05, 0.01]
    assert tables.load_timeline(plain_run).empty


def test_load_provenance_and_profile(timeline_run: Path) -> None:
    provenance = tables.load_provenance(timeline_run)
    assert provenance["seed"] == 5 and provenance["threads"] == 2
    assert provenance["scenario_source"].endswith("timeline.yaml")
    assert "timeline:" in provenance["scenario"]
    profile = tables.load_profile(timeline_run)
    assert list(profile["phase"])[0] == "setup" and (profile["seconds"] >= 0).all()


LOADERS = [tables.load_timeseries, tables.load_channel_traffic, tables.load_creators, tables.load_brands,
           tables.load_brand_series, tables.load_events, tables.load_timeline, tables.load_provenance,
           tables.load_profile, tables.load_creator_series, tables.load_pool_items]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_loaders_refuse_files_that_are_not_runs(loader, tmp_path: Path) -> None:
    missing = tmp_path / "missing.h5"
    text = tmp_path / "notes.h5"
    text.write_text("not a run\n")
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f["x"] = np.arange(3)
    for path, fragment in ((missing, "no such file"), (text, "not an HDF5 file"), (other, "not a fanflow run")):
        with pytest.raises(RunFileError) as caught:
            loader(path)
        message = str(caught.value)
        assert str(path) in message and fragment in message and "\n" not in message


def test_loader_names_a_missing_group(timeline_run: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.h5"
    damaged.write_bytes(timeline_run.read_bytes())
    with h5py.File(damaged, "r+") as f:
        del f["timeline"]
    with pytest.raises(RunFileError, match="/timeline is missing"):
        tables.load_timeline(damaged)


def test_loaders_accept_str_paths(timeline_run: Path) -> None:
    assert isinstance(tables.load_timeseries(str(timeline_run)), pd.DataFrame)
