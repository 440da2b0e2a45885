"""Python tools for fanflow's HDF5 files: run files (`fanflow run`), sweep files (`fanflow sweep`) and comparison
files (`fanflow compare`).

Read a whole run into numpy arrays with :func:`read_run`::

    from fanflow_analysis import read_run

    run = read_run("runs/default-seed1.h5")
    impressions = run.timeseries["impressions"]       # [ticks x channels]
    public = impressions[:, run.channels.index("recommendation")]
    curve = run.creator_followers[:, 42]               # creator 42's followers at the end of each day

or into tidy pandas tables with the loaders of :mod:`fanflow_analysis.tables` (``load_timeseries``,
``load_channel_traffic``, ``load_creator_series``, ``load_creators``, ...); sweep and comparison files with
those of :mod:`fanflow_analysis.experiments` (``load_sweep_summary``, ``load_comparison_effects``, ...).
:mod:`fanflow_analysis.stats` (Gini, Lorenz, top share, paired differences) and
:mod:`fanflow_analysis.sensitivity` (Sobol and Morris) hold the statistics; ``python3 -m
fanflow_analysis.report FILE.h5`` (what ``fanflow report`` runs) writes the HTML report of a run, sweep or
comparison. The layout of the file is described in docs/output-format.md, the tools in docs/analysis.md.

The names below are imported on first use, so ``python3 -m fanflow_analysis.report`` can report a missing
Debian package on one line before anything needs it.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Run": "fanflow_analysis.run_file",
    "RunFileError": "fanflow_analysis.run_file",
    "read_run": "fanflow_analysis.run_file",
    "open_run": "fanflow_analysis.run_file",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'fanflow_analysis' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
