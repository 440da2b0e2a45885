// run_sweep: the journal decides what is done; the HDF5 file is rebuilt from it and then grows run by run.
#include "experiments/sweep.hpp"

#include <chrono>

#include "core/error.hpp"
#include "experiments/journal.hpp"
#include "experiments/scheduler.hpp"
#include "experiments/sweep_file.hpp"
#include "sim/run.hpp"

namespace fanflow::experiments {

SweepOutcome run_sweep(const SweepPlan& plan, const SweepOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const std::filesystem::path& output = options.output;
  std::filesystem::path journal_path = output;
  journal_path += ".journal";
  std::error_code ec;
  if (std::filesystem::is_directory(output, ec))
    throw InputError(output.string() + ": is a folder; give a file path for the sweep's output");
  if (std::filesystem::equivalent(output, plan.definition.source, ec) ||
      std::filesystem::equivalent(output, plan.definition.scenario_path, ec))
    throw InputError(output.string() + ": is an input of the sweep; choose another output path");

  SweepOutcome outcome;
  outcome.runs = plan.runs.size();
  if (!std::filesystem::exists(journal_path, ec) && std::filesystem::exists(output, ec)) {
    // No journal: either a finished sweep of this definition (nothing to do) or a file not to be touched.
    const SweepFileStatus status = read_sweep_status(output);
    if (status.is_sweep && status.definition_text == plan.definition_text && status.completed == status.runs) {
      outcome.already_complete = true;
      outcome.resumed = status.completed;
      return outcome;
    }
    throw InputError(
        output.string() + ": exists and is not " +
        (status.is_sweep
             ? "a sweep of this definition (design, factors, seeds, base scenario or fanflow version differ)"
             : "a sweep file this sweep can resume") +
        "; write to another -o, or delete it");
  }
  if (!output.parent_path().empty()) std::filesystem::create_directories(output.parent_path(), ec);
  Journal journal(journal_path, output, plan.definition_text, plan.max_days, JournalOf::Sweep,
                  static_cast<std::uint32_t>(plan.definition.base.actors.focal_brands().size()));
  SweepFile file(output, plan);
  for (const auto& [run, metrics] : journal.completed()) {
    if (run >= plan.runs.size())
      throw InputError(journal_path.string() + ": names run " + std::to_string(run) + ", beyond the sweep's " +
                       std::to_string(plan.runs.size()));
    file.write_run(run, metrics);
  }
  outcome.resumed = journal.completed().size();

  std::vector<std::uint64_t> todo;
  for (std::uint64_t run = 0; run < plan.runs.size(); ++run)
    if (!journal.completed().count(run)) todo.push_back(run);
  Parallelism parallelism;
  if (!options.execute) {
    // The largest run (most users over the design points) decides the parallelism.
    params::Scenario largest = plan.definition.base;
    for (std::size_t p = 0; p < plan.points(); ++p) {
      params::Scenario scenario = plan.scenario(p * plan.definition.replicates);
      if (scenario.params.population.users > largest.params.population.users) largest = scenario;
    }
    parallelism = choose_parallelism(largest, todo.size(), options.jobs, options.threads);
    outcome.jobs = parallelism.jobs;
    outcome.threads_per_run = parallelism.threads_per_run;
  }
  if (options.started) options.started(outcome.resumed, outcome.runs);
  Progress progress("fanflow sweep", outcome.resumed, outcome.runs, options.quiet);
  auto deliver = [&](std::uint64_t run, RunMetrics&& metrics) {
    journal.append(run, metrics);  // the journal first: it is what a resumed sweep trusts
    file.write_run(run, metrics);
    ++outcome.ran;
    progress.advance();
  };
  try {
    if (options.execute)
      options.execute(todo, deliver);
    else
      run_all(
          todo, parallelism, [&](std::uint64_t run, int threads) { return run_in_memory(plan.scenario(run), threads); },
          deliver);
  } catch (const Interrupted&) {
    progress.finish();
    file.close();
    throw Interrupted("interrupted; " + std::to_string(outcome.resumed + outcome.ran) + " of " +
                      std::to_string(outcome.runs) + " runs are in " + output.string() +
                      "; run the same command again to finish the sweep");
  }
  progress.finish();
  file.close();
  journal.remove();
  outcome.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return outcome;
}

}  // namespace fanflow::experiments
