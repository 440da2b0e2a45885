"""The run report: reads a run file with the loaders of :mod:`fanflow_analysis.tables`, draws the figures of
:mod:`fanflow_analysis.figures`, and writes one self-contained HTML file (jinja2 template, figures embedded as
base64 PNG) plus the PNG files in a folder beside it. Sections where the file lacks the data (no brands, no
creators, no exits) carry a note instead of a figure. Both outputs are written under temporary names and
renamed at the end, so a failure leaves no half-written report."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fanflow_analysis import experiment_figures, figures, stats, tables
from fanflow_analysis.report_pages import (Section, figure_folder, figure_png, html_table, render as render_page,
                                           write_atomically)
from fanflow_analysis.run_file import open_run

TEMPLATE = "run_report.html.j2"
PUBLIC = ("recommendation", "ads")
PRIVATE = ("follow_feed", "friend_share", "group", "live")

#: The report's section headings, in order (the tests check each appears).
SECTION_TITLES = {
    "growth": "Fan growth",
    "traffic": "Traffic by channel",
    "concentration": "Concentration",
    "survival": "Creator survival and stages",
    "true_fans": "True fans",
    "brands": "Brands: funnel, spend and return",
    "timeline": "Timeline changes",
    "facts": "Stylized facts",
}


def _section(key: str, intro: str) -> Section:
    return Section(key=key, title=SECTION_TITLES[key], intro=intro)


@dataclass
class RunTables:
    """Everything the report reads from one run file."""

    path: Path
    ticks: int
    series: pd.DataFrame
    traffic: pd.DataFrame
    creators: pd.DataFrame
    followers: pd.DataFrame
    stages: pd.DataFrame
    brands: pd.DataFrame
    brand_series: pd.DataFrame
    timeline: pd.DataFrame
    events: pd.DataFrame
    provenance: pd.Series
    users: int


def load_run_tables(path: Path) -> RunTables:
    """Reads every table the report needs (raises RunFileError for a file that is not a complete run)."""
    with open_run(path) as f:
        ticks = int(f.attrs["ticks"])
        users = int(f["users/summary/attention"].shape[0]) if "users/summary/attention" in f else 0
    return RunTables(
        path=path, ticks=ticks, series=tables.load_timeseries(path), traffic=tables.load_channel_traffic(path),
        creators=tables.load_creators(path), followers=tables.load_creator_series(path, "followers", "wide"),
        stages=tables.load_creator_series(path, "stage", "wide"), brands=tables.load_brands(path),
        brand_series=tables.load_brand_series(path), timeline=tables.load_timeline(path),
        events=tables.load_events(path), provenance=tables.load_provenance(path), users=users)


def write_report(run_path: Path | str, output: Path | str) -> Path:
    """Writes the report of `run_path` to `output` (HTML) and its figures to ``<output stem>_figures/``.

    Raises:
        RunFileError: the run file is missing, not HDF5 or not a complete fanflow run.
        OSError: the outputs cannot be written.
    """
    run_path, output = Path(run_path), Path(output)
    data = load_run_tables(run_path)
    sections = build_sections(data)
    page = render(data, sections, figure_folder(output).name)
    write_atomically(output, page, [f for s in sections for f in s.figures])
    return output


def build_sections(data: RunTables) -> list[Section]:
    marks = figures.timeline_marks(data.timeline, data.events)
    return [
        growth_section(data, marks), traffic_section(data, marks), concentration_section(data, marks),
        survival_section(data, marks), true_fans_section(data, marks), brands_section(data, marks),
        timeline_section(data, marks), facts_section(data),
    ]


def _has_creators(data: RunTables) -> bool:
    return len(data.creators) > 0 and data.followers.shape[1] > 0


NO_CREATORS = "This run has no creators (population.creators = 0 and no entrants), so there is nothing to show here."


def growth_section(data: RunTables, marks: list[tuple[int, str]]) -> Section:
    section = _section("growth", "How creators gather followers: the typical creator of each type (median, with the "
                                "band holding the middle 80% of creators), and the creators that grew most.")
    if not _has_creators(data):
        section.notes.append(NO_CREATORS)
        return section
    section.figures.append(figure_png("fan_growth.png", "Followers per creator by creator type: median and 10-90% band.",
                                figures.fan_growth(data.followers, data.creators, marks)))
    section.figures.append(figure_png("top_creators.png", "Follower curves of the ten creators with most followers at the end, and of the ten that gained most.",
                                figures.top_creators(data.followers, data.creators, marks)))
    return section


def traffic_section(data: RunTables, marks: list[tuple[int, str]]) -> Section:
    section = _section("traffic", "Where the platform's traffic came from each day (public: recommendation and "
                                 "ads; private: follow feed, friends' shares, chat groups, live sessions), and "
                                 "which channels won the follows.")
    section.figures.append(figure_png("traffic_by_channel.png", "Impressions and follows won per day, by channel.",
                                figures.channel_traffic(data.traffic, marks)))
    totals = data.traffic.groupby("channel", observed=True)[["impressions", "views", "follows", "unfollows"]].sum()
    share = totals["impressions"] / max(1, totals["impressions"].sum())
    rows = [(figures.CHANNEL_LABELS.get(str(c), str(c)), f"{int(r.impressions):,}", f"{share[c]:.1%}",
             f"{int(r.views):,}", f"{int(r.follows):,}", f"{int(r.unfollows):,}") for c, r in totals.iterrows()]
    section.tables.append(html_table(("channel", "impressions", "share", "views", "follows", "unfollows"), rows))
    return section


def concentration_over_time(data: RunTables) -> pd.DataFrame:
    """Gini coefficient and top-3% share of followers among creators on the platform, each day."""
    alive = figures.alive_mask(data.followers, data.creators)
    rows = []
    for tick in data.followers.index:
        values = data.followers.loc[tick][alive.loc[tick]].to_numpy(dtype=float)
        if values.size == 0:
            rows.append((np.nan, np.nan))
        else:
            rows.append((stats.gini(values), stats.top_share(values, 0.03)))
    return pd.DataFrame(rows, index=data.followers.index, columns=["gini", "top3_share"])


def final_followers(data: RunTables) -> np.ndarray:
    """Followers at the end of the creators still on the platform."""
    return data.creators.loc[~data.creators["exited"], "followers"].to_numpy(dtype=float)


def concentration_section(data: RunTables, marks: list[tuple[int, str]]) -> Section:
    section = _section("concentration", "How unequally followers are spread among creators: the Lorenz curve at "
                                       "the end (the further below the diagonal, the more unequal), and the Gini "
                                       "coefficient and the top 3% of creators' share, day by day.")
    if not _has_creators(data) or final_followers(data).size == 0:
        section.notes.append(NO_CREATORS if not _has_creators(data) else "No creator is on the platform at the end.")
        return section
    section.figures.append(figure_png("lorenz.png", "Lorenz curve of followers at the end (creators on the platform).",
                                figures.lorenz_curve(final_followers(data))))
    section.figures.append(figure_png("concentration.png", "Gini coefficient and top-3% share of followers over time.",
                                figures.concentration_over_time(concentration_over_time(data), marks)))
    return section


def stage_table(data: RunTables) -> pd.DataFrame:
    """Creators in each growth stage at the end of each day, and creators exited so far."""
    alive = figures.alive_mask(data.stages, data.creators)
    counts = {name: (data.stages.where(alive) == code).sum(axis=1) for code, name in tables.STAGES.items()}
    exit_ticks = data.creators["exit_tick"].dropna().to_numpy(dtype=np.int64)
    counts["exited"] = pd.Series(np.searchsorted(np.sort(exit_ticks), data.stages.index, side="right"),
                                 index=data.stages.index)
    return pd.DataFrame(counts)


def survival_section(data: RunTables, marks: list[tuple[int, str]]) -> Section:
    section = _section("survival", "How long creators stay (Kaplan-Meier estimate from the exit records; creators "
                                  "still on the platform at the end count as censored) and how they move through "
                                  "the growth stages. The survival axis is days since each creator joined, so the "
                                  "timeline's changes are not marked on it.")
    if not _has_creators(data):
        section.notes.append(NO_CREATORS)
        return section
    if data.creators["exited"].any():
        section.figures.append(figure_png("survival.png", "Creator survival by creator type (Kaplan-Meier).",
                                    figures.survival(data.creators)))
    else:
        section.notes.append("No creator exited during this run, so every survival curve stays at 100%; "
                             "no survival figure is drawn.")
    section.figures.append(figure_png("stages.png", "Creators per growth stage, day by day.",
                                figures.stage_counts(stage_table(data), marks)))
    section.tables.append(_stage_summary(data.creators))
    return section


def _stage_summary(creators: pd.DataFrame) -> str:
    rows = []
    for code in (1, 2, 3):
        reached = creators[f"stage_tick_{code}"].dropna().astype(float)
        days = reached - creators.loc[reached.index, "joined_tick"]
        median = f"{days.median():.0f}" if len(days) else "-"
        rows.append((tables.STAGES[code], f"{len(reached):,} of {len(creators):,}", median))
    reasons = creators.loc[creators["exited"], "exit_reason_name"].value_counts()
    rows.append(("exited", f"{int(creators['exited'].sum()):,} of {len(creators):,}",
                 ", ".join(f"{n} by {r}" for r, n in reasons.items()) or "-"))
    return html_table(("stage", "creators that reached it", "median days after joining (exits: reasons)"), rows)


def true_fans_section(data: RunTables, marks: list[tuple[int, str]]) -> Section:
    section = _section("true_fans", "True fans are follows whose trust reached trust.true_fan_threshold: the "
                                   "followers a creator can sell to. Their spread across creators at the end, and "
                                   "their share of all follows over time.")
    if not _has_creators(data):
        section.notes.append(NO_CREATORS)
        return section
    if int(data.series["true_fans"].max()) == 0:
        section.notes.append("No follow reached the true-fan threshold (trust.true_fan_threshold) in this run, so "
                             "there are no true fans to show.")
        return section
    section.figures.append(figure_png("true_fans.png", "True fans per creator at the end; true fans as a share of follows.",
                                figures.true_fans(data.creators, data.series, marks)))
    return section


def brands_section(data: RunTables, marks: list[tuple[int, str]]) -> Section:
    section = _section("brands", "The brands' purchase journeys (SICAS: sense, interest, connect, action, share), "
                                "their spend by budget line, and the revenue each money spent brought back.")
    if data.brands.empty or data.brand_series.empty:
        section.notes.append("This run has no brands (population.brands = 0), so there is no funnel, spend or "
                             "return to show.")
        return section
    section.figures.append(figure_png("brand_funnel.png", "Purchase funnel (SICAS stages), all brands.",
                                figures.brand_funnel(data.brands)))
    section.figures.append(figure_png("brand_spend.png", "Brands' spend per day by budget line.",
                                figures.brand_spend(data.series, marks)))
    brand_series = data.brand_series.copy()
    brand_series["spend_total"] = brand_series[[f"spend_{line}" for line in tables.BUDGET_LINES]].sum(axis=1)
    if brand_series["spend_total"].sum() > 0:
        by_tick = brand_series.groupby("tick")[["revenue", "spend_total"]].sum().cumsum()
        overall = (by_tick["revenue"] / by_tick["spend_total"].where(by_tick["spend_total"] > 0))
        section.figures.append(figure_png("return_on_spend.png", "Cumulative return on spend over time.",
                                    figures.return_on_spend(brand_series, overall, marks)))
    else:
        section.notes.append("The brands spent nothing in this run, so there is no return on spend to show.")
    unspent_budgets(data.brands, section)
    return section


#: A budget line that leaves at least this share of its budget unspent gets a warning in the report.
UNSPENT_WARNING_SHARE = 0.25


def unspent_budget_rows(brands: pd.DataFrame) -> pd.DataFrame:
    """Budget, spend and what was not spent per budget line over the run: all brands together ("all brands"),
    then each named brand (a name of the scenario's ``actors``), one row per (who, line) with a budget; columns
    ``who``, ``line``, ``budget``, ``spent``, ``unspent``, ``unspent_share``, ``idle_days`` (brand-days with a
    budget on the line and nothing bought; -1 when the file lacks them).
    Empty for a run file without budgets (written before fanflow recorded them)."""
    columns = ["who", "line", "budget", "spent", "unspent", "unspent_share", "idle_days"]
    if brands.empty or "budget_ads" not in brands:
        return pd.DataFrame(columns=columns)
    named = brands[~brands["name"].str.fullmatch(r"brand \d+")]
    rows = []
    for who, group in [("all brands", brands)] + [(name, brands.loc[[b]]) for b, name in named["name"].items()]:
        for line in tables.BUDGET_LINES:
            budget = float(group[f"budget_{line}"].sum())
            if budget <= 0:
                continue
            unspent = float(group[f"unspent_{line}"].sum())
            rows.append((who, line, budget, float(group[f"spend_{line}"].sum()), unspent, unspent / budget,
                         int(group[f"idle_days_{line}"].sum()) if f"idle_days_{line}" in group else -1))
    return pd.DataFrame(rows, columns=columns)


def unspent_budgets(brands: pd.DataFrame, section: Section) -> None:
    """Adds the table of budgets not spent to the brands section, and a warning for each line (over all brands)
    that left at least UNSPENT_WARNING_SHARE of its budget unspent, with the engine's reason."""
    rows = unspent_budget_rows(brands)
    if rows.empty:
        return
    why = brands.attrs.get("why_unspent", {})
    for row in rows[(rows["who"] == "all brands") & (rows["unspent_share"] >= UNSPENT_WARNING_SHARE)].itertuples():
        section.warnings.append(f"{row.unspent_share:.0%} of the brands' {row.line} budget was not spent "
                                f"({_number(row.unspent)} of {_number(row.budget)}): {why.get(row.line, '')}.")
    cells = [(r.who, r.line, _number(r.budget), _number(r.spent), _number(r.unspent), f"{r.unspent_share:.1%}",
              "-" if r.idle_days < 0 else f"{r.idle_days:,}") for r in rows.itertuples()]
    section.tables.append(html_table(("brands", "budget line", "budget over the run", "spent", "not spent",
                                      "share not spent", "brand-days nothing bought"), cells, "numbers"))


def _number(value: float) -> str:
    return experiment_figures.format_number(value)


FACTS_HEADER = ("fact", "value", "band", "inside", "reference")


def facts_section(data: RunTables) -> Section:
    """The run's stylized facts beside their bands, as `fanflow facts --json` computes them: the program named by
    the environment variable FANFLOW_BINARY (`fanflow report` sets it to itself)."""
    section = _section("facts", "The run's stylized facts beside the range published sources give them "
                                "(docs/facts.md): concentration of views, the follower tail, creator survival and "
                                "thresholds, engagement by follower tier, channel shares and the purchase funnel.")
    binary = os.environ.get("FANFLOW_BINARY", "")
    if not binary:
        section.notes.append("The facts are computed by the fanflow program: write this report with `fanflow "
                             "report` (or set FANFLOW_BINARY to the program) to include them.")
        return section
    try:
        result = subprocess.run([binary, "facts", "--json", str(data.path)], capture_output=True, text=True,
                                timeout=600, check=False)
    except OSError as error:
        section.notes.append(f"The facts could not be computed: cannot run {binary} ({error.strerror}).")
        return section
    if result.returncode != 0:
        section.notes.append("The facts could not be computed: " + result.stderr.strip().removeprefix("fanflow: error: "))
        return section
    facts = json.loads(result.stdout)["facts"]

    def number(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    rows = []
    for fact in facts:
        band = "-" if fact["band"] is None else f"[{fact['band'][0]:.3f}, {fact['band'][1]:.3f}]"
        inside = "" if fact["inside"] is None else ("yes" if fact["inside"] else "no")
        rows.append((fact["name"], number(fact["value"]), band, inside, fact["reference"]))
    judged = [f for f in facts if f["inside"] is not None]  # a band, and a value the run could give
    outside = [f["name"] for f in judged if not f["inside"]]
    if outside:
        section.warnings.append(f"{len(outside)} of {len(judged)} facts with a band fall outside it: "
                                + ", ".join(outside) + ".")
    section.tables.append(html_table(FACTS_HEADER, rows, "numbers"))
    return section


def timeline_section(data: RunTables, marks: list[tuple[int, str]]) -> Section:
    section = _section("timeline", "The changes the scenario's timeline made during the run; each is drawn as a "
                                  "dashed vertical line on every figure whose axis is the day of the run.")
    if data.timeline.empty:
        section.notes.append("The scenario has no timeline: its rules held for the whole run.")
        return section
    rows = [(str(r.tick), str(r.entry), r.key, r.value, r.label or "-") for r in data.timeline.itertuples()]
    section.tables.append(html_table(("day", "entry", "parameter", "value from that day", "label"), rows))
    return section


def headline_figures(data: RunTables) -> list[tuple[str, str]]:
    """The short table at the top of the report: (what, value)."""
    series, traffic, creators = data.series, data.traffic, data.creators
    impressions = traffic.groupby("channel", observed=True)["impressions"].sum()
    total = int(impressions.sum())
    private = int(impressions[[c for c in PRIVATE if c in impressions.index]].sum())
    rows = [
        ("days simulated", f"{data.ticks:,}"),
        ("users", f"{data.users:,}"),
        ("creators at the end (joined during the run; exited)",
         f"{int(series['creators_alive'].iloc[-1]):,} ({int(series['creator_entrants'].sum()):,}; "
         f"{int(series['creator_exits'].sum()):,})"),
        ("impressions (private traffic share)", f"{total:,} ({private / max(1, total):.1%})"),
        ("follows won; unfollows", f"{int(traffic['follows'].sum()):,}; {int(traffic['unfollows'].sum()):,}"),
        ("follow edges at the end (of which true fans)",
         f"{int(series['follow_edges'].iloc[-1]):,} ({int(series['true_fans'].iloc[-1]):,})"),
    ]
    followers = final_followers(data) if len(creators) else np.array([])
    if followers.size:
        rows.append(("median followers per creator at the end (largest)",
                     f"{np.median(followers):,.0f} ({followers.max():,.0f})"))
        rows.append(("Gini of followers at the end; top 3% share",
                     f"{stats.gini(followers):.3f}; {stats.top_share(followers, 0.03):.1%}"))
    if not data.brands.empty:
        spend = float(series["brand_spend"].sum() + series["brand_content_spend"].sum())
        revenue = float(series["revenue"].sum())
        rows.append(("brands: spend (all lines); revenue; return on spend",
                     f"{spend:,.0f}; {revenue:,.0f}; {revenue / spend:.2f}" if spend > 0 else "no spend"))
    rows.append(("timeline changes", f"{len(data.timeline):,}" if len(data.timeline) else "none"))
    return rows


def render(data: RunTables, sections: list[Section], folder: str) -> str:
    provenance = data.provenance
    return render_page(
        TEMPLATE,
        run_name=data.path.name, run_path=str(data.path), headline=headline_figures(data), sections=sections,
        figure_folder=folder, scenario=str(provenance.get("scenario", "")),
        provenance=[(k, str(v)) for k, v in provenance.items() if k != "scenario"])
