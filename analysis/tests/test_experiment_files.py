"""The sweep and comparison loaders (fanflow_analysis.experiments) against the same files read with h5py: sweeps
and a comparison the program runs in the test session; a sweep with runs missing; wrong, corrupt and missing
files."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest
from analysis_runs import unfinished_copy

from fanflow_analysis import experiments, stats
from fanflow_analysis.experiments import ExperimentFileError, IncompleteSweepWarning
from fanflow_analysis.run_file import RunFileError


def _strings(values) -> list[str]:
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def test_file_kind(timeline_run: Path, saltelli_sweep: Path, comparison: Path, tmp_path: Path) -> None:
    assert experiments.file_kind(timeline_run) == "run"
    assert experiments.file_kind(saltelli_sweep) == "sweep"
    assert experiments.file_kind(comparison) == "comparison"
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.attrs["format"] = "someone-else"
    with pytest.raises(ExperimentFileError, match=r"other.h5: not a fanflow file \(root attribute format is "
                                                  r"'someone-else', expected one of 'fanflow-run'"):
        experiments.file_kind(other)


def test_sweep_design(saltelli_sweep: Path, morris_sweep: Path) -> None:
    design = experiments.load_sweep_design(saltelli_sweep)
    assert design.kind == "saltelli" and design.base_samples == 6 and design.trajectories is None
    assert design.factors == ["engagement.share_rate", "recommendation.explore_probability"]
    assert design.scales == ["log", "linear"]
    assert design.points.shape == (6 * (2 + 2), 2) and list(design.points.columns) == design.factors
    assert ((design.unit_points >= 0) & (design.unit_points <= 1)).all().all()
    with h5py.File(saltelli_sweep) as f:
        np.testing.assert_array_equal(design.points.to_numpy(), f["design/points"][()])
        np.testing.assert_array_equal(design.bounds["low"], f["design/factor_lo"][()])
        np.testing.assert_array_equal(design.bounds["high"], f["design/factor_hi"][()])
    morris = experiments.load_sweep_design(morris_sweep)
    assert (morris.kind, morris.trajectories, morris.levels, morris.base_samples) == ("morris", 4, 4, None)
    assert morris.points.shape == (4 * (3 + 1), 3)


def test_sweep_runs_are_the_run_table(saltelli_sweep: Path) -> None:
    runs = experiments.load_sweep_runs(saltelli_sweep)
    with h5py.File(saltelli_sweep) as f:
        assert list(runs.index) == list(f["runs/run"][()])
        np.testing.assert_array_equal(runs["seed"], f["runs/seed"][()])
        np.testing.assert_array_equal(runs["point"], f["runs/point"][()])
        for factor in _strings(f["design"].attrs["factors"]):
            np.testing.assert_array_equal(runs[factor], f[f"runs/parameters/{factor}"][()])
        assert list(runs["assignments"]) == _strings(f["runs/assignments"][()])
    assert runs["completed"].all()
    assert runs.attrs["runs_total"] == runs.attrs["runs_completed"] == 24 and runs.attrs["runs_missing"] == 0


def test_sweep_summary_joins_parameters_and_metrics(grid_sweep: Path) -> None:
    summary = experiments.load_sweep_summary(grid_sweep)
    with h5py.File(grid_sweep) as f:
        assert len(summary) == len(f["runs/run"])
        for metric in ("views", "follows_end", "followers_gini_end", "creator_income"):
            np.testing.assert_array_equal(summary[metric], f[f"summary/{metric}"][()])
            assert metric in summary.attrs["metrics"]
        np.testing.assert_array_equal(summary["population.creators"], f["runs/parameters/population.creators"][()])
    assert summary.attrs["units"]["follows_end"] == "follows"
    assert summary.attrs["units"]["followers_gini_end"] == ""
    # the grid has 2 x 2 points with 2 replicates each: every point's replicates share its parameters
    assert summary.groupby("point")["population.creators"].nunique().eq(1).all()
    assert sorted(summary["population.creators"].unique()) == [10, 20]
    assert summary.groupby("point").size().eq(2).all()


def test_a_unit_of_1_from_older_files_reads_as_dimensionless(grid_sweep: Path, tmp_path: Path) -> None:
    copy = tmp_path / "older.h5"
    shutil.copyfile(grid_sweep, copy)
    with h5py.File(copy, "r+") as f:
        f["summary/followers_gini_end"].attrs["unit"] = "1"  # as sweep files wrote dimensionless units before
    summary = experiments.load_sweep_summary(copy)
    assert summary.attrs["units"]["followers_gini_end"] == ""
    assert summary.attrs["units"]["follows_end"] == "follows"


def test_sweep_series_long_form(saltelli_sweep: Path) -> None:
    series = experiments.load_sweep_series(saltelli_sweep, ["views", "follow_edges"])
    with h5py.File(saltelli_sweep) as f:
        views = f["series/views"][()]
        ticks = int(f.attrs["ticks"])
    assert list(series.columns) == ["run", "point", "replicate", "tick", "views", "follow_edges"]
    assert len(series) == views.shape[0] * ticks == 24 * 8
    np.testing.assert_array_equal(series["views"], views.reshape(-1))
    assert list(series.loc[series["run"] == 3, "tick"]) == list(range(ticks))
    assert series.attrs["units"] == {"views": "views/day", "follow_edges": "follows"}
    every = experiments.load_sweep_series(saltelli_sweep)
    assert {"impressions", "true_fans", "creator_income", "platform_take"} <= set(every.columns)
    with pytest.raises(ExperimentFileError, match=r"no metric reach in /series \(it holds .*views"):
        experiments.load_sweep_series(saltelli_sweep, ["reach"])


def test_sweep_series_of_runs_of_different_lengths(days_sweep: Path) -> None:
    series = experiments.load_sweep_series(days_sweep, ["views"])
    runs = experiments.load_sweep_runs(days_sweep)
    lengths = series.groupby("run")["tick"].agg(["count", "max"])
    assert list(lengths["count"]) == [int(d) for d in runs["run.days"]] == [4, 8]
    assert list(lengths["max"]) == [3, 7] and series["views"].notna().all()


def test_sweep_provenance(saltelli_sweep: Path) -> None:
    provenance = experiments.load_sweep_provenance(saltelli_sweep)
    assert provenance["sweep_source"].endswith("saltelli.yaml")
    assert "design: saltelli" in provenance["sweep_file"]
    assert "population:" in provenance["base_scenario"] and len(provenance["fingerprint"]) == 16
    assert provenance["runs"] == 24


def test_incomplete_sweep_reads_completed_runs_and_says_how_many_are_missing(saltelli_sweep: Path,
                                                                              tmp_path: Path) -> None:
    copy = unfinished_copy(saltelli_sweep, tmp_path, [5, 6, 20])
    with pytest.warns(IncompleteSweepWarning, match=r"3 of 24 runs have not completed; read the 21 completed runs"):
        summary = experiments.load_sweep_summary(copy)
    assert len(summary) == 21 and not ({5, 6, 20} & set(summary.index))
    assert summary["views"].notna().all()
    assert (summary.attrs["runs_total"], summary.attrs["runs_completed"], summary.attrs["runs_missing"]) == (24, 21, 3)
    with pytest.warns(IncompleteSweepWarning):
        series = experiments.load_sweep_series(copy, ["views"])
    assert sorted(series["run"].unique()) == sorted(summary.index)
    with pytest.warns(IncompleteSweepWarning, match="included with completed = False"):
        runs = experiments.load_sweep_runs(copy, include_incomplete=True)
    assert len(runs) == 24 and list(runs.index[~runs["completed"]]) == [5, 6, 20]


def test_sweep_without_completed_runs(saltelli_sweep: Path, tmp_path: Path) -> None:
    copy = unfinished_copy(saltelli_sweep, tmp_path, list(range(24)))
    with pytest.raises(ExperimentFileError, match=r"unfinished-saltelli.h5: none of the sweep's 24 runs has completed"):
        experiments.load_sweep_runs(copy)


def test_comparison_summary(comparison: Path) -> None:
    summary = experiments.load_comparison_summary(comparison, ["views", "follows_end"])
    assert list(summary.columns) == ["metric", "replicate", "seed", "baseline", "plan", "difference"]
    assert len(summary) == 2 * 3
    with h5py.File(comparison) as f:
        views = summary[summary["metric"] == "views"]
        np.testing.assert_array_equal(views["baseline"], f["baseline/summary/views"][()])
        np.testing.assert_array_equal(views["plan"], f["plan/summary/views"][()])
        np.testing.assert_array_equal(views["seed"], f["replicates/seed"][()])
    np.testing.assert_allclose(summary["difference"], summary["plan"] - summary["baseline"])
    assert summary.attrs["units"] == {"views": "views", "follows_end": "follows"}
    every = experiments.load_comparison_summary(comparison)
    assert set(experiments.HEADLINE_METRICS) <= set(every["metric"].cat.categories)


def test_comparison_effects_match_the_program(comparison: Path) -> None:
    effects = experiments.load_comparison_effects(comparison)
    assert list(effects.index) == list(experiments.HEADLINE_METRICS)
    assert effects.attrs == {"replicates": 3, "confidence": 0.95}
    summary = experiments.load_comparison_summary(comparison)
    with h5py.File(comparison) as f:
        for metric in experiments.HEADLINE_METRICS:
            row = effects.loc[metric]
            attributes = f[f"difference/summary/{metric}"].attrs
            assert row["difference"] == pytest.approx(attributes["mean"], rel=1e-9, abs=1e-12)
            half = (row["high"] - row["low"]) / 2
            assert half == pytest.approx(attributes["ci95_half_width"], rel=1e-6, abs=1e-9)
            pairs = summary[summary["metric"] == metric]
            expected = stats.paired_difference(pairs["baseline"], pairs["plan"])
            assert row["excludes_zero"] == expected.significant
            assert row["baseline_mean"] == pytest.approx(pairs["baseline"].mean())
            if row["baseline_mean"] != 0:
                assert row["relative"] == pytest.approx(row["difference"] / abs(row["baseline_mean"]))
            else:
                assert np.isnan(row["relative"])


def test_comparison_series(comparison: Path) -> None:
    series = experiments.load_comparison_series(comparison, ["follow_edges"])
    with h5py.File(comparison) as f:
        baseline = f["baseline/series/follow_edges"][()]
        plan = f["plan/series/follow_edges"][()]
    assert len(series) == 2 * baseline.size
    np.testing.assert_array_equal(series.loc[series["scenario"] == "baseline", "follow_edges"], baseline.reshape(-1))
    np.testing.assert_array_equal(series.loc[series["scenario"] == "plan", "follow_edges"], plan.reshape(-1))
    # before the plan's timeline change (day 4) both scenarios are the same runs
    early = series[series["tick"] < 4].pivot_table(index=["replicate", "tick"], columns="scenario",
                                                   values="follow_edges", observed=True)
    pd.testing.assert_series_equal(early["baseline"], early["plan"], check_names=False)


def test_comparison_provenance(comparison: Path) -> None:
    provenance = experiments.load_comparison_provenance(comparison)
    assert provenance["replicates"] == 3
    assert provenance["baseline_source"].endswith("baseline.yaml") and provenance["plan_source"].endswith("plan.yaml")
    assert "follow-heavy" in provenance["plan_scenario"] and "timeline" not in provenance["baseline_scenario"]
    assert provenance["wall_seconds"] > 0


@pytest.mark.parametrize("loader", [experiments.load_sweep_runs, experiments.load_sweep_summary,
                                    experiments.load_sweep_series, experiments.load_sweep_design,
                                    experiments.load_sweep_provenance])
def test_sweep_loaders_refuse_other_files(loader, comparison: Path, timeline_run: Path, tmp_path: Path) -> None:
    with pytest.raises(ExperimentFileError, match=r"comparison.h5: not a fanflow sweep \(root attribute format is "
                                                  r"'fanflow-comparison', expected 'fanflow-sweep'\); it is a "
                                                  r"fanflow comparison file"):
        loader(comparison)
    with pytest.raises(ExperimentFileError, match="it is a fanflow run file"):
        loader(timeline_run)
    with pytest.raises(RunFileError, match=r"missing.h5: no such file"):
        loader(tmp_path / "missing.h5")
    text = tmp_path / "notes.h5"
    text.write_text("run,views\n1,2\n")
    with pytest.raises(RunFileError, match=r"notes.h5: not an HDF5 file, so not a fanflow sweep"):
        loader(text)


@pytest.mark.parametrize("loader", [experiments.load_comparison_summary, experiments.load_comparison_effects,
                                    experiments.load_comparison_series, experiments.load_comparison_provenance])
def test_comparison_loaders_refuse_other_files(loader, saltelli_sweep: Path, tmp_path: Path) -> None:
    with pytest.raises(ExperimentFileError, match=r"saltelli.h5: not a fanflow comparison \(root attribute format is "
                                                  r"'fanflow-sweep', expected 'fanflow-comparison'\)"):
        loader(saltelli_sweep)
    with pytest.raises(ExperimentFileError, match=r"nothing.h5: no such file"):
        loader(tmp_path / "nothing.h5")


def test_comparison_with_a_dataset_missing(comparison: Path, tmp_path: Path) -> None:
    copy = tmp_path / "damaged.h5"
    shutil.copyfile(comparison, copy)
    with h5py.File(copy, "r+") as f:
        del f["difference/summary/views"]
    with pytest.raises(ExperimentFileError, match=r"damaged.h5: the dataset /difference/summary/views is missing"):
        experiments.load_comparison_summary(copy)


def test_newer_layout_is_refused(comparison: Path, tmp_path: Path) -> None:
    copy = tmp_path / "future.h5"
    shutil.copyfile(comparison, copy)
    with h5py.File(copy, "r+") as f:
        f.attrs["format_version"] = 99
    with pytest.raises(ExperimentFileError, match="format_version 99 is newer than this reader understands"):
        experiments.load_comparison_effects(copy)


def test_complete_sweep_gives_no_warning(morris_sweep: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(experiments.load_sweep_summary(morris_sweep)) == 16
