// `fanflow calibrate CALIB.yaml -o DIR`: fits a scenario's free parameters to target statistics and curves with
// Optuna (docs/calibration.md); under mpirun, rank 0 searches and the other processes run the trials. `fanflow
// calibrate --statistics` lists the statistics targets can name.
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "app/command.hpp"
#include "app/report.hpp"
#include "calibration/calibrate.hpp"
#include "calibration/evaluation.hpp"
#include "core/error.hpp"
#include "experiments/distributed.hpp"
#include "experiments/plan.hpp"
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
  bool check = false;
};

/// `--check`: what the calibration would run, without running it.
int print_check(const calibration::CalibrationDefinition& d) {
  std::printf("%s: valid; base scenario %s\n", d.source.c_str(), d.scenario_path.string().c_str());
  for (const experiments::Factor& f : d.parameters)
    std::printf("  parameter %s in [%s, %s] (%s)\n", f.path.c_str(), experiments::number_text(f.lo, f.integer).c_str(),
                experiments::number_text(f.hi, f.integer).c_str(),
                f.scale == experiments::Scale::Log ? "log" : "linear");
  for (const calibration::Target& t : d.targets)
    std::printf("  target %s = %s +- %s\n", t.statistic->name.c_str(), experiments::number_text(t.value, false).c_str(),
                experiments::number_text(t.tolerance, false).c_str());
  for (const calibration::Curve& c : d.curves)
    std::printf("  curve %s: %s on %zu days +- %s\n", c.name.c_str(), c.series->name.c_str(), c.days.size(),
                experiments::number_text(c.tolerance, false).c_str());
  const std::uint64_t slices = d.parameters.size() * calibration::kSlicePoints;  // at most
  std::printf("%s: %s search trials and at most %s slice trials, %s replicate(s) each, in batches of %s\n",
              calibration::method_name(d.method), thousands(d.trials).c_str(), thousands(slices).c_str(),
              thousands(d.replicates).c_str(), thousands(d.batch).c_str());
  return 0;
}

/// A worker process of a calibration under mpirun: runs the trials' replicates rank 0 hands out until it says stop.
int calibration_worker(const std::string& path, int threads) {
  std::string setup_error;
  std::optional<calibration::CalibrationDefinition> definition;
  try {
    definition = calibration::load_calibration_file(path);
  } catch (const std::exception& error) {
    setup_error = error.what();  // rank 0 reads the same file and reports it
  }
  const int threads_here = threads > 0 ? threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads_here));
  experiments::serve_runs(
      [&](std::uint64_t, const std::vector<double>& assignment) {
        return experiments::run_in_memory(calibration::assigned_scenario(*definition, assignment), threads_here);
      },
      setup_error);
  return setup_error.empty() ? 0 : kExitUsage;
}

int calibrate_here(const CalibrateCommandOptions& o, experiments::Coordinator* coordinator);

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
  // Under mpirun with several processes: rank 0 runs the search, the others run the trials it hands out.
  std::optional<experiments::MpiSession> session;
  std::optional<experiments::Coordinator> coordinator;
  if (const int processes = experiments::launched_processes(); processes > 1) {
    if (!experiments::built_with_mpi())
      throw InputError("started as " + std::to_string(processes) +
                       " processes (mpirun), but this fanflow was built without MPI; run it as one process, or "
                       "rebuild it with libopenmpi-dev installed");
    session.emplace();
    if (session->rank() != 0) return calibration_worker(o.file, o.threads);
    coordinator.emplace(*session);
  }
  try {
    const int status = calibrate_here(o, coordinator ? &*coordinator : nullptr);
    if (coordinator) coordinator->release();
    return status;
  } catch (...) {
    if (coordinator) coordinator->release();
    throw;
  }
}

int calibrate_here(const CalibrateCommandOptions& o, experiments::Coordinator* coordinator) {
  const calibration::CalibrationDefinition definition = calibration::load_calibration_file(o.file);
  if (o.check) return print_check(definition);
  check_python_installation("calibration.py");
  calibration::CalibrateOptions options;
  options.coordinator = coordinator;
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
  calibrate->add_flag("--check", o->check, "Check the calibration file and print what it would run, without running");
  calibrate->add_flag("--statistics", o->statistics, "List the statistics targets and curves can name, and exit");
  calibrate->add_flag("--markdown", o->markdown, "With --statistics: as the Markdown table of docs/calibration.md");
  return {calibrate, [o] { return run_calibrate(*o); }, true};
}

}  // namespace fanflow::app
