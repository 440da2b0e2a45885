"""Sweeps and matched comparisons from the command line: the sweep file's layout, identical results whatever
--jobs, SWMR reading while a sweep runs, resuming after SIGKILL and SIGTERM, refusing a changed definition, bad
sweep files, and the variance reduction of common random numbers in `fanflow compare`."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

from fanflow_cli import ERROR_PREFIX, describe

BASE = """\
run: {seed: 1, days: 12}
population: {users: 2000, creators: 30}
"""

LHS = """\
scenario: base.yaml
design: lhs
samples: 5
replicates: 2
seed: 11
factors:
  engagement.share_rate: {range: [0.005, 0.05], scale: log}
  population.creators: {range: [20, 60]}
"""

#: Timing datasets: the only ones that may differ between two sweeps of the same definition.
TIMING = {"runs/wall_seconds", "runs/threads"}


def datasets(path: Path) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, np.asarray(obj[()])) if isinstance(obj, h5py.Dataset) else None)
    return out


def assert_same_results(a: Path, b: Path, timing: set[str] = TIMING) -> None:
    """Every dataset of the two files but the `timing` ones is equal (NaN equal to NaN)."""
    da, db = datasets(a), datasets(b)
    assert da.keys() == db.keys()
    for name in sorted(set(da) - timing):
        x, y = da[name], db[name]
        same = np.array_equal(x, y, equal_nan=True) if x.dtype.kind == "f" else np.array_equal(x, y)
        assert same, f"{name} differs between {a.name} and {b.name}"


@pytest.fixture
def sweep(cli):
    cli.write("base.yaml", BASE)
    return cli.write("lhs.yaml", LHS)


def test_sweep_file_layout_and_jobs_identity(cli, sweep):
    one = cli.run("sweep", sweep, "-o", cli.outdir / "one.h5", "--jobs", "1")
    assert one.returncode == 0, describe(one)
    two = cli.run("sweep", sweep, "-o", cli.outdir / "two.h5", "--jobs", "2", "--threads", "2")
    assert two.returncode == 0, describe(two)
    assert "2 at once with 1 thread each" in two.stdout
    assert_same_results(cli.outdir / "one.h5", cli.outdir / "two.h5")
    assert not (cli.outdir / "one.h5.journal").exists(), "a finished sweep keeps no journal"

    with h5py.File(cli.outdir / "one.h5", "r") as f:
        design = f["design"]
        assert design.attrs["kind"] == "lhs"
        assert list(design.attrs["factors"]) == ["engagement.share_rate", "population.creators"]
        assert design.attrs["replicates"] == 2
        unit, points = design["unit_points"][()], design["points"][()]
        assert unit.shape == points.shape == (5, 2)
        # Latin hypercube: one point in each fifth of [0, 1] per factor.
        for j in range(2):
            assert sorted(np.floor(unit[:, j] * 5).astype(int)) == [0, 1, 2, 3, 4]
        assert np.allclose(points[:, 0], np.exp(np.log(0.005) + unit[:, 0] * (np.log(0.05) - np.log(0.005))))
        assert np.array_equal(points[:, 1], np.round(20 + unit[:, 1] * 40))
        runs = f["runs"]
        assert list(runs["run"][()]) == list(range(10))
        assert list(runs["point"][()]) == [p for p in range(5) for _ in range(2)]
        assert list(runs["replicate"][()]) == [0, 1] * 5
        assert len(set(runs["seed"][()])) == 10 and max(runs["seed"][()]) < 2**53
        assert np.array_equal(runs["parameters/population.creators"][()], points[runs["point"][()], 1])
        assert runs["completed"][()].all()
        assert runs["assignments"][0].decode().startswith("engagement.share_rate=")
        views = f["series/views"][()]
        assert views.shape == (10, 12) and (views > 0).all()
        assert np.array_equal(f["summary/views"][()], views.sum(axis=1))
        assert ((f["summary/followers_gini_end"][()] > 0) & (f["summary/followers_gini_end"][()] < 1)).all()
        assert "population:" in f["provenance/base_scenario"][()].decode()
        # More creators at a point means more creators alive at its end: the factor reached the runs.
        creators = runs["parameters/population.creators"][()]
        alive = f["summary/creators_alive_end"][()]
        assert np.corrcoef(creators, alive)[0, 1] > 0.9


def test_plan_prints_the_design_table_without_running(cli, sweep):
    result = cli.run("sweep", sweep, "--plan")
    assert result.returncode == 0, describe(result)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("lhs design: 5 points x 2 replicates = 10 runs")
    assert len(lines) == 2 + 10
    assert not (cli.root / "runs").exists()


def test_seeds_shared_gives_replicate_r_one_seed_at_every_point(cli):
    cli.write("base.yaml", BASE)
    path = cli.write("grid.yaml", """\
scenario: base.yaml
design: grid
replicates: 3
seed: 5
seeds: shared
factors:
  engagement.share_rate: {values: [0.01, 0.02]}
  population.creators: {values: [20, 40]}
""")
    out = cli.outdir / "new" / "folder" / "grid.h5"  # missing folders are made
    result = cli.run("sweep", path, "-o", out, "-q")
    assert result.returncode == 0, describe(result)
    with h5py.File(out, "r") as f:
        seeds = f["runs/seed"][()].reshape(4, 3)
        assert (seeds == seeds[0]).all() and len(set(seeds[0])) == 3
        assert np.array_equal(f["design/points"][()], [[0.01, 20], [0.01, 40], [0.02, 20], [0.02, 40]])
        assert np.array_equal(f["design/unit_points"][()], [[0, 0], [0, 1], [1, 0], [1, 1]])


LONG = LHS.replace("samples: 5", "samples: 16")


def start_sweep(cli, sweep: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([str(cli.binary), "sweep", str(sweep), "-o", str(out), "--jobs", "1"], cwd=cli.root,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_completed_runs(out: Path, process: subprocess.Popen, at_least: int) -> dict[int, float]:
    """Reads the file with SWMR while the sweep writes it, until `at_least` runs are complete; returns those
    runs' total views as the reader saw them."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the sweep ended before it could be interrupted"
        try:
            with h5py.File(out, "r", libver="latest", swmr=True) as f:
                done = np.flatnonzero(f["runs/completed"][()])
                if len(done) >= at_least:
                    views = f["summary/views"][()]
                    series = f["series/views"][()]
                    assert np.isfinite(views[done]).all() and (views[done] > 0).all()
                    assert np.array_equal(series[done].sum(axis=1), views[done])
                    return {int(r): float(views[r]) for r in done}
        except (OSError, KeyError):
            pass  # not yet in SWMR mode
        time.sleep(0.02)
    raise AssertionError("no completed runs appeared")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_interrupted_sweep_resumes_to_the_uninterrupted_result(cli, how):
    cli.write("base.yaml", BASE.replace("days: 12", "days: 20"))
    sweep = cli.write("long.yaml", LONG)
    reference = cli.run("sweep", sweep, "-o", cli.outdir / "reference.h5", "-q", timeout=600)
    assert reference.returncode == 0, describe(reference)

    out = cli.outdir / "resumed.h5"
    process = start_sweep(cli, sweep, out)
    seen = wait_for_completed_runs(out, process, at_least=3)
    process.send_signal(how)
    _, stderr = process.communicate(timeout=60)
    if how == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 130, stderr
        assert "run the same command again to finish the sweep" in stderr.splitlines()[-1]
    assert Path(f"{out}.journal").is_file()

    resumed = cli.run("sweep", sweep, "-o", out, "--jobs", "2", timeout=600)
    assert resumed.returncode == 0, describe(resumed)
    assert "resumed:" in resumed.stdout
    assert not Path(f"{out}.journal").exists()
    assert_same_results(cli.outdir / "reference.h5", out)
    with h5py.File(out, "r") as f:
        for run, views in seen.items():
            assert f["summary/views"][run] == views

    again = cli.run("sweep", sweep, "-o", out)
    assert again.returncode == 0 and "already complete" in again.stdout, describe(again)


def test_changed_definition_is_refused_and_the_file_kept(cli):
    cli.write("base.yaml", BASE.replace("days: 12", "days: 20"))
    sweep = cli.write("long.yaml", LONG)
    out = cli.outdir / "sweep.h5"
    process = start_sweep(cli, sweep, out)
    wait_for_completed_runs(out, process, at_least=1)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    journal = Path(f"{out}.journal").read_bytes()
    changed = cli.write("long.yaml", LONG.replace("seed: 11", "seed: 12"))
    message = cli.error(cli.run("sweep", changed, "-o", out))
    assert "different sweep definition" in message and "another -o" in message
    assert Path(f"{out}.journal").read_bytes() == journal

    # A finished sweep of another definition is refused too, and so is a file that is no sweep.
    cli.write("base.yaml", BASE)
    small = cli.write("small.yaml", LHS)
    assert cli.run("sweep", small, "-o", cli.outdir / "done.h5", "-q").returncode == 0
    cli.write("small.yaml", LHS.replace("replicates: 2", "replicates: 3"))
    message = cli.error(cli.run("sweep", small, "-o", cli.outdir / "done.h5"))
    assert "not a sweep of this definition" in message
    other = cli.write("out/other.h5", "not hdf5")
    message = cli.error(cli.run("sweep", small, "-o", other))
    assert "another -o, or delete it" in message
    assert other.read_text() == "not hdf5"


@pytest.mark.parametrize(
    "text, where, expected",
    [
        ("design: lhs\nsamples: 3\nseed: 1\nfactors:\n  engagement.shar_rate: {range: [0, 1]}\n", "6:3",
         "factors.engagement.shar_rate: unknown parameter; did you mean 'engagement.share_rate'?"),
        ("design: lhs\nsample: 3\n", "3:1", "sample: unknown key; did you mean 'samples'?"),
        ("design: latin\n", "2:9", "design: expected one of grid, random, lhs, sobol, saltelli, morris"),
        ("design: lhs\nsamples: 3\nseed: 1\nfactors:\n  engagement.share_rate: {range: [0.5, 0.1]}\n", "6:34",
         "factors.engagement.share_rate.range: expected lo < hi"),
        ("design: lhs\nsamples: 3\nseed: 1\nfactors:\n  engagement.share_rate: {range: [0, 2]}\n", "6:38",
         "factors.engagement.share_rate.range:"),
        ("design: lhs\nsamples: 3\nseed: 1\nfactors:\n  engagement.share_rate: {range: [0, 0.1], scale: log}\n",
         "6:34", "a log scale needs lo > 0"),
        ("design: grid\nsamples: 3\n", "3:1", "samples: not used by a grid design"),
        ("design: morris\ntrajectories: 2\nlevels: 3\n", "4:9", "levels: expected an even number of levels"),
        ("design: lhs\nsamples: 3\nfactors:\n  engagement.share_rate: {range: [0, 0.1]}\n", "1:1",
         "seed: missing"),
        ("design: lhs\nsamples: 3\nseed: 1\nfactors:\n  graph.kind: {range: [0, 1]}\n", "6:3",
         "only integer or number parameters can be factors"),
        ("design: grid\nseed: 1\nfactors:\n  population.creators: {values: [10, 10.5]}\n", "5:38",
         "population.creators.values:"),
    ],
)
def test_bad_sweep_files_get_one_line_naming_the_place(cli, text, where, expected):
    cli.write("base.yaml", BASE)
    cli.write("bad.yaml", "scenario: base.yaml\n" + text)
    message = cli.error(cli.run("sweep", "bad.yaml", "-o", cli.out))
    assert message.startswith(f"bad.yaml:{where}: "), message
    assert expected in message
    cli.assert_no_output()


def test_a_point_that_breaks_a_scenario_rule_is_named(cli):
    cli.write("base.yaml", BASE)
    cli.write("bad.yaml", """\
scenario: base.yaml
design: grid
seed: 1
factors:
  users.attention_mean: {values: [5, 500]}
""")
    message = cli.error(cli.run("sweep", "bad.yaml", "-o", cli.out))
    assert message.startswith("bad.yaml: design point 1 (users.attention_mean=500): "), message
    assert "users.attention_max: must be at least users.attention_mean" in message
    cli.assert_no_output()


def test_compare_pairs_replicates_with_common_random_numbers(cli):
    """The plan raises engagement.share_rate a little. With replicate r of both at the same seed, the paired
    differences of total views vary far less than differences between unmatched replicates (r against r+1): over
    these fixed seeds the variance ratio must be below 0.25 (it is about 0.005)."""
    base = cli.write("base.yaml", "run: {seed: 3, days: 30}\npopulation: {users: 2000, creators: 30}\n")
    plan = cli.write("plan.yaml", "run: {seed: 3, days: 30}\npopulation: {users: 2000, creators: 30}\n"
                                  "engagement: {share_rate: 0.012}\n")
    out = cli.outdir / "cmp.h5"
    result = cli.run("compare", base, plan, "--replicates", "10", "-o", out)
    assert result.returncode == 0, describe(result)
    table = result.stdout.splitlines()
    assert table[1].split()[:3] == ["metric", "baseline", "mean"]
    assert any(line.startswith("views ") and "+-" in line for line in table)
    with h5py.File(out, "r") as f:
        base_views, plan_views = f["baseline/summary/views"][()], f["plan/summary/views"][()]
        assert np.array_equal(f["difference/summary/views"][()], plan_views - base_views)
        assert f["baseline/series/views"].shape == (10, 30)
        assert np.array_equal(f["baseline/series/views"][()].sum(axis=1), base_views)
        assert len(set(f["replicates/seed"][()])) == 10
    paired = np.var(plan_views - base_views, ddof=1)
    unpaired = np.var(plan_views - np.roll(base_views, 1), ddof=1)
    print(f"paired variance {paired:.4g}, unpaired {unpaired:.4g}, ratio {paired / unpaired:.4f}")
    assert paired < 0.25 * unpaired


def test_compare_needs_two_replicates_and_the_same_horizon(cli):
    base = cli.write("base.yaml", BASE)
    plan = cli.write("plan.yaml", BASE.replace("days: 12", "days: 13"))
    cli.error(cli.run("compare", base, base, "--replicates", "1", "-o", cli.out))
    message = cli.error(cli.run("compare", base, plan, "--replicates", "3", "-o", cli.out))
    assert "a matched comparison needs the same horizon" in message
    cli.assert_no_output()


FOCAL_BASE = """\
run: {seed: 5, days: 20}
population: {users: 2500, creators: 30, brands: 3}
actors: {brands: [{name: Acme, focal: true, budget: 150}]}
"""
FOCAL_PLAN = FOCAL_BASE + """\
timeline:
  - {at: 5, event: {kind: shift, brand: Acme, from: ads, to: sponsorship, fraction: 0.5}}
"""
#: The only datasets of two comparisons of the same definition that may differ.
COMPARISON_TIMING = {"provenance/run_seconds", "provenance/threads"}


def start_compare(cli, base: Path, plan: Path, replicates: int, out: Path) -> subprocess.Popen:
    return subprocess.Popen([str(cli.binary), "compare", str(base), str(plan), "-r", str(replicates), "-o", str(out),
                             "-j", "1"], cwd=cli.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for_progress(process: subprocess.Popen, at_least: int) -> None:
    """Reads the comparison's progress lines until `at_least` runs are done (kept in its journal)."""
    for line in process.stderr:
        match = re.search(r"(\d+)/\d+ runs", line)
        if match and int(match[1]) >= at_least:
            return
    raise AssertionError("the comparison ended before it could be interrupted")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_compare_resumes_to_the_uninterrupted_result(cli, how):
    base, plan = cli.write("base.yaml", FOCAL_BASE), cli.write("plan.yaml", FOCAL_PLAN)
    reference = cli.run("compare", base, plan, "-r", "6", "-o", cli.outdir / "reference.h5", "-q", timeout=600)
    assert reference.returncode == 0, describe(reference)

    out = cli.outdir / "resumed.h5"
    process = start_compare(cli, base, plan, 6, out)
    wait_for_progress(process, at_least=3)
    process.send_signal(how)
    _, stderr = process.communicate(timeout=60)
    if how == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 130, stderr
        assert re.search(r"interrupted; \d+ of 12 runs are kept in .*resumed\.h5\.journal; run the same command "
                         r"again to finish the comparison$", stderr.strip().splitlines()[-1]), stderr
    assert Path(f"{out}.journal").is_file() and not out.exists() and not Path(f"{out}.partial").exists()

    resumed = cli.run("compare", base, plan, "-r", "6", "-o", out, "-j", "2", timeout=600)
    assert resumed.returncode == 0, describe(resumed)
    assert re.search(r"more from the journal of the interrupted comparison", resumed.stdout), resumed.stdout
    assert not Path(f"{out}.journal").exists(), "a finished comparison keeps no journal"
    assert_same_comparison(cli.outdir / "reference.h5", out)
    with h5py.File(out, "r") as f:
        assert f["provenance"].attrs["resumed_runs"] >= 3


def assert_same_comparison(reference: Path, other: Path) -> None:
    with h5py.File(reference, "r") as f:
        assert "focal/Acme/difference/band/revenue" in f
    assert_same_results(reference, other, COMPARISON_TIMING)


def test_compare_forked_at_the_plans_first_day_writes_the_same_file(cli):
    base, plan = cli.write("base.yaml", FOCAL_BASE), cli.write("plan.yaml", FOCAL_PLAN)
    plain = cli.run("compare", base, plan, "-r", "3", "-o", cli.outdir / "plain.h5", "-q")
    assert plain.returncode == 0, describe(plain)
    forked = cli.run("compare", base, plan, "-r", "3", "-o", cli.outdir / "forked.h5", "-q", "--fork-at", "5")
    assert forked.returncode == 0, describe(forked)
    assert_same_comparison(cli.outdir / "plain.h5", cli.outdir / "forked.h5")
    message = cli.error(cli.run("compare", base, plan, "-r", "3", "-o", cli.outdir / "late.h5", "--fork-at", "6"))
    assert message.startswith("--fork-at 6: the plan differs from the baseline before day 6"), message


def test_compare_refuses_a_changed_definition_and_an_existing_file(cli):
    base, plan = cli.write("base.yaml", FOCAL_BASE), cli.write("plan.yaml", FOCAL_PLAN)
    out = cli.outdir / "cmp.h5"
    process = start_compare(cli, base, plan, 4, out)
    wait_for_progress(process, at_least=1)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    journal = Path(f"{out}.journal").read_bytes()
    message = cli.error(cli.run("compare", base, plan, "-r", "5", "-o", out))
    assert "was started with a different comparison definition (replicates, seed, either scenario" in message
    assert Path(f"{out}.journal").read_bytes() == journal, "the journal is kept as it was"
    finished = cli.run("compare", base, plan, "-r", "4", "-o", out, "-q")
    assert finished.returncode == 0, describe(finished)
    before = out.stat().st_mtime_ns
    message = cli.error(cli.run("compare", base, plan, "-r", "4", "-o", out))
    assert message == f"{out}: exists; write to another -o, or give --force to replace it"
    assert out.stat().st_mtime_ns == before
    assert cli.run("compare", base, plan, "-r", "4", "-o", out, "-q", "--force").returncode == 0
    assert "is an input of the comparison" in cli.error(cli.run("compare", base, plan, "-r", "2", "-o", plan))


HOW_MUCH = """\
scenario: plan.yaml
design: grid
replicates: 2
seeds: shared
seed: 3
factors:
  timeline[0].event.fraction: {values: [0, 0.5, 1]}
  timeline[0].at: {values: [2, 8]}
"""


def test_a_plans_amount_and_day_are_sweep_factors_with_the_focal_brands_figures(cli):
    cli.write("base.yaml", FOCAL_BASE)
    cli.write("plan.yaml", FOCAL_PLAN)
    sweep = cli.write("how_much.yaml", HOW_MUCH)
    reference = cli.run("sweep", sweep, "-o", cli.outdir / "reference.h5", "-q")
    assert reference.returncode == 0, describe(reference)
    with h5py.File(cli.outdir / "reference.h5", "r") as f:
        assert [str(n) for n in f["design"].attrs["factors"]] == ["timeline[0].event.fraction", "timeline[0].at"]
        revenue = f["summary/Acme.revenue"][()].reshape(6, 2)  # point x replicate
        spend_ads = f["summary/Acme.spend_ads"][()].reshape(6, 2)
        assert str(f["summary/Acme.revenue"].attrs["unit"]) == "money"
        assignments = list(f["runs/assignments"].asstr()[()])
    assert "timeline[0].event.fraction=0.5 timeline[0].at=8" in assignments[6]
    # Moving all of the ad line from day 2 leaves nothing to spend on ads after day 2; moving none spends most.
    assert (spend_ads[4] < spend_ads[0]).all() and not np.array_equal(revenue[0], revenue[4])
    # A sweep with focal brands resumes from its journal like any other.
    out = cli.outdir / "resumed.h5"
    process = start_sweep(cli, sweep, out)
    wait_for_completed_runs(out, process, at_least=2)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    resumed = cli.run("sweep", sweep, "-o", out, "-q")
    assert resumed.returncode == 0, describe(resumed)
    assert_same_results(cli.outdir / "reference.h5", out)
    report = cli.run("report", out)
    assert report.returncode == 0, describe(report)
    assert (cli.outdir / "resumed_figures" / "main_effects_focal_Acme.png").is_file()


def test_a_misnamed_timeline_factor_gets_did_you_mean(cli):
    cli.write("plan.yaml", FOCAL_PLAN)
    sweep = cli.write("bad.yaml", HOW_MUCH.replace("event.fraction", "event.fractoin"))
    message = cli.error(cli.run("sweep", sweep, "-o", cli.out))
    assert message.endswith("bad.yaml:7:3: factors.timeline[0].event.fractoin: not a number of a timeline entry; "
                            "did you mean 'event.fraction'?"), message
    sweep = cli.write("bad.yaml", HOW_MUCH.replace("[0].at", "[4].at"))
    message = cli.error(cli.run("sweep", sweep, "-o", cli.out))
    assert "timeline[4].at: the scenario's timeline has 1 entry" in message, message


REPO = Path(__file__).resolve().parents[2]


def test_shipped_example_sweeps(cli):
    """The small Saltelli example runs in full (40 runs); the 200-run Latin hypercube example is checked by --plan."""
    plan = cli.run("sweep", REPO / "scenarios/sweeps/lhs_10k.yaml", "--plan")
    assert plan.returncode == 0, describe(plan)
    assert plan.stdout.startswith("lhs design: 200 points x 1 replicate = 200 runs")
    plan = cli.run("sweep", REPO / "scenarios/strategist/how_much.yaml", "--plan")
    assert plan.returncode == 0, describe(plan)
    assert plan.stdout.startswith("grid design: 15 points x 4 replicates = 60 runs"), plan.stdout

    out = cli.outdir / "saltelli.h5"
    result = cli.run("sweep", REPO / "scenarios/sweeps/saltelli_small.yaml", "-o", out, timeout=600)
    assert result.returncode == 0, describe(result)
    with h5py.File(out, "r") as f:
        design = f["design"]
        assert design.attrs["kind"] == "saltelli" and design.attrs["base_samples"] == 8
        k = len(design.attrs["factors"])
        unit = design["unit_points"][()].reshape(8, k + 2, k)
        a, b = unit[:, 0, :], unit[:, k + 1, :]
        for i in range(k):  # AB^(i) is A with column i from B
            expected = a.copy()
            expected[:, i] = b[:, i]
            assert np.array_equal(unit[:, 1 + i, :], expected)
        assert f["runs/completed"][()].all()
        assert np.isfinite(f["summary/follows_end"][()]).all()
