// `fanflow report`: runs Debian's Python on the analysis package (analysis/fanflow_analysis/report.py), which
// reads the run, sweep or comparison file and writes the matching HTML report and its figures. The interpreter and the
// analysis folder are fixed when the program is configured (FANFLOW_PYTHON, FANFLOW_ANALYSIS_DIR in CMakeLists.txt);
// the environment variable FANFLOW_PYTHON, when set, names another interpreter.
#include "app/report.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/error.hpp"

#ifndef FANFLOW_PYTHON
#define FANFLOW_PYTHON "/usr/bin/python3"
#endif
#ifndef FANFLOW_ANALYSIS_DIR
#define FANFLOW_ANALYSIS_DIR "analysis"
#endif

namespace fanflow::app {

const char* const kReportPackages =
    "python3 python3-h5py python3-numpy python3-pandas python3-matplotlib python3-scipy python3-statsmodels "
    "python3-jinja2 python3-yaml";

std::string default_report_path(const std::string& run_file) {
  return std::filesystem::path(run_file).replace_extension(".html").string();
}

void check_python_installation(const std::string& module) {
  const std::string python = python_interpreter(), analysis = FANFLOW_ANALYSIS_DIR;
  if (access(python.c_str(), X_OK) != 0)
    throw InputError(
        python + ": no Python interpreter there; reports and calibrations need Debian's Python: apt-get install -y " +
        kReportPackages);
  if (!std::filesystem::is_regular_file(std::filesystem::path(analysis) / "fanflow_analysis" / module))
    throw InputError(analysis +
                     ": the analysis folder (fanflow_analysis) is missing; reports and calibrations need the " +
                     "fanflow sources this program was built from");
}

std::string python_interpreter() {
  const char* chosen = std::getenv("FANFLOW_PYTHON");
  return chosen && *chosen ? chosen : FANFLOW_PYTHON;
}

std::string python_path() {
  const std::string analysis = FANFLOW_ANALYSIS_DIR;
  const char* inherited = std::getenv("PYTHONPATH");
  return inherited && *inherited ? analysis + ":" + inherited : analysis;
}

int write_report(const std::string& run_file, const std::string& html, const std::vector<std::string>& metrics) {
  const std::string python = python_interpreter();
  check_python_installation("report.py");
  std::vector<std::string> args{python, "-m", "fanflow_analysis.report", run_file, "-o", html};
  for (const std::string& metric : metrics) args.insert(args.end(), {"--metric", metric});
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string path_value = python_path();
  std::error_code ec;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  std::fflush(nullptr);  // the child inherits stdout and stderr: nothing buffered may be printed twice
  const pid_t child = fork();
  if (child < 0) throw InputError(std::string("cannot start ") + python + ": " + std::strerror(errno));
  if (child == 0) {
    setenv("PYTHONPATH", path_value.c_str(), 1);
    // The run report's facts section runs `fanflow facts --json` with this very program.
    if (!self.empty()) setenv("FANFLOW_BINARY", self.c_str(), 1);
    execv(python.c_str(), argv.data());
    std::fprintf(stderr, "fanflow: error: cannot run %s: %s\n", python.c_str(), std::strerror(errno));
    _exit(2);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR) throw InputError(std::string("lost the report process: ") + std::strerror(errno));
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  throw InputError(std::string("the report process was stopped by signal ") + std::to_string(WTERMSIG(status)));
}

}  // namespace fanflow::app
