// The what-if timeline of a scenario: entries that change parameters during a run, either from a tick on
// (`at`) or over a window (`from`, `until`). Reading and checking them, and the schedule of changes they make.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "params/params.hpp"

namespace YAML {
class Node;
}

namespace fanflow::params {

struct Scenario;

/// One parameter an entry sets, as written in the scenario (nested `set:` keys are flattened to a path).
struct TimelineSetting {
  std::string path;   ///< "section.name"
  std::string value;  ///< the value's text, already checked against the parameter's kind and range
  std::string where;  ///< "file:line:col" of the value, for messages
};

/// One entry of `timeline:`.
struct TimelineEntry {
  std::int64_t from = 0;                ///< tick of `at`, or of `from` for a window
  std::int64_t until = -1;              ///< tick a window ends on (its values are restored then); -1: permanent
  std::string label;                    ///< optional text naming the change
  std::vector<TimelineSetting> set;     ///< what the entry sets, in the order written
  std::string where;                    ///< "file:line:col" of the entry
  std::string from_where, until_where;  ///< "file:line:col" of the `at`/`from` and `until` values

  bool is_window() const { return until >= 0; }
};

/// One change of one parameter that the timeline makes on a tick.
struct TimelineChange {
  Tick tick;            ///< tick at whose start the change is made
  std::uint32_t entry;  ///< index of the entry in the timeline
  bool applied;         ///< true: the entry's value is set; false: its window ends and an earlier value returns
  std::string path;     ///< the parameter
  std::string value;    ///< the value in force after the change
};

/// Reads the `timeline:` node of a scenario (a list of entries; null means none). Checks structure, keys,
/// values and setup-only parameters; tick ranges depend on run.days and are checked by check_timeline().
/// Throws InputError "file:line:col: timeline[i].key: message".
std::vector<TimelineEntry> read_timeline(const YAML::Node& node, const std::string& source);

/// What an entry sets once `platform.preset` is expanded: the preset's values first, then the entry's own
/// keys (which win over the preset's).
std::vector<TimelineSetting> expanded_settings(const TimelineEntry& entry);

/// Every change the timeline makes, over `base` (the scenario's resolved parameters), in the order made: by
/// tick; within a tick, windows that end (latest entry first) before entries that start (in entry order).
/// When a window ends, each of its parameters returns to the value of the latest change to it that still
/// holds (a permanent change, or a window still open), or else to its value in `base`.
std::vector<TimelineChange> timeline_changes(const std::vector<TimelineEntry>& timeline, const Params& base);

/// Checks ticks against run.days ([0, run.days), `until` in (from, run.days]) and the cross-parameter rules
/// after every tick's changes, applied in order to a copy of the parameters. Throws InputError.
void check_timeline(const Scenario& scenario);

/// The timeline as YAML text (`timeline:` and its list), or "" when there are no entries.
std::string timeline_yaml(const std::vector<TimelineEntry>& timeline);

}  // namespace fanflow::params
