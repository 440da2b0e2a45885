// Evaluating calibration trials: each trial's parameter values applied to the base scenario, its replicates run in
// memory with the same seeds as every other trial's (common random numbers), side by side as sweeps run, and the
// targets' fitted values, spreads and the trial's distance computed from the runs' statistics.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "calibration/definition.hpp"
#include "experiments/distributed.hpp"
#include "experiments/scheduler.hpp"

namespace fanflow::calibration {

/// A trial to run: its number (the trial store's) and a value per free parameter, in the file's order.
struct TrialRequest {
  std::uint64_t number = 0;
  std::vector<double> values;
};

/// What a trial's replicates gave.
struct TrialResult {
  std::uint64_t number = 0;
  std::string error;                            ///< non-empty: no distance (a rule broken, a statistic undefined)
  std::vector<double> mean, sd;                 ///< per target: over replicates (sd 0 with one replicate)
  std::vector<std::vector<double>> curve_mean;  ///< per curve: the series' mean over replicates on its days
  std::vector<double> curve_rms;                ///< per curve: RMS of (fitted - target) / tolerance over its days
  double distance = 0;                          ///< sqrt of the mean squared standardized miss over all targets
  bool accepted = false;                        ///< every target within tolerance (|z| <= 1, curves RMS <= 1)
};

/// The scenario of one replicate of a trial.
params::Scenario trial_scenario(const CalibrationDefinition& definition, const std::vector<double>& values,
                                std::uint64_t replicate);

/// Carries out a batch's runs: every index of `todo` run (run_one on this machine; or by MPI workers, which get
/// the index and `assignment`'s values) and its metrics handed to deliver, one at a time.
using RunBatch = std::function<void(const std::vector<std::uint64_t>& todo,
                                    const std::function<experiments::RunMetrics(std::uint64_t, int)>& run_one,
                                    const experiments::Assignment& assignment,
                                    const std::function<void(std::uint64_t, experiments::RunMetrics&&)>& deliver)>;

/// A batch's runs on this machine, `parallelism.jobs` at once (experiments::run_all).
RunBatch run_here(experiments::Parallelism parallelism);

/// What an MPI worker is told of a run: its replicate, then the trial's parameter values.
params::Scenario assigned_scenario(const CalibrationDefinition& definition, const std::vector<double>& assignment);

/// Runs every replicate of every trial (trials x replicates runs, run = trial index x replicates + replicate)
/// and returns the results in the order of `trials`. Throws Interrupted when sim::interrupt_requested is set.
std::vector<TrialResult> evaluate(const CalibrationDefinition& definition, const std::vector<TrialRequest>& trials,
                                  const RunBatch& run_batch);

/// The distance and acceptance from the fitted values (used by evaluate; exposed for tests).
void score(const CalibrationDefinition& definition, TrialResult& result);

}  // namespace fanflow::calibration
