// run_scenario: the loop of ticks between a Simulation and a RunRecorder, with thread control.
#include "io/run_scenario.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <algorithm>
#include <chrono>

#include "core/error.hpp"
#include "core/money.hpp"
#include "io/run_recorder.hpp"
#include "sim/simulation.hpp"

namespace fanflow::io {

std::vector<UnspentBudget> unspent_budgets(const state::State& state, const params::Actors& actors, double min_share) {
  const auto& acc = state.brand_accounts;
  std::vector<UnspentBudget> out;
  auto line_of = [&](std::uint32_t b, std::size_t k) {
    const std::size_t at = std::size_t(b) * state::kBudgetLines + k;
    return UnspentBudget{b,
                         "",
                         static_cast<state::BudgetLine>(k),
                         to_money(acc.total_budget[at]),
                         to_money(acc.total_spend[at]),
                         acc.budget_days[at],
                         acc.idle_days[at]};
  };
  auto keep = [&](UnspentBudget line) {
    if (line.budget > 0 && line.unspent_share() >= min_share) out.push_back(std::move(line));
  };
  for (std::size_t k = 0; k < state::kBudgetLines; ++k) {
    UnspentBudget all{UnspentBudget::kAllBrands, "all brands", static_cast<state::BudgetLine>(k)};
    for (std::uint32_t b = 0; b < acc.size(); ++b) {
      const UnspentBudget one = line_of(b, k);
      all.budget += one.budget;
      all.spent += one.spent;
      all.budget_days += one.budget_days;
      all.idle_days += one.idle_days;
    }
    keep(all);
  }
  for (const params::NamedBrand& brand : actors.brands)
    for (std::size_t k = 0; k < state::kBudgetLines; ++k)
      if (brand.id < acc.size()) {
        UnspentBudget one = line_of(brand.id, k);
        one.name = brand.name;
        keep(std::move(one));
      }
  return out;
}

RunSummary run_scenario(const params::Scenario& scenario, const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));

  // Probe the output before the (possibly long) setup, so an unwritable path fails at once.
  std::error_code ec;
  if (std::filesystem::is_directory(options.output, ec))
    throw InputError(options.output.string() + ": is a folder; give a file path for the output");
  OutputFile(options.output).flush();  // creates and, uncommitted, removes <output>.partial
  sim::Simulation simulation(scenario);
  RunRecorder recorder(options.output, scenario, simulation.state(), threads);
  if (options.started) options.started();

  RunSummary summary;
  sim::run_ticks(
      simulation,
      [&](sim::Simulation& sim) {
        const phases::TickMetrics& metrics = sim.last_metrics();
        sim.profile().time("record", [&] { recorder.record(sim.tick() - 1, metrics, sim.last_events(), sim.state()); });
        for (std::size_t c = 0; c < kChannelCount; ++c) {
          summary.impressions[c] += metrics.impressions[c];
          summary.views += metrics.views[c];
          summary.likes += metrics.likes[c];
          summary.shares += metrics.shares[c];
        }
      },
      options.progress);
  const auto& state = simulation.state();
  summary.follows = state.follows.edges();
  const auto& followers = state.creators.followers;
  if (!followers.empty()) {
    auto top = std::max_element(followers.begin(), followers.end());
    summary.top_creator = static_cast<std::uint32_t>(top - followers.begin());
    summary.top_creator_followers = *top;
  }
  recorder.write_timeline(simulation.timeline().applied());
  recorder.finish(state, simulation.profile());
  summary.output = recorder.path();
  summary.ticks = simulation.tick();
  summary.threads = threads;
  summary.profile = simulation.profile();
  summary.unspent = unspent_budgets(state, scenario.actors);
  summary.has_brand_accounts = state.brands.has_accounts;
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace fanflow::io
