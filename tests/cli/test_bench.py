"""`fanflow bench`: it runs the standard scenarios it is asked for, prints the table, writes the JSON, and
refuses unknown cases on one line. (Figures are printed, never asserted: machines are shared and noisy.)"""

from __future__ import annotations

import json
from pathlib import Path

from fanflow_cli import describe, run_fanflow


def test_bench_prints_a_row_per_thread_count_and_writes_json(fanflow: Path, tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = run_fanflow(fanflow, ["bench", "S", "--days", "1", "--threads", "1", "2", "--json", str(out)], tmp_path)
    assert result.returncode == 0, describe(result)
    rows = [line.split() for line in result.stdout.splitlines() if line.startswith("S ")]
    assert [row[1] for row in rows] == ["1", "2"], describe(result)
    assert "time per phase" in result.stdout and "consume" in result.stdout
    assert "note: S ran 1 days of its standard 90 (quick mode)" in result.stdout
    data = json.loads(out.read_text())
    assert data["format"] == "fanflow-bench"
    results = data["results"]
    assert [(r["case"], r["threads"], r["days"]) for r in results] == [("S", 1, 1), ("S", 2, 1)]
    for r in results:
        assert not r["refused"] and r["users"] == 100000 and r["impressions"] > 0
        assert r["impressions_per_second"] > 0 and r["bytes_per_user"] > 0 and r["bytes_per_edge"] > 0
        assert set(r["phases"]) >= {"setup", "brands_prepare", "post", "recommend", "consume", "commit", "brands_settle", "creators"}
    # Both thread counts simulate the same days: the same impressions.
    assert results[0]["impressions"] == results[1]["impressions"]
    assert not (tmp_path / "bench.json.partial").exists()


def test_bench_refuses_an_unknown_case(fanflow: Path, tmp_path: Path) -> None:
    result = run_fanflow(fanflow, ["bench", "XL"], tmp_path)
    assert result.returncode == 2, describe(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fanflow: error:") and "XL" in lines[0], describe(result)
