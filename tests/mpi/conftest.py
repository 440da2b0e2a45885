"""The MPI tests use the command-line tests' fixtures (`fanflow`, `cli`) and helpers (tests/cli)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

CLI_TESTS = Path(__file__).resolve().parents[1] / "cli"
sys.path.insert(0, str(CLI_TESTS))

_spec = importlib.util.spec_from_file_location("cli_conftest", CLI_TESTS / "conftest.py")
_cli_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cli_conftest)
fanflow = _cli_conftest.fanflow
cli = _cli_conftest.cli
