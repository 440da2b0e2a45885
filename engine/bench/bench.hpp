// The benchmark harness behind `fanflow bench`: standard scenarios S, M and L run without output files, timed per
// phase at 1 and at n threads, with the memory the state holds and the process's peak. It prints figures; nothing
// here asserts a time (docs/performance.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "params/scenario.hpp"
#include "sim/profile.hpp"

namespace fanflow::bench {

/// One standard scenario.
struct BenchCase {
  std::string name;         ///< "S", "M" or "L"
  std::string description;  ///< what it stands for
  params::Scenario scenario;
  bool quick = false;  ///< run over a shorter horizon than the standard one (reported as such)
  std::int64_t standard_days = 0;
};

/// The standard scenarios named in `names` ("S", "M", "L"). `quick` shortens their horizons (S 10 days, M 7, L 1);
/// `days` > 0 overrides the horizon of every case. Throws InputError for an unknown name.
std::vector<BenchCase> standard_cases(const std::vector<std::string>& names, bool quick, std::int64_t days);

/// Figures of one case run with one thread count.
struct BenchResult {
  std::string name;
  int threads = 0;
  std::int64_t users = 0, creators = 0, brands = 0, days = 0, standard_days = 0;
  std::uint64_t social_edges = 0;
  bool refused = false;  ///< the memory check refused the scenario up front (`message` says why)
  std::string message;
  double setup_seconds = 0, run_seconds = 0;
  std::uint64_t impressions = 0;
  double impressions_per_second = 0, ns_per_impression = 0, agent_days_per_second = 0;
  std::uint64_t estimated_bytes = 0;  ///< the memory check's estimate before setup
  std::uint64_t state_bytes = 0;      ///< bytes the state holds at the end (vectors' capacities)
  std::uint64_t user_bytes = 0;       ///< of which per-user columns, follows, groups, journeys, inboxes
  std::uint64_t graph_bytes = 0;      ///< of which the social graph
  std::uint64_t peak_rss_bytes = 0;   ///< the process's peak resident memory during the case (VmHWM)
  double bytes_per_user = 0, bytes_per_edge = 0;
  std::vector<sim::Profile::Entry> phases;
};

/// Runs `bench_case` with `threads` worker threads. A scenario the memory check refuses gives a result with
/// `refused` set rather than an exception.
BenchResult run_case(const BenchCase& bench_case, int threads);

/// The results as a table for people, with the 1 -> n thread speed-up of each case that ran at both.
std::string table(const std::vector<BenchResult>& results);

/// The results as one JSON document.
std::string json(const std::vector<BenchResult>& results);

}  // namespace fanflow::bench
