// Matched comparison of a plan with a baseline: N replicates of each, replicate r of both with the same seed
// (common random numbers), per-replicate headline metrics, their paired differences, and both time series.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "experiments/run_metrics.hpp"
#include "params/scenario.hpp"

namespace fanflow::experiments {

struct CompareOptions {
  std::filesystem::path output;  ///< the comparison's HDF5 file (written as output.partial, renamed when done)
  std::uint64_t replicates = 0;  ///< at least 2
  std::uint64_t seed = 0;        ///< replicate r's seed is derive_run_seed(seed, r) for both scenarios
  int jobs = 0, threads = 0;     ///< as for sweeps (choose_parallelism)
  bool quiet = false;
  bool force = false;  ///< replace an existing output (without it, one is refused unless its journal resumes it)
  /// A day, or -1: each replicate runs the days before it once and forks both arms from there
  /// (sim::Simulation::fork); the plan must agree with the baseline until then (params::fork_difference). The
  /// figures are those of an unforked comparison, bit for bit.
  std::int64_t fork_at = -1;
};

/// One headline metric's comparison over the replicates.
struct MetricComparison {
  std::string name;
  double baseline_mean = 0, plan_mean = 0;
  double difference_mean = 0;     ///< mean of plan_r - baseline_r
  double difference_half_ci = 0;  ///< half-width of its 95% confidence interval (Student's t, N - 1 df)
};

/// One focal brand's comparison: its own figures, paired over the replicates.
struct FocalComparison {
  std::string name;                    ///< the brand's name in both scenarios
  std::uint32_t id = 0;                ///< its brand id
  std::vector<MetricComparison> rows;  ///< one per io::focal_brand_metrics() entry, in that order
};

struct CompareResult {
  std::vector<std::uint64_t> seeds;    ///< per replicate
  std::vector<RunMetrics> baseline;    ///< per replicate
  std::vector<RunMetrics> plan;        ///< per replicate
  std::vector<MetricComparison> rows;  ///< one per summary metric, in summary_metrics() order
  std::vector<FocalComparison> focal;  ///< one per focal brand (the scenarios' actors), in id order
  double wall_seconds = 0;             ///< from the first run's start to the last one's end (of this command)
  std::uint64_t resumed = 0;           ///< runs taken from the journal of an interrupted comparison
};

/// Summary metrics shown in the printed table (all are in the file).
const std::vector<std::string>& headline_metric_names();

/// Canonical text of everything that decides a comparison's results (fanflow's version and revision, replicates,
/// seed, both scenarios resolved): its journal must match it to be resumed.
std::string comparison_definition(const params::Scenario& baseline, const params::Scenario& plan,
                                  const CompareOptions& options);

/// Runs both scenarios (their own run.seed is replaced by the replicate's seed), writes the file, returns the
/// figures. Every finished run goes to the journal `output.journal` first; a comparison that finds its journal
/// resumes from it (the same figures as a comparison never interrupted) and removes it once the file is complete.
/// An existing output without a journal is refused unless options.force. Throws InputError for bad options or a
/// journal of another definition, Interrupted when stopped (no HDF5 file is left; the journal keeps the runs).
CompareResult run_comparison(const params::Scenario& baseline, const params::Scenario& plan,
                             const CompareOptions& options);

/// Mean, and half-width of the 95% confidence interval of the mean (Student's t), of paired differences.
MetricComparison compare_metric(const std::string& name, const std::vector<double>& baseline,
                                const std::vector<double>& plan);

/// Focal metrics shown in the printed "what happens to NAME" tables (all are in the file).
const std::vector<std::string>& headline_focal_metric_names();

/// The printed tables: first, for each focal brand, "what happens to NAME" over its own figures; then the
/// platform's headline metrics. Columns: metric, baseline mean, plan mean, mean paired difference +- 95% CI and
/// the change relative to the baseline mean.
std::string comparison_table(const CompareResult& result);

}  // namespace fanflow::experiments
