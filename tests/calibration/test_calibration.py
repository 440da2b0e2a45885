"""Tests of `fanflow calibrate` (docs/calibration.md): recovery of known parameter values from targets made by a
run at those values, a parameter the targets do not depend on reported as not identified, a curve target, resuming
after a kill or Ctrl-C to the same trials, the report, and one clear line for each bad calibration file.

The targets come from a sweep of one design point at the true values with `seeds: shared` and the calibration's
seed, so its replicate r has the seed the calibration gives replicate r (common random numbers): at the true values
a trial's distance is 0.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from fanflow_cli import ERROR_PREFIX, binary_path, describe  # noqa: E402

SEED = 11
REPLICATES = 3
TRUE_VALUES = {"engagement.follow_rate": 0.01, "lifecycle.exit_hazard": 0.03}
#: A world without brands: brands.budget_mean cannot act on anything in it.
WORLD = "run: {seed: 1, days: 25}\npopulation: {users: 2000, creators: 40, brands: 0}\n"


def fanflow(*args, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary_path()), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def truth(tmp_path_factory) -> tuple[Path, dict, np.ndarray]:
    """The world, and the summaries and follow-edge series of its runs at the true values (mean over replicates)."""
    root = tmp_path_factory.mktemp("truth")
    (root / "world.yaml").write_text(WORLD)
    factors = "".join(f"  {path}: {{values: [{value}]}}\n" for path, value in TRUE_VALUES.items())
    (root / "truth.yaml").write_text(f"scenario: world.yaml\ndesign: grid\nreplicates: {REPLICATES}\nseed: {SEED}\n"
                                     f"seeds: shared\nfactors:\n{factors}")
    result = fanflow("sweep", "truth.yaml", "-o", "truth.h5", "-q", cwd=root)
    assert result.returncode == 0, describe(result)
    with h5py.File(root / "truth.h5") as f:
        summaries = {name: float(np.mean(f["summary"][name][:])) for name in f["summary"]}
        follow_edges = np.mean(f["series/follow_edges"][:], axis=0)
    return root, summaries, follow_edges


def calibration_text(summaries: dict, trials: int, extra_parameters: str = "", batch: int = 8) -> str:
    return (
        "scenario: world.yaml\n"
        "parameters:\n"
        "  engagement.follow_rate: {range: [0.001, 0.1], scale: log}\n"
        "  lifecycle.exit_hazard: {range: [0.0, 0.2]}\n" + extra_parameters +
        "targets:\n"
        f"  follows_gained: {{value: {summaries['follows_gained']!r}, tolerance: "
        f"{0.15 * summaries['follows_gained']!r}}}\n"
        f"  creators_exited: {{value: {summaries['creators_exited']!r}, tolerance: 2}}\n"
        f"replicates: {REPLICATES}\ntrials: {trials}\nbatch: {batch}\nseed: {SEED}\n")


@pytest.fixture(scope="module")
def recovered(truth) -> tuple[Path, subprocess.CompletedProcess]:
    """A calibration of the two true parameters and one that acts on nothing, from wide ranges."""
    root, summaries, _ = truth
    extra = "  brands.budget_mean: {range: [100, 100000], scale: log}\n"
    (root / "recover.yaml").write_text(calibration_text(summaries, 120, extra))
    result = fanflow("calibrate", "recover.yaml", "-o", "recover", "-q", cwd=root)
    assert result.returncode == 0, describe(result)
    return root / "recover", result


def test_true_values_lie_in_the_accepted_ranges(recovered):
    folder, _ = recovered
    parameters = {row["parameter"]: row for row in read_csv(folder / "parameters.csv")}
    for path, value in TRUE_VALUES.items():
        row = parameters[path]
        assert float(row["accepted_min"]) <= value <= float(row["accepted_max"]), row
        assert row["identified"] == "yes", row
        # The accepted range is a small part of the prior range: the targets pin the parameter down.
        assert float(row["accepted_span_share"]) < 0.5, row


def test_the_best_trial_reproduces_the_targets(recovered, truth):
    folder, result = recovered
    fit = read_csv(folder / "fit.csv")
    assert [row["target"] for row in fit] == ["follows_gained", "creators_exited"]
    for row in fit:
        assert row["within"] == "1", row
        assert abs(float(row["fitted"]) - float(row["value"])) <= float(row["tolerance"]), row
    # best.yaml is a scenario fanflow runs, with the best trial's values.
    best = json.loads((folder / "calibration.json").read_text())["best"]
    text = (folder / "best.yaml").read_text()
    assert "follow_rate: " + repr(best["values"]["engagement.follow_rate"])[:6] in text
    root = truth[0]
    run = fanflow("run", folder / "best.yaml", "-o", "best.h5", "-q", cwd=root)
    assert run.returncode == 0, describe(run)
    assert "within tolerance of every target" in result.stdout


def test_a_parameter_the_targets_do_not_depend_on_is_not_identified(recovered):
    folder, result = recovered
    row = {r["parameter"]: r for r in read_csv(folder / "parameters.csv")}["brands.budget_mean"]
    assert row["identified"] == "no", row
    assert float(row["accepted_span_share"]) > 0.9, row
    assert "warning: brands.budget_mean is not identified" in result.stdout
    # fANOVA ranks it last, far below the follow rate.
    importance = {r["parameter"]: float(r["importance"]) for r in read_csv(folder / "parameters.csv")}
    assert importance["brands.budget_mean"] < 0.1 * importance["engagement.follow_rate"], importance


def test_the_trials_and_their_slices_are_recorded(recovered):
    folder, _ = recovered
    trials = read_csv(folder / "trials.csv")
    phases = [row["phase"] for row in trials]
    assert phases.count("search") == 120
    # 7 points per parameter through the best search trial, ends included (6 when the best is one of them); the
    # other parameters at their best values.
    best_search = min((row for row in trials if row["phase"] == "search"), key=lambda row: float(row["distance"]))
    ranges = {"engagement.follow_rate": (0.001, 0.1), "lifecycle.exit_hazard": (0.0, 0.2),
              "brands.budget_mean": (100, 100000)}
    for path, (low, high) in ranges.items():
        rows = [row for row in trials if row["phase"] == "slice " + path]
        assert len(rows) in (6, 7)
        values = sorted(float(row[path]) for row in rows)
        assert values[0] == pytest.approx(low) and values[-1] == pytest.approx(high)
        for other in ranges:
            if other != path:
                assert {row[other] for row in rows} == {best_search[other]}
    summary = json.loads((folder / "calibration.json").read_text())
    assert summary["format"] == "fanflow-calibration"
    assert len(summary["convergence"]) == len(trials)
    bests = [c["best"] for c in summary["convergence"] if c["best"] is not None]
    assert bests == sorted(bests, reverse=True)


def test_a_curve_target_is_fitted(truth):
    root, summaries, follow_edges = truth
    days = range(0, len(follow_edges), 3)
    (root / "edges.csv").write_text("day,value\n" + "".join(f"{d},{follow_edges[d]!r}\n" for d in days))
    tolerance = 0.1 * float(follow_edges[-1])
    (root / "curve.yaml").write_text(
        "scenario: world.yaml\nparameters:\n  engagement.follow_rate: {range: [0.002, 0.05], scale: log}\n"
        f"curves:\n  edges: {{series: follow_edges, file: edges.csv, tolerance: {tolerance!r}}}\n"
        f"replicates: {REPLICATES}\ntrials: 24\nbatch: 8\nseed: {SEED}\n")
    result = fanflow("calibrate", "curve.yaml", "-o", "curve", "-q", cwd=root)
    assert result.returncode == 0, describe(result)
    curve = read_csv(root / "curve" / "curves.csv")
    assert [int(row["day"]) for row in curve] == list(days)
    fit = read_csv(root / "curve" / "fit.csv")
    assert fit[0]["kind"] == "curve of follow_edges" and fit[0]["within"] == "1", fit
    parameters = read_csv(root / "curve" / "parameters.csv")
    assert float(parameters[0]["accepted_min"]) <= 0.01 <= float(parameters[0]["accepted_max"]), parameters


def completed_trials(db: Path) -> int:
    try:
        with sqlite3.connect(db) as connection:
            return connection.execute("select count(*) from trials where state = 'COMPLETE'").fetchone()[0]
    except sqlite3.Error:
        return 0


def start_and_stop(root: Path, folder: str, how: signal.Signals, after: int) -> subprocess.CompletedProcess:
    """Starts the calibration and sends `how` once `after` trials are complete in its store."""
    process = subprocess.Popen([str(binary_path()), "calibrate", "resume.yaml", "-o", folder, "-q"], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while completed_trials(root / folder / "trials.db") < after and process.poll() is None:
        assert time.monotonic() < deadline, "the calibration did not get going"
        time.sleep(0.05)
    process.send_signal(how)
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_an_interrupted_calibration_resumes_to_the_same_trials(truth):
    root, summaries, _ = truth
    (root / "resume.yaml").write_text(calibration_text(summaries, 32))
    whole = fanflow("calibrate", "resume.yaml", "-o", "whole", "-q", cwd=root)
    assert whole.returncode == 0, describe(whole)

    killed = start_and_stop(root, "killed", signal.SIGKILL, 12)
    assert killed.returncode == -signal.SIGKILL
    interrupted = start_and_stop(root, "interrupted", signal.SIGINT, 12)
    assert interrupted.returncode == 130, describe(interrupted)
    assert interrupted.stderr.strip().splitlines()[-1] == (
        ERROR_PREFIX + "interrupted; the trials finished so far are in interrupted/trials.db, and the same command "
        "resumes from them")
    for folder in ["killed", "interrupted"]:
        assert not (root / folder / "best.yaml").exists()
        resumed = fanflow("calibrate", "resume.yaml", "-o", folder, "-q", cwd=root)
        assert resumed.returncode == 0, describe(resumed)
        for name in ["trials.csv", "fit.csv", "parameters.csv", "best.yaml"]:
            assert (root / folder / name).read_text() == (root / "whole" / name).read_text(), (folder, name)

    # A finished calibration given more trials goes on from where it stopped.
    (root / "resume.yaml").write_text(calibration_text(summaries, 40))
    more = fanflow("calibrate", "resume.yaml", "-o", "whole", "-q", cwd=root)
    assert more.returncode == 0, describe(more)
    assert [r["phase"] for r in read_csv(root / "whole" / "trials.csv")].count("search") == 40


def test_the_report_shows_the_fit(recovered, truth):
    folder, _ = recovered
    result = fanflow("report", folder, "-o", folder / "report.html", cwd=truth[0])
    assert result.returncode == 0, describe(result)
    html = (folder / "report.html").read_text()
    for title in ["Fit", "Convergence", "Parameters", "Accepted trials"]:
        assert f">{title}<" in html, title
    assert "brands.budget_mean is not identified" in html


BAD_FILES = [
    ("targets:\n  top3_views_share: {value: 0.8, tolerance: 0.05}\n",
     "targets.top3_views_share: unknown statistic; did you mean 'top3_view_share'?"),
    ("targets:\n  follow_edges: {value: 10, tolerance: 1}\n", "a daily series, not an end-of-run statistic"),
    ("targets:\n  views: {value: 10, tolerance: 0}\n", "targets.views.tolerance: expected a number > 0"),
    ("targets:\n  views: {value: 10}\n", "targets.views.tolerance: missing"),
    ("targets:\n  views: {value: ten, tolerance: 1}\n", "targets.views.value: expected a finite number, got 'ten'"),
    ("targets:\n  views: {value: 10, tolerance: 1, weight: 2}\n", "targets.views.weight: unknown key"),
    ("curves:\n  c: {series: follow_edge, file: c.csv, tolerance: 1}\n",
     "curves.c.series: unknown series 'follow_edge'; did you mean 'follow_edges'?"),
    ("curves:\n  c: {series: follow_edges, file: missing.csv, tolerance: 1}\n", "missing.csv: no curve file there"),
    ("curves:\n  c: {series: follow_edges, file: header.csv, tolerance: 1}\n",
     "header.csv:1: expected the header 'day,value', got 'd,v'"),
    ("curves:\n  c: {series: follow_edges, file: late.csv, tolerance: 1}\n",
     "late.csv:3: day: expected an integer in [0, 24]"),
    ("curves:\n  c: {series: follow_edges, file: order.csv, tolerance: 1}\n",
     "order.csv:3: day 1 does not follow day 2; days must increase"),
]


@pytest.mark.parametrize("body, message", BAD_FILES, ids=[m[:40] for _, m in BAD_FILES])
def test_a_bad_calibration_file_gets_one_line(tmp_path, body, message):
    (tmp_path / "world.yaml").write_text(WORLD)
    (tmp_path / "header.csv").write_text("d,v\n1,2\n")
    (tmp_path / "late.csv").write_text("day,value\n1,2\n25,3\n")
    (tmp_path / "order.csv").write_text("day,value\n2,2\n1,3\n")
    (tmp_path / "bad.yaml").write_text("scenario: world.yaml\nparameters:\n  engagement.follow_rate: "
                                       "{range: [0.001, 0.1]}\n" + body + "trials: 4\nseed: 1\n")
    result = fanflow("calibrate", "bad.yaml", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2, describe(result)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX) and message in lines[0], describe(result)
    assert not (tmp_path / "out").exists()


TOP_LEVEL_BAD = [
    ("scenario: world.yaml\nparameters:\n  engagement.folow_rate: {range: [0.001, 0.1]}\n"
     "targets:\n  views: {value: 1, tolerance: 1}\ntrials: 4\nseed: 1\n",
     "parameters.engagement.folow_rate: unknown parameter; did you mean 'engagement.follow_rate'?"),
    ("scenario: world.yaml\nparameters:\n  run.days: {range: [5, 10]}\n"
     "targets:\n  views: {value: 1, tolerance: 1}\ntrials: 4\nseed: 1\n", "parameters.run.days: the days are fixed"),
    ("scenario: world.yaml\nparameters:\n  engagement.follow_rate: {range: [0.001, 0.1]}\n"
     "targets:\n  views: {value: 1, tolerance: 1}\ntrials: 4\nseed: 1\nmethod: cma\n",
     "method: expected tpe or cmaes, got 'cma'; did you mean 'cmaes'?"),
    ("scenario: world.yaml\nparameters:\n  engagement.follow_rate: {range: [0.001, 0.1]}\n"
     "targets:\n  views: {value: 1, tolerance: 1}\ntrials: 4\n", "seed: missing"),
    ("scenario: world.yaml\nparameters:\n  engagement.follow_rate: {range: [0.001, 0.1]}\ntrials: 4\nseed: 1\n",
     "targets: missing; a calibration needs at least one target or curve"),
    ("scenario: world.yaml\nparameters:\n  engagement.follow_rate: {range: [0.001, 0.1]}\n"
     "targets:\n  views: {value: 1, tolerance: 1}\ntrials: 0\nseed: 1\n",
     "trials: an integer in [1, 100000], got '0'"),
    ("scenario: nowhere.yaml\nparameters:\n  engagement.follow_rate: {range: [0.001, 0.1]}\n"
     "targets:\n  views: {value: 1, tolerance: 1}\ntrials: 4\nseed: 1\n", "scenario: no scenario file at"),
    ("scenario: world.yaml\nparameters:\n  engagement.follow_rate: {range: [0.001, 0.1]}\n"
     "targets:\n  views: {value: 1, tolerance: 1}\ntrials: 4\nseed: 1\nreplicate: 3\n",
     "replicate: unknown key; did you mean 'replicates'?"),
]


@pytest.mark.parametrize("text, message", TOP_LEVEL_BAD, ids=[m[:40] for _, m in TOP_LEVEL_BAD])
def test_a_bad_calibration_file_top_level(tmp_path, text, message):
    (tmp_path / "world.yaml").write_text(WORLD)
    (tmp_path / "bad.yaml").write_text(text)
    result = fanflow("calibrate", "bad.yaml", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2, describe(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX) and message in lines[0], describe(result)
    assert not (tmp_path / "out").exists()


def test_a_folder_holding_another_calibration_is_refused(tmp_path):
    (tmp_path / "world.yaml").write_text(WORLD)
    text = ("scenario: world.yaml\nparameters:\n  engagement.follow_rate: {range: [0.001, 0.1]}\n"
            "targets:\n  views: {value: 1000, tolerance: 100}\ntrials: 2\nbatch: 2\nseed: 1\n")
    (tmp_path / "a.yaml").write_text(text)
    assert fanflow("calibrate", "a.yaml", "-o", "out", "-q", cwd=tmp_path).returncode == 0
    (tmp_path / "b.yaml").write_text(text.replace("value: 1000", "value: 2000"))
    result = fanflow("calibrate", "b.yaml", "-o", "out", cwd=tmp_path)
    assert result.returncode == 2, describe(result)
    assert "out: holds another calibration ('  views: 1000 +- 100' there, '  views: 2000 +- 100' now)" in result.stderr
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    result = fanflow("calibrate", "a.yaml", "-o", "other", cwd=tmp_path)
    assert result.returncode == 2 and "is not empty and holds no calibration" in result.stderr, describe(result)


def test_the_shipped_calibrations_are_valid():
    repo = Path(__file__).resolve().parents[2]
    for path in sorted((repo / "scenarios" / "calibration").glob("*.yaml")):
        if path.name.endswith("_world.yaml"):
            continue
        result = fanflow("calibrate", path, "--check", cwd=repo)
        assert result.returncode == 0, describe(result)
        assert result.stdout.startswith(f"{path}: valid"), describe(result)
