// `fanflow report`: the HTML run report, written by the Python package in analysis/ (fanflow_analysis.report).
#pragma once

#include <string>
#include <vector>

namespace fanflow::app {

/// The Debian packages the report needs, as an `apt-get install` argument list.
extern const char* const kReportPackages;

/// The interpreter: the environment's FANFLOW_PYTHON, else the one found when the program was configured.
std::string python_interpreter();

/// PYTHONPATH with the analysis folder first, then whatever the caller had.
std::string python_path();

/// Throws InputError naming the `apt-get install` that fixes it when the interpreter or the analysis package (its
/// module `module`, e.g. "report.py") is missing.
void check_python_installation(const std::string& module);

/// The HTML file `fanflow report RUN` writes when no output is given: RUN with the extension .html.
std::string default_report_path(const std::string& run_file);

/// Runs `PYTHON -m fanflow_analysis.report RUN_FILE -o HTML [--metric M ...]` with PYTHONPATH set to the analysis
/// folder (both found when the program was configured; the environment variable FANFLOW_PYTHON overrides the
/// interpreter) and returns its exit status: 0 when the report was written, 2 when it printed a one-line error (a file
/// that is not a run, a missing Python package). Throws InputError when the interpreter or the analysis folder is
/// missing, naming the `apt-get install` command that fixes it. `metrics` (sweep files only) chooses the /summary
/// metrics of the pair heatmaps and sensitivity indices.
int write_report(const std::string& run_file, const std::string& html, const std::vector<std::string>& metrics = {});

}  // namespace fanflow::app
