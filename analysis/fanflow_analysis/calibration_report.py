"""The calibration report: reads the folder `fanflow calibrate` wrote (``calibration.json`` and the files beside it)
and writes one self-contained HTML page plus its PNG figures: the fit of each target (target against fitted, with
the spread over replicates, in tolerances), the convergence of the search, the parameters (prior range, best value,
accepted range, identification, fANOVA importance), the accepted trials' parameter pairs, and each curve target
against the best trial's fitted curve."""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from fanflow_analysis.report_pages import Section, figure_folder, figure_png, html_table, render, write_atomically  # noqa: E402
from fanflow_analysis.run_file import RunFileError  # noqa: E402

TEMPLATE = "calibration_report.html.j2"
SECTION_TITLES = {"fit": "Fit", "convergence": "Convergence", "parameters": "Parameters",
                  "accepted": "Accepted trials", "curves": "Curves"}


def is_calibration(path: Path) -> bool:
    return path.is_dir() and (path / "calibration.json").is_file()


def load(folder: Path) -> dict:
    try:
        summary = json.loads((folder / "calibration.json").read_text())
    except (OSError, ValueError) as failure:
        raise RunFileError(f"{folder}: cannot read calibration.json ({failure})") from failure
    if summary.get("format") != "fanflow-calibration":
        raise RunFileError(f"{folder}: calibration.json is not a fanflow calibration summary")
    return summary


def _number(value) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return f"{value:.4g}"


def fit_section(summary: dict) -> Section:
    section = Section(key="fit", title=SECTION_TITLES["fit"],
                      intro="Each target against the best trial's fitted value (the mean over its replicates, which "
                            "share their seeds with every other trial's), in the statistic's unit and in tolerances "
                            "(z = (fitted - target) / tolerance; a curve's z is its root-mean-square over its days). "
                            "Within tolerance means |z| <= 1.")
    fit = summary["fit"]
    rows = [(f["target"], f["kind"], _number(f["value"]), _number(f["tolerance"]), _number(f["fitted"]),
             _number(f["sd"]), f"{f['z']:+.2f}", "yes" if f["within"] else "no") for f in fit]
    section.tables.append(html_table(("target", "kind", "target value", "tolerance", "fitted", "sd over replicates",
                                      "z", "within"), rows))
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(fit)))
    names = [f["target"] for f in fit]
    z = [f["z"] for f in fit]
    errors = [(f["sd"] or 0) / f["tolerance"] if f["sd"] is not None else 0 for f in fit]
    ax.barh(names, z, xerr=errors, color=["tab:green" if f["within"] else "tab:red" for f in fit])
    ax.axvspan(-1, 1, color="0.9", zorder=0)
    ax.axvline(0, color="k", lw=0.8)
    ax.set_xlabel("fitted - target, in tolerances (bar: sd over replicates)")
    ax.invert_yaxis()
    section.figures.append(figure_png("fit.png", "Target against fitted, in tolerances", fig))
    return section


def convergence_section(summary: dict) -> Section:
    section = Section(key="convergence", title=SECTION_TITLES["convergence"],
                      intro=f"The distance of every trial (the root-mean-square miss over the targets, in tolerances) "
                            f"and the best so far; {summary['method']} proposed the search trials, the last "
                            f"{summary['slices']} are the one-at-a-time slices through the best search trial.")
    points = summary["convergence"]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    trials = [p["trial"] for p in points if p["distance"] is not None]
    ax.scatter(trials, [p["distance"] for p in points if p["distance"] is not None], s=8, color="0.5",
               label="trial")
    ax.step([p["trial"] for p in points if p["best"] is not None], [p["best"] for p in points if p["best"] is not None],
            where="post", color="tab:blue", label="best so far")
    ax.axhline(1, color="tab:green", ls="--", lw=0.8, label="distance 1")
    ax.set_yscale("log")
    ax.set_xlabel("trial")
    ax.set_ylabel("distance")
    ax.legend()
    section.figures.append(figure_png("convergence.png", "Distance by trial", fig))
    return section


def parameters_section(summary: dict) -> Section:
    section = Section(key="parameters", title=SECTION_TITLES["parameters"],
                      intro="Each free parameter: its prior range, the best trial's value, the range over the trials "
                            "within tolerance of every target, the share of the prior range (on the parameter's "
                            "scale) that range spans, and fANOVA's importance for the distance. A parameter whose "
                            "accepted trials span more than half its range is not identified by these targets.")
    rows = [(p["parameter"], f"[{_number(p['low'])}, {_number(p['high'])}] {p['scale']}", _number(p["best"]),
             f"[{_number(p['accepted_min'])}, {_number(p['accepted_max'])}]", _number(p["accepted_span_share"]),
             p["identified"], _number(p["importance"])) for p in summary["parameters"]]
    section.tables.append(html_table(("parameter", "prior range", "best", "accepted range", "span share",
                                      "identified", "importance"), rows))
    if summary.get("importance_note"):
        section.notes.append(f"No importances: {summary['importance_note']}.")
    return section


def accepted_section(summary: dict) -> Section:
    accepted = summary["accepted"]
    section = Section(key="accepted", title=SECTION_TITLES["accepted"],
                      intro=f"The {len(accepted)} trials within tolerance of every target (an ABC-rejection sample "
                            "from the search and the slices: the search proposes more trials near good ones, so the "
                            "sample is denser there than a posterior would be), each pair of parameters.")
    parameters = summary["parameters"]
    if not accepted:
        section.warnings.append("No trial is within tolerance of every target.")
        return section
    k = len(parameters)
    size = 2.4 * max(k - 1, 1)
    fig, axes = plt.subplots(max(k - 1, 1), max(k - 1, 1), figsize=(size, size), squeeze=False)
    for i in range(1, max(k, 2)):
        for j in range(max(k - 1, 1)):
            ax = axes[i - 1][j]
            if k < 2 or j >= i:
                ax.axis("off")
                continue
            px, py = parameters[j], parameters[i]
            ax.scatter([t["values"][px["parameter"]] for t in accepted], [t["values"][py["parameter"]] for t in accepted],
                       s=10, color="tab:blue")
            ax.scatter([summary["best"]["values"][px["parameter"]]], [summary["best"]["values"][py["parameter"]]],
                       marker="*", s=80, color="tab:red")
            ax.set_xlim(px["low"], px["high"])
            ax.set_ylim(py["low"], py["high"])
            if px["scale"] == "log":
                ax.set_xscale("log")
            if py["scale"] == "log":
                ax.set_yscale("log")
            ax.set_xlabel(px["parameter"], fontsize=7)
            ax.set_ylabel(py["parameter"], fontsize=7)
            ax.tick_params(labelsize=6)
    fig.tight_layout()
    if k >= 2:
        section.figures.append(figure_png("accepted_pairs.png", "Accepted trials over the prior ranges (star: best)",
                                          fig))
    else:
        plt.close(fig)
        section.notes.append("One parameter: its accepted range is in the parameters table.")
    return section


def curves_section(summary: dict) -> Section:
    section = Section(key="curves", title=SECTION_TITLES["curves"],
                      intro="Each curve target and the best trial's fitted curve (mean over replicates), with the "
                            "band of one tolerance around the target.")
    for curve in summary["curves"]:
        fig, ax = plt.subplots(figsize=(7, 3.5))
        days, target = curve["days"], curve["target"]
        ax.fill_between(days, [v - curve["tolerance"] for v in target], [v + curve["tolerance"] for v in target],
                        color="0.9", label="target +- tolerance")
        ax.plot(days, target, "k.-", label="target")
        ax.plot(days, curve["fitted"], color="tab:blue", label="fitted (best trial)")
        ax.set_xlabel("day")
        ax.set_ylabel(f"{curve['series']} ({curve['unit']})" if curve["unit"] else curve["series"])
        ax.legend()
        section.figures.append(figure_png(f"curve_{curve['name']}.png", f"Curve {curve['name']}", fig))
    return section


def write_report(folder: Path | str, output: Path | str) -> Path:
    """Writes the report of the calibration folder to `output` (HTML) and its figures beside it."""
    folder, output = Path(folder), Path(output)
    summary = load(folder)
    sections = [fit_section(summary), convergence_section(summary), parameters_section(summary),
                accepted_section(summary)]
    if summary["curves"]:
        sections.append(curves_section(summary))
    best = summary["best"]
    overview = [("calibration file", summary["source"]), ("base scenario", summary["scenario"]),
                ("method, seed", f"{summary['method']}, {summary['seed']}"),
                ("trials (search + slices), failed", f"{summary['trials']} ({summary['trials'] - summary['slices']} + "
                                                     f"{summary['slices']}), {summary['failed']}"),
                ("replicates per trial (the same seeds in every trial)", str(summary["replicates"])),
                ("best trial, distance", f"{best['trial']}, {best['distance']:.4g}"),
                ("trials within tolerance of every target", str(len(summary["accepted"])))]
    read = lambda name: (folder / name).read_text() if (folder / name).is_file() else ""  # noqa: E731
    page = render(TEMPLATE, folder_name=folder.name, folder_path=str(folder), sections=sections,
                  figure_folder=figure_folder(output).name, overview=overview, warnings=summary["warnings"],
                  calibration_text=read("calibration.yaml"), best_yaml=read("best.yaml"))
    write_atomically(output, page, [f for s in sections for f in s.figures])
    return output
