"""`fanflow run`, `params` and `version` on good input: what they print, where the file goes, and that what
they print agrees with the file they write."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import pytest
import yaml

from fanflow_cli import REPO, describe, run_fanflow

PARAMS_DEF = REPO / "engine" / "params" / "params.def"
KIND_NAMES = {"Int": "integer", "Real": "number", "Bool": "boolean", "Choice": "choice", "Text": "text"}


def params_def() -> list[tuple[str, str]]:
    """(section.name, Kind) of every P(...) line of params.def, in order."""
    text = PARAMS_DEF.read_text()
    entries = re.findall(r"^\s*P\(\s*(\w+)\s*,\s*(\w+)\s*,\s*(\w+)\s*,", text, flags=re.MULTILINE)
    assert entries, f"no P(...) lines found in {PARAMS_DEF}"
    return [(f"{section}.{name}", kind) for section, name, kind in entries]


def sections_def() -> list[str]:
    return re.findall(r"^\s*SECTION\(\s*(\w+)\s*,", PARAMS_DEF.read_text(), flags=re.MULTILINE)


def number(text: str) -> int:
    return int(text.replace(",", ""))


def datasets(path: Path, skip: str = "/provenance") -> dict[str, np.ndarray]:
    """Every dataset of the file outside `skip`, by path."""
    found: dict[str, np.ndarray] = {}
    with h5py.File(path, "r") as f:
        def visit(name: str, item: object) -> None:
            if isinstance(item, h5py.Dataset) and not ("/" + name).startswith(skip):
                found[name] = item[()]
        f.visititems(visit)
    return found


def assert_same_data(a: Path, b: Path) -> None:
    first, second = datasets(a), datasets(b)
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name].dtype == second[name].dtype, name
        assert np.array_equal(first[name], second[name]), f"{name} differs between {a} and {b}"


def fanflow_run(fanflow: Path, cwd: Path, *args: object) -> subprocess.CompletedProcess:
    result = run_fanflow(fanflow, [str(a) for a in args], cwd)
    assert result.returncode == 0, describe(result)
    return result


SMALL_SCENARIO = """\
# A small scenario for the CLI tests.
run:
  seed: 5
  days: 4
population:
  users: 3000
  creators: 40
  brands: 5
engagement:
  share_rate: 0.05
"""


@dataclass
class SmallRun:
    root: Path
    scenario: Path
    out: Path
    result: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def small_run(fanflow: Path, tmp_path_factory: pytest.TempPathFactory) -> SmallRun:
    root = tmp_path_factory.mktemp("small_run")
    scenario = root / "small.yaml"
    scenario.write_text(SMALL_SCENARIO)
    out = root / "small.h5"
    result = fanflow_run(fanflow, root, "run", scenario, "-o", out, "--threads", "2")
    return SmallRun(root, scenario, out, result)


def test_run_writes_the_file_and_says_so(small_run: SmallRun) -> None:
    lines = small_run.result.stdout.splitlines()
    assert lines[-1] == f"wrote {small_run.out}"
    assert small_run.out.is_file()
    assert not Path(f"{small_run.out}.partial").exists()
    with h5py.File(small_run.out, "r") as f:
        assert f.attrs["format"] == "fanflow-run"
        assert f.attrs["complete"] == 1
        assert f.attrs["ticks"] == 4


def test_run_progress_on_stderr(small_run: SmallRun) -> None:
    lines = small_run.result.stderr.splitlines()
    assert lines[0] == f"fanflow: {small_run.scenario}: 3,000 users, 40 creators, 4 days"
    assert lines[-1] == "  day 4/4"
    assert all(re.fullmatch(r"  day \d+/4", line) for line in lines[1:]), small_run.result.stderr


def test_run_headline_matches_file(small_run: SmallRun) -> None:
    stdout = small_run.result.stdout
    impressions = re.search(r"^impressions: ([\d,]+) \(recommendation ([\d,]+), follow feed ([\d,]+), "
                            r"friend share ([\d,]+), group ([\d,]+), ads ([\d,]+), live ([\d,]+)\)$", stdout, re.MULTILINE)
    reactions = re.search(r"^views: ([\d,]+), likes: ([\d,]+), shares: ([\d,]+)$", stdout, re.MULTILINE)
    followers = re.search(r"^followers gained: ([\d,]+)$", stdout, re.MULTILINE)
    top = re.search(r"^top creator: #(\d+) with ([\d,]+) followers$", stdout, re.MULTILINE)
    timing = re.search(r"^(\d+) days in \d+\.\d+ s on (\d+) threads$", stdout, re.MULTILINE)
    assert impressions and reactions and followers and top and timing, stdout

    with h5py.File(small_run.out, "r") as f:
        channels = list(f["timeseries/impressions"].attrs["columns"])
        per_channel = f["timeseries/impressions"][:].sum(axis=0)
        views = int(f["timeseries/views"][:].sum())
        likes = int(f["timeseries/likes"][:].sum())
        shares = int(f["timeseries/shares"][:].sum())
        final_followers = f["creators/summary/followers"][:]
        threads = int(f["provenance"].attrs["threads"])
    assert channels == ["recommendation", "follow_feed", "friend_share", "group", "ads", "live"]
    assert number(impressions[1]) == int(per_channel.sum()) > 0
    assert [number(impressions[i]) for i in (2, 3, 4, 5, 6, 7)] == [int(v) for v in per_channel]
    assert number(impressions[4]) > 0, "share_rate 0.05 should give friend-share impressions in 4 days"
    assert [number(reactions[i]) for i in (1, 2, 3)] == [views, likes, shares]
    assert number(followers[1]) == int(final_followers.sum()) > 0
    assert int(top[1]) == int(np.argmax(final_followers))
    assert number(top[2]) == int(final_followers.max())
    assert int(timing[1]) == 4
    assert int(timing[2]) == threads == 2


def test_quiet_prints_only_the_file(fanflow: Path, tmp_path: Path) -> None:
    out = tmp_path / "quiet.h5"
    result = fanflow_run(fanflow, tmp_path, "run", "-q", "--set", "population.users=1000", "--set",
                         "population.creators=10", "--set", "run.days=2", "-o", out)
    assert result.stdout == f"wrote {out}\n"
    assert result.stderr == ""
    assert out.is_file()


def test_profile_table(fanflow: Path, tmp_path: Path) -> None:
    out = tmp_path / "profile.h5"
    result = fanflow_run(fanflow, tmp_path, "run", "--profile", "--set", "population.users=2000", "--set",
                         "population.creators=20", "--set", "run.days=3", "-o", out)
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split() == ["phase", "seconds", "share", "ms/call"])
    rows = []
    for line in lines[header + 1:]:
        if line.startswith("wrote "):
            break
        rows.append(line.split())
    phases = [row[0] for row in rows]
    assert phases[-1] == "total"
    for phase in ("post", "recommend", "consume", "commit"):
        assert phase in phases, result.stdout
    order = [phases.index(p) for p in ("setup", "brands_prepare", "post", "recommend", "consume", "commit", "brands_settle", "creators",
                                        "adoption", "record")]
    assert order == sorted(order), "phases must be listed in pipeline order"
    seconds = {row[0]: float(row[1]) for row in rows}
    shares = [float(row[2].rstrip("%")) for row in rows[:-1]]
    assert all(s >= 0 for s in seconds.values())
    assert seconds["total"] == pytest.approx(sum(v for k, v in seconds.items() if k != "total"), abs=0.001 * len(rows))
    assert sum(shares) == pytest.approx(100, abs=0.1 * len(shares))
    assert lines[-1] == f"wrote {out}"

    with h5py.File(out, "r") as f:
        recorded = list(f["provenance/profile/phase"].asstr()[:])
    assert recorded == phases[:-1]


def test_params_lists_every_parameter(fanflow: Path, tmp_path: Path) -> None:
    result = fanflow_run(fanflow, tmp_path, "params")
    listed = re.findall(r"^  (\w+\.\w+)\s+(\w+)\s", result.stdout, flags=re.MULTILINE)
    expected = [(key, KIND_NAMES[kind]) for key, kind in params_def()]
    assert listed == expected
    headings = re.findall(r"^(\w+): \S", result.stdout, flags=re.MULTILINE)
    assert headings == sections_def()


def test_params_markdown_matches_docs(fanflow: Path, tmp_path: Path) -> None:
    doc = REPO / "docs" / "parameters.md"
    if not doc.exists():
        pytest.skip("docs/parameters.md does not exist")
    result = fanflow_run(fanflow, tmp_path, "params", "--markdown")
    assert result.stdout == doc.read_text(), "docs/parameters.md is stale: regenerate it with fanflow params --markdown"
    for key, _ in params_def():
        assert f"`{key}`" in result.stdout


def test_set_is_recorded_in_resolved_scenario(fanflow: Path, tmp_path: Path) -> None:
    out = tmp_path / "set.h5"
    fanflow_run(fanflow, tmp_path, "run", "-q", "-o", out, "--set", "run.seed=7", "--set", "run.days=2",
                "--set", "population.users=1500", "--set", "population.creators=20", "--set",
                "graph.kind=small_world", "--set", "engagement.share_rate=0.02", "--set", "graph.mean_degree=6")
    with h5py.File(out, "r") as f:
        resolved = yaml.safe_load(f["provenance/scenario"].asstr()[()])
        assert f["provenance"].attrs["seed"] == 7
        assert f.attrs["ticks"] == 2
        assert f["users/summary/friends"].shape == (1500,)
        assert f["users/summary/friends"][:].mean() == pytest.approx(6, abs=0.5)
    assert resolved["run"]["seed"] == 7
    assert resolved["run"]["days"] == 2
    assert resolved["population"]["users"] == 1500
    assert resolved["population"]["creators"] == 20
    assert resolved["graph"]["kind"] == "small_world"
    assert resolved["graph"]["mean_degree"] == 6
    assert resolved["engagement"]["share_rate"] == pytest.approx(0.02)
    # Every parameter appears, defaults included, and nothing else.
    keys = [f"{section}.{name}" for section, body in resolved.items() for name in body]
    assert keys == [key for key, _ in params_def()]
    assert resolved["engagement"]["like_rate"] == pytest.approx(0.08)


def test_set_overrides_scenario_file_and_last_set_wins(fanflow: Path, tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("run:\n  days: 5\n  seed: 3\npopulation:\n  users: 1000\n  creators: 10\n")
    out = tmp_path / "s.h5"
    fanflow_run(fanflow, tmp_path, "run", scenario, "-q", "-o", out, "--set", "run.days=4", "--set", "run.days=2")
    with h5py.File(out, "r") as f:
        resolved = yaml.safe_load(f["provenance/scenario"].asstr()[()])
        assert f.attrs["ticks"] == 2
        assert f["provenance"].attrs["scenario_source"] == str(scenario)
    assert resolved["run"] == {"seed": 3, "world_seed": 0, "days": 2, "memory_limit_gib": 0}
    assert resolved["population"]["users"] == 1000


def test_run_without_scenario_uses_the_default(fanflow: Path, tmp_path: Path) -> None:
    """`fanflow run --set ...` with no scenario runs the built-in default, which is scenarios/default.yaml."""
    small = ["--set", "run.days=1", "--set", "population.users=5000"]
    builtin, from_file = tmp_path / "builtin.h5", tmp_path / "file.h5"
    fanflow_run(fanflow, tmp_path, "run", *small, "-q", "-o", builtin)
    fanflow_run(fanflow, tmp_path, "run", REPO / "scenarios" / "default.yaml", *small, "-q", "-o", from_file)
    with h5py.File(builtin, "r") as f, h5py.File(from_file, "r") as g:
        assert f["provenance"].attrs["scenario_source"] == "<default scenario>"
        assert f["provenance/scenario"].asstr()[()] == g["provenance/scenario"].asstr()[()]
        resolved = yaml.safe_load(f["provenance/scenario"].asstr()[()])
    assert resolved["population"]["users"] == 5000 and resolved["run"]["days"] == 1
    assert resolved["population"]["creators"] == 1000  # from the default scenario
    assert_same_data(builtin, from_file)


def test_default_output_path(fanflow: Path, tmp_path: Path) -> None:
    small = ["--set", "run.days=1", "--set", "population.users=1000", "--set", "population.creators=10"]
    result = fanflow_run(fanflow, tmp_path, "run", "-q", *small, "--set", "run.seed=3")
    assert result.stdout == "wrote runs/default-seed3.h5\n"
    assert (tmp_path / "runs" / "default-seed3.h5").is_file()

    (tmp_path / "my.yaml").write_text("run:\n  seed: 4\n")
    result = fanflow_run(fanflow, tmp_path, "run", "my.yaml", "-q", *small)
    assert result.stdout == "wrote runs/my-seed4.h5\n"
    assert (tmp_path / "runs" / "my-seed4.h5").is_file()


def test_resolved_scenario_reproduces_the_run(small_run: SmallRun, fanflow: Path, tmp_path: Path) -> None:
    with h5py.File(small_run.out, "r") as f:
        resolved = f["provenance/scenario"].asstr()[()]
    scenario = tmp_path / "resolved.yaml"
    scenario.write_text(resolved)
    again = tmp_path / "again.h5"
    fanflow_run(fanflow, tmp_path, "run", scenario, "-q", "--threads", "2", "-o", again)
    assert_same_data(small_run.out, again)


def test_results_do_not_depend_on_threads(small_run: SmallRun, fanflow: Path, tmp_path: Path) -> None:
    one_thread = tmp_path / "one.h5"
    fanflow_run(fanflow, tmp_path, "run", small_run.scenario, "-q", "--threads", "1", "-o", one_thread)
    with h5py.File(one_thread, "r") as f:
        assert f["provenance"].attrs["threads"] == 1
    assert_same_data(small_run.out, one_thread)


def test_version_matches_provenance(small_run: SmallRun, fanflow: Path, tmp_path: Path) -> None:
    lines = fanflow_run(fanflow, tmp_path, "version").stdout.splitlines()
    with h5py.File(small_run.out, "r") as f:
        attrs = dict(f["provenance"].attrs)
    assert lines[0] == f"fanflow {attrs['fanflow_version']} ({attrs['git_revision']})"
    assert lines[1] == attrs["libraries"]
    short = fanflow_run(fanflow, tmp_path, "--version").stdout
    assert short == f"{attrs['fanflow_version']} ({attrs['git_revision']})\n"


def test_run_and_report_replace_an_output_only_with_force(fanflow: Path, tmp_path: Path) -> None:
    out = tmp_path / "run.h5"
    tiny = ["--set", "population.users=800", "--set", "population.creators=8", "--set", "run.days=2", "-o", out, "-q"]
    fanflow_run(fanflow, tmp_path, "run", *tiny)
    before = out.read_bytes()
    again = run_fanflow(fanflow, ["run", *[str(a) for a in tiny]], tmp_path)
    assert again.returncode == 2 and again.stdout == "", describe(again)
    assert again.stderr == f"fanflow: error: {out}: exists; write to another -o, or give --force to replace it\n"
    assert out.read_bytes() == before, "the refused run leaves the file as it was"
    fanflow_run(fanflow, tmp_path, "run", *tiny, "--force")
    fanflow_run(fanflow, tmp_path, "report", out)
    html = tmp_path / "run.html"
    refused = run_fanflow(fanflow, ["report", str(out)], tmp_path)
    assert refused.returncode == 2 and f"{html}: exists; write to another -o, or give --force" in refused.stderr
    fanflow_run(fanflow, tmp_path, "report", out, "--force")
