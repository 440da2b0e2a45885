#!/usr/bin/python3
"""Writes the outcome table of docs/scenarios.md from the ready scenarios' measured figures.

Usage: update_scenarios_doc.py [--check] [--fanflow BINARY] [--runs DIR]

Runs every scenario of fanflow_analysis.scenario_outcomes (or reads DIR/<scenario>.h5 where it exists, writing
the missing ones there), computes the figures of each documented outcome and replaces the table that starts
with "| scenario | question | documented outcome |". With --check nothing is written: exits 1 naming the
scenarios whose row is stale. Exit 2 when a run fails or the doc has no such table.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "analysis"))

from fanflow_analysis import scenario_outcomes  # noqa: E402

HEADER = "| scenario | question | documented outcome |"


def run_files(fanflow, folder):
    files = {}
    for outcome in scenario_outcomes.OUTCOMES:
        path = folder / (pathlib.Path(outcome.scenario).stem + ".h5")
        if not path.exists():
            result = subprocess.run([fanflow, "run", "-q", str(ROOT / "scenarios" / outcome.scenario), "-o",
                                     str(path)], capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f"update_scenarios_doc: {outcome.scenario}: {result.stderr.strip()}")
        files[outcome.scenario] = path
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the doc is stale")
    parser.add_argument("--fanflow", default=str(ROOT / "build" / "fanflow"), help="the fanflow program")
    parser.add_argument("--runs", help="a folder of run files to reuse (and to write the missing ones to)")
    parser.add_argument("--doc", default=str(ROOT / "docs" / "scenarios.md"), help="the document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = pathlib.Path(args.runs or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        figures = {name: scenario_outcomes.outcome(name).measure(path)
                   for name, path in run_files(args.fanflow, folder).items()}
    table = scenario_outcomes.doc_table(figures).rstrip("\n").split("\n")
    doc_path = pathlib.Path(args.doc)
    lines = doc_path.read_text(encoding="utf-8").split("\n")
    if HEADER not in lines:
        print(f"update_scenarios_doc: {args.doc}: no table starting with '{HEADER}'", file=sys.stderr)
        return 2
    start = lines.index(HEADER)
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    stale = [row.split("`")[1] for row in table[2:] if row not in lines[start:end]]
    if args.check:
        if stale or lines[start:end] != table:
            print(f"{args.doc} is stale for {', '.join(stale) or 'the table layout'}: regenerate it with "
                  "`/usr/bin/python3 scripts/update_scenarios_doc.py`")
            return 1
        print(f"{args.doc}: {len(table) - 2} scenario outcomes up to date")
        return 0
    lines[start:end] = table
    doc_path.write_text("\n".join(lines), encoding="utf-8")
    print(f"{args.doc}: {len(stale)} of {len(table) - 2} outcomes rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
