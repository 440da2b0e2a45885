// The what-if timeline during a run: applies a scenario's scheduled parameter changes at the start of each tick,
// hands over the events it triggers that day, and keeps the log of what it applied (written as the /timeline
// table).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "params/scenario.hpp"
#include "phases/events.hpp"

namespace fanflow::sim {

/// One change the timeline made, with the label of its entry: a row of the /timeline table.
struct AppliedChange {
  params::TimelineChange change;
  std::string label;  ///< the entry's label, or empty
};

class TimelineSchedule {
 public:
  /// Schedules the scenario's timeline over its resolved parameters (params::timeline_changes).
  explicit TimelineSchedule(const params::Scenario& scenario);

  /// Makes the changes due at the start of `tick` in `params`, appends one TimelineApplied event per entry that
  /// starts (value 1) or whose window ends (value 0) to `events`, and logs each change. Returns the events the
  /// timeline triggers today (logged as changes of path "event.<kind>"). Ticks must come in order.
  std::vector<params::TimelineEvent> apply(Tick tick, params::Params& params, std::vector<phases::Event>& events);

  /// Every change made so far, in order.
  const std::vector<AppliedChange>& applied() const { return applied_; }

  /// Whether the scenario has no timeline entries.
  bool empty() const { return schedule_.empty() && !has_events_; }

 private:
  std::vector<params::TimelineEntry> entries_;
  bool has_events_ = false;
  std::vector<params::TimelineChange> schedule_;
  std::vector<std::string> labels_;  // by entry
  std::size_t next_ = 0;             // first change of schedule_ not yet made
  std::vector<AppliedChange> applied_;
};

}  // namespace fanflow::sim
