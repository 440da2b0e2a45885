"""Helpers for the command-line tests: where the `fanflow` binary is, running it (no shell), and a `Cli`
workspace in pytest's tmp_path that checks the shape of its error reports."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

#: `fanflow: SCENARIO: 2,000 users, 30 creators, 3 days`, printed on stderr when a run starts (not with -q).
RUN_HEADER = re.compile(r"^fanflow: .+: [\d,]+ users, [\d,]+ creators, [\d,]+ days$")
#: `  day 3/10`, the progress lines of a run whose stderr is not a terminal.
PROGRESS = re.compile(r"^  day \d+/\d+$")
ERROR_PREFIX = "fanflow: error: "

#: Overrides that keep a run that gets past the scenario checks small (a fraction of a second).
SMALL = ["--set", "population.users=2000", "--set", "population.creators=30", "--set", "run.days=3"]


def binary_path() -> Path:
    """FANFLOW_BINARY (relative to the directory pytest was started in), else build/fanflow in the repo."""
    configured = os.environ.get("FANFLOW_BINARY")
    return Path(configured).absolute() if configured else REPO / "build" / "fanflow"


def run_fanflow(binary: Path, args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """Runs `binary args...` in `cwd` with pipes for stdout and stderr (so never a terminal)."""
    return subprocess.run(
        [str(binary), *map(str, args)],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def describe(result: subprocess.CompletedProcess) -> str:
    return f"command {result.args}\nexit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


@dataclass
class Cli:
    """A workspace for one test: files are written under `root`; runs write into `outdir` (empty at first)."""

    binary: Path
    root: Path

    @property
    def outdir(self) -> Path:
        return self.root / "out"

    @property
    def out(self) -> Path:
        """The output file a failing run must not leave behind."""
        return self.outdir / "run.h5"

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def run(self, *args: object, timeout: float = 120) -> subprocess.CompletedProcess:
        return run_fanflow(self.binary, [str(a) for a in args], self.root, timeout)

    def error(self, result: subprocess.CompletedProcess, *, after_header: bool = False, code: int | None = 2) -> str:
        """Checks that `result` is an error report: exit `code` (any non-zero when None), nothing on stdout, and
        exactly one non-empty stderr line `fanflow: error: MESSAGE`. With after_header, the run-start header and
        progress lines may come before it (the error happened after the run started). Returns MESSAGE."""
        info = describe(result)
        if code is None:
            assert result.returncode != 0, info
        else:
            assert result.returncode == code, info
        assert result.stdout == "", info
        assert result.stderr.endswith("\n"), info
        lines = result.stderr.splitlines()
        if after_header:
            assert RUN_HEADER.match(lines[0]), info
            lines = [line for line in lines[1:] if not PROGRESS.match(line)]
        assert len(lines) == 1, f"expected exactly one error line\n{info}"
        line = lines[0]
        assert line.startswith(ERROR_PREFIX), info
        message = line[len(ERROR_PREFIX):]
        assert message.strip(), info
        assert len(line) < 400, f"error line too long\n{info}"
        return message

    def assert_no_output(self, *paths: Path) -> None:
        """Neither `outdir` nor any of `paths` holds a file (the output or its .partial) after a failed run."""
        leftovers = sorted(p.name for p in self.outdir.iterdir()) if self.outdir.exists() else []
        assert leftovers == [], f"files left in {self.outdir}: {leftovers}"
        for path in paths:
            for candidate in (path, Path(f"{path}.partial")):
                assert not candidate.is_file(), f"{candidate} was left behind"
