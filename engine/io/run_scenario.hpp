// Running a scenario end to end: simulation, recording to one HDF5 file, and the headline figures.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "params/scenario.hpp"
#include "phases/metrics.hpp"
#include "sim/profile.hpp"
#include "sim/run.hpp"
#include "state/state.hpp"

namespace fanflow::io {

struct RunOptions {
  std::filesystem::path output;  ///< final HDF5 path (written as output + ".partial" until complete)
  int threads = 0;               ///< worker threads; 0 = all cores
  /// Called once the population and graph are built, before the first tick; may be empty.
  std::function<void()> started;
  /// Called after each tick with (ticks done, total ticks); may be empty.
  sim::ProgressCallback progress;
};

/// Headline figures of a finished run.
/// A budget line of one brand, or of all brands together (brand == kAllBrands), that left money unspent.
struct UnspentBudget {
  static constexpr std::uint32_t kAllBrands = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t brand = kAllBrands;
  std::string name;  ///< the brand's name (actors.brands) or "brand k"; "all brands" for the total
  state::BudgetLine line = state::BudgetLine::Ads;
  double budget = 0, spent = 0;   ///< money over the run
  std::uint64_t budget_days = 0;  ///< days the line had a budget (brand-days, for all brands)
  std::uint64_t idle_days = 0;    ///< of those, the days it bought nothing
  double unspent_share() const { return budget > 0 ? (budget - spent) / budget : 0.0; }
};

/// The budget lines that left at least `min_share` of their budget unspent: per line over all brands, then per named
/// brand, in line order.
std::vector<UnspentBudget> unspent_budgets(const state::State& state, const params::Actors& actors,
                                           double min_share = 0.01);

struct RunSummary {
  std::filesystem::path output;
  phases::TickMetrics::PerChannel impressions{};  ///< over the whole run, by channel
  std::uint64_t follows = 0;                      ///< follow edges at the end
  std::uint64_t views = 0, likes = 0, shares = 0;
  std::uint32_t top_creator = 0;  ///< creator with the most followers
  std::uint32_t top_creator_followers = 0;
  std::uint32_t ticks = 0;
  int threads = 0;
  double wall_seconds = 0;
  sim::Profile profile;
  std::vector<UnspentBudget> unspent;  ///< unspent_budgets of the run
  bool has_brand_accounts = false;     ///< brands have own accounts (brands.own_accounts)
};

/// Runs the scenario and writes its file. Throws InputError for bad input (the partial file is removed).
RunSummary run_scenario(const params::Scenario& scenario, const RunOptions& options);

}  // namespace fanflow::io
