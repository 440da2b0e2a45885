#!/usr/bin/python3
"""Writes the figures of docs/model.md that state what a run gives (and the arithmetic of its equations) from
the runs and the equations themselves.

Usage: update_model_doc.py [--check] [--fanflow BINARY] [--runs DIR] [--doc PATH]

Each figure stands in the doc between markers, `<!-- figure: NAME -->VALUE<!-- /figure -->`. The script runs
what the figures come from (RUNS: the default scenario, and the same with one price for every brand; or reads
DIR/<run>.h5 where it exists, writing the missing ones there), computes each figure of FIGURES and replaces VALUE.
Run results are given to two significant digits (as docs/scenarios.md gives them), the run's own settings (users,
days, brands, parameter values) exactly. With --check nothing is written: exits 1 naming the stale figures. Exit 2
when a run fails, or when the doc and FIGURES do not name the same figures.
"""
from __future__ import annotations

import argparse
import math
import pathlib
import re
import subprocess
import sys
import tempfile
import h5py
import numpy as np
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = re.compile(r"<!-- figure: ([a-z0-9_]+) -->(.*?)<!-- /figure -->", re.DOTALL)
MINUS = "\u2212"

# The runs the figures come from: name -> `fanflow run` arguments after the default scenario.
RUNS = {
    "default": [],
    "one_price": ["--set", "brands.price_sigma=0"],
}


# --- formatting -------------------------------------------------------------------------------------------------

def significant(value: float, digits: int = 2) -> str:
    """`digits` significant digits, thousands separated by commas, a true minus sign: 62268 -> '62,000',
    0.06395 -> '0.064', -0.677 -> '−0.68'."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    places = digits - 1 - int(math.floor(math.log10(abs(value))))
    text = f"{round(value, places):,.{max(places, 0)}f}"
    return text.replace("-", MINUS)


def percent(share: float) -> str:
    return significant(100 * share) + "%"


def change(before: float, after: float) -> str:
    """The relative change from `before` to `after` as a signed percentage: '+38%', '−5%'."""
    text = percent(after / before - 1)
    return text if text.startswith(MINUS) else "+" + text


def exact(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


# --- what the figures read --------------------------------------------------------------------------------------

class Run:
    """One run file, read as the figures need it."""

    def __init__(self, path: pathlib.Path):
        self.f = h5py.File(path, "r")
        self.params = yaml.safe_load(self.f["provenance/scenario"][()].decode())
        self.ticks = int(self.f.attrs["ticks"])
        self.channels = [str(c) for c in self.f["timeseries/impressions"].attrs["columns"]]

    def series(self, name: str) -> np.ndarray:
        return self.f["timeseries/" + name][:]

    def channel(self, name: str, channel: str) -> float:
        return float(self.series(name)[:, self.channels.index(channel)].sum())

    def total(self, path: str) -> float:
        return float(self.f[path][:].sum())

    def creators(self, name: str) -> np.ndarray:
        """A /creators/summary column, brands' own accounts left out."""
        summary = self.f["creators/summary"]
        return summary[name][:][summary["type"][:] != 2]

    def line_return(self, line: str) -> float:
        return self.total(f"brands/revenue_{line}") / self.total(f"brands/summary/spend_{line}")


def pools(runs: dict) -> dict[str, str]:
    d = runs["default"]
    promoted = d.series("items_promoted").sum(axis=0)
    return {
        "pools_users": exact(d.params["population"]["users"]),
        "pools_days": exact(d.ticks),
        "pools_likes_per_recommended": significant(d.channel("likes", "recommendation")
                                                   / d.channel("impressions", "recommendation")),
        "pools_pass_share": percent(promoted[1] / promoted[0]),
        "pools_posted": significant(promoted[0]),
        "pools_tier2": significant(promoted[1]),
        "pools_tier3": significant(promoted[2]),
        "pools_tier4": significant(promoted[3]),
    }


def knowledge(runs: dict) -> dict[str, str]:
    d = runs["default"]
    earned = d.creators("income_paid_knowledge")
    sales = d.series("knowledge_sales")
    return {
        "knowledge_days": exact(d.ticks),
        "knowledge_lever_share": percent(d.creators("sells_knowledge").mean()),
        "knowledge_creators": significant(len(earned)),
        "knowledge_sales": significant(sales.sum()),
        "knowledge_revenue": significant(d.series("knowledge_revenue").sum()),
        "knowledge_kept": significant(earned.sum()),
        "knowledge_income_share": percent(earned.sum() / d.creators("income").sum()),
        "knowledge_commission": significant(d.series("platform_knowledge_commission").sum()),
        "knowledge_earners": significant((earned > 0).sum()),
        "knowledge_sales_last_week": significant(sales[-7:].mean()),
    }


def prices(runs: dict) -> dict[str, str]:
    d = runs["default"]
    summary = d.f["brands/summary"]
    price = summary["price"][:]
    conversion = summary["funnel_action"][:] / summary["funnel_connect"][:]
    sigma = d.params["brands"]["price_sigma"]
    elasticity = d.params["sicas"]["price_elasticity"]
    purchases = {name: run.series("purchases").sum() for name, run in runs.items()}
    repeats = {name: run.series("repeat_purchases").sum() for name, run in runs.items()}
    revenue = {name: run.series("revenue").sum() for name, run in runs.items()}
    return {
        "prices_sigma": exact(sigma),
        "prices_elasticity": exact(elasticity),
        # E[psi^-eps] = exp(eps (eps + 1) sigma^2 / 2) for the lognormal of mean 1 (docs/model.md, "Prices").
        "prices_conversion_gain": percent(math.exp(elasticity * (elasticity + 1) * sigma ** 2 / 2) - 1),
        "prices_days": exact(d.ticks),
        "prices_brands": exact(len(price)),
        "prices_min": significant(price.min()),
        "prices_max": significant(price.max()),
        "prices_mean": significant(price.mean()),
        "prices_sicas_price": exact(d.params["sicas"]["price"]),
        "prices_purchases_one_price": significant(purchases["one_price"]),
        "prices_purchases": significant(purchases["default"]),
        "prices_purchases_change": change(purchases["one_price"], purchases["default"]),
        "prices_repeats_one_price": significant(repeats["one_price"]),
        "prices_repeats": significant(repeats["default"]),
        "prices_revenue_one_price": significant(revenue["one_price"]),
        "prices_revenue": significant(revenue["default"]),
        "prices_revenue_change": change(revenue["one_price"], revenue["default"]),
        "prices_conversion_correlation": significant(np.corrcoef(np.log(price), np.log(conversion))[0, 1]),
    }


def returns(runs: dict) -> dict[str, str]:
    d = runs["default"]
    revenue = d.series("revenue").sum()
    spend = sum(d.total(f"brands/summary/spend_{line}") for line in ("ads", "sponsorship", "content", "live"))
    figures = {f"returns_{line}": significant(d.line_return(line))
               for line in ("ads", "sponsorship", "content", "live")}
    figures["returns_all"] = significant(revenue / spend)
    return figures


def cascades(runs: dict) -> dict[str, str]:
    d = runs["default"]
    by_depth = d.series("cascades_by_depth").sum(axis=0)
    by_size = d.series("cascades_by_size").sum(axis=0)
    shares = d.series("shares_by_depth").sum(axis=0)
    depths = [str(c) for c in d.f["timeseries/cascades_by_depth"].attrs["columns"]]
    return {
        "cascades_ended": significant(by_depth.sum()),
        "cascades_within_one_hop": percent(by_depth[:2].sum() / by_depth.sum()),
        "cascades_one_share": percent(by_size[0] / by_size.sum()),
        "cascades_reshare_share": percent(shares[1:].sum() / shares.sum()),
        "cascades_deepest": depths[int(np.flatnonzero(by_depth)[-1])],
    }


def bass(runs: dict) -> dict[str, str]:
    """The largest gap between one step a day of the adoption recursion (K = 1) and the Bass curve, at the p and q
    the doc names (arithmetic of the equations, no run)."""
    p, q = 0.03, 0.38
    share, gaps = 0.0, []
    for day in range(1, 120):
        share += (1 - share) * -math.expm1(-(p + q * share))
        curve = (1 - math.exp(-(p + q) * day)) / (1 + (q / p) * math.exp(-(p + q) * day))
        gaps.append(share - curve)
    ahead, behind = max(gaps), -min(gaps)
    return {"bass_one_step_gap": (f"runs ahead of the curve by up to {significant(ahead)}" if ahead > behind
                                  else f"lags behind the curve by up to {significant(behind)}")}


def audience_distance(runs: dict) -> dict[str, str]:
    """The like-rate ratios between follower tiers that the doc fits the audience distance to: Markerly's (8%, 4%,
    2.4%) and the model's (1 + F/F0)^-eps at F0 = 100, eps = 0.3 between 500, 5,000 and 30,000 followers
    (arithmetic, no run)."""
    def distance(followers: float) -> float:
        return (1 + followers / 100) ** -0.3
    return {
        "audience_tier_ratio_1": exact(8 / 4),
        "audience_tier_ratio_2": significant(4 / 2.4),
        "audience_model_ratio_1": significant(distance(500) / distance(5000)),
        "audience_model_ratio_2": significant(distance(5000) / distance(30000)),
    }


FIGURES = [pools, knowledge, prices, returns, cascades, bass, audience_distance]


def preset_table(fanflow: str) -> dict[str, str]:
    """The table of platform presets, as `fanflow params --presets --markdown` prints it (a block of lines)."""
    result = subprocess.run([fanflow, "params", "--presets", "--markdown"], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"update_model_doc: fanflow params --presets: {result.stderr.strip()}")
    return {"preset_table": "\n" + result.stdout.strip() + "\n"}


# --- the doc ------------------------------------------------------------------------------------------------------

def run_files(fanflow: str, folder: pathlib.Path) -> dict[str, pathlib.Path]:
    files = {}
    for name, arguments in RUNS.items():
        path = folder / f"{name}.h5"
        if not path.exists():
            result = subprocess.run([fanflow, "run", "-q", "-o", str(path), *arguments], capture_output=True,
                                    text=True)
            if result.returncode != 0:
                sys.exit(f"update_model_doc: run {name}: {result.stderr.strip()}")
        files[name] = path
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the doc is stale")
    parser.add_argument("--fanflow", default=str(ROOT / "build" / "fanflow"), help="the fanflow program")
    parser.add_argument("--runs", help="a folder of run files to reuse (and to write the missing ones to)")
    parser.add_argument("--doc", default=str(ROOT / "docs" / "model.md"), help="the document")
    args = parser.parse_args()
    doc_path = pathlib.Path(args.doc)
    doc = doc_path.read_text(encoding="utf-8")
    named = {name for name, _ in MARKER.findall(doc)}
    with tempfile.TemporaryDirectory() as scratch:
        folder = pathlib.Path(args.runs or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        runs = {name: Run(path) for name, path in run_files(args.fanflow, folder).items()}
        figures: dict[str, str] = {}
        for compute in FIGURES:
            figures.update(compute(runs))
        figures.update(preset_table(args.fanflow))
        for run in runs.values():
            run.f.close()
    if named != set(figures):
        missing, unknown = sorted(set(figures) - named), sorted(named - set(figures))
        print(f"update_model_doc: {args.doc}: " + "; ".join(
            ([f"no marker for {', '.join(missing)}"] if missing else [])
            + ([f"no figure named {', '.join(unknown)}"] if unknown else [])), file=sys.stderr)
        return 2
    stale = sorted({name for name, value in MARKER.findall(doc) if value != figures[name]})
    if args.check:
        if stale:
            print(f"{args.doc} is stale in {len(stale)} figure(s) ({', '.join(stale)}): regenerate them with "
                  "`/usr/bin/python3 scripts/update_model_doc.py`")
            return 1
        print(f"{args.doc}: {len(figures)} figures up to date")
        return 0
    doc_path.write_text(MARKER.sub(lambda m: f"<!-- figure: {m[1]} -->{figures[m[1]]}<!-- /figure -->", doc),
                        encoding="utf-8")
    print(f"{args.doc}: {len(stale)} of {len(figures)} figures rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
