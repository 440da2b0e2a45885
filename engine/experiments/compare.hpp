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
  double wall_seconds = 0;             ///< from the first run's start to the last one's end
};

/// Summary metrics shown in the printed table (all are in the file).
const std::vector<std::string>& headline_metric_names();

/// Runs both scenarios (their own run.seed is replaced by the replicate's seed), writes the file, returns the
/// figures. Throws InputError for bad options, Interrupted when stopped (no file is left).
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
