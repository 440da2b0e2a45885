"""`fanflow outputs`: the output schema it prints is what run, sweep and comparison files hold, dataset by dataset
(path, shape, element type, unit), so the declaration in engine/phases/outputs.def cannot drift from the files."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import h5py

from fanflow_cli import REPO, describe, run_fanflow

GROUPS = {"timeseries": "/timeseries/", "creators": "/creators/", "users": "/users/summary/", "brands": "/brands/"}
ROW = re.compile(r"^\| `([^`]+)` \| (\[[^\]]+\]) (\w+)(?: \(at setup\))? \| ([^|]*) \| (.*) \|$")


def schema(fanflow: Path, tmp_path: Path) -> dict[str, dict[str, tuple[str, str, str]]]:
    """{section: {dataset: (shape, type, unit)}} from `fanflow outputs --markdown`."""
    result = run_fanflow(fanflow, ["outputs", "--markdown"], tmp_path)
    assert result.returncode == 0, describe(result)
    tables: dict[str, dict[str, tuple[str, str, str]]] = {}
    section = None
    for line in result.stdout.splitlines():
        if line.startswith("<!-- outputs: "):
            section = line.removeprefix("<!-- outputs: ").removesuffix(" -->")
            tables[section] = {}
        elif (match := ROW.match(line)) is not None:
            tables[section][match[1]] = (match[2], match[3], match[4].strip())
    assert set(tables) == set(GROUPS) | {"sweep-series", "sweep-summary", "focal-brand", "focal-brand-series"}
    return tables


def file_datasets(path: Path, prefix: str) -> dict[str, h5py.Dataset]:
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name: str, item: object) -> None:
            full = "/" + name
            if isinstance(item, h5py.Dataset) and full.startswith(prefix):
                found[full[len(prefix):]] = (item.ndim, item.dtype.name, str(item.attrs["unit"]))
        f.visititems(visit)
    return found


def test_run_file_holds_exactly_the_declared_datasets(fanflow: Path, tmp_path: Path) -> None:
    tables = schema(fanflow, tmp_path)
    out = tmp_path / "run.h5"
    result = run_fanflow(fanflow, ["run", "--set", "population.users=2000", "--set", "population.creators=30",
                                   "--set", "run.days=5", "-o", str(out), "--quiet"], tmp_path)
    assert result.returncode == 0, describe(result)
    for section, prefix in GROUPS.items():
        declared = tables[section]
        present = file_datasets(out, prefix)
        assert sorted(present) == sorted(declared), section
        for name, (shape, dtype, unit) in declared.items():
            ndim, file_dtype, file_unit = present[name]
            assert file_dtype == dtype, f"{prefix}{name}"
            assert file_unit == unit, f"{prefix}{name}"
            assert ndim == (2 if "×" in shape else 1), f"{prefix}{name}"


def test_sweep_and_comparison_files_hold_the_declared_metrics(fanflow: Path, tmp_path: Path) -> None:
    tables = schema(fanflow, tmp_path)
    out = tmp_path / "sweep.h5"
    sweep = REPO / "scenarios" / "sweeps" / "saltelli_small.yaml"
    result = run_fanflow(fanflow, ["sweep", str(sweep), "-o", str(out), "--quiet"], tmp_path)
    assert result.returncode == 0, describe(result)
    with h5py.File(out, "r") as f:
        for section, group in (("sweep-series", "series"), ("sweep-summary", "summary")):
            assert sorted(f[group]) == sorted(tables[section]), group
            for name, (_, _, unit) in tables[section].items():
                assert str(f[group][name].attrs["unit"]) == unit, f"/{group}/{name}"


FOCAL_WORLD = """
run: {days: 6}
population: {users: 1500, creators: 30, brands: 3}
actors:
  brands:
    - {name: Acme, focal: true, budget: 150}
"""


def test_comparison_files_hold_the_declared_focal_brand_metrics(fanflow: Path, tmp_path: Path) -> None:
    tables = schema(fanflow, tmp_path)
    baseline, plan, out = tmp_path / "baseline.yaml", tmp_path / "plan.yaml", tmp_path / "cmp.h5"
    baseline.write_text(FOCAL_WORLD)
    plan.write_text(FOCAL_WORLD + """timeline:
  - {at: 2, event: {kind: shift, brand: Acme, from: ads, to: sponsorship, fraction: 0.5}}
""")
    result = run_fanflow(fanflow, ["compare", str(baseline), str(plan), "-r", "2", "-o", str(out)], tmp_path)
    assert result.returncode == 0, describe(result)
    with h5py.File(out, "r") as f:
        assert [str(name) for name in f.attrs["focal_brands"]] == ["Acme"]
        acme = f["focal/Acme"]
        for arm in ("baseline", "plan"):
            for kind, section in (("summary", "focal-brand"), ("series", "focal-brand-series")):
                assert sorted(acme[arm][kind]) == sorted(tables[section]), f"{arm}/{kind}"
                for name, (_, _, unit) in tables[section].items():
                    assert str(acme[arm][kind][name].attrs["unit"]) == unit, f"{arm}/{kind}/{name}"
        assert sorted(acme["difference/summary"]) == sorted(tables["focal-brand"])
        assert sorted(acme["difference/band"]) == sorted(tables["focal-brand-series"])


def test_the_doc_tables_are_the_generated_ones(fanflow: Path) -> None:
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "update_output_doc.py"), "--check",
                             "--fanflow", str(fanflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dimensionless_values_have_the_empty_unit(fanflow: Path, tmp_path: Path) -> None:
    for section, table in schema(fanflow, tmp_path).items():
        for name, (_, _, unit) in table.items():
            assert unit != "1", f"{section}: {name}"
