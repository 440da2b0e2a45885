// Run-level parallelism on one machine: a budget of threads split into jobs, one TBB arena per job.
#include "experiments/scheduler.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>

#include "sim/memory.hpp"

namespace fanflow::experiments {

Parallelism choose_parallelism(const params::Scenario& largest, std::size_t runs, int jobs, int threads) {
  const int budget = threads > 0 ? threads : tbb::info::default_concurrency();
  Parallelism p;
  if (jobs > 0) {
    p.jobs = std::min(jobs, budget);
  } else if (largest.params.population.users >= kLargeRunUsers) {
    p.jobs = 1;
  } else {
    p.jobs = budget;
  }
  const std::uint64_t need = std::max<std::uint64_t>(1, sim::estimate_memory(largest).total());
  const std::uint64_t fit = std::max<std::uint64_t>(1, sim::memory_budget_bytes(largest.params) / need);
  p.jobs = static_cast<int>(std::max<std::uint64_t>(
      1, std::min<std::uint64_t>({static_cast<std::uint64_t>(p.jobs), std::max<std::size_t>(runs, 1), fit})));
  p.threads_per_run = std::max(1, budget / p.jobs);
  return p;
}

void run_all(const std::vector<std::uint64_t>& todo, Parallelism parallelism,
             const std::function<RunMetrics(std::uint64_t, int)>& run_one,
             const std::function<void(std::uint64_t, RunMetrics&&)>& deliver) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(parallelism.jobs * parallelism.threads_per_run));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex deliver_mutex;
  std::exception_ptr failure;
  auto worker = [&] {
    tbb::task_arena arena(parallelism.threads_per_run);
    while (!stop.load()) {
      const std::size_t slot = next.fetch_add(1);
      if (slot >= todo.size()) break;
      try {
        RunMetrics metrics = arena.execute([&] { return run_one(todo[slot], parallelism.threads_per_run); });
        std::lock_guard lock(deliver_mutex);
        if (!stop.load()) deliver(todo[slot], std::move(metrics));
      } catch (...) {
        std::lock_guard lock(deliver_mutex);
        if (!failure) failure = std::current_exception();
        stop.store(true);
      }
    }
  };
  const int jobs = static_cast<int>(std::min<std::size_t>(parallelism.jobs, todo.size()));
  if (jobs <= 1) {
    worker();
  } else {
    std::vector<std::jthread> workers;
    for (int j = 0; j < jobs; ++j) workers.emplace_back(worker);
  }
  if (failure) std::rethrow_exception(failure);
}

namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%lldh%02lldm", s / 3600, (s / 60) % 60);
  else if (s >= 60)
    std::snprintf(text, sizeof text, "%lldm%02llds", s / 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%llds", s);
  return text;
}

}  // namespace

Progress::Progress(std::string label, std::uint64_t already_done, std::uint64_t total, bool quiet)
    : label_(std::move(label)),
      done_(already_done),
      total_(total),
      started_with_(already_done),
      quiet_(quiet),
      terminal_(isatty(STDERR_FILENO)),
      started_at_(now_seconds()),
      last_line_at_(started_at_) {
  last_tenth_ = total_ ? done_ * 10 / total_ : 10;
  print(true);
}

void Progress::advance() {
  ++done_;
  print(false);
}

void Progress::finish() {
  if (!quiet_ && terminal_) std::fputc('\n', stderr);
}

void Progress::print(bool force) {
  if (quiet_) return;
  const double now = now_seconds();
  const std::uint64_t fresh = done_ - started_with_;
  std::string eta = "ETA --";
  if (fresh > 0 && done_ < total_)
    eta = "ETA " + duration_text((now - started_at_) / double(fresh) * double(total_ - done_));
  else if (done_ == total_)
    eta = "done in " + duration_text(now - started_at_);
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = total_ ? static_cast<int>(kWidth * done_ / total_) : kWidth;
    std::fprintf(stderr, "\r%s [%s%s] %llu/%llu runs, %s   ", label_.c_str(), std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, '.').c_str(), static_cast<unsigned long long>(done_),
                 static_cast<unsigned long long>(total_), eta.c_str());
    return;
  }
  const std::uint64_t tenth = total_ ? done_ * 10 / total_ : 10;
  if (force || tenth > last_tenth_ || now - last_line_at_ >= 30 || done_ == total_) {
    std::fprintf(stderr, "%s: %llu/%llu runs, %s\n", label_.c_str(), static_cast<unsigned long long>(done_),
                 static_cast<unsigned long long>(total_), eta.c_str());
    last_tenth_ = tenth;
    last_line_at_ = now;
  }
}

}  // namespace fanflow::experiments
