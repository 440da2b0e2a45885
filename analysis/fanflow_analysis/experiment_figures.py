"""The figures of the comparison and sweep reports (matplotlib, Agg backend), drawn from the tables of
:mod:`fanflow_analysis.experiments` in the style of the run report (:mod:`fanflow_analysis.figures`: axis
style, compact tick labels, the timeline's changes as labelled dashed lines).

Comparison: :func:`forest` (paired differences relative to the baseline, with their intervals) and
:func:`paired_series` (both scenarios over time, and their paired difference). Sweep: :func:`main_effects`
(each metric against each factor), :func:`pair_heatmaps` (a metric over the pairs of factors, binned),
:func:`sobol_bars` and :func:`morris_screening`.
"""

from __future__ import annotations

import itertools
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter  # noqa: E402
from scipy import stats as scipy_stats  # noqa: E402

from fanflow_analysis.experiments import SweepDesign  # noqa: E402
from fanflow_analysis.figures import COMPACT, mark_timeline, new_figure, style_axis  # noqa: E402

BASELINE_COLOR = "#7f7f7f"
PLAN_COLOR = "#1f77b4"
DIFFERENCE_COLOR = "#9467bd"
SIGNIFICANT_COLOR = "#d62728"
NOT_SIGNIFICANT_COLOR = "#9e9e9e"
FIRST_ORDER_COLOR = "#6baed6"
TOTAL_COLOR = "#08519c"
#: The Sobol panels' vertical range at most (indices lie in [0, 1]; intervals of tiny designs reach far beyond,
#: and where they leave this range their end is written at the edge).
SOBOL_AXIS = (-1.0, 2.0)

#: What each metric of sweep and comparison files measures, for axis labels (the units come from the file).
METRIC_LABELS = {
    "impressions": "impressions", "views": "views", "likes": "likes", "shares": "shares",
    "follows": "new follows", "unfollows": "unfollows", "follows_gained": "new follows over the run",
    "follows_end": "follow edges at the end", "follow_edges": "follow edges", "true_fans": "true-fan edges",
    "true_fans_end": "true-fan edges at the end", "active_users": "active users",
    "followers_gini_end": "Gini of followers at the end",
    "top3pct_follower_share_end": "top 3% creators' share of followers at the end",
    "creators_alive": "creators on the platform", "creators_alive_end": "creators on the platform at the end",
    "creators_exited": "creators who exited", "creators_entered": "creators who joined",
    "purchases": "purchases", "creator_income": "creators' income", "brand_spend": "brands' spend",
    "brand_sales_revenue": "brands' sales revenue", "platform_take": "platform's take",
    "impressions_recommendation": "impressions via recommendation", "impressions_follow_feed":
        "impressions via follow feed", "impressions_friend_share": "impressions via friends' shares",
    "impressions_group": "impressions via chat groups", "impressions_ads": "ad impressions",
    "impressions_live": "live-session viewers",
}


def metric_label(metric: str, unit: str = "", per_day: bool = False) -> str:
    """'follow edges at the end (edges)', 'views (items/day)': the metric's words and its unit."""
    words = METRIC_LABELS.get(metric, metric.replace("_", " "))
    if not unit:
        return words
    return f"{words} ({unit}/day)" if per_day and not unit.endswith("/day") else f"{words} ({unit})"


def _short_factor(factor: str) -> str:
    """'recommendation.explore_probability' -> 'explore_probability' (section dropped, for narrow panels)."""
    return factor.split(".", 1)[-1]


def _wrap(text: str, width: int = 34) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def format_number(value: float) -> str:
    """A number for tables: thousands separated from 100 on, 2 decimals from 1, else 3 significant digits."""
    if not math.isfinite(value):
        return "-"
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 1:
        return f"{value:,.2f}"
    return f"{value:.3g}"


def legend_below(fig: Figure, handles: list, labels: list[str], columns: int, height: float = 0.4) -> None:
    """A figure legend along the bottom edge, in a strip of `height` inches kept free of the axes."""
    share = height / fig.get_figheight()
    fig.get_layout_engine().set(rect=(0, share, 1, 1 - share))
    fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=columns, fontsize=8,
               frameon=False)


# --- comparison -------------------------------------------------------------------------------------------


def forest(effects: pd.DataFrame) -> Figure:
    """Forest plot of the plan's effect on each metric: the mean paired difference relative to the baseline mean,
    with its confidence interval; red where the interval excludes 0. Each row names the absolute difference."""
    shown = effects[np.isfinite(effects["relative"])]
    rows = len(shown)
    fig, ax = new_figure(size=(10.0, 1.2 + 0.42 * rows))
    y = np.arange(rows)[::-1]
    colors = [SIGNIFICANT_COLOR if flag else NOT_SIGNIFICANT_COLOR for flag in shown["excludes_zero"]]
    relative = shown["relative"].to_numpy() * 100
    low = shown["relative_low"].to_numpy() * 100
    high = shown["relative_high"].to_numpy() * 100
    ax.hlines(y, low, high, colors=colors, linewidth=2.2)
    ax.scatter(relative, y, color=colors, s=36, zorder=3)
    ax.axvline(0, color="#444444", linewidth=1)
    labels = [metric_label(m) for m in shown.index]
    ax.set_yticks(y, labels, fontsize=9)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: "0%" if abs(v) < 1e-12 else f"{v:+.3g}%"))
    span = max(np.nanmax(np.abs(np.concatenate((low, high)))), 1e-9) if rows else 1.0
    ax.set_xlim(-span * 1.15, span * 1.15)
    for row, (metric, effect) in zip(y, shown.iterrows()):
        unit = f" {effect['unit']}" if effect["unit"] else ""
        text = (f"{signed_number(effect['difference'])}{unit}  "
                f"[{signed_number(effect['low'])}, {signed_number(effect['high'])}]")
        ax.annotate(text, xy=(1.01, row), xycoords=("axes fraction", "data"), va="center", fontsize=8,
                    color=SIGNIFICANT_COLOR if effect["excludes_zero"] else "#555555")
    ax.annotate("absolute difference [interval]", xy=(1.01, 1.0), xycoords="axes fraction", va="top",
                fontsize=8, color="#555555", style="italic")
    confidence = effects.attrs.get("confidence", 0.95)
    replicates = effects.attrs.get("replicates", "?")
    style_axis(ax, f"Plan \u2212 baseline: mean paired difference, {confidence:.0%} interval ({replicates} "
                   "replicates)", "", "change relative to the baseline mean")
    ax.set_ylim(-0.7, rows - 0.3)
    ax.plot([], [], color=SIGNIFICANT_COLOR, linewidth=2.2, marker="o", label="interval excludes 0")
    ax.plot([], [], color=NOT_SIGNIFICANT_COLOR, linewidth=2.2, marker="o", label="interval includes 0")
    legend_below(fig, *ax.get_legend_handles_labels(), columns=2)
    return fig


def signed_number(value: float) -> str:
    """:func:`format_number` with its sign: +1,234, -0.5, 0."""
    text = format_number(value)
    return text if text.startswith("-") or text in ("0",) else "+" + text


def _band(values: np.ndarray, spread: tuple[float, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median and the `spread` quantiles over the rows of `values` [replicate x tick]."""
    with np.errstate(all="ignore"):
        median = np.nanmedian(values, axis=0)
        low, high = np.nanquantile(values, spread, axis=0)
    return median, low, high


def spread_label(spread: tuple[float, float]) -> str:
    """'range (min-max)' or '10-90%' for the band of a series figure."""
    if spread == (0.0, 1.0):
        return "range over replicates (min to max)"
    return f"{spread[0]:.0%}-{spread[1]:.0%} of replicates"


def paired_series(series: pd.DataFrame, metrics: list[str], marks: list[tuple[int, str]],
                  spread: tuple[float, float], title: str) -> Figure:
    """One row per metric: left, the median over replicates of baseline and plan with the `spread` band;
    right, the paired difference plan - baseline (same replicate and day): median and band, with a zero line."""
    units = series.attrs.get("units", {})
    fig, axes = new_figure(len(metrics), 2, size=(13.0, 2.9 * len(metrics) + 0.6), sharex=True, squeeze=False)
    baseline = series[series["scenario"] == "baseline"].sort_values(["replicate", "tick"])
    plan = series[series["scenario"] == "plan"].sort_values(["replicate", "tick"])
    ticks = np.sort(series["tick"].unique())
    replicates = baseline["replicate"].nunique()
    band = spread_label(spread)
    for row, metric in enumerate(metrics):
        left, right = axes[row]
        before = baseline[metric].to_numpy().reshape(replicates, len(ticks))
        after = plan[metric].to_numpy().reshape(replicates, len(ticks))
        label = metric_label(metric, units.get(metric, ""), per_day=_is_daily(metric))
        for values, color, name in ((before, BASELINE_COLOR, "baseline"), (after, PLAN_COLOR, "plan")):
            median, low, high = _band(values, spread)
            left.fill_between(ticks, low, high, color=color, alpha=0.2, linewidth=0)
            left.plot(ticks, median, color=color, linewidth=1.8, label=f"{name}: median")
            left.plot([], [], color=color, alpha=0.35, linewidth=8, label=f"{name}: {band}")
        difference = after - before
        if np.nanmax(np.abs(difference), initial=0.0) == 0:
            right.annotate("the same in every replicate on every day:\nthe plan does not change this series",
                           xy=(0.02, 0.78), xycoords="axes fraction", ha="left", va="center", fontsize=9,
                           color="#555555", zorder=10,
                           bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "#cccccc"})
            right.set_yticks([0])
        median, low, high = _band(difference, spread)
        right.fill_between(ticks, low, high, color=DIFFERENCE_COLOR, alpha=0.2, linewidth=0)
        right.plot(ticks, median, color=DIFFERENCE_COLOR, linewidth=1.8, label="plan \u2212 baseline: median")
        right.plot([], [], color=DIFFERENCE_COLOR, alpha=0.35, linewidth=8, label=f"plan \u2212 baseline: {band}")
        right.axhline(0, color="#444444", linewidth=1)
        for ax in (left, right):
            ax.yaxis.set_major_formatter(COMPACT)
            mark_timeline(ax, marks)
        last = row == len(metrics) - 1
        style_axis(left, METRIC_LABELS.get(metric, metric).capitalize() + ": baseline and plan", _wrap(label, 30),
                   "day of the run" if last else "")
        style_axis(right, METRIC_LABELS.get(metric, metric).capitalize() + ": paired difference, plan \u2212 baseline",
                   _wrap(f"difference in {label}", 30), "day of the run" if last else "")
        if row == 0:
            left.legend(loc="lower left", bbox_to_anchor=(0.0, 1.12), ncol=2, fontsize=8, frameon=False)
            right.legend(loc="lower left", bbox_to_anchor=(0.0, 1.12), ncol=2, fontsize=8, frameon=False)
    fig.suptitle(f"{title} ({replicates} replicates; replicate r of both scenarios ran with the same seed)",
                 x=0.01, ha="left", fontsize=12)
    return fig


def _is_daily(metric: str) -> bool:
    """Series that count per day (flows) rather than levels at the end of the day."""
    return metric not in ("follow_edges", "true_fans", "creators_alive", "active_users")


# --- sweep: main effects and heatmaps ---------------------------------------------------------------------


def point_means(summary: pd.DataFrame, metric: str, confidence: float = 0.95) -> pd.DataFrame:
    """Per design point: the mean of `metric` over its replicates, the count, and the Student t-interval of the
    mean (NaN with one replicate)."""
    grouped = summary.groupby("point")[metric]
    frame = pd.DataFrame({"mean": grouped.mean(), "n": grouped.count(), "sd": grouped.std(ddof=1)})
    t = scipy_stats.t.ppf((1 + confidence) / 2, np.maximum(frame["n"] - 1, 1))
    half = np.where(frame["n"] > 1, t * frame["sd"] / np.sqrt(frame["n"]), np.nan)
    frame["low"], frame["high"] = frame["mean"] - half, frame["mean"] + half
    return frame


#: Factors with at most this many distinct values (a grid's values, Morris levels) are binned by value.
MAX_LEVELS = 8


def has_levels(unit_values: np.ndarray, bins: int) -> bool:
    """Whether a factor takes few enough distinct values (a grid's values, Morris levels) to get a bin each."""
    return np.unique(np.round(unit_values, 9)).size <= max(bins, MAX_LEVELS)


def unit_bins(unit_values: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Bin index of each value of [0, 1] and the bin edges: one bin per distinct value when there are at most
    max(`bins`, :data:`MAX_LEVELS`) of them (a grid's values, Morris levels), else `bins` equal bins of [0, 1]
    (equal in log space for log factors)."""
    distinct = np.unique(np.round(unit_values, 9))
    if has_levels(unit_values, bins):
        index = np.searchsorted(distinct, np.round(unit_values, 9))
        if distinct.size == 1:
            return index, distinct[0] + np.array([-0.5, 0.5])
        middles = (distinct[:-1] + distinct[1:]) / 2
        first, last = distinct[0] - (middles[0] - distinct[0]), distinct[-1] + (distinct[-1] - middles[-1])
        return index, np.concatenate(([first], middles, [last]))  # each value in the middle of its bin
    edges = np.linspace(0, 1, bins + 1)
    return np.clip(np.digitize(unit_values, edges[1:-1]), 0, bins - 1), edges


def unit_to_value(unit: np.ndarray, factor: str, design: SweepDesign) -> np.ndarray:
    """Maps coordinates of [0, 1] onto `factor`'s values as the sweep did: geometric for a ``log`` range, linear
    for a ``linear`` one, and for a grid's ``values`` piecewise linear between its values (which sit at unit
    coordinates index / (values - 1))."""
    unit = np.asarray(unit, dtype=float)
    low, high, scale = design.bounds.loc[factor, ["low", "high", "scale"]]
    if scale == "values":
        pairs = pd.DataFrame({"unit": design.unit_points[factor], "value": design.points[factor]})
        levels = pairs.groupby("unit")["value"].mean().sort_index()
        return np.interp(unit, levels.index.to_numpy(), levels.to_numpy())
    if scale == "log":
        return low * (high / low) ** unit
    return low + unit * (high - low)


def log_axis(factor: str, design: SweepDesign) -> bool:
    """Whether `factor` reads best on a log axis: a ``log`` range, or a grid's positive values spanning a decade
    or more."""
    low, high, scale = design.bounds.loc[factor, ["low", "high", "scale"]]
    return bool(scale == "log" or (scale == "values" and low > 0 and high / low >= 10))


def binned_effect(values: np.ndarray, unit_values: np.ndarray, bins: int,
                  confidence: float = 0.95) -> pd.DataFrame:
    """Mean of `values` per bin of the factor (:func:`unit_bins`), with its t-interval over the points in the
    bin: the factor's main effect, averaged over the other factors."""
    index, edges = unit_bins(unit_values, bins)
    rows = []
    for b in range(len(edges) - 1):
        inside = values[index == b]
        inside = inside[np.isfinite(inside)]
        mean = float(inside.mean()) if inside.size else np.nan
        if inside.size > 1:
            half = scipy_stats.t.ppf((1 + confidence) / 2, inside.size - 1) * inside.std(ddof=1) / np.sqrt(inside.size)
        else:
            half = np.nan
        centre = float(np.mean(unit_values[index == b])) if inside.size else (edges[b] + edges[b + 1]) / 2
        rows.append((centre, mean, mean - half, mean + half, inside.size))
    return pd.DataFrame(rows, columns=["unit", "mean", "low", "high", "n"])


def main_effects(summary: pd.DataFrame, design: SweepDesign, metrics: list[str], title: str, bins: int) -> Figure:
    """One row per metric, one column per factor: each design point's replicate mean (error bars: its 95%
    interval when there are replicates) against the factor's value, and the mean over the points in each bin of
    the factor with its 95% interval (line and band)."""
    factors, unit_points = design.factors, design.unit_points
    units = summary.attrs.get("units", {})
    # a fixed layout (margins in inches): constrained layout would cost seconds on grids of this many panels
    width = max(3.3 * len(factors), 7.0) + 0.6
    legend_rows = 1 if width >= 12 else 3
    height = 2.7 * len(metrics) + 1.3 + 0.2 * legend_rows
    fig, axes = plt.subplots(len(metrics), len(factors), figsize=(width, height), squeeze=False, sharey="row")
    fig.subplots_adjust(left=1.05 / width, right=1 - 0.2 / width, top=1 - 0.75 / height,
                        bottom=(0.8 + 0.2 * legend_rows) / height, wspace=0.08, hspace=0.45)
    for row, metric in enumerate(metrics):
        means = point_means(summary, metric)
        for col, factor in enumerate(factors):
            ax = axes[row][col]
            unit = unit_points.loc[means.index, factor].to_numpy()
            x = unit_to_value(unit, factor, design)
            has_interval = means["n"].max() > 1
            if has_interval:
                ax.errorbar(x, means["mean"], yerr=[means["mean"] - means["low"], means["high"] - means["mean"]],
                            fmt="o", color="#9e9e9e", markersize=3, elinewidth=0.8, alpha=0.7, zorder=2)
            else:
                ax.scatter(x, means["mean"], color="#9e9e9e", s=10, alpha=0.8, zorder=2)
            effect = binned_effect(means["mean"].to_numpy(), unit, bins)
            centre = unit_to_value(effect["unit"].to_numpy(), factor, design)
            ax.fill_between(centre, effect["low"], effect["high"], color=PLAN_COLOR, alpha=0.2, linewidth=0,
                            zorder=1)
            ax.plot(centre, effect["mean"], color=PLAN_COLOR, linewidth=2, marker="s", markersize=4, zorder=3)
            low, high = design.bounds.loc[factor, ["low", "high"]]  # the factor's whole range, in every row
            if log_axis(factor, design):
                ax.set_xscale("log")
                ax.set_xlim(low / (high / low) ** 0.04, high * (high / low) ** 0.04)
                ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
                ax.xaxis.set_minor_formatter(NullFormatter())
            else:
                ax.set_xlim(low - 0.04 * (high - low), high + 0.04 * (high - low))
            ax.yaxis.set_major_formatter(COMPACT)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _compact_value(v)))
            ax.tick_params(labelsize=8)
            ylabel = _wrap(metric_label(metric, units.get(metric, "")), 28) if col == 0 else ""
            xlabel = f"{_short_factor(factor)}" + (" (log scale)" if log_axis(factor, design) else "")
            style_axis(ax, factor if row == 0 else "", ylabel, xlabel)
            ax.title.set_fontsize(9)
    replicate_note = ("points: each design point's mean over its replicates, bars its 95% interval"
                      if summary.groupby("point").size().max() > 1 else "points: one run per design point")
    axes[0][0].plot([], [], color=PLAN_COLOR, linewidth=2, marker="s", label="mean over the points in each bin")
    axes[0][0].plot([], [], color=PLAN_COLOR, alpha=0.3, linewidth=8, label="its 95% interval")
    axes[0][0].scatter([], [], color="#9e9e9e", s=10, label=replicate_note)
    fig.legend(*axes[0][0].get_legend_handles_labels(), loc="lower center", bbox_to_anchor=(0.5, 0.0),
               ncol=3 if legend_rows == 1 else 1, fontsize=8, frameon=False)
    fig.suptitle(title, x=0.01, y=1 - 0.12 / height, ha="left", va="top", fontsize=12)
    return fig


def pair_heatmaps(summary: pd.DataFrame, design: SweepDesign, metric: str, bins: int) -> Figure:
    """For each pair of factors, the mean of `metric` over the runs in each cell of the two factors' bins (blank:
    no run), on one color scale; cells are labelled with the mean and the number of design points."""
    factors, bounds, unit_points = design.factors, design.bounds, design.unit_points
    pairs = list(itertools.combinations(range(len(factors)), 2))
    columns = min(len(pairs), 4 if len(pairs) > 6 else 3)
    rows = math.ceil(len(pairs) / columns)
    means = point_means(summary, metric)
    unit = unit_points.loc[means.index]
    cells = []
    for i, j in pairs:
        index_i, edges_i = unit_bins(unit.iloc[:, i].to_numpy(), bins)
        index_j, edges_j = unit_bins(unit.iloc[:, j].to_numpy(), bins)
        grid = np.full((len(edges_j) - 1, len(edges_i) - 1), np.nan)
        counts = np.zeros_like(grid, dtype=int)
        for a in range(grid.shape[1]):
            for b in range(grid.shape[0]):
                inside = means["mean"].to_numpy()[(index_i == a) & (index_j == b)]
                counts[b, a] = inside.size
                if inside.size:
                    grid[b, a] = inside.mean()
        cells.append((i, j, edges_i, edges_j, grid, counts))
    finite = np.concatenate([c[4][np.isfinite(c[4])] for c in cells])
    norm = Normalize(vmin=float(finite.min()), vmax=float(finite.max())) if finite.size else Normalize(0, 1)
    fig, axes = new_figure(rows, columns, size=(4.6 * columns + 1.2, 4.0 * rows + 0.6), squeeze=False)
    image = None
    for panel, (i, j, edges_i, edges_j, grid, counts) in enumerate(cells):
        ax = axes[panel // columns][panel % columns]
        image = ax.pcolormesh(edges_i, edges_j, grid, cmap="viridis", norm=norm, shading="flat")
        if grid.size <= 49:
            for b in range(grid.shape[0]):
                for a in range(grid.shape[1]):
                    if counts[b, a]:
                        x, y = (edges_i[a] + edges_i[a + 1]) / 2, (edges_j[b] + edges_j[b + 1]) / 2
                        bright = norm(grid[b, a]) > 0.6
                        ax.text(x, y, f"{COMPACT(grid[b, a])}\n(n={counts[b, a]})", ha="center", va="center",
                                fontsize=7, color="black" if bright else "white")
        for axis, edges, factor, set_ticks in ((ax.xaxis, edges_i, factors[i], ax.set_xticks),
                                               (ax.yaxis, edges_j, factors[j], ax.set_yticks)):
            levels = np.unique(np.round(unit.loc[:, factor].to_numpy(), 9))
            if has_levels(levels, bins):  # grid values, Morris levels: each cell is one value, labelled in its middle
                set_ticks(levels, [_compact_value(v) for v in unit_to_value(levels, factor, design)], fontsize=7.5)
            else:
                set_ticks(edges, [_compact_value(v) for v in unit_to_value(edges, factor, design)], fontsize=7.5)
        ax.set_xlim(edges_i[0], edges_i[-1])
        ax.set_ylim(edges_j[0], edges_j[-1])
        style_axis(ax, "", _axis_name(factors[j], bounds), _axis_name(factors[i], bounds))
        ax.grid(False)
    for panel in range(len(cells), rows * columns):
        axes[panel // columns][panel % columns].set_visible(False)
    units = summary.attrs.get("units", {})
    if image is not None:
        bar = fig.colorbar(image, ax=axes, shrink=0.8, format=COMPACT)
        bar.set_label(f"mean {metric_label(metric, units.get(metric, ''))}")
    title = f"{metric_label(metric).capitalize()}: mean over the design points in each cell, for each pair of factors"
    fig.suptitle(_wrap(title, int(fig.get_figwidth() * 11)), x=0.01, ha="left", fontsize=12)
    return fig


def _compact_value(value: float) -> str:
    """Tick labels of factor values: 0.002, 0.35, 12k."""
    return COMPACT(value) if abs(value) >= 1000 else f"{value:.2g}" if abs(value) < 1 else f"{value:.3g}"


def _axis_name(factor: str, bounds: pd.DataFrame) -> str:
    scale = bounds.loc[factor, "scale"]
    return factor + (" (log scale)" if scale == "log" else "")


# --- sweep: Sobol and Morris ------------------------------------------------------------------------------


def sobol_bars(indices: dict[str, pd.DataFrame]) -> Figure:
    """One panel per metric: first-order (S1) and total (ST) Sobol indices of each factor, bars with their
    bootstrap intervals as error bars."""
    metrics = list(indices)
    factors = list(next(iter(indices.values())).index)
    fig, axes = new_figure(len(metrics), 1, size=(max(7.5, 1.6 * len(factors) + 3.5), 3.3 * len(metrics) + 0.6),
                           squeeze=False)
    positions = np.arange(len(factors))
    width = 0.38
    for row, metric in enumerate(metrics):
        ax = axes[row][0]
        frame = indices[metric]
        for offset, column, color, name in ((-width / 2, "S1", FIRST_ORDER_COLOR, "first order S1"),
                                            (width / 2, "ST", TOTAL_COLOR, "total ST")):
            values = frame[column].to_numpy()
            errors = [values - frame[f"{column}_low"].to_numpy(), frame[f"{column}_high"].to_numpy() - values]
            ax.bar(positions + offset, values, width, color=color, label=name,
                   yerr=np.clip(errors, 0, None), capsize=3, error_kw={"elinewidth": 1, "ecolor": "#333333"})
        ax.axhline(0, color="#444444", linewidth=0.8)
        ax.set_xticks(positions, [_wrap(f, 22) for f in factors], fontsize=8)
        low = max(SOBOL_AXIS[0], min(0.0, float(np.nanmin(frame[["S1_low", "ST_low"]].to_numpy()))) - 0.05)
        high = min(SOBOL_AXIS[1], max(1.0, float(np.nanmax(frame[["S1_high", "ST_high"]].to_numpy()))) + 0.05)
        ax.set_ylim(low, high)
        for offset, column in ((-width / 2, "S1"), (width / 2, "ST")):
            intervals = frame[[f"{column}_low", f"{column}_high"]].to_numpy()
            for position, (bottom, top) in zip(positions + offset, intervals):
                beyond = [(top, high, "\u2191", -2, "top")] if top > high else []
                beyond += [(bottom, low, "\u2193", 2, "bottom")] if bottom < low else []
                for end, edge, arrow, shift, align in beyond:
                    ax.annotate(f"{arrow} {end:.3g}", xy=(position, edge), xytext=(0, shift),
                                textcoords="offset points", ha="center", va=align, fontsize=7, color="#333333",
                                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
        ax.axhline(1, color="#888888", linestyle=":", linewidth=0.8)
        confidence = frame.attrs.get("confidence", 0.95)
        style_axis(ax, f"{metric_label(metric).capitalize()}: Sobol indices with {confidence:.0%} bootstrap "
                       f"intervals (N = {frame.attrs.get('base_samples', '?')} base samples)",
                   "share of the output's variance", "factor" if row == len(metrics) - 1 else "")
    axes[0][0].plot([], [], color="#333333", linewidth=1, label="bootstrap interval (ends beyond the axis written "
                                                                   "at its edge)")
    legend_below(fig, *axes[0][0].get_legend_handles_labels(), columns=3)
    return fig


def morris_screening(results: dict[str, pd.DataFrame], units: dict[str, str]) -> Figure:
    """One panel per metric: sigma against mu* of each factor's elementary effects (bars: the bootstrap interval
    of mu* over trajectories), with the line sigma = mu*; factors far right matter, factors high up act through
    interactions or non-linearly."""
    metrics = list(results)
    columns = min(2, len(metrics))
    rows = math.ceil(len(metrics) / columns)
    fig, axes = new_figure(rows, columns, size=(6.2 * columns, 4.8 * rows + 0.4), squeeze=False)
    colors = plt.get_cmap("tab10")
    for panel, metric in enumerate(metrics):
        ax = axes[panel // columns][panel % columns]
        frame = results[metric]
        for k, (factor, row) in enumerate(frame.iterrows()):
            color = colors(k % 10)
            ax.errorbar(row["mu_star"], row["sigma"],
                        xerr=[[row["mu_star"] - row["mu_star_low"]], [row["mu_star_high"] - row["mu_star"]]],
                        fmt="o", color=color, markersize=6, capsize=3, label=factor)
        top = float(np.nanmax(frame[["mu_star_high", "sigma"]].to_numpy())) * 1.1 or 1.0
        ax.plot([0, top], [0, top], color="#888888", linestyle=":", linewidth=1, label="\u03c3 = \u03bc*")
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.xaxis.set_major_formatter(COMPACT)
        ax.yaxis.set_major_formatter(COMPACT)
        unit = units.get(metric, "")
        per = f"{unit} per factor range" if unit else "per factor range"
        style_axis(ax, _wrap(f"{metric_label(metric).capitalize()} ({frame.attrs.get('trajectories', '?')} "
                             "trajectories)", 60), f"\u03c3, sd of the effects ({per})",
                   f"\u03bc*, mean |effect| ({per})")
        ax.legend(loc="upper left", fontsize=7.5, frameon=False)
    for panel in range(len(metrics), rows * columns):
        axes[panel // columns][panel % columns].set_visible(False)
    fig.suptitle("Morris screening: elementary effects of moving each factor across its range (bars: 95% "
                 "interval of \u03bc*)", x=0.01, ha="left",
                 fontsize=12)
    return fig

