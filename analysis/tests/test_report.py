"""The run report: `fanflow report` and `fanflow run --report` write the HTML page with every section and the
figure files; a run without brands or timeline gets notes instead of figures; bad input gets one error line."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from analysis_runs import assert_figures, assert_one_error_line, fanflow

from fanflow_analysis import figures, report, run_report, stats
from fanflow_analysis.run_report import SECTION_TITLES, figure_folder

FIGURES = ["fan_growth.png", "top_creators.png", "traffic_by_channel.png", "lorenz.png", "concentration.png",
           "survival.png", "stages.png", "true_fans.png", "brand_funnel.png", "brand_spend.png",
           "return_on_spend.png"]


@pytest.fixture(scope="module")
def timeline_report(timeline_run: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("report") / "timeline report.html"
    result = fanflow("report", timeline_run, "-o", out, cwd=out.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {out}\n"
    return out, out.read_text(encoding="utf-8")


def test_report_has_every_section(timeline_report: tuple[Path, str]) -> None:
    _, page = timeline_report
    assert "<h2 id=\"headline\">Headline figures</h2>" in page
    for title in SECTION_TITLES.values():
        assert f"<h2>{title}</h2>".replace("&", "&amp;") in page, title
    assert "class=\"note\"" not in page, "this run has every kind of data, so no section needs a note"


def test_report_has_every_figure(timeline_report: tuple[Path, str]) -> None:
    out, page = timeline_report
    assert_figures(page, figure_folder(out), FIGURES)


def test_report_headline_and_timeline(timeline_report: tuple[Path, str]) -> None:
    _, page = timeline_report
    assert re.search(r"<td>days simulated</td><td>20</td>", page)
    assert "switch to follow-heavy rules" in page
    assert "engagement.share_rate" in page


def test_report_shows_the_facts_with_their_bands(timeline_report: tuple[Path, str], timeline_run: Path) -> None:
    _, page = timeline_report
    result = fanflow("facts", "--json", timeline_run, cwd=timeline_run.parent)
    assert result.returncode == 0, result.stderr
    bands = {fact["name"]: fact["band"] for fact in json.loads(result.stdout)["facts"]}
    low, high = bands["top3_view_share"]
    assert "<td>top3_view_share</td>" in page and f"<td>[{low:.3f}, {high:.3f}]</td>" in page
    low, high = bands["survival_day30"]
    assert re.search(rf"<td>survival_day30</td><td>-</td><td>\[{low:.3f}, {high:.3f}\]</td><td></td>", page), \
        "a 20-day run cannot tell survival at day 30: no value, and neither inside nor outside"
    assert "facts with a band fall outside it" in page


def test_report_without_the_program_says_how_to_get_the_facts(timeline_run: Path, monkeypatch) -> None:
    monkeypatch.delenv("FANFLOW_BINARY", raising=False)
    section = run_report.facts_section(run_report.load_run_tables(timeline_run))
    assert section.tables == [] and "fanflow report" in section.notes[0]


def test_report_leaves_no_temporary_files(timeline_report: tuple[Path, str]) -> None:
    out, _ = timeline_report
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([out.name, figure_folder(out).name])


def test_report_notes_missing_data(plain_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "plain.html"
    result = fanflow("report", plain_run, "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "This run has no brands" in page
    assert "The scenario has no timeline" in page
    for title in SECTION_TITLES.values():
        assert f"<h2>{title}</h2>".replace("&", "&amp;") in page, title
    names = {p.name for p in figure_folder(out).iterdir()}
    assert not names & {"brand_funnel.png", "brand_spend.png", "return_on_spend.png", "survival.png",
                        "true_fans.png"}
    assert "No creator exited during this run" in page and "No follow reached the true-fan threshold" in page
    assert {"fan_growth.png", "traffic_by_channel.png", "lorenz.png"} <= names


def test_report_default_output_beside_the_run(timeline_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "copy.h5"
    run.write_bytes(timeline_run.read_bytes())
    result = fanflow("report", run, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "copy.html").is_file() and (tmp_path / "copy_figures").is_dir()




def test_report_on_a_missing_file(tmp_path: Path) -> None:
    result = fanflow("report", tmp_path / "missing.h5", cwd=tmp_path)
    assert_one_error_line(result, "missing.h5", "no such file")
    assert list(tmp_path.iterdir()) == []


def test_report_on_a_corrupt_file(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.h5"
    corrupt.write_text("impressions,views\n1,2\n")
    result = fanflow("report", corrupt, "-o", tmp_path / "out.html", cwd=tmp_path)
    assert_one_error_line(result, "corrupt.h5", "not an HDF5 file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.h5"], "nothing half-written"


def test_report_into_an_unwritable_place(timeline_run: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be\n")
    result = fanflow("report", timeline_run, "-o", blocker / "report.html", cwd=tmp_path)
    assert_one_error_line(result, "report.html", "cannot write")


def test_run_with_report(tmp_path: Path) -> None:
    out = tmp_path / "small.h5"
    result = fanflow("run", "-q", "--report", "-o", out, "--set", "run.days=4", "--set", "population.users=1000",
                     "--set", "population.creators=20", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {out}\nwrote {tmp_path / 'small.html'}\n"
    page = (tmp_path / "small.html").read_text(encoding="utf-8")
    assert "Headline figures" in page and "<h2>Fan growth</h2>" in page
    assert (tmp_path / "small_figures" / "traffic_by_channel.png").is_file()


def test_run_with_report_stops_when_the_run_fails(tmp_path: Path) -> None:
    result = fanflow("run", "--report", "-o", tmp_path / "x.h5", "--set", "run.days=-1", cwd=tmp_path)
    assert result.returncode == 2
    assert not (tmp_path / "x.html").exists()


def test_missing_packages_are_named_with_the_install_command(monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    real = report.importlib.util.find_spec
    monkeypatch.setattr(report.importlib.util, "find_spec",
                        lambda name, *a: None if name in ("statsmodels", "jinja2") else real(name, *a))
    assert report.main(["run.h5"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("fanflow: error: the report needs the Python packages python3-statsmodels, "
                            "python3-jinja2; install them with: apt-get install -y python3-statsmodels "
                            "python3-jinja2\n")


def test_report_refuses_to_overwrite_the_run_file(timeline_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "run.html"
    run.write_bytes(timeline_run.read_bytes())
    result = fanflow("report", run, cwd=tmp_path)
    assert_one_error_line(result, "run.html", "is the run file itself")
    assert run.read_bytes() == timeline_run.read_bytes()


def test_timeline_marks_name_each_change() -> None:
    timeline = pd.DataFrame({
        "tick": [8, 8, 12, 16, 20, 30],
        "entry": [0, 0, 1, 1, 2, 3],
        "key": ["feed.private_share_max", "platform.preset", "engagement.share_rate", "engagement.share_rate",
                "event.super_brand_day", "platform.preset"],
        "value": ["0.7", "follow_heavy", "0.05", "0.01", "brand 0, top 5 creators", "balanced"],
        "label": ["switch rules", "switch rules", "", "", "", ""],
    })
    events = pd.DataFrame({"tick": [8, 12, 16, 20, 30], "kind": ["timeline_applied"] * 5,
                           "subject": [0, 1, 1, 2, 3], "value": [1, 1, 0, 1, 1]})
    assert figures.timeline_marks(timeline, events) == [
        (8, "switch rules"),
        (12, "engagement.share_rate=0.05"),
        (16, "end of engagement.share_rate=0.01"),
        (20, "super brand day: brand 0, top 5 creators"),
        (30, "preset balanced"),
    ]
    assert figures.timeline_marks(timeline.iloc[:0], events.iloc[:0]) == []


def test_report_without_an_interpreter(timeline_run: Path, tmp_path: Path) -> None:
    result = fanflow("report", timeline_run, "-o", tmp_path / "r.html", cwd=tmp_path,
                     env={"FANFLOW_PYTHON": str(tmp_path / "no-python3")})
    assert_one_error_line(result, "no-python3", "apt-get install -y python3 ", "python3-pandas")
    assert list(tmp_path.iterdir()) == []


def test_report_with_a_package_missing(timeline_run: Path, tmp_path: Path) -> None:
    """An interpreter on which jinja2 cannot be found: the report names the package and the install command."""
    interpreter = tmp_path / "python-without-jinja2"
    interpreter.write_text(
        "#!/bin/sh\n"
        "shift 2  # -m fanflow_analysis.report\n"
        f"exec {sys.executable} -c 'import sys, runpy, importlib.util as util; "
        "real = util.find_spec; "
        "util.find_spec = lambda name, *rest: None if name == \"jinja2\" else real(name, *rest); "
        "sys.argv[0] = \"report\"; "
        "runpy.run_module(\"fanflow_analysis.report\", run_name=\"__main__\")' \"$@\"\n")
    interpreter.chmod(0o755)
    out = tmp_path / "out"
    out.mkdir()
    result = fanflow("report", timeline_run, "-o", out / "r.html", cwd=tmp_path,
                     env={"FANFLOW_PYTHON": str(interpreter)})
    assert_one_error_line(result, "python3-jinja2", "apt-get install -y python3-jinja2")
    assert list(out.iterdir()) == []


def test_report_without_creators(tmp_path: Path) -> None:
    run = tmp_path / "no_creators.h5"
    result = fanflow("run", "-q", "-o", run, "--set", "run.days=3", "--set", "population.users=500", "--set",
                     "population.creators=0", "--set", "lifecycle.max_entrants=0", "--set", "brands.own_accounts=false",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = fanflow("report", run, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "no_creators.html").read_text(encoding="utf-8")
    assert page.count("This run has no creators") == 4, "growth, concentration, survival, true fans"
    names = {p.name for p in (tmp_path / "no_creators_figures").iterdir()}
    assert "traffic_by_channel.png" in names and not names & {"fan_growth.png", "lorenz.png", "stages.png"}


def test_report_tables_agree_with_the_file(timeline_run: Path) -> None:
    data = run_report.load_run_tables(timeline_run)
    concentration = run_report.concentration_over_time(data)
    final = run_report.final_followers(data)
    assert concentration["gini"].iloc[-1] == pytest.approx(stats.gini(final))
    assert concentration["top3_share"].iloc[-1] == pytest.approx(stats.top_share(final, 0.03))
    stages = run_report.stage_table(data)
    joined = data.creators["joined_tick"].to_numpy()
    assert list(stages.sum(axis=1)) == [int((joined <= t).sum()) for t in stages.index], \
        "every creator that has joined is in one stage or has exited"
    assert stages["exited"].iloc[-1] == data.creators["exited"].sum() == data.series["creator_exits"].sum()
    alive = stages.drop(columns="exited").sum(axis=1)
    assert list(alive) == list(data.series["creators_alive"])


def test_unspendable_budgets_are_reported_with_the_reason(tmp_path: Path) -> None:
    # live.fee_multiplier 0: no live session can be booked, so every brand's live budget stays unspent.
    scenario = tmp_path / "acme.yaml"
    scenario.write_text("run: {days: 5}\npopulation: {users: 1500, creators: 20, brands: 3}\n"
                        "live: {fee_multiplier: 0}\nactors: {brands: [{name: Acme, budget: 120}]}\n")
    run = tmp_path / "acme.h5"
    result = fanflow("run", scenario, "-o", run, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = re.search(r"^  live: (.*)\n    why: (.*)$", result.stdout, re.MULTILINE)
    assert printed is not None, result.stdout
    assert "all brands" in printed[1] and "Acme 60 of 60 (100%), nothing bought on 5 of 5 days" in printed[1]
    rows = run_report.unspent_budget_rows(run_report.load_run_tables(run).brands)
    acme = rows[(rows["who"] == "Acme") & (rows["line"] == "live")].iloc[0]
    assert acme["budget"] == pytest.approx(5 * 120 * 0.1) and acme["spent"] == 0 and acme["unspent_share"] == 1
    assert acme["idle_days"] == 5
    result = fanflow("report", run, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "acme.html").read_text(encoding="utf-8")
    assert "100% of the brands&#39; live budget was not spent" in page
    assert printed[2].replace("'", "&#39;") in page, "the report gives the engine's reason"
