"""The comparison report: reads a `fanflow compare` file with the loaders of
:mod:`fanflow_analysis.experiments` and writes one self-contained HTML page (figures embedded) plus the PNG files
beside it. For each headline metric: baseline and plan means, the mean paired difference with its 95% interval
over the replicates, the relative change and whether the interval excludes 0 (a table and a forest plot); the
series of both scenarios side by side over time with their paired difference; what the plan changes in the
scenario; provenance. When the scenarios name focal brands (``actors``), the page opens with "What happens to
NAME" for each: the same table and series for the brand's own figures, before the platform totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from fanflow_analysis import experiment_figures, experiments
from fanflow_analysis.report_pages import Section, figure_folder, figure_png, html_table, render, write_atomically

TEMPLATE = "comparison_report.html.j2"

#: The report's section headings, in order (the tests check each appears).
SECTION_TITLES = {
    "effects": "Baseline vs plan",
    "forest": "Paired differences",
    "series": "Over time",
    "scenarios": "What the plan changes",
}

#: The series figures: a file name and title per group of series metrics, in order.
SERIES_GROUPS = {
    "series_traffic": ("Traffic", ("impressions", "views", "likes", "shares")),
    "series_fans": ("Follows and fans", ("follows", "unfollows", "follow_edges", "true_fans")),
    "series_platform": ("Users, creators and purchases", ("active_users", "creators_alive", "purchases")),
    "series_money": ("Money", ("creator_income", "brand_spend", "brand_sales_revenue", "platform_take")),
}
#: Below this many replicates the series band is the full range (min to max), from it on the 10-90% band.
QUANTILE_BAND_FROM = 10


@dataclass
class ComparisonTables:
    """Everything the report reads from one comparison file."""

    path: Path
    effects: pd.DataFrame
    series: pd.DataFrame
    provenance: pd.Series
    #: per focal brand, in id order: its effects (all its metrics) and its series
    focal: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = field(default_factory=dict)


def load_comparison_tables(path: Path) -> ComparisonTables:
    """Reads the tables the report needs (raises ExperimentFileError for a file that is not a comparison)."""
    focal = {name: (experiments.load_comparison_effects(path, None, focal=name),
                    experiments.load_comparison_series(path, focal=name))
             for name in experiments.load_comparison_focal_brands(path)}
    return ComparisonTables(path=path, effects=experiments.load_comparison_effects(path, None),
                            series=experiments.load_comparison_series(path),
                            provenance=experiments.load_comparison_provenance(path), focal=focal)


def write_report(comparison_path: Path | str, output: Path | str) -> Path:
    """Writes the report of the comparison file `comparison_path` to `output` (HTML) and its figures to
    ``<output stem>_figures/``.

    Raises:
        ExperimentFileError: the file is missing, not HDF5 or not a fanflow comparison.
        OSError: the outputs cannot be written.
    """
    comparison_path, output = Path(comparison_path), Path(output)
    data = load_comparison_tables(comparison_path)
    marks = comparison_marks(str(data.provenance.get("baseline_scenario", "")),
                             str(data.provenance.get("plan_scenario", "")))
    sections = [*(focal_section(name, effects, series, marks) for name, (effects, series) in data.focal.items()),
                effects_section(data), forest_section(data), series_section(data, marks), scenarios_section(data)]
    provenance = data.provenance
    page = render(TEMPLATE, file_name=comparison_path.name, file_path=str(comparison_path), sections=sections,
                  figure_folder=figure_folder(output).name, overview=overview(data),
                  provenance=[(k, f"{v:,.1f} s" if k in ("wall_seconds", "run_seconds") else str(v)) for k, v in provenance.items()
                              if not str(k).endswith("_scenario")],
                  baseline_scenario=str(provenance.get("baseline_scenario", "")),
                  plan_scenario=str(provenance.get("plan_scenario", "")))
    write_atomically(output, page, [f for s in sections for f in s.figures])
    return output


def _section(key: str, intro: str) -> Section:
    return Section(key=key, title=SECTION_TITLES[key], intro=intro)


def overview(data: ComparisonTables) -> list[tuple[str, str]]:
    """The short table at the top: the two scenarios, replicates, seeds and days."""
    provenance = data.provenance
    significant = data.effects.loc[[m for m in experiments.HEADLINE_METRICS if m in data.effects.index],
                                   "excludes_zero"]
    return [
        ("baseline", str(provenance.get("baseline_source", "?"))),
        ("plan", str(provenance.get("plan_source", "?"))),
        ("replicates (pairs of runs with the same seed)", f"{data.effects.attrs['replicates']:,}"),
        ("days per run", f"{int(data.series['tick'].max()) + 1:,}" if len(data.series) else "-"),
        ("headline metrics whose 95% interval excludes 0", f"{int(significant.sum())} of {len(significant)}"),
        *((f"{name}: sales revenue, plan - baseline [95% CI]", _relative_text(effects.loc["revenue"]))
          for name, (effects, _) in data.focal.items() if "revenue" in effects.index),
    ]


def _relative_text(row: pd.Series) -> str:
    """A metric's paired difference with its interval, and relative to the baseline mean when that is not 0."""
    text = f"{_signed(row['difference'])} [{_signed(row['low'])}, {_signed(row['high'])}]"
    if pd.notna(row["relative"]):
        text += f" ({row['relative']:+.2%} [{row['relative_low']:+.2%}, {row['relative_high']:+.2%}])"
    return text


def headline_effects(effects: pd.DataFrame) -> pd.DataFrame:
    """The headline metrics' rows of `effects`, in `fanflow compare`'s order (all rows when none is present)."""
    headline = [m for m in experiments.HEADLINE_METRICS if m in effects.index]
    chosen = effects.loc[headline] if headline else effects
    chosen.attrs.update(effects.attrs)
    return chosen


def _number(value: float) -> str:
    return experiment_figures.format_number(value)


def _signed(value: float) -> str:
    return experiment_figures.signed_number(value)


def effects_rows(effects: pd.DataFrame) -> list[tuple[str, ...]]:
    """One table row per metric: metric, unit, means, the difference with its interval, the relative change with
    its interval, and whether the interval excludes 0."""
    rows = []
    for metric, row in effects.iterrows():
        if pd.notna(row["relative"]):
            relative = (f"{row['relative']:+.2%} [{row['relative_low']:+.2%}, {row['relative_high']:+.2%}]")
        else:
            relative = "- (baseline mean is 0)"
        rows.append((experiment_figures.metric_label(str(metric)), row["unit"] or "-", _number(row["baseline_mean"]),
                     _number(row["plan_mean"]),
                     f"{_signed(row['difference'])} [{_signed(row['low'])}, {_signed(row['high'])}]", relative,
                     "yes" if row["excludes_zero"] else "no"))
    return rows


EFFECT_HEADER = ("metric", "unit", "baseline mean", "plan mean", "plan - baseline [95% CI]",
                 "relative change [95% CI]", "CI excludes 0")


def effects_section(data: ComparisonTables) -> Section:
    replicates = data.effects.attrs["replicates"]
    section = _section("effects", f"Each headline metric over the run, averaged over the {replicates} replicates of "
                                  "each scenario, and the plan's effect: the mean of the paired differences "
                                  "plan_r - baseline_r (replicate r of both ran with the same seed, so the noise "
                                  "they share cancels) with its 95% Student t-interval, and the same relative to "
                                  "the baseline mean. 'CI excludes 0: yes' means the difference is unlikely to be "
                                  "noise alone.")
    section.tables.append(html_table(EFFECT_HEADER, effects_rows(headline_effects(data.effects)), "numbers"))
    others = data.effects.drop(index=[m for m in experiments.HEADLINE_METRICS if m in data.effects.index])
    if len(others):
        section.tables.append("<details><summary>Every other metric of the file</summary>"
                              + html_table(EFFECT_HEADER, effects_rows(others), "numbers") + "</details>")
    return section


def focal_section(name: str, effects: pd.DataFrame, series: pd.DataFrame, marks: list[tuple[int, str]]) -> Section:
    """'What happens to NAME': a focal brand's own figures, paired over the replicates, and its series."""
    replicates = effects.attrs["replicates"]
    section = Section(key=f"focal-{name}", title=f"What happens to {name}",
                      intro=f"{name}'s own figures over the run (a focal brand of both scenarios), averaged over the "
                            f"{replicates} replicates of each, and the plan's effect on them: the mean paired "
                            "difference plan_r - baseline_r with its 95% Student t-interval. Platform totals, "
                            "which can barely move while one brand gains what others lose, follow below.")
    headline = [m for m in experiments.FOCAL_HEADLINE_METRICS if m in effects.index]
    section.tables.append(html_table(EFFECT_HEADER, effects_rows(effects.loc[headline]), "numbers"))
    others = effects.drop(index=headline)
    if len(others):
        section.tables.append(f"<details><summary>Every other figure of {name}</summary>"
                              + html_table(EFFECT_HEADER, effects_rows(others), "numbers") + "</details>")
    metrics = [c for c in series.columns if c not in ("scenario", "replicate", "tick")]
    if metrics and len(series):
        spread = series_spread(int(series["replicate"].nunique()))
        section.figures.append(figure_png(f"focal_{name}.png", f"{name}: baseline and plan over time, and their "
                                                               "paired difference.",
                                          experiment_figures.paired_series(series, metrics, marks, spread, name)))
    return section


def forest_section(data: ComparisonTables) -> Section:
    section = _section("forest", "The plan's effect on each headline metric as a change relative to the baseline "
                                 "mean (dot) with its 95% interval (line); red where the interval excludes 0. The "
                                 "absolute difference and its interval are written on the right.")
    effects = headline_effects(data.effects)
    undefined = [experiment_figures.metric_label(str(m)) for m in effects.index[effects["relative"].isna()]]
    if undefined:
        section.notes.append(f"Not drawn, because their baseline mean is 0 so no relative change exists: "
                             f"{', '.join(undefined)}.")
    if effects["relative"].notna().any():
        section.figures.append(figure_png("paired_differences.png",
                                          "Plan - baseline per headline metric, relative to the baseline mean, "
                                          "with 95% intervals.", experiment_figures.forest(effects)))
    return section


def series_spread(replicates: int) -> tuple[float, float]:
    """The band of the series figures: the full range with few replicates, else the 10-90% band."""
    return (0.0, 1.0) if replicates < QUANTILE_BAND_FROM else (0.1, 0.9)


def series_section(data: ComparisonTables, marks: list[tuple[int, str]]) -> Section:
    replicates = int(data.series["replicate"].nunique())
    spread = series_spread(replicates)
    section = _section("series", "Each series day by day: left, the median over the replicates of the baseline "
                                 f"(grey) and the plan (blue) with the {experiment_figures.spread_label(spread)} "
                                 "shaded; right, the paired difference plan - baseline of the same replicate on "
                                 "the same day, its median and the same band, with the zero line. Dashed lines "
                                 "mark the scenarios' timeline changes.")
    available = [c for c in data.series.columns if c not in ("scenario", "replicate", "tick")]
    grouped = {m for _, (_, metrics) in SERIES_GROUPS.items() for m in metrics}
    groups = dict(SERIES_GROUPS)
    rest = tuple(m for m in available if m not in grouped)
    if rest:
        groups["series_other"] = ("Other series", rest)
    for name, (title, metrics) in groups.items():
        present = [m for m in metrics if m in available]
        if present:
            section.figures.append(figure_png(f"{name}.png", f"{title}: baseline and plan over time, and their "
                                                             "paired difference.",
                                              experiment_figures.paired_series(data.series, present, marks, spread,
                                                                               title)))
    return section


def comparison_marks(baseline_yaml: str, plan_yaml: str) -> list[tuple[int, str]]:
    """The timeline changes of both scenarios as (day, label) marks for the time axes: the plan's, then the
    baseline's that the plan does not share (prefixed 'baseline: ')."""
    plan = scenario_timeline_marks(plan_yaml)
    baseline = scenario_timeline_marks(baseline_yaml)
    marks = list(plan) + [(tick, f"baseline: {label}") for tick, label in baseline if (tick, label) not in plan]
    merged: dict[int, list[str]] = {}
    for tick, label in sorted(marks, key=lambda mark: mark[0]):
        merged.setdefault(tick, []).append(label)
    return [(tick, "; ".join(labels)) for tick, labels in merged.items()]


def scenario_timeline_marks(scenario_yaml: str) -> list[tuple[int, str]]:
    """(day, label) for each change that the ``timeline:`` of a resolved scenario makes: an entry's start (its
    ``at`` or ``from``) as its label, else its event or its settings; a window's end as 'end of ...'."""
    timeline = _parse(scenario_yaml).get("timeline") or []
    marks = []
    for entry in timeline:
        if not isinstance(entry, dict):
            continue
        label = str(entry.get("label") or describe_entry(entry))
        start = entry.get("at", entry.get("from"))
        if start is not None:
            marks.append((int(start), label))
        if entry.get("until") is not None:
            marks.append((int(entry["until"]), f"end of {label}"))
    return marks


def describe_entry(entry: dict) -> str:
    """An unlabelled timeline entry in words: its event, else its settings as key=value."""
    event = entry.get("event")
    if isinstance(event, dict):
        details = ", ".join(f"{k} {v}" for k, v in event.items() if k != "kind")
        return f"{str(event.get('kind', 'event')).replace('_', ' ')}: {details}"
    settings = flatten(entry.get("set") or {})
    return ", ".join(f"{key}={value}" for key, value in settings.items()) or "timeline entry"


def flatten(tree: object, prefix: str = "") -> dict[str, object]:
    """A nested mapping as dotted paths: {'a': {'b': 1}} -> {'a.b': 1}; dotted keys are kept as they are."""
    if not isinstance(tree, dict):
        return {prefix: tree} if prefix else {}
    flat: dict[str, object] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(flatten(value, path))
        else:
            flat[path] = value
    return flat


def _parse(scenario_yaml: str) -> dict:
    try:
        parsed = yaml.safe_load(scenario_yaml) if scenario_yaml.strip() else {}
    except yaml.YAMLError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def scenario_differences(baseline_yaml: str, plan_yaml: str) -> list[tuple[str, str, str]]:
    """(parameter, baseline value, plan value) for every parameter whose resolved value differs, the timeline
    compared entry by entry; the run seed is left out (each replicate's seed replaces it)."""
    baseline, plan = _parse(baseline_yaml), _parse(plan_yaml)
    rows = []
    flat_baseline = flatten({k: v for k, v in baseline.items() if k != "timeline"})
    flat_plan = flatten({k: v for k, v in plan.items() if k != "timeline"})
    for key in sorted(set(flat_baseline) | set(flat_plan)):
        if key == "run.seed":
            continue
        before, after = flat_baseline.get(key, "-"), flat_plan.get(key, "-")
        if before != after:
            rows.append((key, str(before), str(after)))
    timelines = [baseline.get("timeline") or [], plan.get("timeline") or []]
    for index in range(max(len(t) for t in timelines)):
        before, after = (_describe_timeline_entry(t[index]) if index < len(t) else "-" for t in timelines)
        if before != after:
            rows.append((f"timeline[{index}]", before, after))
    return rows


def _describe_timeline_entry(entry: object) -> str:
    if not isinstance(entry, dict):
        return str(entry)
    when = (f"day {entry['at']}" if "at" in entry else f"days {entry.get('from')} to {entry.get('until')}")
    label = f" '{entry['label']}'" if entry.get("label") else ""
    return f"{when}{label}: {describe_entry(entry)}"


def scenarios_section(data: ComparisonTables) -> Section:
    section = _section("scenarios", "The parameters whose resolved values differ between the baseline and the "
                                    "plan (the run seed aside: replicate r of both uses the same seed), and their "
                                    "timelines entry by entry. Both resolved scenarios are at the end of the page.")
    rows = scenario_differences(str(data.provenance.get("baseline_scenario", "")),
                                str(data.provenance.get("plan_scenario", "")))
    if rows:
        section.tables.append(html_table(("parameter", "baseline", "plan"), rows))
    else:
        section.notes.append("The two resolved scenarios are the same, so with the same seeds each plan run repeats "
                             "its baseline run and every paired difference above is 0.")
    return section

