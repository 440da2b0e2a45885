"""A calibration under mpirun (rank 0 searches, the other processes run the trials' replicates) proposes and scores
the same trials as one process. Run by CTest (`mpi_sweep`) when fanflow is built with MPI."""

from __future__ import annotations

import os
import subprocess

import pytest

from fanflow_cli import describe

MPIEXEC = os.environ.get("FANFLOW_MPIEXEC")
pytestmark = pytest.mark.skipif(not MPIEXEC, reason="fanflow is built without MPI (FANFLOW_MPIEXEC is not set)")

CALIBRATION = """scenario: world.yaml
parameters:
  engagement.follow_rate: {range: [0.001, 0.1], scale: log}
  lifecycle.exit_hazard: {range: [0.0, 0.2]}
targets:
  follows_gained: {value: 1800, tolerance: 200}
  creators_exited: {value: 16, tolerance: 2}
replicates: 2
trials: 16
batch: 4
seed: 3
"""


def test_a_calibration_over_mpi_gives_the_trials_of_one_process(cli):
    cli.write("world.yaml", "run: {seed: 1, days: 15}\npopulation: {users: 2000, creators: 30, brands: 0}\n")
    cli.write("cal.yaml", CALIBRATION)
    alone = cli.run("calibrate", "cal.yaml", "-o", "alone", "-q")
    assert alone.returncode == 0, describe(alone)
    command = [MPIEXEC, "-n", "3", "--allow-run-as-root", "--oversubscribe", str(cli.binary), "calibrate", "cal.yaml",
               "-o", "spread", "-q"]
    spread = subprocess.run(command, cwd=cli.root, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=600)
    assert spread.returncode == 0, describe(spread)
    for name in ["trials.csv", "fit.csv", "parameters.csv", "best.yaml"]:
        assert (cli.root / "spread" / name).read_text() == (cli.root / "alone" / name).read_text(), name
