"""The sweep and comparison reports: `fanflow report` tells the kind of file from its root attribute and writes
the matching page with every section and figure (Sobol indices for a Saltelli sweep, Morris effects for a Morris
sweep, the ranking warnings, the runs completed); bad input gets one error line and leaves nothing behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest
from analysis_runs import REPO, assert_figures, assert_one_error_line, fanflow, unfinished_copy

from fanflow_analysis import comparison_report, experiment_figures, experiments, sweep_report
from fanflow_analysis.report_pages import figure_folder


SWEEP_FIGURES = ["main_effects_traffic.png", "main_effects_fans.png", "main_effects_money.png"]
COMPARISON_FIGURES = ["paired_differences.png", "series_traffic.png", "series_fans.png", "series_platform.png",
                      "series_money.png"]


def python_report(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    """``python3 -m fanflow_analysis.report`` (what `fanflow report` runs), for the options only it has."""
    return subprocess.run([sys.executable, "-m", "fanflow_analysis.report", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO / "analysis")})


def check_page(out: Path, titles: dict[str, str], figure_names: list[str]) -> str:
    """Every section title and figure is in the page, the PNG files are beside it, nothing else is left."""
    page = out.read_text(encoding="utf-8")
    for title in titles.values():
        assert f"<h2>{title}</h2>" in page, title
    folder = figure_folder(out)
    assert_figures(page, folder, figure_names)
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([out.name, folder.name]), "no temporary files"
    return page


@pytest.fixture(scope="module")
def saltelli_report(saltelli_sweep: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("saltelli_report") / "saltelli.html"
    result = fanflow("report", saltelli_sweep, "-o", out, cwd=out.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {out}\n"
    figures = SWEEP_FIGURES + [f"pairs_{m}.png" for m in sweep_report.DEFAULT_METRICS] + ["sobol.png"]
    return out, check_page(out, sweep_report.SECTION_TITLES, figures)


def test_saltelli_report_has_sobol_indices_and_ranking_warnings(saltelli_report: tuple[Path, str]) -> None:
    _, page = saltelli_report
    assert "fanflow sweep report" in page
    assert re.search(r"<td>runs completed</td><td>24 of 24</td>", page)
    assert "<th>S1 [95% interval]</th><th>ST [95% interval]</th>" in page
    for metric in sweep_report.DEFAULT_METRICS:
        assert experiment_figures.metric_label(metric).capitalize() + " (6 base samples)" in page
    # six base samples cannot separate two factors' indices: the page says how many would
    warnings_shown = re.findall(r'<p class="warning">([^<]*)</p>', page)
    assert warnings_shown and all("cannot rank" in w for w in warnings_shown)
    assert re.search(r"about \d+ base samples \(now 6\) would separate them", page)


def test_saltelli_report_indices_are_the_estimators(saltelli_sweep: Path) -> None:
    data = sweep_report.load_sweep_tables(saltelli_sweep)
    indices = sweep_report.sobol_for_metric(data, "follows_end")
    summary = experiments.load_sweep_summary(saltelli_sweep)
    from fanflow_analysis.sensitivity import sobol_indices
    expected = sobol_indices(summary["follows_end"].to_numpy(), 6, 2, bootstrap=sweep_report.BOOTSTRAP,
                             names=data.design.factors)
    assert indices.equals(expected)


def test_morris_report(morris_sweep: Path, tmp_path: Path) -> None:
    out = tmp_path / "morris.html"
    result = python_report(morris_sweep, "-o", out, "--metric", "views", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = check_page(out, sweep_report.SECTION_TITLES, SWEEP_FIGURES + ["pairs_views.png", "morris.png"])
    assert re.search(r"<td>runs completed</td><td>16 of 16</td>", page)
    assert "<th>mu* [95% interval]</th>" in page and "Views (4 trajectories; effects in views per factor range)" in page
    if "cannot rank" in page:
        assert re.search(r"about \d+ trajectories \(now 4\) would separate them|no number of trajectories", page)


def test_morris_effects_and_their_intervals(morris_sweep: Path) -> None:
    data = sweep_report.load_sweep_tables(morris_sweep)
    result = sweep_report.morris_for_metric(data, "views")
    from fanflow_analysis.sensitivity import morris
    expected = morris(data.design.unit_points.to_numpy(), data.summary["views"].to_numpy(), 4, 3,
                      names=data.design.factors)
    assert result[["mu", "mu_star", "sigma"]].equals(expected)
    assert ((result["mu_star_low"] <= result["mu_star"]) & (result["mu_star"] <= result["mu_star_high"])).all()
    assert result.attrs["trajectories"] == 4


def test_grid_sweep_has_no_indices_but_replicate_intervals(grid_sweep: Path) -> None:
    data = sweep_report.load_sweep_tables(grid_sweep)
    section = sweep_report.sensitivity_section(data, ["views"])
    assert section.figures == [] and section.notes == [
        "The design is grid: sensitivity indices need a saltelli design (Sobol indices) or a morris design "
        "(elementary effects). The main effects above still show what moves each metric."]
    means = experiment_figures.point_means(data.summary, "views")
    assert list(means["n"]) == [2, 2, 2, 2]
    assert (means["low"] < means["mean"]).all() and (means["mean"] < means["high"]).all()


def test_incomplete_sweep_report_says_how_many_runs_are_missing(saltelli_sweep: Path, tmp_path: Path) -> None:
    copy = unfinished_copy(saltelli_sweep, tmp_path, [0, 9])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the report says it in its runs section instead
        data = sweep_report.load_sweep_tables(copy)
    section = sweep_report.runs_section(data)
    assert section.warnings == ["2 of 24 runs have not completed (the sweep is still running or was stopped; run "
                                "the same fanflow sweep command again to finish it). The results below use the "
                                "completed runs only."]
    assert "<td>runs</td><td>24</td><td>22</td><td>2</td>" in section.tables[0]
    # runs 0 and 9 lie in base samples 0 and 2: Sobol indices come from the 4 complete ones
    assert sweep_report.sobol_for_metric(data, "views").attrs["base_samples"] == 4


@pytest.fixture(scope="module")
def comparison_page(comparison: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("comparison_report") / "comparison.html"
    result = fanflow("report", comparison, "-o", out, cwd=out.parent)
    assert result.returncode == 0, result.stderr
    return check_page(out, comparison_report.SECTION_TITLES, COMPARISON_FIGURES)


def test_comparison_report_tables(comparison_page: str, comparison: Path) -> None:
    assert "fanflow comparison report" in comparison_page
    assert "<th>plan - baseline [95% CI]</th><th>relative change [95% CI]</th><th>CI excludes 0</th>" in comparison_page
    effects = experiments.load_comparison_effects(comparison)
    for metric, row in effects.iterrows():
        label = experiment_figures.metric_label(metric).replace("'", "&#x27;")
        cells = re.search(rf"<tr><td>{re.escape(label)}</td>(.*?)</tr>", comparison_page)
        assert cells, metric
        assert cells.group(1).endswith("<td>yes</td>" if row["excludes_zero"] else "<td>no</td>")
    assert re.search(r"<td>replicates \(pairs of runs with the same seed\)</td><td>3</td>", comparison_page)
    # what the plan changes: its timeline entry against none in the baseline
    assert "<td>timeline[0]</td><td>-</td><td>day 4 &#x27;switch to follow-heavy rules&#x27;" in comparison_page


def test_comparison_timeline_marks() -> None:
    plan = ("run: {seed: 1}\ntimeline:\n  - at: 4\n    label: switch\n    set: {platform.preset: follow_heavy}\n"
            "  - from: 6\n    until: 9\n    set:\n      engagement: {share_rate: 0.05}\n"
            "  - {at: 7, event: {kind: super_brand_day, brand: 0, top_creators: 5}}\n")
    baseline = "run: {seed: 1}\ntimeline:\n  - at: 4\n    label: switch\n    set: {platform.preset: follow_heavy}\n"
    assert comparison_report.comparison_marks(baseline, plan) == [
        (4, "switch"), (6, "engagement.share_rate=0.05"),
        (7, "super brand day: brand 0, top_creators 5"), (9, "end of engagement.share_rate=0.05")]
    assert comparison_report.comparison_marks(plan, "run: {seed: 1}\n")[0] == (4, "baseline: switch")
    assert comparison_report.scenario_differences("a: {b: 1, c: 2}\nrun: {seed: 1}\n",
                                                  "a: {b: 1, c: 3}\nrun: {seed: 2}\n") == [("a.c", "2", "3")]


def test_report_refuses_a_file_of_no_known_kind(tmp_path: Path) -> None:
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.attrs["format"] = "fanflow-something"
    result = fanflow("report", other, cwd=tmp_path)
    assert_one_error_line(result, "other.h5", "not a fanflow file", "'fanflow-something'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.h5"], "nothing half-written"


def test_report_on_a_sweep_without_completed_runs(saltelli_sweep: Path, tmp_path: Path) -> None:
    copy = unfinished_copy(saltelli_sweep, tmp_path, list(range(24)))
    result = fanflow("report", copy, "-o", tmp_path / "out.html", cwd=tmp_path)
    assert_one_error_line(result, "unfinished-saltelli.h5", "none of the sweep's 24 runs has completed")
    assert sorted(p.name for p in tmp_path.iterdir()) == [copy.name]


def test_report_on_a_damaged_comparison(comparison: Path, tmp_path: Path) -> None:
    copy = tmp_path / "damaged.h5"
    copy.write_bytes(comparison.read_bytes())
    with h5py.File(copy, "r+") as f:
        del f["plan/series"]
    result = fanflow("report", copy, cwd=tmp_path)
    assert_one_error_line(result, "damaged.h5", "/plan/series")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.h5"]


def test_metric_option_errors(comparison: Path, grid_sweep: Path, tmp_path: Path) -> None:
    result = python_report(comparison, "-o", tmp_path / "c.html", "--metric", "views", cwd=tmp_path)
    assert_one_error_line(result, "comparison.h5", "--metric applies to sweep files; this is a comparison file")
    result = python_report(grid_sweep, "-o", tmp_path / "g.html", "--metric", "reach", cwd=tmp_path)
    assert_one_error_line(result, "grid.h5", "no metric reach in /summary")
    assert list(tmp_path.iterdir()) == []


def test_factor_axes_follow_the_design(grid_sweep: Path, saltelli_sweep: Path) -> None:
    grid = experiments.load_sweep_design(grid_sweep)
    # a grid's values sit at unit coordinates index / (values - 1); between them the axis is piecewise linear
    assert list(experiment_figures.unit_to_value([0, 0.5, 1], "engagement.share_rate", grid)) == \
        pytest.approx([0.005, 0.0125, 0.02])
    assert list(experiment_figures.unit_to_value([0, 1], "population.creators", grid)) == [10, 20]
    assert experiment_figures.log_axis("engagement.share_rate", grid) is False  # 0.005 to 0.02: under a decade
    saltelli = experiments.load_sweep_design(saltelli_sweep)
    assert experiment_figures.unit_to_value([0.5], "engagement.share_rate", saltelli)[0] == \
        pytest.approx((0.002 * 0.05) ** 0.5), "a log range maps geometrically"
    assert experiment_figures.log_axis("engagement.share_rate", saltelli)
    # two grid values: one bin each, each value in the middle of its bin
    index, edges = experiment_figures.unit_bins(grid.unit_points["population.creators"].to_numpy(), 3)
    assert list(edges) == [-0.5, 0.5, 1.5] and set(index) == {0, 1}
    # many distinct values: equal bins of the unit interval
    index, edges = experiment_figures.unit_bins(np.linspace(0, 1, 21), 3)
    assert list(edges) == pytest.approx([0, 1 / 3, 2 / 3, 1]) and list(np.bincount(index)) == [7, 7, 7]
    effect = experiment_figures.binned_effect(pd.Series([1.0, 2.0, 3.0, 5.0]).to_numpy(),
                                              pd.Series([0.0, 0.0, 1.0, 1.0]).to_numpy(), 3)
    assert list(effect["mean"]) == [1.5, 4.0] and list(effect["n"]) == [2, 2]
    assert effect["low"].iloc[0] < 1.5 < effect["high"].iloc[0]


def test_fanflow_report_passes_metrics_on(grid_sweep: Path, tmp_path: Path) -> None:
    out = tmp_path / "grid.html"
    result = fanflow("report", grid_sweep, "-o", out, "--metric", "views", "--metric", "likes", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (figure_folder(out) / "pairs_views.png").is_file() and (figure_folder(out) / "pairs_likes.png").is_file()
    wrong = fanflow("report", grid_sweep, "-o", tmp_path / "g2.html", "--metric", "reach", cwd=tmp_path)
    assert_one_error_line(wrong, "grid.h5", "no metric reach in /summary")
