"""Loaders that turn fanflow sweep files (`fanflow sweep`) and comparison files (`fanflow compare`) into tidy
pandas DataFrames (layouts in docs/output-format.md, the functions in docs/analysis.md).

Sweep files: :func:`load_sweep_runs` (the parameter table, one row per run), :func:`load_sweep_summary` (the
per-run end-of-run metrics joined with the parameters), :func:`load_sweep_series` (the [run x day] series
stacked in long form), :func:`load_sweep_design` (the design: kind, factors, ranges, unit and mapped points) and
:func:`load_sweep_provenance`. A sweep that is still running, or was stopped, has runs whose results are not in
the file yet: the loaders read the completed runs only, record the count in ``df.attrs`` and warn with an
:class:`IncompleteSweepWarning` that says how many are missing.

Comparison files: :func:`load_comparison_summary` (per replicate and metric: baseline, plan and their paired
difference), :func:`load_comparison_effects` (per metric: the means, the paired difference with its t-interval
and the relative change), :func:`load_comparison_series` (both scenarios' [replicate x day] series, long form)
and :func:`load_comparison_provenance`.

:func:`file_kind` tells the three kinds of fanflow file apart by their root attribute ``format``. A file that
cannot be used (missing, not HDF5, another kind of file, a newer layout, a missing dataset, no completed run)
raises :class:`ExperimentFileError`, a :class:`~fanflow_analysis.run_file.RunFileError`, with one line naming
the file and what is wrong.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from fanflow_analysis import stats
from fanflow_analysis.run_file import (RunFileError, check_openable, one_line, plain_value, require_dataset,
                                       require_group, unit_of)

PathLike = str | os.PathLike[str]

#: The root attribute ``format`` of each kind of fanflow file, by kind.
FORMATS = {"run": "fanflow-run", "sweep": "fanflow-sweep", "comparison": "fanflow-comparison"}
#: Newest ``format_version`` of sweep and comparison files that these loaders understand (comparisons: 2 added
#: ``/focal`` and the wall time as an attribute of ``/provenance``).
FORMAT_VERSION = 2
#: The headline metrics of a comparison (the ones `fanflow compare` prints), in its order.
HEADLINE_METRICS = ("impressions", "views", "likes", "shares", "follows_gained", "follows_end", "followers_gini_end",
                    "creators_alive_end", "brand_spend", "brand_sales_revenue", "creator_income", "platform_take")
#: The headline metrics of each focal brand of a comparison (the ones `fanflow compare` prints), in its order.
FOCAL_HEADLINE_METRICS = ("purchases", "revenue", "spend", "return_on_spend", "acquisition_cost", "new_customers",
                          "repeat_purchases", "own_followers")
#: The two scenarios of a comparison, in the order of its tables.
SCENARIOS = ("baseline", "plan")


class ExperimentFileError(RunFileError):
    """A file that cannot be read as a fanflow sweep or comparison; the message is one line naming the file."""


class IncompleteSweepWarning(UserWarning):
    """A sweep file some of whose runs have not completed: only the completed runs were read."""


def file_kind(path: PathLike) -> str:
    """The kind of fanflow file at `path`: ``run``, ``sweep`` or ``comparison`` (from the root attribute
    ``format``).

    Raises:
        ExperimentFileError: the file is missing, unreadable, not HDF5, or not a fanflow file of any kind.
    """
    file_path = Path(path)
    check_openable(file_path, "fanflow file", ExperimentFileError)
    with _open_hdf5(file_path, "fanflow file") as f:
        found = plain_value(f.attrs["format"]) if "format" in f.attrs else None
    for kind, name in FORMATS.items():
        if found == name:
            return kind
    described = "missing" if found is None else repr(found)
    expected = ", ".join(repr(name) for name in FORMATS.values())
    raise ExperimentFileError(f"{file_path}: not a fanflow file (root attribute format is {described}, "
                              f"expected one of {expected})")


# --- sweep files --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepDesign:
    """The design of a sweep (``/design``).

    Attributes:
        kind: ``grid``, ``random``, ``lhs``, ``sobol``, ``saltelli`` or ``morris``.
        factors: the parameter paths, in column order.
        scales: per factor, ``linear`` or ``log`` (a range) or ``values`` (a grid's list).
        bounds: indexed by factor: ``low``, ``high`` (the range, or a grid's smallest and largest value) and
            ``scale``.
        points: the parameter values of each design point, indexed by ``point``, one column per factor.
        unit_points: the same points in [0, 1]^k before the mapping onto the factors (what the Sobol and Morris
            estimators need).
        replicates: runs per design point.
        seed: the sweep seed; ``seeds`` is ``independent`` or ``shared``.
        samples: random, lhs, sobol designs: design points; else None.
        base_samples: saltelli: N (points = N (k + 2)); else None.
        trajectories, levels: morris: r (points = r (k + 1)) and p; else None.
    """

    kind: str
    factors: list[str]
    scales: list[str]
    bounds: pd.DataFrame
    points: pd.DataFrame
    unit_points: pd.DataFrame
    replicates: int
    seed: int
    seeds: str
    samples: int | None
    base_samples: int | None
    trajectories: int | None
    levels: int | None


def load_sweep_design(path: PathLike) -> SweepDesign:
    """The design of the sweep file at `path`: kind, factors, their ranges and scales, and the design points
    (mapped and in the unit cube). See :class:`SweepDesign`."""
    with open_sweep(path) as f:
        group = _group(path, f, "design")
        attributes = {name: plain_value(value) for name, value in group.attrs.items()}
        factors = [str(name) for name in _as_list(attributes.get("factors", []))]
        scales = [str(name) for name in _as_list(attributes.get("scales", []))]
        points = _require(path, f, "design/points")[()]
        unit_points = _require(path, f, "design/unit_points")[()]
        low = _require(path, f, "design/factor_lo")[()]
        high = _require(path, f, "design/factor_hi")[()]
    if "kind" not in attributes:
        raise ExperimentFileError(f"{Path(path)}: the attribute kind of /design is missing")
    index = pd.Index(factors, name="factor")
    point_index = pd.RangeIndex(points.shape[0], name="point")
    optional = {name: (int(attributes[name]) if name in attributes else None)
                for name in ("samples", "base_samples", "trajectories", "levels")}
    return SweepDesign(
        kind=str(attributes["kind"]), factors=factors, scales=scales,
        bounds=pd.DataFrame({"low": low, "high": high, "scale": scales}, index=index),
        points=pd.DataFrame(points.reshape(-1, len(factors)), index=point_index, columns=factors),
        unit_points=pd.DataFrame(unit_points.reshape(-1, len(factors)), index=point_index, columns=factors),
        replicates=int(attributes.get("replicates", 1)), seed=int(attributes.get("seed", 0)),
        seeds=str(attributes.get("seeds", "independent")), **optional)


def load_sweep_runs(path: PathLike, include_incomplete: bool = False) -> pd.DataFrame:
    """The parameter table of the sweep file at `path`: one row per run (index ``run``), with ``point``,
    ``replicate``, ``seed``, one column per factor (its value in the run), ``completed`` (bool),
    ``wall_seconds``, ``threads`` and ``assignments`` (the run's ``--set`` values).

    Only completed runs unless `include_incomplete`. ``df.attrs`` holds ``runs_total``, ``runs_completed``,
    ``runs_missing`` and ``factors``; when runs are missing an :class:`IncompleteSweepWarning` says how many.

    Raises:
        ExperimentFileError: as :func:`open_sweep`, or no run has completed.
    """
    with open_sweep(path) as f:
        frame = _run_table(path, f)
    return _completed_rows(path, frame, frame, include_incomplete)


def load_sweep_summary(path: PathLike, include_incomplete: bool = False) -> pd.DataFrame:
    """The end-of-run metrics of the sweep file at `path` (``/summary``: ``views``, ``follows_end``,
    ``followers_gini_end``, ``creator_income``, ...) joined with the parameters: one row per completed run
    (index ``run``), the columns of :func:`load_sweep_runs` (``completed`` and ``assignments`` left out) then one
    per metric. ``df.attrs["units"]`` maps each metric to its unit; ``df.attrs["metrics"]`` lists them;
    ``runs_total``, ``runs_completed``, ``runs_missing`` as in :func:`load_sweep_runs`.

    Raises:
        ExperimentFileError: as :func:`load_sweep_runs`.
    """
    with open_sweep(path) as f:
        runs = _run_table(path, f)
        group = _group(path, f, "summary")
        metrics = {name: d[()] for name, d in group.items() if _is_column(d, len(runs))}
        units = {name: unit_of(group[name]) for name in metrics}
    frame = runs.drop(columns=["completed", "assignments"]).join(pd.DataFrame(metrics, index=runs.index))
    frame = _completed_rows(path, frame, runs, include_incomplete)
    frame.attrs.update(units=units, metrics=list(metrics))
    return frame


def load_sweep_series(path: PathLike, metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """The per-day series of the sweep file at `path` (``/series``: ``impressions``, ``follow_edges``,
    ``creator_income``, ...) for the completed runs, stacked in long form: one row per run and day with
    ``run``, ``point``, ``replicate``, ``tick`` (day of the run, from 0) and one column per metric (all, or
    `metrics`). Days beyond a shorter run's end (``run.days`` as a factor) are left out. ``df.attrs["units"]``
    maps metrics to units; ``runs_total``, ``runs_completed``, ``runs_missing`` as in :func:`load_sweep_runs`.

    Raises:
        ExperimentFileError: as :func:`load_sweep_runs`, or a metric that the file does not hold.
    """
    with open_sweep(path) as f:
        runs = _run_table(path, f)
        group = _group(path, f, "series")
        available = [name for name, d in group.items() if isinstance(d, h5py.Dataset) and d.ndim == 2]
        chosen = _chosen(path, "/series", available, metrics)
        done = np.flatnonzero(runs["completed"].to_numpy())
        values = {name: group[name][()][done] if done.size else np.zeros((0, 0)) for name in chosen}
        units = {name: unit_of(group[name]) for name in chosen}
    kept = _completed_rows(path, runs, runs, include_incomplete=False)
    ticks = next(iter(values.values())).shape[1] if values else 0
    frame = pd.DataFrame({
        "run": np.repeat(kept.index.to_numpy(), ticks),
        "point": np.repeat(kept["point"].to_numpy(), ticks),
        "replicate": np.repeat(kept["replicate"].to_numpy(), ticks),
        "tick": np.tile(np.arange(ticks), len(kept)),
    })
    for name, table in values.items():
        frame[name] = table.reshape(-1)
    if chosen:
        frame = frame[frame[list(chosen)].notna().any(axis=1)].reset_index(drop=True)
    frame.attrs.update(kept.attrs)
    frame.attrs["units"] = units
    return frame


def load_sweep_provenance(path: PathLike) -> pd.Series:
    """Where the sweep came from: the root attributes (``fanflow_version``, ``fingerprint``, ``runs``,
    ``points``, ``ticks``), the attributes of ``/provenance`` (``sweep_source``, ``scenario_source``,
    ``libraries``) and its texts ``base_scenario`` (YAML), ``sweep_file`` and ``definition``, as a Series."""
    with open_sweep(path) as f:
        values = {name: plain_value(value) for name, value in f.attrs.items() if name != "format"}
        group = _group(path, f, "provenance")
        values.update({name: plain_value(value) for name, value in group.attrs.items()})
        for name in ("base_scenario", "sweep_file", "definition"):
            values[name] = _text(path, f, f"provenance/{name}")
    return pd.Series(values, dtype=object, name="provenance")


@contextmanager
def open_sweep(path: PathLike) -> Iterator[h5py.File]:
    """Opens the fanflow sweep file at `path` read-only and yields the h5py file, closed on exit.

    A sweep still being written (SWMR) is opened as a SWMR reader. Checks that the file exists, is HDF5, has
    root attribute ``format`` = ``fanflow-sweep`` in a ``format_version`` these loaders understand; any h5py or
    lookup error while the file is open becomes an :class:`ExperimentFileError` naming the file.
    """
    with _open_checked(path, "sweep") as f:
        yield f


# --- comparison files ---------------------------------------------------------------------------------------


def load_comparison_focal_brands(path: PathLike) -> list[str]:
    """The names of the focal brands of the comparison file at `path` (root attribute ``focal_brands``), in brand
    id order; empty when the scenarios name none."""
    with open_comparison(path) as f:
        return [str(name) for name in _as_list(plain_value(f.attrs.get("focal_brands", [])))]


def _root(path: PathLike, f: h5py.File, focal: str | None) -> str:
    """The group prefix of a comparison's tables: "" for the platform, "focal/NAME/" for a focal brand."""
    if focal is None:
        return ""
    if f"focal/{focal}" not in f:
        names = [str(n) for n in _as_list(plain_value(f.attrs.get("focal_brands", [])))]
        raise ExperimentFileError(f"{Path(path)}: no focal brand {focal!r} (focal brands: "
                                  f"{', '.join(names) if names else 'none'})")
    return f"focal/{focal}/"


def load_comparison_summary(path: PathLike, metrics: Sequence[str] | None = None,
                            focal: str | None = None) -> pd.DataFrame:
    """The end-of-run metrics of the comparison file at `path`, per replicate, long form: one row per
    (metric, replicate) with ``metric``, ``replicate``, ``seed`` (the replicate's ``run.seed``, both
    scenarios), ``baseline``, ``plan`` and ``difference`` (plan - baseline, as the file holds it). All metrics of
    ``/baseline/summary``, or `metrics`, in that order; with `focal`, the named focal brand's own metrics
    (``/focal/NAME/...``). ``df.attrs["units"]`` maps metrics to units.

    Raises:
        ExperimentFileError: as :func:`open_comparison`, or a metric or focal brand that the file does not hold.
    """
    with open_comparison(path) as f:
        seeds = _require(path, f, "replicates/seed")[()]
        root = _root(path, f, focal)
        groups = {side: _group(path, f, f"{root}{side}/summary") for side in (*SCENARIOS, "difference")}
        available = [name for name, d in groups["baseline"].items() if _is_column(d, len(seeds))]
        chosen = _chosen(path, f"/{root}baseline/summary", available, metrics)
        columns = {side: [_require(path, f, f"{root}{side}/summary/{m}")[()] for m in chosen] for side in groups}
        units = {m: unit_of(groups["baseline"][m]) for m in chosen}
    replicates = len(seeds)
    frame = pd.DataFrame({
        "metric": pd.Categorical(np.repeat(chosen, replicates), categories=chosen, ordered=True),
        "replicate": np.tile(np.arange(replicates), len(chosen)),
        "seed": np.tile(seeds, len(chosen)),
        **{side: np.concatenate(values) if values else np.zeros(0) for side, values in columns.items()},
    })
    frame.attrs["units"] = units
    return frame


def load_comparison_effects(path: PathLike, metrics: Sequence[str] | None = HEADLINE_METRICS,
                            confidence: float = 0.95, focal: str | None = None) -> pd.DataFrame:
    """The effect of the plan on each metric of the comparison file at `path` (the headline metrics by default;
    None for all; with `focal`, the named focal brand's own metrics, e.g. FOCAL_HEADLINE_METRICS): one row per
    metric (index ``metric``) with ``unit``, ``baseline_mean``, ``plan_mean``,
    ``difference`` (mean paired difference, plan - baseline), ``low``, ``high`` (its Student t-interval at
    `confidence`, :func:`fanflow_analysis.stats.paired_difference`), ``relative``, ``relative_low``,
    ``relative_high`` (the same divided by the baseline mean; NaN when that is 0) and ``excludes_zero`` (the
    interval excludes 0). ``df.attrs`` holds ``replicates`` and ``confidence``.

    Raises:
        ExperimentFileError: as :func:`load_comparison_summary`, or fewer than two replicates.
    """
    summary = load_comparison_summary(path, metrics, focal)
    rows = []
    for metric, group in summary.groupby("metric", observed=True, sort=False):
        try:
            effect = stats.paired_difference(group["baseline"], group["plan"], confidence)
        except ValueError as error:
            raise ExperimentFileError(f"{Path(path)}: metric {metric}: {error}") from error
        baseline_mean = float(group["baseline"].mean())
        scale = abs(baseline_mean) if baseline_mean != 0 else np.nan
        rows.append({"metric": str(metric), "unit": summary.attrs["units"][metric], "baseline_mean": baseline_mean,
                     "plan_mean": float(group["plan"].mean()), "difference": effect.mean, "low": effect.low,
                     "high": effect.high, "relative": effect.mean / scale, "relative_low": effect.low / scale,
                     "relative_high": effect.high / scale, "excludes_zero": effect.significant})
    frame = pd.DataFrame(rows).set_index("metric")
    frame.attrs.update(replicates=int(summary["replicate"].nunique()), confidence=confidence)
    return frame


def load_comparison_series(path: PathLike, metrics: Sequence[str] | None = None,
                           focal: str | None = None) -> pd.DataFrame:
    """The per-day series of both scenarios of the comparison file at `path`, long form: one row per scenario,
    replicate and day with ``scenario`` (``baseline``, ``plan``), ``replicate``, ``tick`` (day of the run, from
    0) and one column per metric (all of ``/baseline/series``, or `metrics`; with `focal`, the named focal
    brand's own series). ``df.attrs["units"]`` maps metrics to units. The paired difference over time is
    ``plan - baseline`` at equal replicate and tick.

    Raises:
        ExperimentFileError: as :func:`open_comparison`, or a metric or focal brand that the file does not hold.
    """
    with open_comparison(path) as f:
        root = _root(path, f, focal)
        group = _group(path, f, f"{root}baseline/series")
        available = [name for name, d in group.items() if isinstance(d, h5py.Dataset) and d.ndim == 2]
        chosen = _chosen(path, f"/{root}baseline/series", available, metrics)
        tables = {side: {m: _require(path, f, f"{root}{side}/series/{m}")[()] for m in chosen}
                  for side in SCENARIOS}
        units = {m: unit_of(group[m]) for m in chosen}
        replicates = int(_require(path, f, "replicates/seed").shape[0])
    ticks = max((t.shape[1] for side in tables.values() for t in side.values()), default=0)
    parts = []
    for side in SCENARIOS:
        part = pd.DataFrame({"scenario": side, "replicate": np.repeat(np.arange(replicates), ticks),
                             "tick": np.tile(np.arange(ticks), replicates)})
        for metric, table in tables[side].items():
            padded = np.full((replicates, ticks), np.nan)
            padded[:, : table.shape[1]] = table
            part[metric] = padded.reshape(-1)
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame["scenario"] = pd.Categorical(frame["scenario"], categories=SCENARIOS, ordered=True)
    frame.attrs["units"] = units
    return frame


def load_comparison_provenance(path: PathLike) -> pd.Series:
    """Where the comparison came from: root attributes (``fanflow_version``, ``replicates``, ``seed``), the
    attributes of ``/provenance`` (``baseline_source``, ``plan_source``, ``libraries``, ``wall_seconds``: the
    comparison's wall time), ``run_seconds`` (the runs' times added up: more than the wall time when runs go side
    by side), and both resolved scenarios as YAML text (``baseline_scenario``, ``plan_scenario``), as a
    Series."""
    with open_comparison(path) as f:
        values = {name: plain_value(value) for name, value in f.attrs.items() if name != "format"}
        group = _group(path, f, "provenance")
        values.update({name: plain_value(value) for name, value in group.attrs.items()})
        # format_version 1 kept only the per-run times, as /provenance/wall_seconds
        per_run = "provenance/run_seconds" if "provenance/run_seconds" in f else "provenance/wall_seconds"
        if per_run in f:
            values["run_seconds"] = float(np.nansum(f[per_run][()]))
        for side in SCENARIOS:
            values[f"{side}_scenario"] = _text(path, f, f"provenance/{side}_scenario")
    return pd.Series(values, dtype=object, name="provenance")


@contextmanager
def open_comparison(path: PathLike) -> Iterator[h5py.File]:
    """Opens the fanflow comparison file at `path` read-only and yields the h5py file, closed on exit; checks
    it as :func:`open_sweep` checks a sweep (root attribute ``format`` = ``fanflow-comparison``)."""
    with _open_checked(path, "comparison") as f:
        yield f


# --- shared checks ------------------------------------------------------------------------------------------



@contextmanager
def _open_hdf5(path: Path, what: str) -> Iterator[h5py.File]:
    """h5py's file, read-only; a file that a sweep is still writing (SWMR) is opened as a SWMR reader."""
    try:
        handle = h5py.File(path, "r")
    except OSError:
        try:
            handle = h5py.File(path, "r", libver="latest", swmr=True)
        except OSError as error:
            raise ExperimentFileError(
                f"{path}: cannot open the {what} ({one_line(error)}); if a sweep writing it was killed, run the "
                "same fanflow sweep command again to rebuild it from its journal") from error
    with handle:
        yield handle


@contextmanager
def _open_checked(path: PathLike, kind: str) -> Iterator[h5py.File]:
    file_path = Path(path)
    what = f"fanflow {kind}"
    check_openable(file_path, what, ExperimentFileError)
    try:
        with _open_hdf5(file_path, what) as f:
            found = plain_value(f.attrs["format"]) if "format" in f.attrs else None
            if found != FORMATS[kind]:
                described = "missing" if found is None else repr(found)
                hint = next((f"; it is a fanflow {k} file" for k, name in FORMATS.items() if name == found), "")
                raise ExperimentFileError(f"{file_path}: not a {what} (root attribute format is {described}, "
                                          f"expected {FORMATS[kind]!r}){hint}")
            version = int(f.attrs.get("format_version", 0))
            if version > FORMAT_VERSION:
                raise ExperimentFileError(f"{file_path}: format_version {version} is newer than this reader "
                                          f"understands ({FORMAT_VERSION}); update fanflow_analysis")
            yield f
    except RunFileError:
        raise
    except (OSError, KeyError, ValueError, TypeError) as error:
        raise ExperimentFileError(f"{file_path}: cannot read the {kind} file: {one_line(error)}") from error


def _run_table(path: PathLike, f: h5py.File) -> pd.DataFrame:
    """Every row of ``/runs``, completed or not, indexed by run."""
    group = _group(path, f, "runs")
    columns = {name: _require(path, f, f"runs/{name}")[()] for name in ("run", "point", "replicate", "seed")}
    runs = len(columns["run"])
    factors = [str(name) for name in _as_list(plain_value(f["design"].attrs.get("factors", [])))] if "design" in f else []
    for factor in factors:
        columns[factor] = _require(path, f, f"runs/parameters/{factor}")[()]
    columns["completed"] = _require(path, f, "runs/completed")[()].astype(bool)
    for name in ("wall_seconds", "threads"):
        if name in group:
            columns[name] = group[name][()]
    if "assignments" in group:
        columns["assignments"] = np.asarray(group["assignments"].asstr()[()], dtype=object)
    if any(len(values) != runs for values in columns.values()):
        raise ExperimentFileError(f"{Path(path)}: the columns of /runs have different lengths")
    frame = pd.DataFrame(columns).set_index("run")
    frame.attrs["factors"] = factors
    return frame


def _completed_rows(path: PathLike, frame: pd.DataFrame, runs: pd.DataFrame,
                    include_incomplete: bool) -> pd.DataFrame:
    """`frame`'s rows of completed runs (or all), with the counts in attrs and a warning for missing runs."""
    completed = runs["completed"].to_numpy(dtype=bool)
    total, done = len(runs), int(completed.sum())
    if done == 0:
        raise ExperimentFileError(f"{Path(path)}: none of the sweep's {total} runs has completed yet")
    if done < total:
        warnings.warn(IncompleteSweepWarning(
            f"{Path(path)}: {total - done} of {total} runs have not completed; "
            + ("their rows are included with completed = False" if include_incomplete
               else f"read the {done} completed runs only")), stacklevel=3)
    kept = frame.copy() if include_incomplete else frame[completed].copy()
    kept.attrs.update(runs_total=total, runs_completed=done, runs_missing=total - done,
                      factors=list(runs.attrs.get("factors", [])))
    return kept


def _chosen(path: PathLike, where: str, available: list[str], metrics: Sequence[str] | None) -> list[str]:
    if metrics is None:
        return list(available)
    unknown = [m for m in metrics if m not in available]
    if unknown:
        raise ExperimentFileError(f"{Path(path)}: no metric {', '.join(unknown)} in {where} "
                                  f"(it holds {', '.join(available)})")
    return list(metrics)


def _group(path: PathLike, f: h5py.File, name: str) -> h5py.Group:
    return require_group(path, f, name, ExperimentFileError)


def _require(path: PathLike, f: h5py.File, name: str) -> h5py.Dataset:
    return require_dataset(path, f, name, ExperimentFileError)


def _text(path: PathLike, f: h5py.File, name: str) -> str:
    return str(_require(path, f, name).asstr()[()])


def _is_column(dataset: object, length: int) -> bool:
    return isinstance(dataset, h5py.Dataset) and dataset.ndim == 1 and dataset.shape[0] == length



def _as_list(value: object) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


