// `fanflow calibrate CALIB.yaml -o DIR`: fits a scenario's free parameters to target statistics and curves with
// Optuna (docs/calibration.md); `fanflow calibrate --statistics` lists the statistics targets can name.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/command.hpp"
#include "app/report.hpp"
#include "calibration/calibrate.hpp"
#include "core/error.hpp"
#include "experiments/distributed.hpp"
#include "experiments/statistics.hpp"

namespace fanflow::app {
namespace {

struct CalibrateCommandOptions {
  std::string file;
  std::string output;
  int jobs = 0;
  int threads = 0;
  bool quiet = false;
  bool statistics = false;
  bool markdown = false;
};

int run_calibrate(const CalibrateCommandOptions& o) {
  if (o.statistics) {
    if (o.markdown) {
      std::fputs(experiments::statistics_markdown().c_str(), stdout);
    } else {
      for (const experiments::Statistic& s : experiments::end_statistics())
        std::printf("%-32s %-8s %s\n", s.name.c_str(), s.kind == experiments::StatisticKind::Fact ? "fact" : "summary",
                    s.meaning.c_str());
      for (const experiments::Statistic& s : experiments::series_statistics())
        std::printf("%-32s %-8s %s (a curve's series)\n", s.name.c_str(), "series", s.meaning.c_str());
    }
    return 0;
  }
  if (o.file.empty()) throw InputError("calibrate: give the calibration file (or --statistics to list the statistics)");
  if (experiments::launched_processes() > 1)
    throw InputError("calibrate runs in one process, its runs side by side on every core; start it without mpirun");
  const calibration::CalibrationDefinition definition = calibration::load_calibration_file(o.file);
  check_python_installation("calibration.py");
  calibration::CalibrateOptions options;
  options.output = o.output.empty() ? "runs/calibrate-" + std::filesystem::path(o.file).stem().string() : o.output;
  options.jobs = o.jobs;
  options.threads = o.threads;
  options.quiet = o.quiet;
  options.sampler = {python_interpreter(), "-m", "fanflow_analysis.calibration"};
  options.environment = {"PYTHONPATH=" + python_path()};
  return calibration::run_calibration(definition, options);
}

}  // namespace

Command add_calibrate_command(CLI::App& program) {
  auto o = std::make_shared<CalibrateCommandOptions>();
  CLI::App* calibrate = program.add_subcommand(
      "calibrate", "Fit a scenario's parameters to target statistics and curves (Optuna; resumable)");
  calibrate->add_option("file", o->file, "Calibration YAML file (docs/calibration.md)");
  calibrate->add_option("-o,--output", o->output,
                        "Output folder (default runs/calibrate-<file>); rerun the same command to resume");
  calibrate->add_option("-j,--jobs", o->jobs, "Runs at once (default: decided from the run size and the cores)")
      ->check(CLI::Range(1, 1024));
  calibrate->add_option("-t,--threads", o->threads, "Threads in all (default: all cores)")->check(CLI::Range(1, 1024));
  calibrate->add_flag("-q,--quiet", o->quiet, "No progress line");
  calibrate->add_flag("--statistics", o->statistics, "List the statistics targets and curves can name, and exit");
  calibrate->add_flag("--markdown", o->markdown, "With --statistics: as the Markdown table of docs/calibration.md");
  return {calibrate, [o] { return run_calibrate(*o); }, true};
}

}  // namespace fanflow::app
