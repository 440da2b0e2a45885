// `fanflow calibrate`: the search loop. fanflow prepares the output folder (or checks that it holds the same
// calibration, to resume it), starts the sampler's process (Optuna on the trial store DIR/trials.db), runs each
// batch of trials it asks for and answers with their fitted values and distances, writes the best trial as a
// scenario, and prints the sampler's summary. docs/calibration.md describes the protocol and the outputs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "calibration/definition.hpp"
#include "experiments/distributed.hpp"

namespace fanflow::calibration {

struct CalibrateOptions {
  std::filesystem::path output;          ///< the output folder (created; resumed when it holds this calibration)
  int jobs = 0;                          ///< runs at once (0: the scheduler's rule)
  int threads = 0;                       ///< thread budget (0: all cores)
  bool quiet = false;                    ///< no progress line
  std::vector<std::string> sampler;      ///< the sampler's command: the interpreter and its arguments
  std::vector<std::string> environment;  ///< extra environment for it ("PYTHONPATH=...")
  experiments::Coordinator* coordinator = nullptr;  ///< under mpirun: the workers run the trials
};

/// Runs (or resumes) the calibration; returns the sampler's exit status (0 when every output was written).
/// Throws InputError for a folder that holds something else, Interrupted on Ctrl-C (the trials told so far stay in
/// the store; the same command resumes).
int run_calibration(const CalibrationDefinition& definition, const CalibrateOptions& options);

}  // namespace fanflow::calibration
