"""The run file that `fanflow run` writes (docs/output-format.md), read with h5py directly and through
fanflow_analysis.read_run: layout, attributes, the model's bookkeeping invariants, provenance, and the
errors read_run raises for files it cannot use."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import pytest
import yaml

from analysis_runs import binary as fanflow_binary
from fanflow_analysis import Run, RunFileError, read_run

CHANNELS = ["recommendation", "follow_feed", "friend_share", "group", "ads", "live"]
PER_CHANNEL = ["impressions", "views", "likes", "shares", "follows", "unfollows"]
SERIES = ["active_users", "share_deliveries", "items_posted", "active_creators", "follow_edges", "items_alive"]

# The run every test reads: small, with enough sharing and following to exercise every channel.
SETTINGS = {
    "run.seed": 11,
    "run.days": 6,
    "population.users": 3000,
    "population.creators": 40,
    "population.brands": 7,
    "engagement.share_rate": 0.05,
    "engagement.follow_rate": 0.03,
    "groups.open_at_followers": 5,
    "groups.join_trust": 0.3,
    "groups.join_probability": 0.5,
    "trust.sponsored_penalty": 0,  # sponsored items cost no followers: counts never drop in this run
    "marketplace.min_followers": 5,  # creators take orders and sell live from the first days
    "live.fee_multiplier": 1,
}
# Creators at setup: the population's, then one account per brand.
SETUP_CREATORS = SETTINGS["population.creators"] + SETTINGS["population.brands"]
THREADS = 2


def run_fanflow(out: Path, settings: dict[str, object], threads: int = THREADS) -> None:
    args = [str(fanflow_binary()), "run", "-q", "--threads", str(threads), "-o", str(out)]
    for key, value in settings.items():
        args += ["--set", f"{key}={value}"]
    result = subprocess.run(args, cwd=out.parent, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"


@dataclass
class Contents:
    """Everything in the file, read with h5py."""

    root: dict[str, object]
    datasets: dict[str, np.ndarray]
    attrs: dict[str, dict[str, object]]  # attributes of each dataset
    provenance: dict[str, object]
    scenario: str
    phases: list[str]


@pytest.fixture(scope="module")
def run_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run_file") / "run.h5"
    run_fanflow(out, SETTINGS)
    return out


@pytest.fixture(scope="module")
def contents(run_path: Path) -> Contents:
    datasets: dict[str, np.ndarray] = {}
    attrs: dict[str, dict[str, object]] = {}
    with h5py.File(run_path, "r") as f:
        def visit(name: str, item: object) -> None:
            if isinstance(item, h5py.Dataset):
                datasets[name] = item.asstr()[()] if h5py.check_string_dtype(item.dtype) else item[()]
                attrs[name] = dict(item.attrs)
        f.visititems(visit)
        return Contents(
            root=dict(f.attrs),
            datasets=datasets,
            attrs=attrs,
            provenance=dict(f["provenance"].attrs),
            scenario=f["provenance/scenario"].asstr()[()],
            phases=list(f["provenance/profile/phase"].asstr()[()]),
        )


# --- the file, read with h5py ------------------------------------------------------------------------------


def test_root_attributes(contents: Contents) -> None:
    assert contents.root["format"] == "fanflow-run"
    assert contents.root["format_version"] == 1
    assert contents.root["complete"] == 1
    assert contents.root["ticks"] == SETTINGS["run.days"]


def test_layout(contents: Contents) -> None:
    names = set(contents.datasets)
    for name in PER_CHANNEL + SERIES:
        assert f"timeseries/{name}" in names
    for name in ("topic", "skill", "posting_rate", "followers", "items_posted", "impressions", "views", "likes",
                 "shares"):
        assert f"creators/summary/{name}" in names
    for name in ("top_interest", "attention", "friends", "impressions", "views", "likes", "shares", "active_days",
                 "following"):
        assert f"users/summary/{name}" in names
    assert {"creators/followers", "brands/summary/topic", "provenance/scenario", "provenance/profile/phase",
            "provenance/profile/seconds"} <= names


def test_every_dataset_has_a_description(contents: Contents) -> None:
    for name, attrs in contents.attrs.items():
        description = attrs.get("description")
        assert isinstance(description, str), f"{name}: no string attribute 'description'"
        assert description.strip() and "\n" not in description, f"{name}: description {description!r}"


def test_every_numeric_dataset_has_a_unit(contents: Contents) -> None:
    numeric = [name for name, values in contents.datasets.items()
               if isinstance(values, np.ndarray) and values.dtype.kind in "biuf"]
    assert len(numeric) >= 30
    for name in numeric:
        assert isinstance(contents.attrs[name].get("unit"), str), f"{name}: no string attribute 'unit'"


def test_every_dataset_has_a_unit(contents: Contents) -> None:
    missing = [name for name, attrs in contents.attrs.items() if not isinstance(attrs.get("unit"), str)]
    assert missing == []


def test_timeseries_have_one_row_per_tick(contents: Contents) -> None:
    ticks = contents.root["ticks"]
    for name, values in contents.datasets.items():
        if not name.startswith("timeseries/"):
            continue
        assert values.shape[0] == ticks == SETTINGS["run.days"], name
        if name.split("/")[1] in PER_CHANNEL:
            assert values.shape == (ticks, len(CHANNELS)), name
            assert list(contents.attrs[name]["columns"]) == CHANNELS, name
        elif values.ndim == 2:  # other tables carry their own column names
            assert values.shape[1] == len(contents.attrs[name]["columns"]), name
        else:
            assert values.shape == (ticks,), name


def creator_slots(contents: Contents) -> int:
    """Columns of the [tick x creator] datasets: the setup creators and room for every possible entrant."""
    return SETUP_CREATORS + yaml.safe_load(contents.scenario)["lifecycle"]["max_entrants"]


def test_summary_lengths(contents: Contents) -> None:
    # Creators who joined during the run have summary entries after the initial ones.
    entrants = int(contents.datasets["timeseries/creator_entrants"].sum())
    sizes = {"creators/summary/": SETUP_CREATORS + entrants,
             "users/summary/": SETTINGS["population.users"], "brands/summary/": SETTINGS["population.brands"]}
    for name, values in contents.datasets.items():
        for prefix, size in sizes.items():
            if name.startswith(prefix):
                assert values.shape == (size,), name


def test_brands_money_and_series(contents: Contents) -> None:
    """Per-brand [tick x brand] series add up to the /timeseries totals, and money is conserved each day."""
    d = contents.datasets
    ticks, brands = SETTINGS["run.days"], SETTINGS["population.brands"]
    for name in ("spend_ads", "spend_sponsorship", "ad_impressions", "sponsored_impressions", "engagements", "deals"):
        assert d[f"brands/{name}"].shape == (ticks, brands), name
    assert np.allclose(d["brands/spend_ads"].sum(axis=1), d["timeseries/brand_ad_spend"])
    assert np.allclose(d["brands/spend_sponsorship"].sum(axis=1), d["timeseries/brand_sponsorship_spend"])
    assert np.array_equal(d["brands/ad_impressions"].sum(axis=1), d["timeseries/impressions"][:, CHANNELS.index("ads")])
    assert np.array_equal(d["brands/deals"].sum(axis=1), d["timeseries/deals"])
    assert np.allclose(d["timeseries/brand_spend"], d["timeseries/creator_brand_income"] + d["timeseries/platform_take"])
    assert d["timeseries/brand_spend"].sum() > 0, "the default brand budgets should be spent"
    assert np.allclose(d["brands/summary/spend_ads"], d["brands/spend_ads"].sum(axis=0))
    # Each brand sells at its own price (no timeline here, so the last day's price held all along).
    price = d["brands/summary/price"]
    assert (price > 0).all() and len(np.unique(price)) > 1
    purchases = d["brands/summary/new_customers"] + d["brands/summary/repeat_purchases"]
    assert np.allclose(d["brands/summary/revenue"], price * purchases)
    assert np.allclose(d["brands/revenue"], price * (d["brands/new_customers"] + d["brands/repeat_purchases"]))


def test_creator_followers(contents: Contents) -> None:
    followers = contents.datasets["creators/followers"]
    final = contents.datasets["creators/summary/followers"]
    edges = contents.datasets["timeseries/follow_edges"]
    assert followers.shape == (contents.root["ticks"], creator_slots(contents))
    assert np.array_equal(followers[-1, :len(final)], final)
    assert not followers[:, len(final):].any(), "creators who never joined have no followers"
    assert final.sum() > 0, "follow_rate 0.03 should win followers in 6 days"
    assert (np.diff(followers.astype(np.int64), axis=0) >= 0).all(), "nobody unfollows: counts never drop"
    # Each day's follow edges are the followers of all creators, and grow by that day's new follows.
    assert np.array_equal(followers.sum(axis=1, dtype=np.uint64), edges)
    gained = (contents.datasets["timeseries/follows"].sum(axis=1).astype(np.int64)
              + contents.datasets["timeseries/starting_follows"].astype(np.int64)
              - contents.datasets["timeseries/unfollows"].sum(axis=1).astype(np.int64))
    assert np.array_equal(np.cumsum(gained), edges.astype(np.int64))
    assert contents.datasets["users/summary/following"].sum() == edges[-1]


def test_creator_lifecycle(contents: Contents) -> None:
    d = contents.datasets
    summary = {name.split("/")[-1]: values for name, values in d.items() if name.startswith("creators/summary/")}
    joined, exit_tick = summary["joined_tick"], summary["exit_tick"]
    never = np.iinfo(np.uint32).max
    # Money: the daily series, the [tick x creator] table and the per-creator totals agree.
    assert np.allclose(d["timeseries/creator_income"].sum(), summary["income"].sum())
    by_source = [values for name, values in summary.items() if name.startswith("income_")]
    assert len(by_source) == 4, "platform_share, brand_orders, live_selling, paid_knowledge"
    assert np.allclose(summary["income"], np.sum(by_source, axis=0))
    assert np.allclose(d["creators/income"].sum(axis=0, dtype=np.float64)[:len(joined)], summary["income"], rtol=1e-4)
    assert np.allclose(d["timeseries/creator_cost"].sum(), summary["cost"].sum())
    assert d["creators/income"].shape == d["creators/morale"].shape == d["creators/stage"].shape
    # Exits and entrants match the event log and the counts per day.
    kinds, subjects, ticks = d["events/kind"], d["events/subject"], d["events/tick"]
    exited = kinds == 2
    assert int(d["timeseries/creator_exits"].sum()) == exited.sum() == (exit_tick != never).sum()
    assert np.array_equal(exit_tick[subjects[exited]], ticks[exited])
    assert ((summary["exit_reason"] == 0) == (exit_tick == never)).all()
    joins = kinds == 1
    assert np.array_equal(subjects[joins], np.arange(SETUP_CREATORS, len(joined)))
    assert np.array_equal(joined[subjects[joins]], ticks[joins])
    alive = d["timeseries/creators_alive"]
    assert alive[-1] == len(joined) - exited.sum()
    # Stages never go back, and each stage tick comes after the previous one.
    assert (np.diff(d["creators/stage"].astype(np.int16), axis=0) >= 0).all()
    assert (summary["stage_tick_1"] <= summary["stage_tick_2"]).all()
    assert (summary["stage_tick_2"] <= summary["stage_tick_3"]).all()
    assert ((summary["stage_tick_1"] != never) == (summary["stage"] >= 1)).all()


def test_paid_knowledge(tmp_path: Path) -> None:
    """Paid knowledge: customers pay the price per sale, which splits into the sellers' income and the
    platform's commission; creators without the lever earn nothing from it."""
    out = tmp_path / "knowledge.h5"
    price, commission = 7.25, 0.3
    run_fanflow(out, {**SETTINGS, "trust.true_fan_threshold": 0.3, "knowledge.purchase_probability": 0.05,
                      "knowledge.price": price, "knowledge.platform_commission": commission})
    with h5py.File(out, "r") as f:
        sales = f["timeseries/knowledge_sales"][:]
        revenue = f["timeseries/knowledge_revenue"][:]
        fee = f["timeseries/platform_knowledge_commission"][:]
        lever = f["creators/summary/sells_knowledge"][:]
        income = f["creators/summary/income_paid_knowledge"][:]
        assert f["timeseries/knowledge_sales"].attrs["unit"] == "sales/day"
    assert sales.sum() > 0
    assert np.allclose(revenue, price * sales)
    assert np.allclose(fee, commission * revenue, atol=1e-6 * max(1, lever.sum()))
    assert np.isclose(income.sum(), (revenue - fee).sum())
    assert set(np.unique(lever)) <= {0, 1}
    assert (income[lever == 0] == 0).all() and (income[lever == 1] > 0).any()


def test_engagement_funnel_per_channel(contents: Contents) -> None:
    impressions = contents.datasets["timeseries/impressions"]
    views = contents.datasets["timeseries/views"]
    likes = contents.datasets["timeseries/likes"]
    shares = contents.datasets["timeseries/shares"]
    assert (impressions >= views).all() and (views >= likes).all() and (views >= shares).all()
    assert (impressions.sum(axis=0) > 0).all(), "every channel should carry traffic in this run"
    assert likes.sum() > 0 and shares.sum() > 0


def test_totals_agree_across_views_of_the_run(contents: Contents) -> None:
    d = contents.datasets
    for name in ("impressions", "views", "likes", "shares"):
        by_channel = int(d[f"timeseries/{name}"].sum())
        assert by_channel == int(d[f"users/summary/{name}"].sum(dtype=np.uint64)), name
        # Ads and live sessions show no item: every other channel's traffic is of creators' items.
        no_item = [CHANNELS.index("ads"), CHANNELS.index("live")]
        of_items = by_channel - int(d[f"timeseries/{name}"][:, no_item].sum())
        assert of_items == int(d[f"creators/summary/{name}"].sum(dtype=np.uint64)), name
    assert int(d["timeseries/active_users"].sum()) == int(d["users/summary/active_days"].sum(dtype=np.uint64))
    assert int(d["timeseries/items_posted"].sum()) == int(d["creators/summary/items_posted"].sum(dtype=np.uint64))


def test_provenance(contents: Contents) -> None:
    resolved = yaml.safe_load(contents.scenario)
    for key, value in SETTINGS.items():
        section, name = key.split(".")
        assert resolved[section][name] == pytest.approx(value), key
    p = contents.provenance
    assert p["seed"] == SETTINGS["run.seed"]
    assert isinstance(p["fanflow_version"], str) and re.fullmatch(r"\d+\.\d+\.\d+\S*", p["fanflow_version"])
    assert isinstance(p["git_revision"], str) and p["git_revision"].strip()
    assert p["threads"] == THREADS
    assert isinstance(p["libraries"], str)
    for library in ("HDF5", "yaml-cpp", "oneTBB", "boost", "CLI11"):
        assert library in p["libraries"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", p["start_time"])
    assert isinstance(p["wall_time_s"], (float, np.floating)) and 0 < p["wall_time_s"] < 120
    assert p["scenario_source"] == "<default scenario>"
    assert contents.phases == ["setup", "brands_prepare", "post", "recommend", "consume", "commit", "brands_settle", "creators", "adoption",
                               "record"]
    seconds = contents.datasets["provenance/profile/seconds"]
    assert seconds.shape == (len(contents.phases),) and (seconds >= 0).all()


# --- the same through read_run -----------------------------------------------------------------------------


def test_read_run(run_path: Path, contents: Contents) -> None:
    run = read_run(run_path)
    assert isinstance(run, Run)
    assert run.path == run_path
    assert run.ticks == contents.root["ticks"] == SETTINGS["run.days"]
    assert run.format_version == 1
    assert run.channels == CHANNELS

    groups = {"timeseries/": run.timeseries, "creators/summary/": run.creators, "users/summary/": run.users,
              "brands/summary/": run.brands}
    for prefix, table in groups.items():
        expected = {name[len(prefix):] for name in contents.datasets if name.startswith(prefix)}
        assert set(table) == expected, prefix
        for column, values in table.items():
            reference = contents.datasets[prefix + column]
            assert isinstance(values, np.ndarray) and values.dtype == reference.dtype, prefix + column
            assert np.array_equal(values, reference), prefix + column
    assert run.timeseries["impressions"].shape == (run.ticks, len(run.channels))
    assert np.array_equal(run.creator_followers, contents.datasets["creators/followers"])

    for name, value in contents.provenance.items():
        assert run.provenance[name] == value, name
    assert run.provenance["scenario"] == contents.scenario
    assert yaml.safe_load(run.provenance["scenario"])["run"]["seed"] == SETTINGS["run.seed"]
    assert list(run.provenance["profile"]) == contents.phases
    assert list(run.provenance["profile"].values()) == list(contents.datasets["provenance/profile/seconds"])
    assert run.units["timeseries/impressions"] == "impressions/day"
    assert run.units["creators/followers"] == "followers"


def test_read_run_accepts_str(run_path: Path) -> None:
    assert read_run(str(run_path)).ticks == SETTINGS["run.days"]


def test_read_run_without_creators(tmp_path: Path) -> None:
    out = tmp_path / "no_creators.h5"
    # No creators, no brand accounts and no room for entrants: no [tick x creator] tables.
    run_fanflow(out, {"run.days": 2, "population.users": 500, "population.creators": 0, "lifecycle.max_entrants": 0,
                      "brands.own_accounts": "false"})
    run = read_run(out)
    assert run.creator_followers is None
    assert run.creators["followers"].shape == (0,)
    no_items = [run.channels.index("ads"), run.channels.index("live")]
    items = np.delete(run.timeseries["impressions"], no_items, axis=1)
    assert items.sum() == 0, "no creators, so no items to show (ads need none)"


# --- files read_run refuses ---------------------------------------------------------------------------------


def assert_refused(path: Path, *fragments: str) -> str:
    with pytest.raises(RunFileError) as caught:
        read_run(path)
    message = str(caught.value)
    assert "\n" not in message and message.strip(), message
    assert str(path) in message, message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_error_type() -> None:
    assert issubclass(RunFileError, Exception)


def test_missing_file(tmp_path: Path) -> None:
    assert_refused(tmp_path / "missing.h5", "no such file")


def test_folder(tmp_path: Path) -> None:
    assert_refused(tmp_path, "folder")


def test_text_file_named_h5(tmp_path: Path) -> None:
    path = tmp_path / "notes.h5"
    path.write_text("impressions: 12\n")
    assert_refused(path, "not an HDF5 file")


def test_hdf5_without_format(tmp_path: Path) -> None:
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f["data"] = np.arange(3)
        f.attrs["complete"] = 1
    assert_refused(path, "not a fanflow run", "format", "missing")


def test_hdf5_with_another_format(tmp_path: Path) -> None:
    path = tmp_path / "other.h5"
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "something-else"
    assert_refused(path, "not a fanflow run", "something-else")


def test_incomplete_run(run_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "incomplete.h5"
    shutil.copyfile(run_path, path)
    with h5py.File(path, "r+") as f:
        f.attrs["complete"] = 0
    assert_refused(path, "incomplete", "complete")


def test_newer_format_version(run_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "future.h5"
    shutil.copyfile(run_path, path)
    with h5py.File(path, "r+") as f:
        f.attrs["format_version"] = 99
    assert_refused(path, "format_version 99")


def test_missing_dataset(run_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "damaged.h5"
    shutil.copyfile(run_path, path)
    with h5py.File(path, "r+") as f:
        del f["provenance/scenario"]
    assert_refused(path, "provenance/scenario")
