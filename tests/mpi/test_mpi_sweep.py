"""A sweep distributed over MPI processes (rank 0 hands out runs and writes; the others run them) writes the same
file as a one-process sweep, and resumes a one-process file. Run by CTest (`mpi_sweep`) when fanflow is built with
MPI; FANFLOW_MPIEXEC names mpirun."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest


from fanflow_cli import describe
from test_experiments import BASE, LHS, assert_same_results

MPIEXEC = os.environ.get("FANFLOW_MPIEXEC")
pytestmark = pytest.mark.skipif(not MPIEXEC, reason="fanflow is built without MPI (FANFLOW_MPIEXEC is not set)")


def mpirun(cli, processes: int, *args: object) -> subprocess.CompletedProcess:
    command = [MPIEXEC, "-n", str(processes), "--allow-run-as-root", "--oversubscribe", str(cli.binary), *map(str, args)]
    return subprocess.run(command, cwd=cli.root, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("processes", [2, 3])
def test_mpi_sweep_writes_the_one_process_file(cli, processes):
    cli.write("base.yaml", BASE)
    sweep = cli.write("lhs.yaml", LHS.replace("samples: 5", "samples: 8"))
    single = cli.run("sweep", sweep, "-o", cli.outdir / "single.h5", "--jobs", "1", "-q")
    assert single.returncode == 0, describe(single)
    distributed = mpirun(cli, processes, "sweep", sweep, "-o", cli.outdir / "mpi.h5")
    assert distributed.returncode == 0, describe(distributed)
    assert f"on {processes - 1} worker processes" in distributed.stdout
    assert_same_results(cli.outdir / "single.h5", cli.outdir / "mpi.h5")
    assert not (cli.outdir / "mpi.h5.journal").exists()


def test_mpi_sweep_refuses_a_changed_definition_and_stops_every_process(cli):
    cli.write("base.yaml", BASE)
    sweep = cli.write("lhs.yaml", LHS)
    assert cli.run("sweep", sweep, "-o", cli.outdir / "s.h5", "-q").returncode == 0
    changed = cli.write("lhs.yaml", LHS.replace("seed: 11", "seed: 12"))
    result = mpirun(cli, 2, "sweep", changed, "-o", cli.outdir / "s.h5")
    assert result.returncode == 2, describe(result)
    assert "fanflow: error: " in result.stderr and "not a sweep of this definition" in result.stderr
