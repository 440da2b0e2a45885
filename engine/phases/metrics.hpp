// Per-tick aggregate counters: what the run records as time series, attributed to channels. The fields are
// declared once, with their outputs, in phases/outputs.def.
#pragma once

#include <array>
#include <cstdint>

#include "core/channel.hpp"
#include "core/money.hpp"
#include "core/pools.hpp"
#include "phases/brands/tables.hpp"

namespace fanflow::phases {

/// Counts of one tick. Integer sums, so adding per-thread parts in any order gives the same totals (the money
/// totals are set once per tick, not summed across threads).
struct TickMetrics {
  using PerChannel = std::array<std::uint64_t, kChannelCount>;
  using PerTier = std::array<std::uint64_t, kPoolTiers>;

#define FANFLOW_COUNTER(Type, name, doc) Type name{};  ///< doc
#define FANFLOW_TICK_COUNTER(Type, name, unit, doc) Type name{};
#include "phases/outputs.def"

  /// Adds another part of the tick (a thread's) or another tick (sums over a run), field by field.
  void add(const TickMetrics& other) {
#define FANFLOW_COUNTER(Type, name, doc) accumulate(name, other.name);
#define FANFLOW_TICK_COUNTER(Type, name, unit, doc) accumulate(name, other.name);
#include "phases/outputs.def"
  }

 private:
  template <typename T>
  static void accumulate(T& sum, const T& part) {
    sum += part;
  }
  template <typename T, std::size_t N>
  static void accumulate(std::array<T, N>& sum, const std::array<T, N>& part) {
    for (std::size_t k = 0; k < N; ++k) sum[k] += part[k];
  }
  static void accumulate(BrandTotals& sum, const BrandTotals& part) { sum.add(part); }
};

}  // namespace fanflow::phases
