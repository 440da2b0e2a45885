#!/usr/bin/env python3
"""The stylized-facts table of a scenario under each platform preset over several seeds.

Runs `fanflow run` for every (preset, seed), then `fanflow facts --json` on each run, and prints one table: each
fact's band and, per preset, the mean over the seeds with its range and how many seeds fall inside the band.
This is the search tool behind the default world and the presets (docs/facts.md, "How the world was tuned"):

    scripts/facts_over_seeds.py scenarios/default.yaml --seeds 1 2 3 --set pools.exposure_days=2
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

PRESETS = ["none", "recommendation_heavy", "follow_heavy", "friend_share"]


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
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nmean (range) over seeds {' '.join(map(str, args.seeds))}; k/n: seeds inside the band; "
          f"settings: {' '.join(args.settings) or 'none'}")


if __name__ == "__main__":
    main()
