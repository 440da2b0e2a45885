// run_scenario: the loop of ticks between a Simulation and a RunRecorder, with thread control.
#include "io/run_scenario.hpp"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <algorithm>
#include <chrono>

#include "core/error.hpp"
#include "io/run_recorder.hpp"
#include "sim/simulation.hpp"

namespace fanflow::io {

RunSummary run_scenario(const params::Scenario& scenario, const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));

  // Probe the output before the (possibly long) setup, so an unwritable path fails at once.
  std::error_code ec;
  if (std::filesystem::is_directory(options.output, ec))
    throw InputError(options.output.string() + ": is a folder; give a file path for the output");
  OutputFile(options.output).flush();  // creates and, uncommitted, removes <output>.partial
  sim::Simulation simulation(scenario);
  RunRecorder recorder(options.output, scenario, simulation.state(), threads);
  if (options.started) options.started();

  RunSummary summary;
  sim::run_ticks(
      simulation,
      [&](sim::Simulation& sim) {
        const phases::TickMetrics& metrics = sim.last_metrics();
        sim.profile().time("record", [&] { recorder.record(sim.tick() - 1, metrics, sim.last_events(), sim.state()); });
        for (std::size_t c = 0; c < kChannelCount; ++c) {
          summary.impressions[c] += metrics.impressions[c];
          summary.views += metrics.views[c];
          summary.likes += metrics.likes[c];
          summary.shares += metrics.shares[c];
        }
      },
      options.progress);
  const auto& state = simulation.state();
  summary.follows = state.follows.edges();
  const auto& followers = state.creators.followers;
  if (!followers.empty()) {
    auto top = std::max_element(followers.begin(), followers.end());
    summary.top_creator = static_cast<std::uint32_t>(top - followers.begin());
    summary.top_creator_followers = *top;
  }
  recorder.write_timeline(simulation.timeline().applied());
  recorder.finish(state, simulation.profile());
  summary.output = recorder.path();
  summary.ticks = simulation.tick();
  summary.threads = threads;
  summary.profile = simulation.profile();
  summary.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace fanflow::io
