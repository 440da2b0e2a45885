// Running a scenario end to end: simulation, recording to one HDF5 file, and the headline figures.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "params/scenario.hpp"
#include "phases/metrics.hpp"
#include "sim/profile.hpp"
#include "sim/run.hpp"

namespace fanflow::io {

struct RunOptions {
  std::filesystem::path output;  ///< final HDF5 path (written as output + ".partial" until complete)
  int threads = 0;               ///< worker threads; 0 = all cores
  /// Called once the population and graph are built, before the first tick; may be empty.
  std::function<void()> started;
  /// Called after each tick with (ticks done, total ticks); may be empty.
  sim::ProgressCallback progress;
};

/// Headline figures of a finished run.
struct RunSummary {
  std::filesystem::path output;
  phases::TickMetrics::PerChannel impressions{};  ///< over the whole run, by channel
  std::uint64_t follows = 0;                      ///< follow edges at the end
  std::uint64_t views = 0, likes = 0, shares = 0;
  std::uint32_t top_creator = 0;  ///< creator with the most followers
  std::uint32_t top_creator_followers = 0;
  std::uint32_t ticks = 0;
  int threads = 0;
  double wall_seconds = 0;
  sim::Profile profile;
};

/// Runs the scenario and writes its file. Throws InputError for bad input (the partial file is removed).
RunSummary run_scenario(const params::Scenario& scenario, const RunOptions& options);

}  // namespace fanflow::io
