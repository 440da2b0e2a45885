"""Command line of the reports: ``python3 -m fanflow_analysis.report FILE.h5 [-o REPORT.html] [--metric M]``
(what ``fanflow report`` and ``fanflow run --report`` run). FILE may also be the folder ``fanflow calibrate`` wrote
(:mod:`fanflow_analysis.calibration_report`).

Reads the root attribute ``format`` of FILE to tell a run file (``fanflow run``), a sweep file (``fanflow
sweep``) and a comparison file (``fanflow compare``) apart, and writes the matching report
(:mod:`fanflow_analysis.run_report`, :mod:`fanflow_analysis.sweep_report`,
:mod:`fanflow_analysis.comparison_report`): one self-contained HTML file (figures embedded) and the figures as
PNG files in ``<REPORT>_figures/`` beside it; prints ``wrote REPORT.html``. Errors are one line on stderr,
``fanflow: error: ...``, with exit status 2: a missing Debian package (with the ``apt-get install`` command that
adds it), a file that is not a complete fanflow run, sweep or comparison, or an output that cannot be written.
Only the standard library is imported before the packages are checked, so a missing one is reported rather than
raised.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

#: Python modules the report needs, with the Debian package that provides each.
REQUIRED_PACKAGES = {
    "numpy": "python3-numpy",
    "h5py": "python3-h5py",
    "pandas": "python3-pandas",
    "matplotlib": "python3-matplotlib",
    "scipy": "python3-scipy",
    "statsmodels": "python3-statsmodels",
    "jinja2": "python3-jinja2",
    "yaml": "python3-yaml",
}
EXIT_ERROR = 2


def missing_packages() -> list[str]:
    """The Debian packages whose Python modules cannot be found, in :data:`REQUIRED_PACKAGES` order."""
    return [package for module, package in REQUIRED_PACKAGES.items() if importlib.util.find_spec(module) is None]


def default_output(input_path: Path) -> Path:
    """``FILE.html`` beside ``FILE.h5``."""
    return input_path.with_suffix(".html")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fanflow report",
                                     description="Write the HTML report of a fanflow run, sweep or comparison file.")
    parser.add_argument("file", type=Path,
                        help="the HDF5 file that fanflow run, fanflow sweep or fanflow compare wrote")
    parser.add_argument("-o", "--output", type=Path, help="the HTML file to write (default: FILE.html beside FILE)")
    parser.add_argument("--metric", action="append", dest="metrics", metavar="METRIC",
                        help="sweep files: a /summary metric for the pair heatmaps and sensitivity indices "
                             "(repeat for several; default follows_end, followers_gini_end, creator_income)")
    return parser.parse_args(argv)


def error(message: str) -> int:
    print(f"fanflow: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_ERROR


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    missing = missing_packages()
    if missing:
        return error(f"the report needs the Python packages {', '.join(missing)}; install them with: "
                     f"apt-get install -y {' '.join(missing)}")
    from fanflow_analysis.experiments import file_kind
    from fanflow_analysis.run_file import RunFileError

    output = arguments.output or default_output(arguments.file)
    from fanflow_analysis import calibration_report
    if calibration_report.is_calibration(arguments.file):
        if arguments.metrics:
            return error(f"{arguments.file}: --metric applies to sweep files; this is a calibration folder")
        try:
            written = calibration_report.write_report(arguments.file, output)
        except RunFileError as failure:
            return error(str(failure))
        except OSError as failure:
            return error(f"{output}: cannot write the report: {failure.strerror or failure}")
        print(f"wrote {written}")
        return 0
    try:
        kind = file_kind(arguments.file)
        if output.resolve() == arguments.file.resolve():
            return error(f"{output}: is the {kind} file itself; choose another output path")
        if arguments.metrics and kind != "sweep":
            return error(f"{arguments.file}: --metric applies to sweep files; this is a {kind} file")
        written = write(kind, arguments.file, output, arguments.metrics)
    except RunFileError as failure:
        return error(str(failure))
    except OSError as failure:
        return error(f"{output}: cannot write the report: {failure.strerror or failure}")
    print(f"wrote {written}")
    return 0


def write(kind: str, input_path: Path, output: Path, metrics: list[str] | None) -> Path:
    """Writes the report of the `kind` of file (``run``, ``sweep``, ``comparison``) at `input_path`."""
    if kind == "sweep":
        from fanflow_analysis import sweep_report
        return sweep_report.write_report(input_path, output, metrics)
    if kind == "comparison":
        from fanflow_analysis import comparison_report
        return comparison_report.write_report(input_path, output)
    from fanflow_analysis import run_report
    return run_report.write_report(input_path, output)


if __name__ == "__main__":
    sys.exit(main())
