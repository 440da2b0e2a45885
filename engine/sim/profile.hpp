// Wall-clock time spent in each phase of the tick, printed by `fanflow run --profile`.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace fanflow::sim {

class Profile {
 public:
  struct Entry {
    std::string phase;   ///< phase name, in pipeline order
    double seconds = 0;  ///< total wall time
    std::uint64_t calls = 0;
  };

  /// Runs `work` and adds its wall time to `phase`.
  template <typename Work>
  void time(const std::string& phase, Work&& work) {
    auto start = std::chrono::steady_clock::now();
    work();
    add(phase, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }

  void add(const std::string& phase, double seconds);
  const std::vector<Entry>& entries() const { return entries_; }
  double total_seconds() const;

  /// A table: phase, total seconds, share of the total, milliseconds per call.
  std::string table() const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace fanflow::sim
