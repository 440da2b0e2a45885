"""Command line of the run report: ``python3 -m fanflow_analysis.report RUN.h5 [-o REPORT.html]`` (what
``fanflow report`` and ``fanflow run --report`` run).

Writes one self-contained HTML file (figures embedded) and the figures as PNG files in ``<REPORT>_figures/``
beside it; prints ``wrote REPORT.html``. Errors are one line on stderr, ``fanflow: error: ...``, with exit
status 2: a missing Debian package (with the ``apt-get install`` command that adds it), a file that is not a
complete fanflow run, or an output that cannot be written. Only the standard library is imported before the
packages are checked, so a missing one is reported rather than raised.
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
}
EXIT_ERROR = 2


def missing_packages() -> list[str]:
    """The Debian packages whose Python modules cannot be found, in :data:`REQUIRED_PACKAGES` order."""
    return [package for module, package in REQUIRED_PACKAGES.items() if importlib.util.find_spec(module) is None]


def default_output(run_path: Path) -> Path:
    """``RUN.html`` beside ``RUN.h5``."""
    return run_path.with_suffix(".html")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fanflow report", description="Write the HTML report of a fanflow run.")
    parser.add_argument("run", type=Path, help="the run file (HDF5) that fanflow run wrote")
    parser.add_argument("-o", "--output", type=Path, help="the HTML file to write (default: RUN.html beside RUN)")
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
    from fanflow_analysis.run_file import RunFileError
    from fanflow_analysis.run_report import write_report

    output = arguments.output or default_output(arguments.run)
    if output.resolve() == arguments.run.resolve():
        return error(f"{output}: is the run file itself; choose another output path")
    try:
        written = write_report(arguments.run, output)
    except RunFileError as failure:
        return error(str(failure))
    except OSError as failure:
        return error(f"{output}: cannot write the report: {failure.strerror or failure}")
    print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
