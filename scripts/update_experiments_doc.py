#!/usr/bin/python3
"""Writes the worked example of docs/experiments.md ("What happens to our brand") from a comparison it runs.

Usage: update_experiments_doc.py [--check] [--fanflow BINARY] [--output PATH]

Runs `fanflow compare scenarios/strategist/baseline.yaml scenarios/strategist/plan.yaml -r 10` (into --output,
or a scratch folder), and replaces the lines between "<!-- strategist: begin -->" and "<!-- strategist: end -->"
with the table the command printed (less its timing line, which differs from run to run) and the sentence the
comparison file gives for Acme's revenue against the platform's. The figures do not depend on the thread count.
With --check nothing is written: exits 1 when the doc differs. Exit 2 when the run fails or a marker is missing.
"""
import argparse
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "analysis"))

from fanflow_analysis import experiments  # noqa: E402

BEGIN, END = "<!-- strategist: begin -->", "<!-- strategist: end -->"
BASELINE, PLAN = "scenarios/strategist/baseline.yaml", "scenarios/strategist/plan.yaml"
REPLICATES = 10
TIMING = re.compile(r"^[\d,]+ runs in [\d.]+ s$")


def percent(value):
    """A relative change as a signed percentage with two decimals, as `fanflow compare` prints it ("+20.40%")."""
    text = f"{value:+.2%}"
    return "+0.00%" if text == "-0.00%" else text


def verdict(path):
    """One sentence: the focal brand's revenue effect and the platform's, from the comparison file."""
    brand = experiments.load_comparison_focal_brands(path)[0]
    own = experiments.load_comparison_effects(path, ["revenue", "own_followers"], focal=brand)
    platform = experiments.load_comparison_effects(path, ["brand_sales_revenue"])
    revenue, followers = own.loc["revenue"], own.loc["own_followers"]
    total = platform.loc["brand_sales_revenue"]
    return (f"Over {REPLICATES} pairs of runs, {brand}'s revenue changes by {percent(revenue.relative)} "
            f"(95% CI {percent(revenue.relative_low)} to {percent(revenue.relative_high)}; the interval "
            f"{'excludes' if revenue.excludes_zero else 'includes'} 0), its own account's followers by "
            f"{percent(followers.relative)} (CI {percent(followers.relative_low)} to "
            f"{percent(followers.relative_high)}), while all brands' sales revenue changes by "
            f"{percent(total.relative)} (CI {percent(total.relative_low)} to {percent(total.relative_high)}).")


def generated_block(fanflow, folder):
    out = folder / "acme.h5"
    result = subprocess.run([fanflow, "compare", BASELINE, PLAN, "-r", str(REPLICATES), "-o", str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"update_experiments_doc: fanflow compare failed: {result.stderr.strip()}")
    printed = [line.rstrip() for line in result.stdout.splitlines()
               if not TIMING.match(line) and not line.startswith("wrote ")]
    return ["```text", *printed, "```", "", verdict(out)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when the doc is stale")
    parser.add_argument("--fanflow", default=str(ROOT / "build" / "fanflow"), help="the fanflow program")
    parser.add_argument("--output", help="keep the comparison file here (default: a scratch folder)")
    parser.add_argument("--doc", default=str(ROOT / "docs" / "experiments.md"), help="the document")
    args = parser.parse_args()
    doc_path = pathlib.Path(args.doc)
    lines = doc_path.read_text(encoding="utf-8").split("\n")
    if BEGIN not in lines or END not in lines:
        print(f"update_experiments_doc: {args.doc}: no lines '{BEGIN}' and '{END}'", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        folder = pathlib.Path(scratch)
        block = generated_block(args.fanflow, folder)
        if args.output:
            pathlib.Path(args.output).write_bytes((folder / "acme.h5").read_bytes())
    start, end = lines.index(BEGIN) + 1, lines.index(END)
    if args.check:
        if lines[start:end] != block:
            print(f"{args.doc} is stale in the worked example: regenerate it with "
                  "`/usr/bin/python3 scripts/update_experiments_doc.py`\nmeasured:\n" + "\n".join(block))
            return 1
        print(f"{args.doc}: the worked example is up to date")
        return 0
    lines[start:end] = block
    doc_path.write_text("\n".join(lines), encoding="utf-8")
    print(f"{args.doc}: the worked example rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
