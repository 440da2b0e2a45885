// The metrics a sweep or comparison keeps of each run, collected in memory from the Simulation (no run file):
// headline time series [tick] and end-of-run summaries, as the output schema declares them (phases/outputs.def),
// and the facts of the facts table (facts/facts.hpp), computed as from the run's file.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "params/scenario.hpp"
#include "sim/run.hpp"

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

/// Runs the scenario in memory on the calling thread's TBB arena (`threads` is recorded, not set: the caller
/// limits the threads) and returns its metrics. Throws Interrupted when sim::interrupt_requested is set.
RunMetrics run_in_memory(const params::Scenario& scenario, int threads);

}  // namespace fanflow::experiments
