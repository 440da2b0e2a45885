"""The command line itself: every usage mistake (unknown option, bad or missing value, missing or extra argument,
unknown command) exits with status 2 and one line `fanflow: error: ...`; an unknown command gets the closest
command as a suggestion; --help of the program and of every command prints to stdout and exits 0."""

from __future__ import annotations

import pytest

from fanflow_cli import Cli, describe

COMMANDS = ["run", "report", "sweep", "compare", "validate", "params", "outputs", "facts", "version", "bench", "validate-suite"]

# (arguments, text the message must contain)
USAGE_CASES = [
    # unknown options
    (["run", "--bogus"], "--bogus"),
    (["sweep", "s.yaml", "--frobnicate"], "--frobnicate"),
    (["version", "--markdown"], "--markdown"),
    (["--bogus"], "--bogus"),
    (["-q", "run"], "-q"),
    # bad option values: out of range, wrong type, not a choice
    (["run", "--threads", "0"], "--threads"),
    (["run", "--threads", "2000"], "--threads"),
    (["run", "-t", "two"], "--threads"),
    (["sweep", "s.yaml", "--jobs", "0"], "--jobs"),
    (["compare", "a.yaml", "b.yaml", "--replicates", "1"], "--replicates"),
    (["compare", "a.yaml", "b.yaml", "-r", "3", "--seed", "-1"], "--seed"),
    (["bench", "--days", "0"], "--days"),
    (["bench", "XL"], "XL"),
    # an option without its value
    (["run", "--output"], "--output"),
    (["report", "x.h5", "--metric"], "--metric"),
    # missing positionals
    (["validate"], "scenario"),
    (["report"], "file"),
    (["sweep"], "sweep"),
    (["compare", "a.yaml"], "plan"),
    (["compare", "a.yaml", "b.yaml"], "--replicates"),
    # extra positionals
    (["run", "a.yaml", "b.yaml"], "b.yaml"),
    (["params", "extra"], "extra"),
]


@pytest.mark.parametrize("args,named", USAGE_CASES, ids=[" ".join(c[0]) for c in USAGE_CASES])
def test_usage_error_exits_2(cli: Cli, args: list[str], named: str) -> None:
    result = cli.run(*args)
    message = cli.error(result, code=2)
    assert named in message, describe(result)
    assert "--help" in message, describe(result)
    assert not list(cli.outdir.iterdir()) and not (cli.root / "runs").exists()


@pytest.mark.parametrize(
    "typed,suggested",
    [("rnu", "run"), ("vaildate", "validate"), ("validate-suit", "validate-suite"), ("reprot", "report"),
     ("sweeps", "sweep"), ("param", "params"), ("verison", "version"), ("outptus", "outputs")],
)
def test_unknown_command_suggests_the_closest(cli: Cli, typed: str, suggested: str) -> None:
    result = cli.run(typed, "--threads", "2")
    assert cli.error(result, code=2) == f"unknown command '{typed}'; did you mean '{suggested}'?"


def test_unknown_command_without_a_close_one(cli: Cli) -> None:
    message = cli.error(cli.run("frobnicate"), code=2)
    assert message.startswith("unknown command 'frobnicate'") and "did you mean" not in message
    assert "--help" in message


def test_no_command_lists_the_commands(cli: Cli) -> None:
    """`fanflow` alone is a usage error (2) whose one line names every command and points at --help."""
    message = cli.error(cli.run(), code=2)
    assert "subcommand is required" in message and "--help" in message
    for command in COMMANDS:
        assert command in message


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_program_help(cli: Cli, flag: str) -> None:
    result = cli.run(flag)
    assert result.returncode == 0 and result.stderr == "", describe(result)
    for command in COMMANDS:
        assert f"\n  {command} " in result.stdout, describe(result)
    assert "Exit status: 0 done" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help(cli: Cli, command: str) -> None:
    result = cli.run(command, "--help")
    assert result.returncode == 0 and result.stderr == "", describe(result)
    assert "Usage: " in result.stdout and f" {command} " in result.stdout, describe(result)
    assert not list(cli.outdir.iterdir()) and not (cli.root / "runs").exists()


def test_validate_and_validate_suite_say_what_they_check(cli: Cli) -> None:
    validate = cli.run("validate", "--help").stdout.splitlines()[0]
    suite = cli.run("validate-suite", "--help").stdout.splitlines()[0]
    assert "scenario file" in validate and "validate-suite checks the engine" in validate
    assert "engine against theory" in suite and "validate checks a scenario" in suite


def test_version_flag(cli: Cli) -> None:
    result = cli.run("--version")
    assert result.returncode == 0 and result.stdout.strip() and result.stderr == "", describe(result)
