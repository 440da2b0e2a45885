"""`fanflow facts`: a run's stylized facts agree with what the run file holds (recomputed here with numpy), the
per-creator threshold signals are in the file, docs/facts.md is what `--reference` prints, and files that are not
complete run files get one clear line."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import h5py
import numpy as np
import pytest

from fanflow_cli import REPO, Cli, describe

ROW = re.compile(r"^(\w+)\s+(-|[\d.]+)\s+(-|\[[\d., ]+\])\s*(yes|NO)?$")
NEVER = 2**32 - 1


@pytest.fixture(scope="module")
def run_file(tmp_path_factory: pytest.TempPathFactory, fanflow: Path) -> Path:
    root = tmp_path_factory.mktemp("facts")
    cli = Cli(fanflow, root)
    out = root / "run.h5"
    result = cli.run("run", "--set", "population.users=5000", "--set", "population.creators=80", "--set",
                     "run.days=40", "-o", out, "--quiet")
    assert result.returncode == 0, describe(result)
    return out


def facts_of(cli: Cli, path: Path) -> dict[str, tuple[float, bool | None]]:
    result = cli.run("facts", path)
    assert result.returncode == 0, describe(result)
    facts = {}
    for line in result.stdout.splitlines()[1:-1]:
        match = ROW.match(line)
        assert match, line
        value = math.nan if match[2] == "-" else float(match[2])
        facts[match[1]] = (value, None if match[4] is None else match[4] == "yes")
    assert re.match(r"^\d+ of \d+ facts with a band and a value inside it", result.stdout.splitlines()[-1])
    return facts


def test_facts_agree_with_the_run_file(cli: Cli, run_file: Path) -> None:
    facts = facts_of(cli, run_file)
    with h5py.File(run_file, "r") as f:
        creators = f["creators/summary/type"][:] != 2
        views = np.sort(f["creators/summary/views"][:][creators].astype(float))[::-1]
        joined = f["creators/summary/joined_tick"][:][creators]
        exits = f["creators/summary/exit_tick"][:][creators]
        feedback = f["creators/summary/passed_feedback_tick"][:][creators]
        impressions = f["timeseries/impressions"][:].sum(axis=0)
        channels = list(f["timeseries/impressions"].attrs["columns"])
        signal = f["creators/feedback_signal"][:]
    top = math.ceil(0.03 * len(views))
    assert facts["top3_view_share"][0] == pytest.approx(views[:top].sum() / views.sum(), abs=5e-4)
    initial = joined == 0
    assert facts["survival_day30"][0] == pytest.approx((exits[initial] >= 30).mean(), abs=5e-4)
    assert math.isnan(facts["survival_day90"][0])  # a 40-day run cannot tell
    assert facts["survival_day90"][1] is None  # not judged against its band
    assert facts["past_feedback_share"][0] == pytest.approx((feedback != NEVER).mean(), abs=5e-4)
    assert facts["recommendation_share"][0] == pytest.approx(
        impressions[channels.index("recommendation")] / impressions.sum(), abs=5e-4)
    # The signal recorded on the day a creator passed is at least 1/2 (signal columns are all accounts, brand
    # accounts included, so index them by the account's own position).
    passed = np.flatnonzero(creators)[feedback != NEVER]
    assert len(passed) > 0
    with h5py.File(run_file, "r") as f:
        passed_tick = f["creators/summary/passed_feedback_tick"][:]
    for c in passed[:20]:
        assert signal[passed_tick[c], c] >= 0.5


def test_cascade_and_per_line_facts_agree_with_the_run_file(cli: Cli, run_file: Path) -> None:
    facts = facts_of(cli, run_file)
    with h5py.File(run_file, "r") as f:
        by_depth = f["timeseries/cascades_by_depth"][:].sum(axis=0)
        by_size = f["timeseries/cascades_by_size"][:].sum(axis=0)
        shares = f["timeseries/shares"][:].sum()
        shares_by_depth = f["timeseries/shares_by_depth"][:]
        lines = {line: (f[f"brands/revenue_{line}"][:].sum(), f[f"brands/summary/spend_{line}"][:].sum())
                 for line in ("ads", "sponsorship", "content", "live")}
        revenue = f["brands/revenue"][:]
        per_line = sum(f[f"brands/revenue_{line}"][:] for line in lines)
        depths = [str(c) for c in f["timeseries/cascades_by_depth"].attrs["columns"]]
    assert depths == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert shares_by_depth.sum() == shares
    assert by_depth.sum() == by_size.sum() > 0
    assert facts["cascades_within_one_hop"][0] == pytest.approx(by_depth[:2].sum() / by_depth.sum(), abs=5e-4)
    assert facts["cascades_of_one_share"][0] == pytest.approx(by_size[0] / by_size.sum(), abs=5e-4)
    assert per_line == pytest.approx(revenue)  # the lines' revenue adds up to the brands' revenue, day by day
    for line, (line_revenue, spend) in lines.items():
        value = facts[f"return_on_spend_{line}"][0]
        if spend > 0:
            assert value == pytest.approx(line_revenue / spend, abs=5e-4)
        else:
            assert math.isnan(value)


def test_the_band_column_says_whether_each_fact_is_inside(cli: Cli, run_file: Path) -> None:
    result = cli.run("facts", run_file, "--markdown")
    assert result.returncode == 0, describe(result)
    rows = [line for line in result.stdout.splitlines() if line.startswith("| `")]
    assert len(rows) >= 15
    for row in rows:
        _, name, value, band, inside, _ = [cell.strip() for cell in row.split("|", 5)]
        if band == "-" or value == "-":
            assert inside == "", row
            continue
        low, high = (float(x) for x in band.strip("[]").split(","))
        expected = value != "-" and low <= float(value) <= high
        assert inside == ("yes" if expected else "no"), row


def test_the_reference_is_docs_facts_md(cli: Cli) -> None:
    result = cli.run("facts", "--reference")
    assert result.returncode == 0, describe(result)
    assert result.stdout == (REPO / "docs" / "facts.md").read_text()


def test_what_is_not_a_complete_run_file_gets_one_line(cli: Cli, run_file: Path, tmp_path: Path) -> None:
    assert "no such file" in cli.error(cli.run("facts", tmp_path / "missing.h5"))
    text = cli.write("notes.h5", "not HDF5\n")
    assert "not an HDF5 file" in cli.error(cli.run("facts", text))
    sweep = tmp_path / "sweep.h5"
    with h5py.File(sweep, "w") as f:
        f.attrs["format"] = "fanflow-sweep"
    assert "not a fanflow run file (format 'fanflow-sweep')" in cli.error(cli.run("facts", sweep))
    unfinished = tmp_path / "unfinished.h5"
    shutil.copyfile(run_file, unfinished)
    with h5py.File(unfinished, "r+") as f:
        f.attrs["complete"] = np.int64(0)
    assert "did not complete" in cli.error(cli.run("facts", unfinished))
    older = tmp_path / "older.h5"
    shutil.copyfile(run_file, older)
    with h5py.File(older, "r+") as f:
        del f["creators/summary/passed_income_tick"]
    assert "/creators/summary/passed_income_tick is missing" in cli.error(cli.run("facts", older))
    assert "give one or more run files" in cli.error(cli.run("facts"))
