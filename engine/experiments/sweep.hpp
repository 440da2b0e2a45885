// Running a sweep into its one HDF5 file: resuming from the journal of completed runs, refusing a changed
// definition, running what is left in parallel, and writing each run as it completes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "experiments/plan.hpp"

namespace fanflow::experiments {

struct SweepOptions {
  std::filesystem::path output;  ///< the sweep's HDF5 file; its journal is output + ".journal"
  int jobs = 0;                  ///< runs at once; 0 = decided by choose_parallelism
  int threads = 0;               ///< thread budget; 0 = all cores
  bool quiet = false;            ///< no progress on stderr
  /// Called once the output is checked and rebuilt from the journal, before the first run (may be empty):
  /// (runs already complete, runs in the sweep).
  std::function<void(std::uint64_t, std::uint64_t)> started;
};

struct SweepOutcome {
  std::uint64_t runs = 0;     ///< runs in the sweep
  std::uint64_t resumed = 0;  ///< runs found complete when the sweep started
  std::uint64_t ran = 0;      ///< runs this call ran
  int jobs = 0, threads_per_run = 0;
  double wall_seconds = 0;
  bool already_complete = false;  ///< the file was complete: nothing was run or written
};

/// Runs the plan into options.output. Interruption (sim::interrupt_requested) throws Interrupted after the runs
/// in flight are dropped; the file then holds every completed run and the same command resumes it.
SweepOutcome run_sweep(const SweepPlan& plan, const SweepOptions& options);

}  // namespace fanflow::experiments
