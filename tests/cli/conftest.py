"""Fixtures for the command-line tests: the `fanflow` binary and a `cli` workspace (see fanflow_cli.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.register_assert_rewrite("fanflow_cli")

from fanflow_cli import Cli, binary_path  # noqa: E402  (after the rewrite registration)


@pytest.fixture(scope="session")
def fanflow() -> Path:
    path = binary_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"no fanflow binary at {path}; set FANFLOW_BINARY to the built program")
    return path


@pytest.fixture
def cli(fanflow: Path, tmp_path: Path) -> Cli:
    workspace = Cli(fanflow, tmp_path)
    workspace.outdir.mkdir()
    return workspace
