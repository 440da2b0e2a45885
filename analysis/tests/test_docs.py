"""docs/analysis.md documents every public function of the analysis modules and every report section."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from fanflow_analysis import (comparison_report, experiments, run_report, scenario_outcomes, sensitivity, stats,
                              sweep_report, tables)

DOC = (Path(__file__).resolve().parents[2] / "docs" / "analysis.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("module", [tables, experiments, stats, sensitivity, scenario_outcomes],
                         ids=lambda m: m.__name__)
def test_every_public_function_is_documented(module) -> None:
    public = [name for name, member in inspect.getmembers(module, inspect.isfunction)
              if not name.startswith("_") and member.__module__ == module.__name__]
    assert public, module.__name__
    missing = [name for name in public if f"`{name}(" not in DOC and f"`{name}`" not in DOC]
    assert missing == [], f"not in docs/analysis.md: {missing}"


@pytest.mark.parametrize("report", [run_report, sweep_report, comparison_report], ids=lambda m: m.__name__)
def test_every_report_section_is_documented(report) -> None:
    for title in report.SECTION_TITLES.values():
        assert f"| {title} |" in DOC, title
