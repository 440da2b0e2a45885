// Memory the run will need, estimated from the scenario before anything is allocated.
#pragma once

#include <cstdint>
#include <string>

#include "params/scenario.hpp"
#include "state/state.hpp"

namespace fanflow::sim {

struct MemoryEstimate {
  std::uint64_t users_bytes = 0;    ///< user columns, follow relation, inboxes
  std::uint64_t graph_bytes = 0;    ///< social graph at its peak while being built
  std::uint64_t content_bytes = 0;  ///< creators, alive items and per-thread item counters
  std::uint64_t total() const { return users_bytes + graph_bytes + content_bytes; }
};

/// Bytes a running simulation's state holds (the capacities of its arrays), by part.
struct MemoryUse {
  std::uint64_t users_bytes = 0;    ///< user columns, follow relation, group memberships, journeys, inboxes
  std::uint64_t graph_bytes = 0;    ///< social graph (CSR)
  std::uint64_t content_bytes = 0;  ///< creators and their lifecycle, alive items, brands, deals
  std::uint64_t total() const { return users_bytes + graph_bytes + content_bytes; }
};

/// Measures what `state` holds now.
MemoryUse measure_memory(const state::State& state);

/// Peak bytes the scenario's run needs (an upper-leaning estimate).
MemoryEstimate estimate_memory(const params::Scenario& scenario);

/// Memory the run may use: run.memory_limit_gib if set, else MemAvailable from /proc/meminfo.
std::uint64_t memory_budget_bytes(const params::Params& params);

/// Throws InputError "population needs about X GiB ... but only Y GiB ..." when the estimate exceeds the budget.
void check_memory(const params::Scenario& scenario);

/// Bytes formatted for people, e.g. "3.2 GiB".
std::string format_bytes(std::uint64_t bytes);

}  // namespace fanflow::sim
