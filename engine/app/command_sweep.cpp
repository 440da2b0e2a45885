// `fanflow sweep SWEEP`: a design of runs over a base scenario into one HDF5 file (resumable); under mpirun, rank 0
// writes the file and the other processes run what it hands out.
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "app/command.hpp"
#include "core/error.hpp"
#include "experiments/distributed.hpp"
#include "experiments/plan.hpp"
#include "experiments/sweep.hpp"

namespace fanflow::app {
namespace {

struct SweepCommandOptions {
  std::string sweep;
  std::string output;
  int jobs = 0;
  int threads = 0;
  bool plan_only = false;
  bool quiet = false;
};

/// A worker process of a sweep under mpirun: runs what rank 0 hands out until it says stop.
int sweep_worker(const std::string& path, int threads) {
  std::string setup_error;
  std::optional<experiments::SweepPlan> plan;
  try {
    plan = experiments::make_plan(experiments::load_sweep_file(path));
  } catch (const std::exception& error) {
    setup_error = error.what();  // rank 0 reads the same file and reports it
  }
  const int threads_here = threads > 0 ? threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads_here));
  experiments::serve_runs(
      [&](std::uint64_t run, const std::vector<double>&) {
        return experiments::run_in_memory(plan->scenario(run), threads_here);
      },
      setup_error);
  return setup_error.empty() ? 0 : kExitUsage;
}

int run_sweep_file(const SweepCommandOptions& o) {
  const std::string& path = o.sweep;
  // Under mpirun with several processes: rank 0 runs this function as the only writer, the others are workers.
  std::optional<experiments::MpiSession> session;
  std::optional<experiments::Coordinator> coordinator;
  if (const int processes = experiments::launched_processes(); processes > 1) {
    if (!experiments::built_with_mpi())
      throw InputError("started as " + std::to_string(processes) +
                       " processes (mpirun), but this fanflow was built without MPI; run it as one process, or "
                       "rebuild it with libopenmpi-dev installed");
    session.emplace();
    if (session->rank() != 0) return sweep_worker(path, o.threads);
    coordinator.emplace(*session);
  }
  try {
    experiments::SweepPlan plan = experiments::make_plan(experiments::load_sweep_file(path));
    if (o.plan_only) {
      if (coordinator) coordinator->release();
      std::fputs(experiments::plan_table(plan).c_str(), stdout);
      return 0;
    }
    const std::string output =
        o.output.empty() ? "runs/" + std::filesystem::path(path).stem().string() + ".h5" : o.output;
    experiments::SweepOptions options;
    options.output = output;
    options.jobs = o.jobs;
    options.threads = o.threads;
    options.quiet = o.quiet;
    if (coordinator)
      options.execute = [&](const std::vector<std::uint64_t>& todo,
                            const std::function<void(std::uint64_t, experiments::RunMetrics &&)>& deliver) {
        coordinator->run(todo, deliver);
      };
    if (!o.quiet)  // after the output's checks, so that an error before it is the only line on stderr
      options.started = [&](std::uint64_t resumed, std::uint64_t runs) {
        std::fprintf(
            stderr, "fanflow: %s: %s design, %s runs of %s%s%s\n", path.c_str(),
            experiments::design_name(plan.definition.design), thousands(runs).c_str(),
            plan.definition.scenario_path.string().c_str(),
            resumed ? (", resuming with " + thousands(resumed) + " complete").c_str() : "",
            coordinator ? (", on " + std::to_string(coordinator->workers()) + " worker processes").c_str() : "");
      };
    const experiments::SweepOutcome outcome = experiments::run_sweep(plan, options);
    if (coordinator) coordinator->release();  // a complete file runs nothing: the workers still wait
    if (outcome.already_complete) {
      std::printf("%s: all %s runs are already complete; nothing to do\n", output.c_str(),
                  thousands(outcome.runs).c_str());
      return 0;
    }
    if (!o.quiet) {
      if (outcome.resumed) std::printf("resumed: %s runs were already complete\n", thousands(outcome.resumed).c_str());
      const std::string how = coordinator ? "on " + std::to_string(coordinator->workers()) + " worker processes"
                                          : std::to_string(outcome.jobs) + " at once with " +
                                                std::to_string(outcome.threads_per_run) + " thread" +
                                                (outcome.threads_per_run == 1 ? "" : "s") + " each";
      std::printf("%s runs in %.2f s (%.2f runs/s), %s\n", thousands(outcome.ran).c_str(), outcome.wall_seconds,
                  outcome.wall_seconds > 0 ? double(outcome.ran) / outcome.wall_seconds : 0.0, how.c_str());
    }
    std::printf("wrote %s\n", output.c_str());
    return 0;
  } catch (...) {
    if (coordinator) coordinator->release();
    throw;
  }
}

}  // namespace

Command add_sweep_command(CLI::App& program) {
  auto o = std::make_shared<SweepCommandOptions>();
  CLI::App* sweep =
      program.add_subcommand("sweep", "Run a sweep (a design of runs over a base scenario) into one HDF5 file");
  sweep->add_option("sweep", o->sweep, "Sweep YAML file")->required();
  sweep->add_option("-o,--output", o->output, "Output HDF5 file (default runs/<sweep>.h5); rerun to resume");
  sweep->add_option("-j,--jobs", o->jobs, "Runs at once (default: decided from the run size and the cores)")
      ->check(CLI::Range(1, 1024));
  sweep->add_option("-t,--threads", o->threads, "Threads in all (default: all cores)")->check(CLI::Range(1, 1024));
  sweep->add_flag("--plan", o->plan_only, "Print the design table (runs, seeds, factor values) without running");
  sweep->add_flag("-q,--quiet", o->quiet, "No progress; print only where the file is");
  return {sweep, [o] { return run_sweep_file(*o); }, true};
}

}  // namespace fanflow::app
