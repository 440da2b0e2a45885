// Runs many simulations on one machine without oversubscribing it: small runs side by side (one thread each),
// large runs one after another with every thread. Each job runs inside its own TBB arena; results come back
// one at a time, in completion order, to a single consumer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "experiments/run_metrics.hpp"

namespace fanflow::experiments {

/// A run of at least this many users is "large": its ticks have enough work for every thread, so runs go one at
/// a time with all threads instead of side by side with one each.
inline constexpr std::int64_t kLargeRunUsers = 100'000;

/// How many runs go at once and how many threads each may use; jobs x threads_per_run never exceeds the budget.
struct Parallelism {
  int jobs = 1;
  int threads_per_run = 1;
};

/// The rule (docs/experiments.md): the thread budget is `threads` (0: all cores). With `jobs` given (> 0), that
/// many runs go at once (at most the budget), each with budget / jobs threads. Otherwise a large scenario
/// (kLargeRunUsers) runs alone with the whole budget, and smaller ones run budget at once with one thread each.
/// Jobs are also capped by the runs to do and by memory (sim::estimate_memory of `largest` against
/// sim::memory_budget_bytes).
Parallelism choose_parallelism(const params::Scenario& largest, std::size_t runs, int jobs, int threads);

/// Runs run_one(index, threads_per_run) for every index in `todo`, `parallelism.jobs` at once, and hands each
/// result to deliver(index, metrics) on one thread at a time (deliver may write files). The first exception
/// (from a run or from deliver) stops handing out runs, waits for those in flight and is rethrown.
void run_all(const std::vector<std::uint64_t>& todo, Parallelism parallelism,
             const std::function<RunMetrics(std::uint64_t, int)>& run_one,
             const std::function<void(std::uint64_t, RunMetrics&&)>& deliver);

/// Progress on stderr: a bar with runs done/total and the estimated time left on a terminal, plain lines
/// (every 10% and at least every 30 s) otherwise.
class Progress {
 public:
  Progress(std::string label, std::uint64_t already_done, std::uint64_t total, bool quiet);
  /// One more run done.
  void advance();
  /// Ends the bar's line on a terminal.
  void finish();

 private:
  void print(bool force);
  std::string label_;
  std::uint64_t done_, total_, started_with_;
  bool quiet_, terminal_;
  double started_at_, last_line_at_;
  std::uint64_t last_tenth_ = 0;
};

}  // namespace fanflow::experiments
