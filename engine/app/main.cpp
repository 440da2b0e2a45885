// The `fanflow` command line: run, report, sweep, compare, validate, params, version, bench, validate-suite.
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "app/report.hpp"
#include "bench/bench.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "experiments/compare.hpp"
#include "experiments/distributed.hpp"
#include "experiments/plan.hpp"
#include "experiments/sweep.hpp"
#include "graph/generators.hpp"
#include "io/output_schema.hpp"
#include "io/run_recorder.hpp"
#include "params/scenario.hpp"
#include "sim/memory.hpp"
#include "io/run_scenario.hpp"
#include "sim/run.hpp"
#include "validation/validation.hpp"

namespace {

using namespace fanflow;

/// Loads the scenario (the built-in default when `path` is empty), applies --set overrides, checks it.
params::Scenario load(const std::string& path, const std::vector<std::string>& overrides) {
  params::Scenario scenario = path.empty() ? params::default_scenario() : params::load_scenario_file(path);
  for (const std::string& assignment : overrides) params::apply_override(scenario, assignment);
  params::check_consistency(scenario);
  return scenario;
}

std::string default_output(const std::string& scenario_path, const params::Params& params) {
  std::string stem = scenario_path.empty() ? "default" : std::filesystem::path(scenario_path).stem().string();
  return "runs/" + stem + "-seed" + std::to_string(params.run.seed) + ".h5";
}

std::string thousands(std::uint64_t value) {
  std::string digits = std::to_string(value), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void on_interrupt(int) { sim::interrupt_requested.store(true); }

/// Runs the scenario and returns the path of the run file it wrote.
std::string run_command(const std::string& path, const std::vector<std::string>& overrides, std::string output,
                        int threads, bool profile, bool quiet) {
  params::Scenario scenario = load(path, overrides);
  const auto& p = scenario.params;
  if (output.empty()) output = default_output(path, p);
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  io::RunOptions options;
  options.output = output;
  options.threads = threads;
  std::error_code ec;
  if (!path.empty() && std::filesystem::equivalent(path, output, ec))
    throw InputError(output + ": is the scenario file itself; choose another output path");
  const bool terminal = isatty(STDERR_FILENO);
  if (!quiet) {
    // The header comes once setup succeeded, so an error before it is the only line on stderr.
    options.started = [&scenario, &p] {
      std::fprintf(stderr, "fanflow: %s: %s users, %s creators, %s days\n", scenario.source.c_str(),
                   thousands(p.population.users).c_str(), thousands(p.population.creators).c_str(),
                   thousands(p.run.days).c_str());
    };
    options.progress = [terminal](std::uint32_t done, std::uint32_t total) {
      if (terminal)
        std::fprintf(stderr, "\r  day %u/%u", done, total);
      else if (done == total || done % std::max(1u, total / 10) == 0)
        std::fprintf(stderr, "  day %u/%u\n", done, total);
      if (terminal && done == total) std::fprintf(stderr, "\n");
    };
  }
  io::RunSummary summary = io::run_scenario(scenario, options);
  if (!quiet) {
    std::uint64_t total = 0;
    for (auto v : summary.impressions) total += v;
    std::string by_channel;
    for (std::size_t c = 0; c < kChannelCount; ++c) {
      std::string name(kChannelNames[c]);
      std::replace(name.begin(), name.end(), '_', ' ');
      by_channel += (c ? ", " : "") + name + " " + thousands(summary.impressions[c]);
    }
    std::printf("impressions: %s (%s)\n", thousands(total).c_str(), by_channel.c_str());
    std::printf("views: %s, likes: %s, shares: %s\n", thousands(summary.views).c_str(),
                thousands(summary.likes).c_str(), thousands(summary.shares).c_str());
    std::printf("followers gained: %s\n", thousands(summary.follows).c_str());
    if (p.population.creators > 0)
      std::printf("top creator: #%u with %s followers\n", summary.top_creator,
                  thousands(summary.top_creator_followers).c_str());
    std::printf("%u day%s in %.2f s on %d thread%s\n", summary.ticks, summary.ticks == 1 ? "" : "s",
                summary.wall_seconds, summary.threads, summary.threads == 1 ? "" : "s");
  }
  if (profile) std::printf("\n%s", summary.profile.table().c_str());
  std::printf("wrote %s\n", summary.output.string().c_str());
  return summary.output.string();
}

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
      [&](std::uint64_t run) { return experiments::run_in_memory(plan->scenario(run), threads_here); }, setup_error);
  return setup_error.empty() ? 0 : 2;
}

int sweep_command(const std::string& path, std::string output, int jobs, int threads, bool plan_only, bool quiet) {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  // Under mpirun with several processes: rank 0 runs this function as the only writer, the others are workers.
  std::optional<experiments::MpiSession> session;
  std::optional<experiments::Coordinator> coordinator;
  if (const int processes = experiments::launched_processes(); processes > 1) {
    if (!experiments::built_with_mpi())
      throw InputError("started as " + std::to_string(processes) +
                       " processes (mpirun), but this fanflow was built without MPI; run it as one process, or "
                       "rebuild it with libopenmpi-dev installed");
    session.emplace();
    if (session->rank() != 0) return sweep_worker(path, threads);
    coordinator.emplace(*session);
  }
  try {
    experiments::SweepPlan plan = experiments::make_plan(experiments::load_sweep_file(path));
    if (plan_only) {
      if (coordinator) coordinator->release();
      std::fputs(experiments::plan_table(plan).c_str(), stdout);
      return 0;
    }
    if (output.empty()) output = "runs/" + std::filesystem::path(path).stem().string() + ".h5";
    experiments::SweepOptions options;
    options.output = output;
    options.jobs = jobs;
    options.threads = threads;
    options.quiet = quiet;
    if (coordinator)
      options.execute = [&](const std::vector<std::uint64_t>& todo,
                            const std::function<void(std::uint64_t, experiments::RunMetrics &&)>& deliver) {
        coordinator->run(todo, deliver);
      };
    if (!quiet)  // after the output's checks, so that an error before it is the only line on stderr
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
    if (!quiet) {
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

int compare_command(const std::string& baseline_path, const std::string& plan_path, std::uint64_t replicates,
                    std::string output, std::optional<std::uint64_t> seed, int jobs, int threads, bool quiet) {
  const params::Scenario baseline = load(baseline_path, {});
  const params::Scenario plan = load(plan_path, {});
  if (output.empty())
    output = "runs/compare-" + std::filesystem::path(baseline_path).stem().string() + "-" +
             std::filesystem::path(plan_path).stem().string() + ".h5";
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  experiments::CompareOptions options;
  options.output = output;
  options.replicates = replicates;
  options.seed = seed ? *seed : static_cast<std::uint64_t>(baseline.params.run.seed);
  options.jobs = jobs;
  options.threads = threads;
  options.quiet = quiet;
  const experiments::CompareResult result = experiments::run_comparison(baseline, plan, options);
  if (!quiet) {
    std::printf("%s replicates of %s (baseline) and %s (plan), replicate r of both with the same seed\n",
                thousands(replicates).c_str(), baseline.source.c_str(), plan.source.c_str());
    std::fputs(experiments::comparison_table(result).c_str(), stdout);
  }
  std::printf("wrote %s\n", output.c_str());
  return 0;
}

int bench_command(const std::vector<std::string>& names, bool quick, std::int64_t days,
                  const std::vector<int>& thread_counts, const std::string& json_path) {
  const std::vector<bench::BenchCase> cases = bench::standard_cases(names, quick, days);
  std::vector<bench::BenchResult> results;
  for (const bench::BenchCase& c : cases)
    for (int threads : thread_counts) {
      std::fprintf(stderr, "fanflow bench: %s (%s), %lld days, %d thread%s\n", c.name.c_str(), c.description.c_str(),
                   static_cast<long long>(c.scenario.params.run.days), threads, threads == 1 ? "" : "s");
      results.push_back(bench::run_case(c, threads));
      if (results.back().refused) break;  // the same refusal at every thread count
    }
  std::fputs(bench::table(results).c_str(), stdout);
  if (!json_path.empty()) {
    const std::string partial = json_path + ".partial";
    std::ofstream out(partial);
    out << bench::json(results);
    out.close();
    if (!out) throw InputError(json_path + ": cannot write the JSON results");
    std::filesystem::rename(partial, json_path);
    std::printf("wrote %s\n", json_path.c_str());
  }
  return 0;
}

int validate_command(const std::string& path, const std::vector<std::string>& overrides) {
  params::Scenario scenario = load(path, overrides);
  const auto estimate = sim::estimate_memory(scenario);
  sim::check_memory(scenario);
  if (scenario.params.graph.kind == "edge_list")  // reads the whole file: every line is checked
    graph::load_edge_list(params::resolve_path(scenario, scenario.params.graph.edge_file),
                          static_cast<std::uint32_t>(scenario.params.population.users));
  std::printf("%s: ok (%s users, %s creators, %s days; needs about %s of memory)\n", scenario.source.c_str(),
              thousands(scenario.params.population.users).c_str(),
              thousands(scenario.params.population.creators).c_str(), thousands(scenario.params.run.days).c_str(),
              sim::format_bytes(estimate.total()).c_str());
  return 0;
}

int validate_suite_command(const std::string& case_name, bool markdown, const std::string& data_dir) {
  validation::SuiteOptions options;
  if (!data_dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(data_dir, ec)) throw InputError(data_dir + ": --data: no such folder");
    options.data_dir = data_dir;
  } else if (const char* env = std::getenv("FANFLOW_DATA_DIR"); env && *env) {
    options.data_dir = env;
  }
  std::vector<validation::Row> rows;
  try {
    rows = validation::run_suite(case_name, options);
  } catch (const std::invalid_argument& error) {
    throw InputError(error.what());
  }
  std::fputs((markdown ? validation::table_markdown(rows) : validation::table_text(rows)).c_str(), stdout);
  if (validation::all_passed(rows)) return 0;
  std::size_t failed = 0;
  for (const validation::Row& row : rows) failed += !row.passed && !row.skipped;
  std::fprintf(stderr, "fanflow: validation failed: %zu of %zu rows outside their tolerance\n", failed, rows.size());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fanflow: agent-based simulation of traffic and fan growth on content platforms"};
  app.require_subcommand(1);
  // Command-line mistakes get one line, like every other error.
  app.failure_message([](const CLI::App*, const CLI::Error& error) {
    return std::string("fanflow: error: ") + error.what() + " (see fanflow --help)\n";
  });
  app.set_version_flag("--version", std::string(fanflow::kVersion) + " (" + fanflow::kGitRevision + ")");

  std::string scenario_path, output;
  std::vector<std::string> overrides;
  int threads = 0;
  bool profile = false, quiet = false, markdown = false, with_report = false;

  auto* run = app.add_subcommand("run", "Run a scenario (the built-in default if none is given) into one HDF5 file");
  run->add_option("scenario", scenario_path, "Scenario YAML file");
  run->add_option("-o,--output", output, "Output HDF5 file (default runs/<scenario>-seed<seed>.h5)");
  run->add_option("--set", overrides, "Override a parameter: section.key=value (repeatable)")->take_all();
  run->add_option("-t,--threads", threads, "Worker threads (default: all cores)")->check(CLI::Range(1, 1024));
  run->add_flag("--profile", profile, "Print the time spent in each phase");
  run->add_flag("-q,--quiet", quiet, "Print only where the file is");
  run->add_flag("--report", with_report, "Then write the HTML report beside the run file (as fanflow report)");

  std::string report_run, report_output;
  auto* report = app.add_subcommand(
      "report", "Write the HTML report of a run, sweep or comparison file (figures embedded; PNGs beside it)");
  report
      ->add_option("file", report_run, "HDF5 file that fanflow run, sweep or compare wrote (its kind is read from it)")
      ->required();
  report->add_option("-o,--output", report_output, "HTML file to write (default: the file with .html)");
  std::vector<std::string> report_metrics;
  report->add_option("--metric", report_metrics,
                     "Sweep files: a /summary metric for the pair heatmaps and sensitivity indices (repeatable)");

  int jobs = 0;
  bool plan_only = false;
  std::string sweep_path;
  auto* sweep = app.add_subcommand("sweep", "Run a sweep (a design of runs over a base scenario) into one HDF5 file");
  sweep->add_option("sweep", sweep_path, "Sweep YAML file")->required();
  sweep->add_option("-o,--output", output, "Output HDF5 file (default runs/<sweep>.h5); rerun to resume");
  sweep->add_option("-j,--jobs", jobs, "Runs at once (default: decided from the run size and the cores)")
      ->check(CLI::Range(1, 1024));
  sweep->add_option("-t,--threads", threads, "Threads in all (default: all cores)")->check(CLI::Range(1, 1024));
  sweep->add_flag("--plan", plan_only, "Print the design table (runs, seeds, factor values) without running");
  sweep->add_flag("-q,--quiet", quiet, "No progress; print only where the file is");

  std::string plan_path;
  std::uint64_t replicates = 0;
  std::optional<std::uint64_t> compare_seed;
  auto* compare = app.add_subcommand(
      "compare", "Compare a plan with a baseline over matched replicates (common random numbers) into one HDF5 file");
  compare->add_option("baseline", scenario_path, "Baseline scenario YAML file")->required();
  compare->add_option("plan", plan_path, "Plan scenario YAML file")->required();
  compare->add_option("-r,--replicates", replicates, "Replicates of each (at least 2)")
      ->required()
      ->check(CLI::Range(std::uint64_t{2}, std::uint64_t{1000000}));
  compare->add_option("-o,--output", output, "Output HDF5 file (default runs/compare-<baseline>-<plan>.h5)");
  compare
      ->add_option("--seed", compare_seed, "Seed the replicates' seeds derive from (default: the baseline's run.seed)")
      ->check(CLI::Range(std::uint64_t{0}, (std::uint64_t{1} << 53) - 1));
  compare->add_option("-j,--jobs", jobs, "Runs at once (default: decided from the run size and the cores)")
      ->check(CLI::Range(1, 1024));
  compare->add_option("-t,--threads", threads, "Threads in all (default: all cores)")->check(CLI::Range(1, 1024));
  compare->add_flag("-q,--quiet", quiet, "No progress or table; print only where the file is");

  auto* validate = app.add_subcommand("validate", "Check a scenario without running it");
  validate->add_option("scenario", scenario_path, "Scenario YAML file")->required();
  validate->add_option("--set", overrides, "Override a parameter: section.key=value (repeatable)")->take_all();

  auto* params_cmd = app.add_subcommand("params", "Print the reference table of every scenario parameter");
  params_cmd->add_flag("--markdown", markdown, "Markdown, as in docs/parameters.md");

  auto* outputs_cmd =
      app.add_subcommand("outputs", "Print the tables of every dataset a run, sweep or comparison writes");
  outputs_cmd->add_flag("--markdown", markdown, "Markdown, as in docs/output-format.md");

  auto* version = app.add_subcommand("version", "Print the version, source revision and libraries");

  std::vector<std::string> bench_cases{"S", "M"};
  std::vector<int> bench_threads;
  bool bench_full = false;
  std::int64_t bench_days = 0;
  std::string bench_json;
  auto* bench_cmd = app.add_subcommand(
      "bench", "Time the standard scenarios S, M (and L) at 1 and all threads; print a table (and JSON)");
  bench_cmd->add_option("cases", bench_cases, "Cases to run: S, M, L (default: S M)")
      ->check(CLI::IsMember({"S", "M", "L"}));
  bench_cmd->add_flag("--full", bench_full, "Run the standard horizons (S 90 days, M 365, L 30) instead of quick ones");
  bench_cmd->add_option("--days", bench_days, "Run every case for this many days")->check(CLI::Range(1, 100000));
  bench_cmd->add_option("--threads", bench_threads, "Thread counts to time (default: 1 and all cores)")
      ->check(CLI::Range(1, 1024));
  bench_cmd->add_option("--json", bench_json, "Also write the results as JSON to this file");

  std::string suite_case;
  bool suite_markdown = false;
  auto* suite_cmd = app.add_subcommand(
      "validate-suite", "Run the validation cases (theory, conservation, determinism) and print their table");
  suite_cmd->add_option("--case", suite_case, "Run only this case");
  suite_cmd->add_flag("--markdown", suite_markdown, "Markdown, as in docs/validation.md");
  std::string suite_data;
  suite_cmd->add_option("--data", suite_data,
                        "Folder with external graphs (email-Enron.edges from scripts/fetch_email_enron.py; default: "
                        "$FANFLOW_DATA_DIR); rows without their data are skipped");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }

  try {
    if (*run) {
      const std::string written = run_command(scenario_path, overrides, output, threads, profile, quiet);
      return with_report ? app::write_report(written, app::default_report_path(written)) : 0;
    }
    if (*report)
      return app::write_report(report_run, report_output.empty() ? app::default_report_path(report_run) : report_output,
                               report_metrics);
    if (*sweep) return sweep_command(sweep_path, output, jobs, threads, plan_only, quiet);
    if (*compare)
      return compare_command(scenario_path, plan_path, replicates, output, compare_seed, jobs, threads, quiet);
    if (*validate) return validate_command(scenario_path, overrides);
    if (*suite_cmd) return validate_suite_command(suite_case, suite_markdown, suite_data);
    if (*bench_cmd) {
      if (bench_threads.empty()) {
        bench_threads = {1};
        if (tbb::info::default_concurrency() > 1) bench_threads.push_back(tbb::info::default_concurrency());
      }
      return bench_command(bench_cases, !bench_full, bench_days, bench_threads, bench_json);
    }
    if (*params_cmd) {
      std::fputs((markdown ? fanflow::params::reference_markdown() : fanflow::params::reference_text()).c_str(),
                 stdout);
      return 0;
    }
    if (*outputs_cmd) {
      std::fputs(fanflow::io::outputs_markdown().c_str(), stdout);
      return 0;
    }
    if (*version) {
      std::printf("fanflow %s (%s)\n%s\n", fanflow::kVersion, fanflow::kGitRevision,
                  fanflow::io::library_versions().c_str());
      return 0;
    }
  } catch (const fanflow::Interrupted& error) {
    std::fprintf(stderr, "%sfanflow: error: %s\n", isatty(STDERR_FILENO) ? "\n" : "", error.what());
    return 130;  // the shell's convention for a run stopped by Ctrl-C
  } catch (const fanflow::InputError& error) {
    std::fprintf(stderr, "%sfanflow: error: %s\n", isatty(STDERR_FILENO) ? "\n" : "", error.what());
    return 2;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "fanflow: error: out of memory; reduce population.users or graph.mean_degree\n");
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "fanflow: internal error: %s\n", error.what());
    return 3;
  }
  return 0;
}
