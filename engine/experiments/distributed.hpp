// Distributing a sweep's runs over MPI processes (mpirun -n K fanflow sweep ...): rank 0 hands out run indices
// on request (dynamic load balancing) and is the only writer; the other ranks run them and send results back.
// Without MPI in the build, only the detection remains, so that a one-process build refuses to run under mpirun.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "experiments/run_metrics.hpp"

namespace fanflow::experiments {

/// The number of processes the launcher (mpirun, srun) started, read from its environment; 1 when none.
int launched_processes();

/// Whether this program was built with MPI.
bool built_with_mpi();

/// One MPI session (MPI_Init .. MPI_Finalize) for the life of the object. Only with built_with_mpi().
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

/// What a worker is told besides a run's index (a calibration's trial values); empty for sweeps.
using Assignment = std::function<std::vector<double>(std::uint64_t run)>;

/// Rank 0's side: hands out the runs of `todo` to the workers (ranks 1..size-1) as they ask, and calls deliver for
/// each result, in arrival order. Throws InputError when a worker reports an error and Interrupted when
/// sim::interrupt_requested is set; either way, only after every worker has been told to stop. With
/// `keep_workers`, workers left without a run wait for the next call (a calibration's next batch) instead of being
/// told to stop; release() stops them.
class Coordinator {
 public:
  explicit Coordinator(const MpiSession& session);
  void run(const std::vector<std::uint64_t>& todo, const std::function<void(std::uint64_t, RunMetrics&&)>& deliver,
           const Assignment& assignment = {}, bool keep_workers = false);
  /// Tells every worker still waiting to stop (after an error on rank 0); safe to call more than once.
  void release();
  int workers() const { return size_ - 1; }

 private:
  /// Hands run `run` to `worker`.
  void assign(int worker, std::uint64_t run, const Assignment& assignment);
  int size_;
  int active_;                // workers not yet told to stop
  std::vector<int> waiting_;  // workers that asked for a run and got none yet (keep_workers)
};

/// A worker's side: asks rank 0 for runs, runs them with run_one (the run's index and what the assignment added),
/// sends the metrics back, until told to stop. `setup_error` non-empty: the worker could not read its input; it
/// reports that to rank 0 and waits to stop.
void serve_runs(const std::function<RunMetrics(std::uint64_t, const std::vector<double>&)>& run_one,
                const std::string& setup_error);

}  // namespace fanflow::experiments
