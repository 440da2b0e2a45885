// Simulation: builds the population and graph from a scenario and steps the tick pipeline.
#pragma once

#include <cstdint>

#include "params/scenario.hpp"
#include "phases/phases.hpp"
#include "sim/profile.hpp"
#include "sim/timeline_schedule.hpp"
#include "state/state.hpp"

namespace fanflow::sim {

class Simulation {
 public:
  /// Checks the memory the scenario needs, then draws the population and builds the social graph.
  /// Throws InputError when the scenario would not fit in memory or its edge file is bad.
  explicit Simulation(const params::Scenario& scenario);

  /// Runs one tick (one day): first the timeline's changes due that day, then the pipeline of phases.
  void step();

  /// A copy of this simulation at its tick that goes on under `plan`'s timeline: the plan's schedule is replayed
  /// over the ticks done (on the plan's parameters), so its log and parameters are the plan's. When the plan
  /// agrees with this run's scenario before this tick (params::fork_difference is empty), the copy continues
  /// exactly as a run of the plan from tick 0 would, bit for bit.
  Simulation fork(const params::Scenario& plan) const;

  Tick tick() const { return tick_; }  ///< ticks completed
  const params::Params& params() const { return params_; }
  const state::State& state() const { return state_; }
  const phases::TickMetrics& last_metrics() const { return buffers_.metrics; }
  /// Events of the last tick, sorted; cleared at the start of the next step.
  const std::vector<phases::Event>& last_events() const { return buffers_.events; }
  Profile& profile() { return profile_; }
  /// The scenario's what-if timeline and the log of the changes it has made.
  const TimelineSchedule& timeline() const { return timeline_; }

 private:
  params::Params params_;
  state::State state_;
  phases::TickBuffers buffers_;
  Profile profile_;
  TimelineSchedule timeline_;
  Tick tick_ = 0;
  std::uint64_t setup_starting_follows_ = 0;  // big IPs' starting followers at setup
};

}  // namespace fanflow::sim
