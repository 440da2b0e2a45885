// The metrics a sweep or comparison keeps of each run, collected in memory from the Simulation (no run file):
// headline time series [tick] and end-of-run summaries, as the output schema declares them (phases/outputs.def),
// and the facts of the facts table (facts/facts.hpp), computed as from the run's file.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "params/scenario.hpp"
#include "sim/run.hpp"
#include "sim/simulation.hpp"

namespace fanflow::experiments {

/// A metric's name (its dataset name), unit and one-line meaning.
struct MetricInfo {
  std::string name;
  std::string unit;
  std::string description;
};

/// Headline time series, one value per tick, in the order of RunMetrics::series.
std::span<const MetricInfo> series_metrics();

/// End-of-run summaries, in the order of RunMetrics::summary.
std::span<const MetricInfo> summary_metrics();

/// Index of a summary metric by name (std::out_of_range when unknown).
std::size_t summary_index(const std::string& name);

/// What one run produced. Counts are stored as doubles (exact below 2^53).
struct RunMetrics {
  std::uint32_t ticks = 0;      ///< ticks run
  std::vector<double> series;   ///< [series metric x ticks], metric-major
  std::vector<double> summary;  ///< [summary metric]
  std::vector<double> facts;    ///< [fact] in facts::fact_specs() order; NaN where the run cannot tell
  /// [focal brand x focal metric]: the scenario's focal brands (actors), in id order, io::focal_brand_metrics()
  std::vector<double> focal;
  /// [focal brand x focal series x tick], io::focal_brand_series()
  std::vector<double> focal_series;
  double wall_seconds = 0;  ///< setup and ticks
  int threads = 0;          ///< threads the run could use
  double series_value(std::size_t metric, std::uint32_t tick) const { return series[metric * ticks + tick]; }
};

/// One run in memory, tick by tick, collecting what RunMetrics holds. Copyable, so a run can be forked: a
/// comparison runs the warm-up both arms share once, then goes on with each.
class InMemoryRun {
 public:
  explicit InMemoryRun(const params::Scenario& scenario);
  /// Runs ticks until `ticks` are done (at most run.days). Throws Interrupted when sim::interrupt_requested is set.
  void run_until(Tick ticks);
  /// A copy that goes on under `plan` from this tick (sim::Simulation::fork); the focal brands must be the same.
  InMemoryRun fork(const params::Scenario& plan) const;
  /// The metrics of the run so far (all of it once run_until(run.days) returned); wall_seconds counts the time
  /// spent in run_until, the shared warm-up included for a fork.
  RunMetrics finish(int threads) const;
  Tick tick() const { return simulation_.tick(); }

 private:
  InMemoryRun(const params::Scenario& scenario, std::chrono::steady_clock::time_point started);

  sim::Simulation simulation_;
  std::vector<std::uint32_t> focal_ids_;
  std::vector<std::vector<double>> series_;        ///< per headline series, a value per tick
  std::vector<std::vector<double>> focal_series_;  ///< [focal brand x focal series], a value per tick
  phases::TickMetrics totals_;                     ///< sums over the run
  facts::RunCollector collector_;
  double seconds_ = 0;
};

/// Runs the scenario in memory on the calling thread's TBB arena (`threads` is recorded, not set: the caller
/// limits the threads) and returns its metrics. Throws Interrupted when sim::interrupt_requested is set.
RunMetrics run_in_memory(const params::Scenario& scenario, int threads);

}  // namespace fanflow::experiments
