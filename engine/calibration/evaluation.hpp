// Evaluating calibration trials: each trial's parameter values applied to the base scenario, its replicates run in
// memory with the same seeds as every other trial's (common random numbers), side by side as sweeps run, and the
// targets' fitted values, spreads and the trial's distance computed from the runs' statistics.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "calibration/definition.hpp"
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

/// Runs every replicate of every trial (trials x replicates runs, `parallelism.jobs` at once) and returns the
/// results in the order of `trials`. Throws Interrupted when sim::interrupt_requested is set.
std::vector<TrialResult> evaluate(const CalibrationDefinition& definition, const std::vector<TrialRequest>& trials,
                                  experiments::Parallelism parallelism);

/// The distance and acceptance from the fitted values (used by evaluate; exposed for tests).
void score(const CalibrationDefinition& definition, TrialResult& result);

}  // namespace fanflow::calibration
