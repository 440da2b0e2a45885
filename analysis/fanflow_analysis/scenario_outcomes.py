"""The documented outcome of each ready scenario (docs/scenarios.md): the figures that show it, computed from the
scenario's run file, and the sentence that states them. The scenario tests check the outcome with the same
figures, and `scripts/update_scenarios_doc.py` writes the table of docs/scenarios.md from them, so the numbers
in the doc are measured, never typed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import h5py
import numpy as np

Figures = dict[str, float]


@dataclass(frozen=True)
class Outcome:
    """A scenario's question, the figures of its outcome and the sentence (a format string over the figures)."""

    scenario: str
    question: str
    figures: Callable[[h5py.File], Figures]
    sentence: str

    def measure(self, run_file: Path | str) -> Figures:
        with h5py.File(run_file, "r") as f:
            return self.figures(f)

    def statement(self, figures: Figures) -> str:
        return self.sentence.format(**{name: _rounded(value) for name, value in figures.items()})


def _rounded(value: float) -> str:
    """Two significant digits, with thousands separated by commas: 0.2437 -> '0.24', 117 -> '120', 94988 -> '95,000'."""
    if value == 0 or not np.isfinite(value):
        return f"{value:g}"
    digits = 1 - int(np.floor(np.log10(abs(value))))
    return f"{round(value, digits):,.{max(digits, 0)}f}"


def _percent(share: float) -> float:
    return 100 * share


def _default_figures(f: h5py.File) -> Figures:
    impressions = f["timeseries/impressions"][:].sum(axis=0).astype(float)
    channels = [str(c) for c in f["timeseries/impressions"].attrs["columns"]]
    kind = f["events/kind"][:]
    private = sum(impressions[channels.index(c)] for c in ("follow_feed", "friend_share", "group", "live"))
    return {
        "private_percent": _percent(private / impressions.sum()),
        "exits": float((kind == 2).sum()),
        "entrants": float((kind == 1).sum()),
        "purchases": float(f["timeseries/purchases"][:].sum()),
        "live_purchases_percent": _percent(f["timeseries/purchases"][:, channels.index("live")].sum()
                                           / f["timeseries/purchases"][:].sum()),
    }


def _small_vs_big_ip_figures(f: h5py.File) -> Figures:
    kind = f["creators/summary/type"][:]
    followers = f["creators/summary/followers"][:].astype(float)
    true_fans = f["creators/summary/true_fans"][:].astype(float)
    big, small = kind == 1, kind == 0
    return {
        "big_followers": followers[big].mean(),
        "small_followers": followers[small].mean(),
        "small_true_fan_percent": _percent(true_fans[small].sum() / followers[small].sum()),
        "big_true_fan_percent": _percent(true_fans[big].sum() / followers[big].sum()),
    }


def _bonus_period_figures(f: h5py.File) -> Figures:
    joined = f["creators/summary/joined_tick"][:]
    curves = f["creators/followers"][:]
    kind, tick = f["events/kind"][:], f["events/tick"][:]
    days = int(f.attrs["ticks"])
    entrants_per_day = np.bincount(tick[kind == 1], minlength=days)
    ids = np.arange(len(joined))
    early = ids[(joined > 0) & (joined < 30)]
    late = ids[(joined >= 90) & (joined < 120)]
    return {
        "early_entrants_per_day": entrants_per_day[:30].mean(),
        "late_entrants_per_day": entrants_per_day[-30:].mean(),
        "early_joiners": float(len(early)),
        "late_joiners": float(len(late)),
        # The share that has at least 10 followers 30 days after joining: followers are heavy-tailed (a few
        # newcomers take off, most gather none), so a mean follows the few and a share follows the many.
        "early_followed_percent": _percent((curves[joined[early] + 30, early] >= 10).mean()) if len(early) else np.nan,
        "late_followed_percent": _percent((curves[joined[late] + 30, late] >= 10).mean()) if len(late) else np.nan,
    }


def _sponsorship_fatigue_figures(f: h5py.File) -> Figures:
    summary = {name: f["creators/summary"][name][:] for name in
               ("sponsored_share", "followers", "true_fans", "income_brand_orders")}
    lever, income = summary["sponsored_share"], summary["income_brand_orders"]
    followers, true_fans = summary["followers"].astype(float), summary["true_fans"].astype(float)
    took = income > 0
    low_cut, high_cut = np.quantile(lever[took], [1 / 3, 2 / 3])
    low, high = took & (lever <= low_cut), took & (lever >= high_cut)
    return {
        "creators_with_deals": float(took.sum()),
        "high_income_per_follower": income[high].sum() / followers[high].sum(),
        "low_income_per_follower": income[low].sum() / followers[low].sum(),
        "high_true_fan_percent": _percent(true_fans[high].sum() / followers[high].sum()),
        "low_true_fan_percent": _percent(true_fans[low].sum() / followers[low].sum()),
    }


def _algorithm_change_figures(f: h5py.File) -> Figures:
    impressions = f["timeseries/impressions"][:].astype(float)
    channels = [str(c) for c in f["timeseries/impressions"].attrs["columns"]]
    share = impressions[:, channels.index("follow_feed")] / impressions.sum(axis=1)
    return {"before_percent": _percent(share[5:45].mean()), "after_percent": _percent(share[50:].mean())}


#: The day of super_brand_day.yaml's event.
SUPER_BRAND_DAY = 30


def _super_brand_day_figures(f: h5py.File) -> Figures:
    own = f["brands/own_followers"][:, 0].astype(float)
    customers = f["brands/new_customers"][:, 0].astype(float)
    lives = f["brands/lives"][:, 0]
    gained = np.diff(own, prepend=0.0)
    day = SUPER_BRAND_DAY
    return {
        "sessions": float(lives[day]),
        "followers_on_the_day": gained[day],
        "followers_other_days": np.delete(gained, day).mean(),
        "followers_at_end": own[-1],
        "customers_on_the_day": customers[day],
        "customers_other_days": np.delete(customers, day).mean(),
    }


OUTCOMES = [
    Outcome("default.yaml", "How do 1,000 creators gather followers from 100,000 users through public and private "
            "traffic, who quits, and how do brands spend?", _default_figures,
            "every channel (live sessions included) carries traffic and sells ({private_percent}% of impressions "
            "are private traffic, {live_purchases_percent}% of the {purchases} purchases are in live sessions); "
            "{exits} creators quit and {entrants} join; brands spend on every budget line and sell every day; "
            "creators earn from live selling; brand accounts gather followers"),
    Outcome("small_vs_big_ip.yaml", "A large audience, or close fans? Big IPs start with followers and post "
            "broadly; small IPs start from nothing in a niche.", _small_vs_big_ip_figures,
            "big IPs end with more followers (about {big_followers} against {small_followers}); a far larger share "
            "of a small IP's followers are true fans (about {small_true_fan_percent}% against "
            "{big_true_fan_percent}%)"),
    Outcome("bonus_period.yaml", "Why does joining a young platform early matter?", _bonus_period_figures,
            "entrants per day fall as creators pile in (about {early_entrants_per_day} a day in the first 30 days, "
            "{late_entrants_per_day} in the last 30); early joiners, boosted by the incentive plan of the first 45 "
            "days, more often have 10 followers or more 30 days after joining than late ones (about "
            "{early_followed_percent}% against {late_followed_percent}%)"),
    Outcome("sponsorship_fatigue.yaml", "What do many brand deals do to a creator's fans?",
            _sponsorship_fatigue_figures,
            "the most commercial third of the creators with deals earns far more brand income per follower than "
            "the least commercial third ({high_income_per_follower} against {low_income_per_follower} money) but "
            "keeps a much smaller share of true fans ({high_true_fan_percent}% against {low_true_fan_percent}%)"),
    Outcome("algorithm_change.yaml", "What happens when the platform moves from recommendation-heavy to "
            "follow-heavy on day 45?", _algorithm_change_figures,
            "the follow-feed share of impressions rises after day 45 by more than half (about {before_percent}% "
            "on days 5-44 to {after_percent}% from day 50)"),
    Outcome("super_brand_day.yaml", "Can one promoted live event move a creator's fans into a brand's own private "
            "domain?", _super_brand_day_figures,
            "on the day, brand 0's account gains over 10 times its usual daily followers, at least a sixth of all "
            "it has at the end, and the brand's new customers more than double ({followers_on_the_day} followers "
            "against {followers_other_days} a day; {customers_on_the_day} customers against "
            "{customers_other_days})"),
]


def outcome(scenario: str) -> Outcome:
    for candidate in OUTCOMES:
        if candidate.scenario == scenario:
            return candidate
    raise KeyError(f"no documented outcome for {scenario}")


def doc_table(figures_by_scenario: dict[str, Figures]) -> str:
    """The table of docs/scenarios.md from each scenario's measured figures."""
    rows = ["| scenario | question | documented outcome |", "|---|---|---|"]
    for o in OUTCOMES:
        rows.append(f"| `{o.scenario}` | {o.question} | {o.statement(figures_by_scenario[o.scenario])} |")
    return "\n".join(rows) + "\n"
