"""The sweep report: reads a `fanflow sweep` file with the loaders of :mod:`fanflow_analysis.experiments` and
writes one self-contained HTML page (figures embedded) plus the PNG files beside it: the runs completed out of
the design's total, the main effects (each headline metric against each factor), heatmaps of chosen metrics over
each pair of factors, and for Saltelli designs Sobol indices (:func:`fanflow_analysis.sensitivity.sobol_indices`)
or for Morris designs mu* and sigma (:func:`fanflow_analysis.sensitivity.morris`, with bootstrap intervals over
the trajectories), with a warning wherever the intervals are too wide to rank the factors
(:func:`fanflow_analysis.sensitivity.interval_too_wide`). A sweep with runs still missing is reported on its
completed runs, and says so."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fanflow_analysis import experiment_figures, experiments, sensitivity
from fanflow_analysis.experiments import ExperimentFileError, IncompleteSweepWarning, SweepDesign
from fanflow_analysis.report_pages import Section, figure_folder, figure_png, html_table, render, write_atomically

TEMPLATE = "sweep_report.html.j2"

#: The report's section headings, in order (the tests check each appears).
SECTION_TITLES = {
    "runs": "Runs",
    "main_effects": "Main effects",
    "pairs": "Pairs of factors",
    "sensitivity": "Sensitivity indices",
}
#: The main-effect figures: a file name and title per group of summary metrics (the comparison's headline metrics).
MAIN_EFFECT_GROUPS = {
    "main_effects_traffic": ("Traffic over the run", ("impressions", "views", "likes", "shares")),
    "main_effects_fans": ("Follows, concentration and creators",
                          ("follows_gained", "follows_end", "followers_gini_end", "creators_alive_end")),
    "main_effects_money": ("Money over the run", ("brand_spend", "brand_sales_revenue", "creator_income",
                                                  "platform_take")),
}
#: The metrics of the heatmaps and sensitivity indices unless others are chosen: fan growth, its concentration,
#: and creators' income.
DEFAULT_METRICS = ("follows_end", "followers_gini_end", "creator_income")
#: Bootstrap resamples for the intervals of Sobol indices and of Morris's mu*.
BOOTSTRAP = 1000
CONFIDENCE = 0.95


@dataclass
class SweepTables:
    """Everything the report reads from one sweep file."""

    path: Path
    design: SweepDesign
    runs: pd.DataFrame
    summary: pd.DataFrame
    provenance: pd.Series


def load_sweep_tables(path: Path) -> SweepTables:
    """Reads the tables the report needs, completed runs only (raises ExperimentFileError for a file that is not
    a sweep or has no completed run)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IncompleteSweepWarning)  # the report's runs section says it
        return SweepTables(path=path, design=experiments.load_sweep_design(path),
                           runs=experiments.load_sweep_runs(path, include_incomplete=True),
                           summary=experiments.load_sweep_summary(path),
                           provenance=experiments.load_sweep_provenance(path))


def write_report(sweep_path: Path | str, output: Path | str, metrics: Sequence[str] | None = None) -> Path:
    """Writes the report of the sweep file `sweep_path` to `output` (HTML) and its figures to
    ``<output stem>_figures/``; `metrics` are the summary metrics of the heatmaps and sensitivity indices
    (default :data:`DEFAULT_METRICS`).

    Raises:
        ExperimentFileError: the file is missing, not HDF5, not a fanflow sweep, has no completed run, or lacks
            a chosen metric.
        OSError: the outputs cannot be written.
    """
    sweep_path, output = Path(sweep_path), Path(output)
    data = load_sweep_tables(sweep_path)
    chosen = chosen_metrics(data, metrics)
    sections = [runs_section(data), main_effects_section(data), pairs_section(data, chosen),
                sensitivity_section(data, chosen)]
    provenance = data.provenance
    page = render(TEMPLATE, file_name=sweep_path.name, file_path=str(sweep_path), sections=sections,
                  figure_folder=figure_folder(output).name, overview=overview(data),
                  provenance=[(k, str(v)) for k, v in provenance.items()
                              if k not in ("base_scenario", "sweep_file", "definition")],
                  sweep_file=str(provenance.get("sweep_file", "")),
                  base_scenario=str(provenance.get("base_scenario", "")))
    write_atomically(output, page, [f for s in sections for f in s.figures])
    return output


def chosen_metrics(data: SweepTables, metrics: Sequence[str] | None) -> list[str]:
    """`metrics`, checked against the file; by default those of :data:`DEFAULT_METRICS` the file holds."""
    available = data.summary.attrs["metrics"]
    if metrics is None:  # the defaults, then each focal brand's revenue
        return [m for m in DEFAULT_METRICS if m in available] + [f"{brand}.revenue" for brand in focal_brands(data)]
    unknown = [m for m in metrics if m not in available]
    if unknown:
        raise ExperimentFileError(f"{data.path}: no metric {', '.join(unknown)} in /summary "
                                  f"(it holds {', '.join(available)})")
    return list(dict.fromkeys(metrics))


def focal_brands(data: SweepTables) -> list[str]:
    """The sweep's focal brands: the names of its ``/summary/NAME.revenue`` metrics (brand names may hold dots; the
    focal metric names do not), in file order."""
    return [m.rsplit(".", 1)[0] for m in data.summary.attrs["metrics"] if m.endswith(".revenue")]


def _section(key: str, intro: str) -> Section:
    return Section(key=key, title=SECTION_TITLES[key], intro=intro)


def overview(data: SweepTables) -> list[tuple[str, str]]:
    """The short table at the top: design, factors, runs."""
    design, runs = data.design, data.runs
    size = {"saltelli": f"N = {design.base_samples} base samples",
            "morris": f"r = {design.trajectories} trajectories, p = {design.levels} levels"}.get(
        design.kind, f"{len(design.points):,} design points")
    return [
        ("sweep", str(data.provenance.get("sweep_source", "?"))),
        ("base scenario", str(data.provenance.get("scenario_source", "?"))),
        ("design", f"{design.kind} ({size}); {len(design.factors)} factors; {design.replicates} replicate(s) per "
                   f"point, seeds {design.seeds}"),
        ("runs completed", f"{runs.attrs['runs_completed']:,} of {runs.attrs['runs_total']:,}"),
    ]


def runs_section(data: SweepTables) -> Section:
    runs, design = data.runs, data.design
    section = _section("runs", "The runs the design asked for and how many have completed; the factors and the "
                               "ranges they were varied over. Everything below uses the completed runs only.")
    missing = runs.attrs["runs_missing"]
    if missing:
        section.warnings.append(f"{missing:,} of {runs.attrs['runs_total']:,} runs have not completed (the sweep is "
                                "still running or was stopped; run the same fanflow sweep command again to finish "
                                "it). The results below use the completed runs only.")
    completed = runs[runs["completed"]]
    points_done = completed.groupby("point").size()
    wall = completed["wall_seconds"] if "wall_seconds" in completed else pd.Series(dtype=float)
    rows = [("runs", f"{runs.attrs['runs_total']:,}", f"{runs.attrs['runs_completed']:,}", f"{missing:,}"),
            ("design points", f"{len(design.points):,}",
             f"{int((points_done == design.replicates).sum()):,} with every replicate",
             f"{len(design.points) - len(points_done):,} with none")]
    section.tables.append(html_table(("", "in the design", "completed", "missing"), rows, "numbers"))
    factor_rows = [(factor, experiment_figures.format_number(row["low"]), experiment_figures.format_number(row["high"]),
                    row["scale"]) for factor, row in design.bounds.iterrows()]
    section.tables.append(html_table(("factor", "lowest value", "highest value", "scale"), factor_rows, "numbers"))
    if len(wall.dropna()):
        section.tables.append(html_table(("wall time of the completed runs", "value"), [
            ("total (summed over runs)", f"{wall.sum():,.1f} s"), ("median per run", f"{wall.median():,.2f} s"),
            ("longest run", f"{wall.max():,.2f} s")], "numbers"))
    return section


def _bins(points: int, low: int, high: int, per_bin: float) -> int:
    return int(min(high, max(low, round(points / per_bin))))


def main_effects_section(data: SweepTables) -> Section:
    summary, design = data.summary, data.design
    points = summary["point"].nunique()
    bins = _bins(points, 3, 8, 8)
    section = _section("main_effects", "Each headline metric against each factor, over all completed runs: grey, "
                                       "each design point's mean over its replicates (with its 95% interval when "
                                       "there are replicates); blue, the mean over the points in each of up to "
                                       f"{bins} bins of the factor's range with its 95% Student t-interval, so the "
                                       "other factors are averaged over. A flat line means the factor hardly moves "
                                       "the metric on its own.")
    available = set(summary.attrs["metrics"])
    for name, (title, metrics) in MAIN_EFFECT_GROUPS.items():
        present = [m for m in metrics if m in available]
        if present:
            section.figures.append(figure_png(f"{name}.png", f"{title}: main effects of each factor.",
                                              experiment_figures.main_effects(summary, design, present,
                                                                              f"{title}: main effects", bins)))
    for brand in focal_brands(data):
        present = [f"{brand}.{m}" for m in ("purchases", "revenue", "return_on_spend", "own_followers")
                   if f"{brand}.{m}" in available]
        section.figures.append(figure_png(f"main_effects_focal_{brand}.png",
                                          f"{brand}'s own figures (a focal brand): main effects of each factor.",
                                          experiment_figures.main_effects(summary, design, present,
                                                                          f"{brand}: main effects", bins)))
    return section


def pairs_section(data: SweepTables, metrics: list[str]) -> Section:
    summary, design = data.summary, data.design
    points = summary["point"].nunique()
    bins = _bins(int(math.sqrt(points / 2)), 2, 6, 1)
    section = _section("pairs", "How two factors act together: for each pair, both factors' ranges are cut into "
                                f"up to {bins} bins and each cell shows the mean of the metric over the design "
                                "points that fall in it (n: how many; blank: none). Interactions show as cells that "
                                "a sum of the two main effects cannot explain.")
    if len(design.factors) < 2:
        section.notes.append("The sweep varies one factor, so there are no pairs of factors.")
        return section
    for metric in metrics:
        section.figures.append(figure_png(f"pairs_{metric}.png",
                                          f"{experiment_figures.metric_label(metric).capitalize()} over each pair of "
                                          "factors (binned).",
                                          experiment_figures.pair_heatmaps(summary, design, metric, bins)))
    return section


# --- Sobol and Morris -------------------------------------------------------------------------------------


def point_outputs(summary: pd.DataFrame, metric: str, points: int) -> np.ndarray:
    """The mean of `metric` over each design point's completed replicates, NaN for a point with none."""
    means = summary.groupby("point")[metric].mean()
    values = np.full(points, np.nan)
    values[means.index.to_numpy(dtype=int)] = means.to_numpy()
    return values


def complete_blocks(values: np.ndarray, block: int) -> np.ndarray:
    """Indices of the consecutive blocks of `block` points (Saltelli base samples, Morris trajectories) whose
    points all have an output."""
    blocks = values.reshape(-1, block)
    return np.flatnonzero(np.isfinite(blocks).all(axis=1))


def sobol_for_metric(data: SweepTables, metric: str) -> pd.DataFrame:
    """Sobol indices of `metric` from the complete base samples (blocks of k + 2 points) of a Saltelli sweep.

    Raises:
        ValueError: fewer than 2 complete base samples, or a metric that does not vary.
    """
    design = data.design
    k = len(design.factors)
    values = point_outputs(data.summary, metric, len(design.points))
    kept = complete_blocks(values, k + 2)
    if kept.size < 2:
        raise ValueError(f"only {kept.size} base sample(s) have every run completed; Sobol indices need 2")
    outputs = values.reshape(-1, k + 2)[kept].ravel()
    return sensitivity.sobol_indices(outputs, kept.size, k, bootstrap=BOOTSTRAP, seed=0, confidence=CONFIDENCE,
                                     names=design.factors)


def morris_for_metric(data: SweepTables, metric: str) -> pd.DataFrame:
    """mu, mu* and sigma of `metric` from the complete trajectories of a Morris sweep, with the bootstrap
    interval of mu* over trajectories (``mu_star_low``, ``mu_star_high``; resampled with replacement).

    Raises:
        ValueError: fewer than 2 complete trajectories.
    """
    design = data.design
    k = len(design.factors)
    values = point_outputs(data.summary, metric, len(design.points))
    kept = complete_blocks(values, k + 1)
    if kept.size < 2:
        raise ValueError(f"only {kept.size} trajectory(ies) have every run completed; intervals need 2")
    unit = design.unit_points.to_numpy().reshape(-1, k + 1, k)[kept]
    outputs = values.reshape(-1, k + 1)[kept]
    result = sensitivity.morris(unit.reshape(-1, k), outputs.ravel(), kept.size, k, names=design.factors)
    # each trajectory's elementary effects (mu of that trajectory alone), resampled for the interval of mu*
    effects = np.array([sensitivity.morris(unit[t], outputs[t], 1, k)["mu"].to_numpy() for t in range(kept.size)])
    rng = np.random.default_rng(0)
    resampled = np.abs(effects[rng.integers(0, kept.size, (BOOTSTRAP, kept.size))]).mean(axis=1)
    tail = 100 * (1 - CONFIDENCE) / 2
    result["mu_star_low"] = np.minimum(np.percentile(resampled, tail, axis=0), result["mu_star"])
    result["mu_star_high"] = np.maximum(np.percentile(resampled, 100 - tail, axis=0), result["mu_star"])
    result.attrs.update(trajectories=int(kept.size), confidence=CONFIDENCE)
    return result


def sobol_warnings(metric: str, indices: pd.DataFrame) -> list[str]:
    """The ranking warnings of the first-order and total indices of `metric` (none when every pair separates)."""
    found = []
    for column, name in (("ST", "total indices ST"), ("S1", "first-order indices S1")):
        warning = sensitivity.interval_too_wide(indices[column], np.minimum(indices[f"{column}_low"], indices[column]),
                                                np.maximum(indices[f"{column}_high"], indices[column]),
                                                int(indices.attrs["base_samples"]), names=list(indices.index))
        if warning is not None:
            found.append(f"{experiment_figures.metric_label(metric).capitalize()}, {name}: {warning.message}.")
    return found


def morris_warning(metric: str, result: pd.DataFrame) -> str | None:
    """The ranking warning of mu* of `metric`, in trajectories (None when every neighbouring pair separates)."""
    trajectories = int(result.attrs["trajectories"])
    warning = sensitivity.interval_too_wide(result["mu_star"], result["mu_star_low"], result["mu_star_high"],
                                            trajectories, names=list(result.index))
    if warning is None:
        return None
    pairs = ", ".join(f"{a} and {b}" for a, b in warning.overlapping)
    advice = (f"about {warning.base_samples_needed} trajectories (now {trajectories}) would separate them"
              if warning.base_samples_needed is not None else "equal estimates: no number of trajectories "
              "separates them")
    return (f"{experiment_figures.metric_label(metric).capitalize()}, mu*: cannot rank {pairs}: their "
            f"{CONFIDENCE:.0%} intervals overlap; {advice}.")


def _number(value: float) -> str:
    return experiment_figures.format_number(value)


def _index_table(frame: pd.DataFrame, columns: list[tuple[str, str, str]]) -> list[tuple[str, ...]]:
    """Table rows: the factor, then each value with its interval when `low` and `high` name one."""
    rows = []
    for factor, row in frame.iterrows():
        cells = [str(factor)]
        for value, low, high in columns:
            interval = f" [{_number(row[low])}, {_number(row[high])}]" if low else ""
            cells.append(f"{_number(row[value])}{interval}")
        rows.append(tuple(cells))
    return rows


def sensitivity_section(data: SweepTables, metrics: list[str]) -> Section:
    kind = data.design.kind
    section = _section("sensitivity", "How much of each metric's variation each factor explains. Saltelli designs "
                                      "give Sobol indices: S1, the share of the variance a factor causes alone; ST, "
                                      "its share including interactions (95% bootstrap intervals over the base "
                                      "samples). Morris designs give elementary effects: mu*, how far moving a "
                                      "factor across its range moves the metric; sigma, how much that effect "
                                      "changes with the other factors (95% bootstrap interval of mu* over the "
                                      "trajectories). Where intervals overlap, the factors cannot be ranked yet.")
    units = data.summary.attrs["units"]
    if kind == "saltelli":
        indices = {}
        for metric in metrics:
            try:
                indices[metric] = sobol_for_metric(data, metric)
            except ValueError as problem:
                section.notes.append(f"No Sobol indices of {experiment_figures.metric_label(metric)}: {problem}.")
                continue
            section.warnings.extend(sobol_warnings(metric, indices[metric]))
        if indices:
            section.figures.append(figure_png("sobol.png", "First-order and total Sobol indices with bootstrap "
                                                           "intervals.",
                                              experiment_figures.sobol_bars(indices)))
            for metric, frame in indices.items():
                section.tables.append(f"<p>{experiment_figures.metric_label(metric).capitalize()} "
                                      f"({frame.attrs['base_samples']} base samples):</p>" + html_table(
                    ("factor", "S1 [95% interval]", "ST [95% interval]"),
                    _index_table(frame, [("S1", "S1_low", "S1_high"), ("ST", "ST_low", "ST_high")]), "numbers"))
    elif kind == "morris":
        results = {}
        for metric in metrics:
            try:
                results[metric] = morris_for_metric(data, metric)
            except ValueError as problem:
                section.notes.append(f"No Morris effects of {experiment_figures.metric_label(metric)}: {problem}.")
                continue
            warning = morris_warning(metric, results[metric])
            if warning:
                section.warnings.append(warning)
        if results:
            section.figures.append(figure_png("morris.png", "Morris screening: sigma against mu* of each factor.",
                                              experiment_figures.morris_screening(results, units)))
            for metric, frame in results.items():
                unit = units.get(metric, "")
                section.tables.append(f"<p>{experiment_figures.metric_label(metric).capitalize()} "
                                      f"({frame.attrs['trajectories']} trajectories; effects in {unit or 'units'} "
                                      "per factor range):</p>" + html_table(
                    ("factor", "mu", "mu* [95% interval]", "sigma"),
                    _index_table(frame, [("mu", "", ""), ("mu_star", "mu_star_low", "mu_star_high"),
                                         ("sigma", "", "")]), "numbers"))
    else:
        section.notes.append(f"The design is {kind}: sensitivity indices need a saltelli design (Sobol indices) "
                             "or a morris design (elementary effects). The main effects above still show what moves "
                             "each metric.")
    return section
