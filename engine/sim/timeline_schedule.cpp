// TimelineSchedule: the scheduled changes of a scenario's `timeline:`, made at the start of their tick.
#include "sim/timeline_schedule.hpp"

#include <algorithm>
#include <stdexcept>

namespace fanflow::sim {

TimelineSchedule::TimelineSchedule(const params::Scenario& scenario)
    : entries_(scenario.timeline), schedule_(params::timeline_changes(scenario.timeline, scenario.params)) {
  for (const params::TimelineEntry& entry : scenario.timeline) {
    labels_.push_back(entry.label);
    has_events_ = has_events_ || !entry.event.empty();
  }
}

std::vector<params::TimelineEvent> TimelineSchedule::apply(Tick tick, params::Params& params,
                                                           std::vector<phases::Event>& events) {
  const std::size_t first_event = events.size();
  for (; next_ < schedule_.size() && schedule_[next_].tick <= tick; ++next_) {
    const params::TimelineChange& change = schedule_[next_];
    if (change.tick < tick) throw std::logic_error("TimelineSchedule::apply: ticks must come in order");
    const std::string message = params::assign_from_text(*params::find_spec(change.path), params, change.value);
    if (!message.empty())
      throw std::logic_error(std::string("timeline change of ").append(change.path).append(": ").append(message));
    // One event per entry and tick: an entry's changes are consecutive in the schedule.
    const bool first_of_entry = next_ == 0 || schedule_[next_ - 1].tick != change.tick ||
                                schedule_[next_ - 1].entry != change.entry ||
                                schedule_[next_ - 1].applied != change.applied;
    if (first_of_entry)
      events.push_back(phases::Event{tick, phases::EventKind::TimelineApplied, change.entry, change.applied ? 1 : 0});
    applied_.push_back({change, labels_[change.entry]});
  }
  // Events due today; an entry whose changes were not applied today gets its TimelineApplied event here.
  std::vector<params::TimelineEvent> triggered;
  for (params::TimelineEvent& event : params::events_on(entries_, static_cast<std::int64_t>(tick))) {
    const std::uint32_t entry = event.entry;
    const int value = event.ending ? 0 : 1;
    const bool logged = std::any_of(events.begin() + static_cast<std::ptrdiff_t>(first_event), events.end(),
                                    [&](const phases::Event& e) { return e.subject == entry && e.value == value; });
    if (!logged) events.push_back(phases::Event{tick, phases::EventKind::TimelineApplied, entry, value});
    applied_.push_back({params::TimelineChange{tick, entry, !event.ending, std::string("event.").append(event.kind),
                                               params::describe(event)},
                        labels_[entry]});
    triggered.push_back(std::move(event));
  }
  return triggered;
}

}  // namespace fanflow::sim
