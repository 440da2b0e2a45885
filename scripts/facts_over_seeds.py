#!/usr/bin/env python3
"""The stylized-facts table of a scenario under each platform preset over several seeds.

Runs `fanflow run` for every (preset, seed), then `fanflow facts --json` on each run, and prints one table: each
fact's band and, per preset, the mean over the seeds with its range and how many seeds fall inside the band.
This is the search tool behind the default world and the presets (docs/facts.md, "How the world was tuned"):

    scripts/facts_over_seeds.py scenarios/default.yaml --seeds 1 2 3 --set pools.exposure_days=2

With --doc PATH the table replaces the one between `<!-- facts-table -->` and `<!-- /facts-table -->` in PATH
(docs/worlds.md); with --check as well nothing is written and the exit status is 1 when PATH's table is stale.
With --doc the claims of docs/worlds.md are checked too (exit 1 naming each one that fails): every run inside every
band, and the presets differing in the stated directions (DIRECTIONS).
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

PRESETS = ["none", "recommendation_heavy", "follow_heavy", "friend_share"]

# The directions in which the presets differ (docs/worlds.md), each checked on the means over the seeds:
# (fact, preset, relation, other presets, factor): preset's mean `relation` factor times each other's mean.
DIRECTIONS = [
    ("top3_view_share", "recommendation_heavy", "highest", ["none", "follow_heavy", "friend_share"], 1),
    ("top3_view_share", "follow_heavy", "lowest", ["none", "recommendation_heavy", "friend_share"], 1),
    ("follow_feed_share", "follow_heavy", "highest", ["recommendation_heavy"], 2),
    ("friend_group_share", "friend_share", "highest", ["none", "recommendation_heavy", "follow_heavy"], 1),
    ("live_revenue_share", "recommendation_heavy", "highest", ["none", "follow_heavy", "friend_share"], 3),
]


def find_binary(given):
    if given:
        return given
    if os.environ.get("FANFLOW_BINARY"):
        return os.environ["FANFLOW_BINARY"]
    built = pathlib.Path(__file__).resolve().parent.parent / "build" / "fanflow"
    return str(built) if built.exists() else shutil.which("fanflow")


def run_one(binary, scenario, preset, seed, settings, folder, threads):
    output = pathlib.Path(folder) / f"{preset}-seed{seed}.h5"
    command = [binary, "run", scenario, "-q", "-o", str(output), "-t", str(threads),
               "--set", f"platform.preset={preset}", "--set", f"run.seed={seed}"]
    for setting in settings:
        command += ["--set", setting]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    facts = subprocess.run([binary, "facts", str(output), "--json"], check=True, capture_output=True, text=True)
    output.unlink()
    return preset, seed, json.loads(facts.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="scenarios/default.yaml")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--presets", nargs="+", default=PRESETS, choices=PRESETS)
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                        help="a parameter for every run (repeatable)")
    parser.add_argument("--binary", help="the fanflow program (default: build/fanflow, then FANFLOW_BINARY, PATH)")
    parser.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 1) // 2), help="runs side by side")
    parser.add_argument("--json", action="store_true", help="print every run's facts as JSON instead")
    parser.add_argument("--doc", help="write the table into this document, between its facts-table markers")
    parser.add_argument("--check", action="store_true", help="with --doc: only check that its table is current")
    args = parser.parse_args()
    binary = find_binary(args.binary)
    if not binary:
        sys.exit("facts_over_seeds: no fanflow program found (build it, or give --binary)")
    threads = max(1, (os.cpu_count() or 1) // args.jobs)

    with tempfile.TemporaryDirectory() as folder, concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        jobs = [pool.submit(run_one, binary, args.scenario, preset, seed, args.settings, folder, threads)
                for preset in args.presets for seed in args.seeds]
        try:
            results = [job.result() for job in jobs]
        except subprocess.CalledProcessError as error:
            sys.exit(f"facts_over_seeds: {' '.join(error.cmd)} failed with exit status {error.returncode}")
    if args.json:
        json.dump([{"preset": p, "seed": s, "facts": f} for p, s, f in results], sys.stdout, indent=1)
        return

    by_preset = {preset: [f for p, _, f in results if p == preset] for preset in args.presets}
    names = [fact["name"] for fact in results[0][2]["facts"]]
    header = ["fact", "band"] + args.presets
    rows = []
    for name in names:
        band = next(f["band"] for f in results[0][2]["facts"] if f["name"] == name)
        row = [name, f"{band[0]:.2f}–{band[1]:.2f}" if band else "–"]
        for preset in args.presets:
            facts = [next(f for f in run["facts"] if f["name"] == name) for run in by_preset[preset]]
            values = [f["value"] for f in facts if f["value"] is not None]
            if not values:
                row.append("–")
                continue
            cell = f"{sum(values) / len(values):.3f} ({min(values):.3f}–{max(values):.3f})"
            if band:
                inside = sum(1 for f in facts if f["inside"])
                cell += f" {inside}/{len(facts)}"
            row.append(cell)
        rows.append(row)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += ["", f"mean (range) over seeds {' '.join(map(str, args.seeds))}; k/n: seeds inside the band; "
                  f"settings: {' '.join(args.settings) or 'none'}"]
    table = "\n".join(lines)
    if not args.doc:
        print(table)
        return 0
    failures = claims_failing(by_preset)
    for failure in failures:
        print(f"facts_over_seeds: {args.doc}: {failure}", file=sys.stderr)
    status = write_doc(pathlib.Path(args.doc), table, args.check)
    return 1 if failures else status


def claims_failing(by_preset):
    """What docs/worlds.md claims and the runs do not give: a run outside a band, a direction not held."""
    failures = []
    for preset, runs in by_preset.items():
        for seed_index, run in enumerate(runs):
            for fact in run["facts"]:
                if fact["band"] and not fact["inside"]:
                    failures.append(f"{preset}, run {seed_index + 1}: {fact['name']} = {fact['value']} is outside "
                                    f"its band {fact['band']}")

    def mean(preset, name):
        values = [next(f["value"] for f in run["facts"] if f["name"] == name) for run in by_preset[preset]]
        return sum(values) / len(values)

    for name, preset, relation, others, factor in DIRECTIONS:
        if preset not in by_preset or any(other not in by_preset for other in others):
            continue
        for other in others:
            mine, theirs = mean(preset, name), mean(other, name)
            held = mine > factor * theirs if relation == "highest" else mine * factor < theirs
            if not held:
                failures.append(f"{name}: {preset} ({mine:.3f}) is not {'above' if relation == 'highest' else 'below'}"
                                f" {factor} x {other} ({theirs:.3f})")
    return failures


def write_doc(path, table, check):
    """Puts `table` between the facts-table markers of `path`, or with `check` says whether it is there."""
    text = path.read_text(encoding="utf-8")
    marker = re.compile(r"(<!-- facts-table -->\n).*?(<!-- /facts-table -->)", re.DOTALL)
    if not marker.search(text):
        sys.exit(f"facts_over_seeds: {path}: no <!-- facts-table --> ... <!-- /facts-table --> markers")
    updated = marker.sub(lambda m: m[1] + table.rstrip("\n") + "\n" + m[2], text)
    if check:
        if updated != text:
            print(f"{path} is stale: regenerate its table with `/usr/bin/python3 scripts/facts_over_seeds.py "
                  f"scenarios/default.yaml --doc {path}`")
            return 1
        print(f"{path}: the facts table is up to date")
        return 0
    path.write_text(updated, encoding="utf-8")
    print(f"{path}: facts table written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
