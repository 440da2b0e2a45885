"""Bad input to the `fanflow` command line: every mistake must end the program with exit status 2 (command-line
syntax errors included), one line `fanflow: error: ...` on stderr that names the file, the place
(file:line:column where there is one) and the key, nothing on stdout, and no output file (neither OUT nor
OUT.partial). `fanflow validate` must report the same scenario mistakes as `fanflow run`."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import h5py
import pytest

from fanflow_cli import REPO, SMALL, Cli, describe

# --- mistakes inside a scenario file ----------------------------------------------------------------------

ANY_PLACE = r"\d+:\d+"

# (id, scenario text, place "line:column" (regex) or None, key path or None, fragments the message must contain)
SCENARIO_CASES = [
    ("malformed-unclosed-list", "run:\n  days: 3\n  seed: [1\npopulation:\n  users: 10\n", ANY_PLACE, None,
     ["malformed YAML"]),
    ("malformed-indentation", "run:\n  days: 3\n   seed: 1\n", ANY_PLACE, None, ["malformed YAML"]),
    ("malformed-tab", "run:\n\tdays: 3\n", ANY_PLACE, None, ["malformed YAML"]),
    ("empty-document", "", None, None, ["the scenario is empty", "expected a mapping"]),
    ("comments-only", "# nothing here\n\n", None, None, ["the scenario is empty"]),
    ("document-is-list", "- run\n- population\n", "1:1", None, ["expected a mapping", "got a list"]),
    ("document-is-scalar", "100000\n", "1:1", None, ["expected a mapping", "got a value"]),
    ("unknown-key", "run:\n  days: 3\npopulation:\n  user: 10\n", "4:3", "population.user",
     ["unknown key", "did you mean 'population.users'?"]),
    ("unknown-key-readme-example", "engagement:\n  shar_rate: 0.02\n", "2:3", "engagement.shar_rate",
     ["unknown key", "did you mean 'engagement.share_rate'?"]),
    ("unknown-section-typo", "populaton:\n  users: 10\n", "1:1", "populaton",
     ["unknown key", "did you mean 'population'?"]),
    ("unknown-section", "run:\n  days: 3\nweather:\n  rain: 1\n", "3:1", "weather", ["unknown key"]),
    ("section-is-scalar", "population: 5\n", "1:13", "population", ["expected a mapping", "got a value"]),
    ("section-is-list", "run: []\n", "1:6", "run", ["expected a mapping", "got a list"]),
    ("string-for-integer", "population:\n  users: many\n", "2:10", "population.users",
     ["expected an integer", "[0, 2000000000]", "'many'"]),
    ("string-for-number", "graph:\n  mixing: lots\n", "2:11", "graph.mixing", ["expected a number", "[0, 1]", "'lots'"]),
    ("fraction-for-integer", "run:\n  days: 2.5\n", "2:9", "run.days", ["integer", "[1, 100000]", "'2.5'"]),
    ("mapping-for-integer", "population:\n  users: {a: 1}\n", "2:10", "population.users",
     ["[0, 2000000000]", "got a mapping"]),
    ("list-for-choice", "graph:\n  kind: [a, b]\n", "2:9", "graph.kind", ["got a list"]),
    ("missing-value", "run:\n  days:\n", ANY_PLACE, "run.days", ["[1, 100000]", "got nothing"]),
    ("below-range", "population:\n  users: -5\n", "2:10", "population.users", ["[0, 2000000000]", "'-5'"]),
    ("above-range", "graph:\n  mixing: 1.5\n", "2:11", "graph.mixing", ["[0, 1]", "'1.5'"]),
    ("zero-days", "run:\n  days: 0\n", "2:9", "run.days", ["[1, 100000]", "'0'"]),
    ("seed-above-2^53", "run:\n  seed: 9007199254740992\n", "2:9", "run.seed", ["[0, 9007199254740991]"]),
    ("nan", "graph:\n  mixing: .nan\n", "2:11", "graph.mixing", ["finite", "[0, 1]", "'.nan'"]),
    ("inf", "graph:\n  mean_degree: .inf\n", "2:16", "graph.mean_degree", ["finite", "[0, 100000]", "'.inf'"]),
    ("minus-inf", "creators:\n  quality_sd: -.inf\n", "2:15", "creators.quality_sd", ["finite", "'-.inf'"]),
    ("nan-for-integer", "run:\n  days: .nan\n", "2:9", "run.days", ["integer", "[1, 100000]", "'.nan'"]),
    ("wrong-choice", "graph:\n  kind: random\n", "2:9", "graph.kind",
     ["one of barabasi_albert, power_law, small_world, erdos_renyi, stochastic_block, edge_list", "'random'"]),
    ("wrong-choice-attention", "users:\n  attention_distribution: normal\n", "2:27", "users.attention_distribution",
     ["one of constant, lognormal, exponential", "'normal'"]),
    ("duplicate-key", "population:\n  users: 10\n  users: 20\n", "3:3", "population.users", ["duplicate key"]),
    ("duplicate-section", "population:\n  users: 10\npopulation:\n  creators: 20\n", "3:1", "population",
     ["duplicate"]),
    # Checks across parameters: no position, but the key.
    ("edge-list-without-file", "graph:\n  kind: edge_list\n", None, "graph.edge_file",
     ["required when graph.kind is edge_list"]),
    ("mean-degree-above-users", "population:\n  users: 10\ngraph:\n  mean_degree: 20\n", None, "graph.mean_degree",
     ["at most population.users - 1 (9)", "20"]),
    ("attention-max-below-mean", "users:\n  attention_mean: 50\n  attention_max: 40\n", None, "users.attention_max",
     ["at least users.attention_mean"]),
    ("communities-above-users",
     "population:\n  users: 10\ngraph:\n  kind: stochastic_block\n  communities: 20\n  mean_degree: 2\n", None,
     "graph.communities", ["at most population.users"]),
]


def expected_prefix(source: str, place: str | None, key: str | None) -> str:
    """Regex for the start of the message: SOURCE[:LINE:COLUMN]: [KEY: ]"""
    pattern = re.escape(source)
    if place:
        pattern += ":" + place
    pattern += ": "
    if key:
        pattern += re.escape(key) + ": "
    return pattern


@pytest.mark.parametrize("text,place,key,fragments", [c[1:] for c in SCENARIO_CASES],
                         ids=[c[0] for c in SCENARIO_CASES])
def test_bad_scenario(cli: Cli, text: str, place: str | None, key: str | None, fragments: list[str]) -> None:
    scenario = cli.write("scenario.yaml", text)
    run = cli.run("run", scenario, "-o", cli.out)
    message = cli.error(run)
    assert re.match(expected_prefix(str(scenario), place, key), message), describe(run)
    for fragment in fragments:
        assert fragment in message, describe(run)
    cli.assert_no_output(cli.out)

    validate = cli.run("validate", scenario)
    assert cli.error(validate) == message, "validate and run must report the same mistake"


def test_unknown_section_without_close_match_suggests_nothing(cli: Cli) -> None:
    scenario = cli.write("scenario.yaml", "weather:\n  rain: 1\n")
    message = cli.error(cli.run("run", scenario, "-o", cli.out))
    assert message == f"{scenario}:1:1: weather: unknown key"


def test_scenario_error_names_file_as_given(cli: Cli) -> None:
    """A relative scenario path is reported as given, so the message matches what the user typed."""
    cli.write("sub/my.yaml", "population:\n  user: 10\n")
    message = cli.error(cli.run("run", "sub/my.yaml", "-o", cli.out))
    assert message.startswith("sub/my.yaml:2:3: population.user: unknown key")


# --- mistakes in --set ------------------------------------------------------------------------------------

# (assignment, the message after "--set ASSIGNMENT: ")
SET_CASES = [
    ("population.user=5", "population.user: unknown key; did you mean 'population.users'?"),
    ("engagement.share_rat=0.1", "engagement.share_rat: unknown key; did you mean 'engagement.share_rate'?"),
    ("weather.rain=1", "weather.rain: unknown key"),
    ("population.users=abc", "population.users: expected an integer in [0, 2000000000], got 'abc'"),
    ("population.users=10.5", "population.users: expected an integer in [0, 2000000000], got '10.5'"),
    ("population.users=", "population.users: expected an integer in [0, 2000000000], got ''"),
    ("population.users=-1", "population.users: expected an integer in [0, 2000000000], got '-1'"),
    ("graph.mixing=2", "graph.mixing: expected a number in [0, 1], got '2'"),
    ("graph.mixing=nan", "graph.mixing: expected a finite number in [0, 1], got 'nan'"),
    ("graph.mean_degree=inf", "graph.mean_degree: expected a finite number in [0, 100000], got 'inf'"),
    ("graph.kind=random", "graph.kind: expected one of barabasi_albert, power_law, small_world, erdos_renyi, "
                          "stochastic_block, edge_list, got 'random'"),
    ("population.users", "expected section.key=value"),
    ("=5", "expected section.key=value"),
]


@pytest.mark.parametrize("assignment,expected", SET_CASES, ids=[c[0] or "empty" for c in SET_CASES])
def test_bad_set(cli: Cli, assignment: str, expected: str) -> None:
    run = cli.run("run", "--set", assignment, "-o", cli.out)
    message = cli.error(run)
    assert message == f"--set {assignment}: {expected}", describe(run)
    cli.assert_no_output(cli.out)

    scenario = cli.write("good.yaml", "run:\n  days: 2\n")
    assert cli.error(cli.run("validate", scenario, "--set", assignment)) == message


def test_later_set_errors_after_good_ones(cli: Cli) -> None:
    """The first bad assignment is reported, whatever good ones come before it."""
    run = cli.run("run", "--set", "run.days=2", "--set", "population.users=x", "--set", "run.seed=y", "-o", cli.out)
    assert cli.error(run).startswith("--set population.users=x: population.users: ")
    cli.assert_no_output(cli.out)


# --- the scenario file itself -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "validate"])
def test_missing_scenario_file(cli: Cli, command: str) -> None:
    missing = cli.root / "missing.yaml"
    args = [command, missing] + (["-o", cli.out] if command == "run" else [])
    message = cli.error(cli.run(*args))
    assert message.startswith(f"{missing}: ")
    assert "cannot read the scenario file" in message
    cli.assert_no_output(cli.out)


def test_scenario_is_a_folder(cli: Cli) -> None:
    folder = cli.root / "a_folder.yaml"
    folder.mkdir()
    message = cli.error(cli.run("run", folder, "-o", cli.out))
    assert message == f"{folder}: is a folder, not a scenario file"
    cli.assert_no_output(cli.out)


def test_unreadable_scenario_file(cli: Cli) -> None:
    scenario = cli.write("locked.yaml", "run:\n  days: 2\n")
    scenario.chmod(0)
    try:
        if os.access(scenario, os.R_OK):
            pytest.skip("running as a user (root) who can read a file with mode 000")
        message = cli.error(cli.run("run", scenario, "-o", cli.out))
        assert message.startswith(f"{scenario}: cannot read the scenario file")
        cli.assert_no_output(cli.out)
    finally:
        scenario.chmod(0o644)


# --- command-line syntax (CLI11) --------------------------------------------------------------------------

# (arguments, text the message must contain)
SYNTAX_CASES = [
    (["run", "--bogus"], "--bogus"),
    (["run", "--threads", "0"], "--threads"),
    (["run", "-t", "many"], "--threads"),
    (["run", "--set"], "--set"),
    (["run", "-o"], "--output"),
    (["run", "a.yaml", "b.yaml"], "b.yaml"),
    (["validate"], "scenario"),
    (["params", "--bogus"], "--bogus"),
    ([], "subcommand"),
    (["frobnicate"], ""),
]


@pytest.mark.parametrize("args,named", SYNTAX_CASES, ids=[" ".join(c[0]) or "nothing" for c in SYNTAX_CASES])
def test_command_line_syntax_error(cli: Cli, args: list[str], named: str) -> None:
    result = cli.run(*args)
    message = cli.error(result)  # exit status 2, as for every other mistake
    assert named in message, describe(result)
    assert "--help" in message, "the message should point at --help"
    assert list(cli.root.iterdir()) == [cli.outdir] and not list(cli.outdir.iterdir())
    assert not (cli.root / "runs").exists()


# --- the edge file of graph.kind = edge_list --------------------------------------------------------------

EDGE_SCENARIO = """\
graph:
  kind: edge_list
  edge_file: edges.txt
population:
  users: 100
  creators: 5
run:
  days: 2
"""


def edge_scenario(cli: Cli, edges: str | None) -> tuple[Path, Path]:
    """Writes the edge-list scenario and, unless `edges` is None, its edge file; returns both paths."""
    scenario = cli.write("edges.yaml", EDGE_SCENARIO)
    edge_file = cli.root / "edges.txt"
    if edges is not None:
        edge_file.write_text(edges)
    return scenario, edge_file


def test_edge_list_good_file_runs(cli: Cli, fanflow: Path) -> None:
    """Control for the edge-file errors below: the same scenario with a good file runs, and the graph it
    builds is the file's (ids remapped densely in ascending order, users beyond the file's have no friends)."""
    scenario, _ = edge_scenario(cli, "# friends\n0 1\n1,2\n\n10 20  # ids need not be contiguous\n")
    result = cli.run("run", scenario, "-q", "-o", cli.out)
    assert result.returncode == 0, describe(result)
    with h5py.File(cli.out, "r") as f:
        friends = f["users/summary/friends"][:]
    assert friends.shape == (100,)
    assert list(friends[:5]) == [1, 2, 1, 1, 1]
    assert not friends[5:].any()


# (id, edge file text, fragments; "{edges}" stands for the edge file's path)
EDGE_CASES = [
    ("bad-token", "0 1\n1 2\n# a comment\n2 x\n", ["{edges}:4: node id 'x' is not a non-negative integer"]),
    ("one-id", "0 1\n7\n", ["{edges}:2: expected two node ids, got '7'"]),
    ("negative-id", "0 1\n1 -2\n", ["{edges}:2: node id '-2' is not a non-negative integer"]),
    ("id-too-large", "0 1\n1 99999999999999999999999\n", ["{edges}:2: ", "too large"]),
    ("too-many-nodes", "".join(f"{i} {i + 1}\n" for i in range(150)),
     ["{edges}: the edge file names 151 distinct nodes but population.users is 100",
      "set population.users to at least 151"]),
]


@pytest.mark.parametrize("edges,fragments", [c[1:] for c in EDGE_CASES], ids=[c[0] for c in EDGE_CASES])
def test_bad_edge_file(cli: Cli, edges: str, fragments: list[str]) -> None:
    scenario, edge_file = edge_scenario(cli, edges)
    message = cli.error(cli.run("run", scenario, "-q", "-o", cli.out))
    for fragment in fragments:
        assert fragment.format(edges=edge_file) in message
    cli.assert_no_output(cli.out)


def test_bad_edge_file_without_quiet(cli: Cli) -> None:
    """Without -q the run-start header comes only after setup, so a bad edge file is the only stderr line."""
    scenario, edge_file = edge_scenario(cli, "0 1\n1 2\n# a comment\n2 x\n")
    result = cli.run("run", scenario, "-o", cli.out)
    message = cli.error(result)
    assert message.startswith(f"{edge_file}:4: ")
    cli.assert_no_output(cli.out)


def test_missing_edge_file(cli: Cli) -> None:
    scenario, edge_file = edge_scenario(cli, None)
    message = cli.error(cli.run("run", scenario, "-q", "-o", cli.out))
    assert message == f"{edge_file}: cannot read the edge file (missing or unreadable)"
    cli.assert_no_output(cli.out)


def test_missing_edge_file_from_set(cli: Cli) -> None:
    """With --set and the default scenario, a relative edge file is relative to the working directory."""
    message = cli.error(cli.run("run", *SMALL, "-q", "--set", "graph.kind=edge_list", "--set",
                                "graph.edge_file=nowhere.txt", "-o", cli.out))
    assert message == f"{cli.root / 'nowhere.txt'}: cannot read the edge file (missing or unreadable)"
    cli.assert_no_output(cli.out)


def test_unreadable_edge_file(cli: Cli) -> None:
    scenario, edge_file = edge_scenario(cli, "0 1\n")
    edge_file.chmod(0)
    try:
        if os.access(edge_file, os.R_OK):
            pytest.skip("running as a user (root) who can read a file with mode 000; see the folder case")
        message = cli.error(cli.run("run", scenario, "-q", "-o", cli.out))
        assert message == f"{edge_file}: cannot read the edge file (missing or unreadable)"
        cli.assert_no_output(cli.out)
    finally:
        edge_file.chmod(0o644)


def test_edge_file_is_a_folder(cli: Cli) -> None:
    scenario, edge_file = edge_scenario(cli, None)
    edge_file.mkdir()
    message = cli.error(cli.run("run", scenario, "-q", "-o", cli.out))
    assert message.startswith(f"{edge_file}: ")
    assert "cannot read the edge file" in message
    cli.assert_no_output(cli.out)


def test_validate_reports_missing_edge_file(cli: Cli) -> None:
    scenario, edge_file = edge_scenario(cli, None)
    message = cli.error(cli.run("validate", scenario))
    assert message.startswith(f"{edge_file}: ")


# --- where the output goes --------------------------------------------------------------------------------


def test_output_folder_cannot_be_created(cli: Cli) -> None:
    target = Path("/proc/forbidden/x.h5")
    message = cli.error(cli.run("run", *SMALL, "-q", "-o", target))
    assert message.startswith(f"{target}: ")
    assert "cannot create the output folder" in message
    cli.assert_no_output(target)


def test_output_file_cannot_be_created(cli: Cli) -> None:
    target = Path("/proc/x.h5")
    message = cli.error(cli.run("run", *SMALL, "-q", "-o", target))
    assert message.startswith(f"{target}: ")
    assert "cannot write the output file" in message
    cli.assert_no_output(target)


def test_output_under_a_regular_file(cli: Cli) -> None:
    regular = cli.write("regular.txt", "not a folder\n")
    target = regular / "x.h5"
    result = cli.run("run", *SMALL, "-o", target)
    message = cli.error(result)
    assert message.startswith(f"{target}: ")
    assert "not a folder" in message
    assert regular.read_text() == "not a folder\n"
    cli.assert_no_output(target)


def test_output_is_an_existing_folder(cli: Cli) -> None:
    target = cli.outdir / "a_folder"
    target.mkdir()
    message = cli.error(cli.run("run", *SMALL, "-q", "-o", target))
    assert message.startswith(f"{target}: ")
    assert target.is_dir() and not list(target.iterdir())
    assert sorted(p.name for p in cli.outdir.iterdir()) == ["a_folder"], "a .partial file was left behind"


def test_output_over_the_scenario_is_refused(cli: Cli) -> None:
    scenario = cli.write("same.yaml", "run: {days: 1}\npopulation: {users: 100, creators: 5}\n")
    message = cli.error(cli.run("run", scenario, "-o", scenario))
    assert "is the scenario file itself" in message
    assert scenario.read_text() == "run: {days: 1}\npopulation: {users: 100, creators: 5}\n"


# --- memory -----------------------------------------------------------------------------------------------

NEEDS = re.compile(r"needs about (\d+(?:\.\d+)?) (MiB|GiB) \(users .*, social graph .*, content .*\) "
                   r"but only (\d+(?:\.\d+)?) (MiB|GiB)")


def amounts(message: str) -> tuple[float, float]:
    """(needed, allowed) in MiB from a memory error message."""
    match = NEEDS.search(message)
    assert match, f"the message does not say how much memory the run needs: {message}"
    scale = {"MiB": 1.0, "GiB": 1024.0}
    return float(match[1]) * scale[match[2]], float(match[3]) * scale[match[4]]


def test_population_too_large_for_memory(cli: Cli) -> None:
    huge = ["--set", "population.users=2000000000", "--set", "graph.mean_degree=1000"]
    started = time.monotonic()
    result = cli.run("run", *huge, "-o", cli.out)
    message = cli.error(result)
    assert time.monotonic() - started < 20, "the memory check must come before anything is allocated"
    assert message.startswith("<default scenario>: population needs about ")
    assert "GiB" in message and "of memory is available" in message
    assert "reduce population.users or graph.mean_degree" in message
    needed, available = amounts(message)
    assert needed > available and needed > 1024 * 1024  # about 30 TiB, far more than any test machine has
    cli.assert_no_output(cli.out)

    scenario = cli.write("huge.yaml", "run:\n  days: 2\n")
    validate = cli.error(cli.run("validate", scenario, *huge))
    assert validate.startswith(f"{scenario}: population needs about ")


def test_memory_limit(cli: Cli) -> None:
    scenario = cli.write("limited.yaml", "population:\n  users: 20000\nrun:\n  memory_limit_gib: 0.001\n")
    message = cli.error(cli.run("run", scenario, "-q", "-o", cli.out))
    assert message.startswith(f"{scenario}: population needs about ")
    assert "but only 1.0 MiB is allowed by run.memory_limit_gib" in message
    needed, allowed = amounts(message)
    assert needed > allowed == 1.0
    cli.assert_no_output(cli.out)
    assert cli.error(cli.run("validate", scenario)) == message

    # The same population within its limit passes the check.
    ok = cli.run("validate", scenario, "--set", "run.memory_limit_gib=1")
    assert ok.returncode == 0, describe(ok)


# --- validate on good input -------------------------------------------------------------------------------


def test_validate_good_scenario(cli: Cli) -> None:
    scenario = REPO / "scenarios" / "default.yaml"
    result = cli.run("validate", scenario)
    assert result.returncode == 0, describe(result)
    assert result.stderr == ""
    assert re.fullmatch(re.escape(str(scenario)) + r": ok \(100,000 users, 1,000 creators, 90 days; "
                        r"needs about \d+\.\d (MiB|GiB) of memory\)\n", result.stdout), describe(result)
    assert list(cli.root.iterdir()) == [cli.outdir] and not list(cli.outdir.iterdir()), "validate wrote files"


def test_validate_applies_set(cli: Cli) -> None:
    scenario = cli.write("s.yaml", "run:\n  days: 3\n")
    result = cli.run("validate", scenario, "--set", "population.users=1234", "--set", "run.days=7")
    assert result.returncode == 0, describe(result)
    assert "(1,234 users, 1,000 creators, 7 days;" in result.stdout


# --- interruption -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_run_leaves_nothing(cli: Cli, fanflow: Path, signum: int) -> None:
    partial = Path(f"{cli.out}.partial")
    process = subprocess.Popen(
        [str(fanflow), "run", "--set", "population.users=200000", "--set", "run.days=400", "-o", str(cli.out)],
        cwd=cli.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not partial.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert partial.exists(), "the run did not start writing its .partial file within 30 s"
        time.sleep(1.5)
        assert process.poll() is None, "the run ended before it could be interrupted"
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    message = cli.error(result, after_header=True, code=130)
    assert "interrupted" in message and "no file written" in message
    cli.assert_no_output(cli.out)


def test_validate_suite_data_folder_missing(cli: Cli) -> None:
    missing = cli.root / "no-data"
    message = cli.error(cli.run("validate-suite", "--case", "conservation", "--data", missing))
    assert message == f"{missing}: --data: no such folder"
