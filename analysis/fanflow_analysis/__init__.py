"""Python tools for fanflow run files (the HDF5 files that `fanflow run` writes).

Read a whole run into numpy arrays with :func:`read_run`::

    from fanflow_analysis import read_run

    run = read_run("runs/default-seed1.h5")
    impressions = run.timeseries["impressions"]       # [ticks x channels]
    public = impressions[:, run.channels.index("recommendation")]
    curve = run.creator_followers[:, 42]               # creator 42's followers at the end of each day

The layout of the file is described in docs/output-format.md.
"""

from fanflow_analysis.run_file import Run, RunFileError, read_run

__all__ = ["Run", "RunFileError", "read_run"]
