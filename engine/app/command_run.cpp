// `fanflow run [SCENARIO]`: one run of a scenario (the built-in default if none is given) into one HDF5 file, and
// with --report its HTML report beside it.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/command.hpp"
#include "app/report.hpp"
#include "core/channel.hpp"
#include "core/number_text.hpp"
#include "io/run_scenario.hpp"
#include "sim/run.hpp"

namespace fanflow::app {
namespace {

struct RunCommandOptions {
  std::string scenario;
  std::string output;
  std::vector<std::string> overrides;
  int threads = 0;
  bool profile = false;
  bool quiet = false;
  bool report = false;
  bool force = false;
};

std::string default_output(const std::string& scenario_path, const params::Params& params) {
  std::string stem = scenario_path.empty() ? "default" : std::filesystem::path(scenario_path).stem().string();
  return "runs/" + stem + "-seed" + std::to_string(params.run.seed) + ".h5";
}

/// Budget lines that left money unspent, with how much and why: over all brands, then per named brand, line by
/// line.
void print_unspent_budgets(const std::vector<io::UnspentBudget>& lines, bool has_accounts) {
  if (lines.empty()) return;
  std::printf("budgets not spent over the run:\n");
  for (std::size_t k = 0; k < state::kBudgetLines; ++k) {
    const auto line = static_cast<state::BudgetLine>(k);
    std::string text;
    for (const io::UnspentBudget& one : lines) {
      if (one.line != line) continue;
      const bool all = one.brand == io::UnspentBudget::kAllBrands;
      text += text.empty() ? "" : "; ";
      text += one.name + " " + readable_number(one.budget - one.spent) + " of " + readable_number(one.budget) + " (" +
              readable_number(100 * one.unspent_share(), 3) + "%), nothing bought on " + thousands(one.idle_days) +
              " of " + thousands(one.budget_days) + (all ? " brand-days" : " days");
    }
    if (text.empty()) continue;
    const auto name = state::kBudgetLineNames[k];
    const auto why = state::why_unspent(line, has_accounts);
    std::printf("  %.*s: %s\n    why: %.*s\n", int(name.size()), name.data(), text.c_str(), int(why.size()),
                why.data());
  }
}

/// Runs the scenario and returns the path of the run file it wrote.
std::string run_scenario_file(const RunCommandOptions& o) {
  params::Scenario scenario = load_scenario(o.scenario, o.overrides);
  const auto& p = scenario.params;
  const std::string output = o.output.empty() ? default_output(o.scenario, p) : o.output;
  io::RunOptions options;
  options.output = output;
  options.threads = o.threads;
  refuse_output_over_input(o.scenario, output);
  refuse_existing_output(output, o.force);
  if (o.report) refuse_existing_output(default_report_path(output), o.force);
  const bool terminal = isatty(STDERR_FILENO);
  if (!o.quiet) {
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
  if (!o.quiet) {
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
    print_unspent_budgets(summary.unspent, summary.has_brand_accounts);
    std::printf("%u day%s in %.2f s on %d thread%s\n", summary.ticks, summary.ticks == 1 ? "" : "s",
                summary.wall_seconds, summary.threads, summary.threads == 1 ? "" : "s");
  }
  if (o.profile) std::printf("\n%s", summary.profile.table().c_str());
  std::printf("wrote %s\n", summary.output.string().c_str());
  return summary.output.string();
}

}  // namespace

Command add_run_command(CLI::App& program) {
  auto o = std::make_shared<RunCommandOptions>();
  CLI::App* run =
      program.add_subcommand("run", "Run a scenario (the built-in default if none is given) into one HDF5 file");
  run->add_option("scenario", o->scenario, "Scenario YAML file");
  run->add_option("-o,--output", o->output, "Output HDF5 file (default runs/<scenario>-seed<seed>.h5)");
  run->add_option("--set", o->overrides, "Override a parameter: section.key=value (repeatable)")->take_all();
  run->add_option("-t,--threads", o->threads, "Worker threads (default: all cores)")->check(CLI::Range(1, 1024));
  run->add_flag("--profile", o->profile, "Print the time spent in each phase");
  run->add_flag("-q,--quiet", o->quiet, "Print only where the file is");
  run->add_flag("--report", o->report, "Then write the HTML report beside the run file (as fanflow report)");
  run->add_flag("--force", o->force, "Replace an existing output file (and report)");
  return {run,
          [o] {
            const std::string written = run_scenario_file(*o);
            return o->report ? write_report(written, default_report_path(written)) : 0;
          },
          true};
}

}  // namespace fanflow::app
