"""The run report's figures (matplotlib, Agg backend): each function takes tidy tables from
:mod:`fanflow_analysis.tables` and returns a Figure. Colors are fixed per channel, creator type, stage and
budget line so they read the same in every figure; the timeline's changes are drawn as labelled vertical lines
on every calendar-time axis (:func:`mark_timeline`)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, PercentFormatter  # noqa: E402
from statsmodels.duration.survfunc import SurvfuncRight  # noqa: E402

from fanflow_analysis import stats  # noqa: E402
from fanflow_analysis.tables import BUDGET_LINES, FUNNEL_STAGES, STAGES  # noqa: E402

CHANNEL_COLORS = {
    "recommendation": "#1f77b4", "follow_feed": "#2ca02c", "friend_share": "#ff7f0e", "group": "#9467bd",
    "ads": "#d62728", "live": "#8c564b",
}
CHANNEL_LABELS = {
    "recommendation": "recommendation (public)", "follow_feed": "follow feed (private)",
    "friend_share": "friends' shares (private)", "group": "chat groups (private)", "ads": "ads (paid public)",
    "live": "live selling",
}
TYPE_COLORS = {"small IP": "#1f77b4", "big IP": "#ff7f0e", "brand account": "#2ca02c"}
TYPE_STYLES = {"small IP": "-", "big IP": "--", "brand account": ":"}
STAGE_COLORS = {"departure": "#c6dbef", "exploration": "#6baed6", "harvest": "#2171b5", "on the road": "#08306b",
                "exited": "#bdbdbd"}
#: The /timeseries column of each budget line's spend, all brands together.
BUDGET_SERIES = {"ads": "brand_ad_spend", "sponsorship": "brand_sponsorship_spend", "content": "brand_content_spend",
                 "live": "brand_live_spend"}
BUDGET_COLORS = {"ads": "#d62728", "sponsorship": "#ff7f0e", "content": "#2ca02c", "live": "#8c564b"}
TIMELINE_COLOR = "#444444"
DAY_LABEL = "day of the run"
WIDE = (9.0, 4.2)


def style_axis(ax: Axes, title: str, ylabel: str, xlabel: str = DAY_LABEL) -> None:
    """The reports' axis style: title on the left, axis labels, a light grid, no top or right spine."""
    ax.set_title(title, loc="left", fontsize=11)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3, linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)


def _compact(value: float, _position: object = None) -> str:
    """Tick labels such as 950, 12k, 3.4M."""
    for threshold, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= threshold:
            return f"{value / threshold:.3g}{suffix}"
    return f"{value:.3g}"


COMPACT = FuncFormatter(_compact)


def _followers_scale(ax: Axes) -> None:
    """Log scale for follower counts spanning a decade or more (how growth reads); linear within one decade,
    where a log axis only adds unreadable minor labels."""
    ax.set_yscale("log")
    low, high = ax.get_ylim()
    if high / max(low, 1e-9) < 10:
        ax.set_yscale("linear")
    ax.yaxis.set_major_formatter(COMPACT)


def timeline_marks(timeline: pd.DataFrame, events: pd.DataFrame | None = None) -> list[tuple[int, str]]:
    """One (tick, label) per tick with changes. Each entry reads as its label, else its keys and values; where
    the event log says a window ended there (``timeline_applied`` with value 0), as 'end of ...'."""
    ended = set()
    if events is not None and len(events):
        applied = events[events["kind"] == "timeline_applied"]
        ended = {(int(t), int(e)) for t, e, v in zip(applied["tick"], applied["subject"], applied["value"]) if v == 0}
    marks = []
    for tick, rows in timeline.groupby("tick", sort=True):
        parts = []
        for entry, changes in rows.groupby("entry", sort=True):
            label = str(changes["label"].iloc[0]) or _describe_changes(changes)
            parts.append(f"end of {label}" if (int(tick), int(entry)) in ended else label)
        marks.append((int(tick), "; ".join(dict.fromkeys(parts))))
    return marks


def _describe_changes(changes: pd.DataFrame) -> str:
    """An unlabelled entry: its event ('super brand day: brand 0, top 5 creators'), its preset, else key=value
    for each change."""
    events = [(k, v) for k, v in zip(changes["key"], changes["value"]) if str(k).startswith("event.")]
    if events:
        return "; ".join(f"{str(k)[len('event.'):].replace('_', ' ')}: {v}" for k, v in events)
    presets = changes.loc[changes["key"] == "platform.preset", "value"]
    if len(presets):
        return f"preset {presets.iloc[-1]}"
    return ", ".join(f"{k}={v}" for k, v in zip(changes["key"], changes["value"]))


def mark_timeline(ax: Axes, marks: list[tuple[int, str]]) -> None:
    """Draws each timeline change as a dashed vertical line with its label along it."""
    for tick, label in marks:
        ax.axvline(tick, color=TIMELINE_COLOR, linestyle="--", linewidth=1.0, zorder=5)
        short = label if len(label) <= 45 else label[:42] + "..."
        ax.annotate(f"day {tick}: {short}", xy=(tick, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, -4), textcoords="offset points", rotation=90, va="top", ha="left", fontsize=7.5,
                    color=TIMELINE_COLOR, zorder=6,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})


def new_figure(rows: int = 1, cols: int = 1, size: tuple[float, float] = WIDE,
               **kwargs: object) -> tuple[Figure, object]:
    """A figure of `rows` x `cols` axes with constrained layout (`kwargs` go to plt.subplots)."""
    fig, axes = plt.subplots(rows, cols, figsize=size, layout="constrained", **kwargs)
    return fig, axes


def fan_growth(followers: pd.DataFrame, creators: pd.DataFrame, marks: list[tuple[int, str]]) -> Figure:
    """Median and 10-90% band of followers across the creators of each type on the platform that day (log)."""
    fig, ax = new_figure()
    alive = alive_mask(followers, creators)
    for type_name, color in TYPE_COLORS.items():
        ids = creators.index[creators["type_name"] == type_name]
        if len(ids) == 0:
            continue
        values = followers[ids].where(alive[ids])
        median = values.median(axis=1)
        low, high = values.quantile(0.1, axis=1), values.quantile(0.9, axis=1)
        ax.fill_between(values.index, low, high, color=color, alpha=0.2, linewidth=0)
        ax.plot(values.index, median, color=color, linewidth=2, label=f"{type_name} ({len(ids)}): median")
        ax.plot([], [], color=color, alpha=0.3, linewidth=8, label=f"{type_name}: 10-90% band")
    ax.set_yscale("log")
    ax.set_ylim(bottom=0.8)
    ax.yaxis.set_major_formatter(COMPACT)
    style_axis(ax, "Followers per creator by type (creators on the platform that day)",
                "followers (log scale)")
    mark_timeline(ax, marks)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False, title="creator type",
              title_fontsize=8)
    return fig


def top_creators(followers: pd.DataFrame, creators: pd.DataFrame, marks: list[tuple[int, str]],
                 count: int = 10) -> Figure:
    """Follower curves of the `count` creators with most followers at the end, and of the `count` that gained
    most since they joined (big IPs start with followers; the fastest growers are often small IPs)."""
    fig, axes = new_figure(1, 2, size=(13.0, 4.6))
    final = followers.iloc[-1].fillna(0)
    start = followers.apply(lambda column: column.dropna().iloc[0] if column.notna().any() else 0.0)
    panels = ((axes[0], final.sort_values(ascending=False, kind="stable"), "most followers at the end",
               "followers at the end"),
              (axes[1], (final - start).sort_values(ascending=False, kind="stable"),
               "most followers gained since joining", "gained"))
    for ax, ranking, title, legend_title in panels:
        for rank, creator in enumerate(ranking.index[:count]):
            type_name = creators.loc[creator, "type_name"]
            ax.plot(followers.index, followers[creator], TYPE_STYLES.get(type_name, "-"),
                    color=plt.get_cmap("tab10")(rank % 10), linewidth=1.6,
                    label=f"#{creator} ({type_name}): {int(ranking[creator]):,}")
        _followers_scale(ax)
        scale_note = " (log scale)" if ax.get_yscale() == "log" else ""
        style_axis(ax, f"The {min(count, len(ranking))} creators with {title}", "followers" + scale_note)
        mark_timeline(ax, marks)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=7.5, frameon=False,
                  title=f"creator (type): {legend_title}; solid small IP, dashed big IP, dotted brand account",
                  title_fontsize=7.5)
    return fig


def channel_traffic(traffic: pd.DataFrame, marks: list[tuple[int, str]]) -> Figure:
    """Stacked areas of impressions and of follows won per day, by channel."""
    fig, axes = new_figure(2, 1, size=(9.0, 7.0), sharex=True)
    for ax, measure, title, unit in (
            (axes[0], "impressions", "Impressions per day, by channel", "impressions per day"),
            (axes[1], "follows", "Follows won per day, by channel of the item or session that won them",
             "follows per day")):
        table = traffic.pivot(index="tick", columns="channel", values=measure)
        channels = [c for c in table.columns if c in CHANNEL_COLORS]
        ax.stackplot(table.index, *(table[c].to_numpy(dtype=float) for c in channels),
                     colors=[CHANNEL_COLORS[c] for c in channels], labels=[CHANNEL_LABELS[c] for c in channels],
                     alpha=0.85, linewidth=0)
        ax.yaxis.set_major_formatter(COMPACT)
        style_axis(ax, title, unit)
        mark_timeline(ax, marks)
    axes[0].set_xlabel("")
    handles, labels = axes[0].get_legend_handles_labels()
    axes[0].legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                   frameon=False, title="channel")
    return fig


def lorenz_curve(final_followers: np.ndarray) -> Figure:
    """The Lorenz curve of the creators' followers at the end, with the line of equality."""
    fig, ax = new_figure(size=(5.6, 5.0))
    population, share = stats.lorenz(final_followers)
    gini = stats.gini(final_followers)
    top = stats.top_share(final_followers, 0.03)
    ax.plot([0, 1], [0, 1], color="#888888", linestyle=":", label="perfect equality")
    ax.plot(population, share, color="#1f77b4", linewidth=2, label=f"followers (Gini {gini:.2f})")
    ax.fill_between(population, share, population, color="#1f77b4", alpha=0.12, linewidth=0)
    ax.annotate(f"top 3% of creators hold {top:.0%}", xy=(0.97, 1 - top), xytext=(0.35, 0.8),
                arrowprops={"arrowstyle": "->", "color": "#444444"}, fontsize=9)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    style_axis(ax, f"Lorenz curve of followers at the end ({len(final_followers):,} creators)",
                "share of all followers", "share of creators, fewest followers first")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return fig


def concentration_over_time(concentration: pd.DataFrame, marks: list[tuple[int, str]]) -> Figure:
    """Gini coefficient and top-3% share of followers, day by day."""
    fig, ax = new_figure()
    ax.plot(concentration.index, concentration["gini"], color="#1f77b4", linewidth=2, label="Gini coefficient")
    ax.plot(concentration.index, concentration["top3_share"], color="#d62728", linewidth=2,
            label="share of followers held by the top 3% of creators")
    ax.set_ylim(0, 1)
    style_axis(ax, "Concentration of followers among creators on the platform", "Gini / share (0 to 1)")
    mark_timeline(ax, marks)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8, frameon=False)
    return fig


def survival(creators: pd.DataFrame) -> Figure:
    """Kaplan-Meier survival of creators by type, in days since joining (creators still there are censored)."""
    fig, ax = new_figure()
    for type_name, color in TYPE_COLORS.items():
        group = creators[creators["type_name"] == type_name]
        if group.empty:
            continue
        curve = survival_curve(group)
        exits = int(group["exited"].sum())
        ax.step(curve["days"], curve["survival"], TYPE_STYLES[type_name], where="post", color=color, linewidth=2.2,
                label=f"{type_name}: {exits} of {len(group)} exited")
        ax.fill_between(curve["days"], curve["low"], curve["high"], step="post", color=color, alpha=0.15,
                        linewidth=0)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    style_axis(ax, "Creator survival (Kaplan-Meier, shaded: 95% pointwise interval)", "share still on the platform",
                "days since the creator joined")
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    return fig


def survival_curve(group: pd.DataFrame) -> pd.DataFrame:
    """Kaplan-Meier estimate (statsmodels SurvfuncRight) of `group`'s time on the platform, from day 0, with a
    95% pointwise interval (estimate +/- 1.96 standard errors, clipped to [0, 1])."""
    lifetime = group["lifetime"].to_numpy(dtype=float)
    exited = group["exited"].to_numpy(dtype=int)
    end = float(lifetime.max()) if lifetime.size else 0.0
    if exited.sum() == 0:
        return pd.DataFrame({"days": [0.0, end], "survival": [1.0, 1.0], "low": [1.0, 1.0], "high": [1.0, 1.0]})
    fit = SurvfuncRight(lifetime, exited)
    days = np.concatenate(([0.0], fit.surv_times, [end]))
    prob = np.concatenate(([1.0], fit.surv_prob, [fit.surv_prob[-1]]))
    se = np.concatenate(([0.0], fit.surv_prob_se, [fit.surv_prob_se[-1]]))
    return pd.DataFrame({"days": days, "survival": prob, "low": np.clip(prob - 1.96 * se, 0, 1),
                         "high": np.clip(prob + 1.96 * se, 0, 1)})


def stage_counts(stage_table: pd.DataFrame, marks: list[tuple[int, str]]) -> Figure:
    """Stacked areas of creators per lifecycle stage each day, with the creators that have exited on top."""
    fig, ax = new_figure()
    layers = [name for name in (*STAGES.values(), "exited") if name in stage_table]
    ax.stackplot(stage_table.index, *(stage_table[n].to_numpy(dtype=float) for n in layers),
                 colors=[STAGE_COLORS[n] for n in layers], labels=layers, alpha=0.9, linewidth=0)
    ax.yaxis.set_major_formatter(COMPACT)
    style_axis(ax, "Creators by growth stage (grey: exited so far)", "creators")
    mark_timeline(ax, marks)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8,
              frameon=False, title="stage")
    return fig


def true_fans(creators: pd.DataFrame, series: pd.DataFrame, marks: list[tuple[int, str]]) -> Figure:
    """Distribution of true fans per creator at the end (log bins), and true fans as a share of follows."""
    fig, axes = new_figure(1, 2, size=(10.0, 4.2))
    alive = creators[~creators["exited"]]
    counts = alive["true_fans"].to_numpy(dtype=float)
    positive = counts[counts > 0]
    if positive.size:
        bins = np.unique(np.round(np.logspace(0, np.log10(positive.max() + 1), 25)))
        groups = [(name, alive.loc[alive["type_name"] == name, "true_fans"].to_numpy(dtype=float))
                  for name in TYPE_COLORS]
        groups = [(name, values[values > 0]) for name, values in groups if (values > 0).any()]
        axes[0].hist([values for _, values in groups], bins=bins, stacked=True, alpha=0.85,
                     color=[TYPE_COLORS[name] for name, _ in groups], label=[name for name, _ in groups])
        axes[0].set_xscale("log")
        axes[0].xaxis.set_major_formatter(COMPACT)
        axes[0].legend(fontsize=8, frameon=False)
    zero = int((counts == 0).sum())
    style_axis(axes[0], f"True fans per creator at the end ({zero:,} of {len(counts):,} have none)",
                "creators (stacked by type)", "true fans (log scale)")
    share = series["true_fans"] / series["follow_edges"].where(series["follow_edges"] > 0)
    axes[1].plot(series.index, share, color="#6a3d9a", linewidth=2)
    axes[1].yaxis.set_major_formatter(PercentFormatter(1.0))
    axes[1].set_ylim(bottom=0)
    style_axis(axes[1], "True fans as a share of all follows", "true fans / follows")
    mark_timeline(axes[1], marks)
    return fig


def brand_funnel(brands: pd.DataFrame) -> Figure:
    """Users whose purchase journey reached each SICAS stage, all brands together."""
    fig, ax = new_figure(size=(7.5, 4.2))
    totals = [float(brands[f"funnel_{s}"].sum()) for s in FUNNEL_STAGES]
    labels = ["Sense", "Interest", "Connect", "Action\n(bought)", "Share"]
    bars = ax.bar(labels, totals, color=["#c6dbef", "#9ecae1", "#6baed6", "#2171b5", "#08519c"])
    for bar, value, previous in zip(bars, totals, [None, *totals[:-1]]):
        note = f"{value:,.0f}" + (f"\n({value / previous:.0%} of previous)" if previous else "")
        ax.annotate(note, xy=(bar.get_x() + bar.get_width() / 2, value), xytext=(0, 2), textcoords="offset points",
                    ha="center", va="bottom", fontsize=8)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(COMPACT)
    ax.margins(y=0.25)
    style_axis(ax, f"Purchase funnel (SICAS), all {len(brands)} brands", "journeys reaching the stage (log scale)",
                "stage")
    return fig


def brand_spend(series: pd.DataFrame, marks: list[tuple[int, str]]) -> Figure:
    """Stacked areas of the brands' spend per day by budget line."""
    fig, ax = new_figure()
    lines = [line for line in BUDGET_LINES if BUDGET_SERIES[line] in series]
    ax.stackplot(series.index, *(series[BUDGET_SERIES[line]].to_numpy(dtype=float) for line in lines),
                 colors=[BUDGET_COLORS[line] for line in lines], labels=lines, alpha=0.85, linewidth=0)
    ax.yaxis.set_major_formatter(COMPACT)
    style_axis(ax, "Brands' spend per day by budget line (content is produced off the platform)", "money per day")
    mark_timeline(ax, marks)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False,
              title="budget line")
    return fig


def return_on_spend(brand_series: pd.DataFrame, overall: pd.Series, marks: list[tuple[int, str]]) -> Figure:
    """Cumulative return on spend: all brands together, and the median and 10-90% band across brands."""
    fig, ax = new_figure()
    per_brand = brand_series.pivot(index="tick", columns="brand", values="return_on_spend")
    spent = brand_series.pivot(index="tick", columns="brand", values="spend_total").cumsum() > 0
    per_brand = per_brand.where(spent)
    ax.fill_between(per_brand.index, per_brand.quantile(0.1, axis=1), per_brand.quantile(0.9, axis=1),
                    color="#2ca02c", alpha=0.2, linewidth=0, label="10-90% of brands")
    ax.plot(per_brand.index, per_brand.median(axis=1), color="#2ca02c", linewidth=1.5, label="median brand")
    ax.plot(overall.index, overall, color="#000000", linewidth=2, label="all brands together")
    ax.axhline(1.0, color="#888888", linestyle=":", linewidth=1)
    ax.set_ylim(bottom=0)
    style_axis(ax, "Return on spend: revenue / spend, both cumulative to that day (dotted: break-even)",
                "revenue per money spent")
    mark_timeline(ax, marks)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return fig


def alive_mask(followers: pd.DataFrame, creators: pd.DataFrame) -> pd.DataFrame:
    """True where the creator had joined and not exited by the end of that day."""
    ticks = followers.index.to_numpy()[:, None]
    joined = creators["joined_tick"].to_numpy(dtype=np.int64)[None, :]
    exit_tick = creators["exit_tick"].fillna(np.iinfo(np.int64).max).to_numpy(dtype=np.int64)[None, :]
    mask = (ticks >= joined) & (ticks < exit_tick)
    return pd.DataFrame(mask, index=followers.index, columns=creators.index)
