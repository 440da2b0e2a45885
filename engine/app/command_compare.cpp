// `fanflow compare BASELINE PLAN -r N`: a plan against a baseline over matched replicates (common random numbers)
// into one HDF5 file.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "app/command.hpp"
#include "experiments/compare.hpp"

namespace fanflow::app {
namespace {

struct CompareCommandOptions {
  std::string baseline;
  std::string plan;
  std::uint64_t replicates = 0;
  std::string output;
  std::optional<std::uint64_t> seed;
  int jobs = 0;
  int threads = 0;
  bool quiet = false;
  bool force = false;
  std::int64_t fork_at = -1;
};

int run_comparison_files(const CompareCommandOptions& o) {
  const params::Scenario baseline = load_scenario(o.baseline, {});
  const params::Scenario plan = load_scenario(o.plan, {});
  const std::string output = o.output.empty() ? "runs/compare-" + std::filesystem::path(o.baseline).stem().string() +
                                                    "-" + std::filesystem::path(o.plan).stem().string() + ".h5"
                                              : o.output;
  experiments::CompareOptions options;
  options.output = output;
  options.replicates = o.replicates;
  options.seed = o.seed ? *o.seed : static_cast<std::uint64_t>(baseline.params.run.seed);
  options.jobs = o.jobs;
  options.threads = o.threads;
  options.quiet = o.quiet;
  options.force = o.force;
  options.fork_at = o.fork_at;
  const experiments::CompareResult result = experiments::run_comparison(baseline, plan, options);
  if (!o.quiet) {
    std::printf("%s replicates of %s (baseline) and %s (plan), replicate r of both with the same seed\n",
                thousands(o.replicates).c_str(), baseline.source.c_str(), plan.source.c_str());
    std::fputs(experiments::comparison_table(result).c_str(), stdout);
    if (result.resumed > 0)
      std::printf("%s runs in %.1f s (%s more from the journal of the interrupted comparison)\n",
                  thousands(2 * o.replicates - result.resumed).c_str(), result.wall_seconds,
                  thousands(result.resumed).c_str());
    else
      std::printf("%s runs in %.1f s\n", thousands(2 * o.replicates).c_str(), result.wall_seconds);
  }
  std::printf("wrote %s\n", output.c_str());
  return 0;
}

}  // namespace

Command add_compare_command(CLI::App& program) {
  auto o = std::make_shared<CompareCommandOptions>();
  CLI::App* compare = program.add_subcommand(
      "compare", "Compare a plan with a baseline over matched replicates (common random numbers) into one HDF5 file");
  compare->add_option("baseline", o->baseline, "Baseline scenario YAML file")->required();
  compare->add_option("plan", o->plan, "Plan scenario YAML file")->required();
  compare->add_option("-r,--replicates", o->replicates, "Replicates of each (at least 2)")
      ->required()
      ->check(CLI::Range(std::uint64_t{2}, std::uint64_t{1000000}));
  compare->add_option("-o,--output", o->output, "Output HDF5 file (default runs/compare-<baseline>-<plan>.h5)");
  compare->add_option("--seed", o->seed, "Seed the replicates' seeds derive from (default: the baseline's run.seed)")
      ->check(CLI::Range(std::uint64_t{0}, (std::uint64_t{1} << 53) - 1));
  compare->add_option("-j,--jobs", o->jobs, "Runs at once (default: decided from the run size and the cores)")
      ->check(CLI::Range(1, 1024));
  compare->add_option("-t,--threads", o->threads, "Threads in all (default: all cores)")->check(CLI::Range(1, 1024));
  compare->add_flag("-q,--quiet", o->quiet, "No progress or table; print only where the file is");
  compare
      ->add_option("--fork-at", o->fork_at,
                   "Run the days before DAY once per replicate and fork both scenarios from it (the plan must "
                   "agree with the baseline until then); the figures are the same")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));
  compare->add_flag("--force", o->force, "Replace an existing output file (an interrupted comparison resumes anyway)");
  return {compare, [o] { return run_comparison_files(*o); }, true};
}

}  // namespace fanflow::app
