// The what-if timeline of a scenario: entries that change parameters during a run, either from a tick on
// (`at`) or over a window (`from`, `until`), or trigger an event (a brand's super brand day) on that tick or on
// every tick of the window. Reading and checking them, and the schedule of changes they make.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
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

/// An event an entry triggers. "super_brand_day": brand `brand` holds a promoted live-selling session with each
/// host, named (`creators`) or its `top_creators` best-matched creators that day. "brand_strategy": brand `brand`
/// splits its budget by `shares` from that day on, and spends `budget` a day if given. "shift": brand `brand`
/// moves `fraction` of its share on line `from_line` to line `to_line`. "scale_budget": brand `brand`'s daily
/// budget is multiplied by `factor`. A shift or scale_budget in a window is undone when the window ends.
struct TimelineEvent {
  std::string kind;         ///< kSuperBrandDay, kBrandStrategy, kShift or kScaleBudget
  std::int64_t brand = -1;  ///< the brand (an id in [0, population.brands))
  std::string brand_name;   ///< the brand's name when the event gives one (actors.brands), resolved to `brand`
  std::vector<std::int64_t> creators;         ///< named hosts (creator ids in [0, population.creators)), or empty
  std::int64_t top_creators = 0;              ///< or: this many of the brand's best-matched creators on the day
  std::array<double, 4> shares{};             ///< brand_strategy: shares for ads, sponsorships, content, live
  double budget = -1;                         ///< brand_strategy: the brand's daily budget (money/day), -1 to keep it
  std::int64_t from_line = -1, to_line = -1;  ///< shift: budget lines (state::BudgetLine codes)
  double fraction = 0;                        ///< shift: the part of the from line's share that moves, in [0, 1]
  double factor = 1;                          ///< scale_budget: the multiplier of the daily budget
  std::uint32_t entry = 0;                    ///< set by events_on: the timeline entry it belongs to
  bool ending = false;  ///< set by events_on: the window of a shift or scale_budget ends (undo it)
  std::string where;    ///< "file:line:col" of the event mapping
  std::string brand_where, creators_where, top_where;  ///< of the values, for messages
};

/// Kinds of timeline event.
inline constexpr std::string_view kSuperBrandDay = "super_brand_day";
inline constexpr std::string_view kBrandStrategy = "brand_strategy";
inline constexpr std::string_view kShift = "shift";
inline constexpr std::string_view kScaleBudget = "scale_budget";
/// Budget lines as events name them, in state::BudgetLine order.
inline constexpr std::array<std::string_view, 4> kBudgetLineKeys = {"ads", "sponsorship", "content", "live"};
/// Whether an event of this kind holds from its tick on (and is undone when its window ends) rather than
/// firing on a day.
inline bool holds(std::string_view kind) { return kind == kShift || kind == kScaleBudget; }

/// One entry of `timeline:`.
struct TimelineEntry {
  std::int64_t from = 0;                ///< tick of `at`, or of `from` for a window
  std::int64_t until = -1;              ///< tick a window ends on (its values are restored then); -1: permanent
  std::string label;                    ///< optional text naming the change
  std::vector<TimelineSetting> set;     ///< what the entry sets, in the order written
  std::vector<TimelineEvent> event;     ///< the event it triggers (at most one), or empty
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

/// Checks ticks against run.days ([0, run.days), `until` in (from, run.days]), events' brands and creators against
/// the population, and the cross-parameter rules after every tick's changes, applied in order to a copy of the
/// parameters. Throws InputError.
void check_timeline(const Scenario& scenario);

/// The events the timeline triggers on `tick`, in entry order, each with its `entry` set. An `at` entry's event
/// fires on its tick; a super brand day's window on every tick from `from` to `until` - 1; a shift's or
/// scale_budget's window on `from`, and on `until` with `ending` set (windows that end come first).
std::vector<TimelineEvent> events_on(const std::vector<TimelineEntry>& timeline, std::int64_t tick);

/// A one-line description of an event, as logged in the output: "brand 0, hosts 3 7" or "brand 0, top 5 creators".
std::string describe(const TimelineEvent& event);

/// The timeline as YAML text (`timeline:` and its list), or "" when there are no entries.
std::string timeline_yaml(const std::vector<TimelineEntry>& timeline);

/// A number of a timeline entry that `--set`, sweep factors and calibrations can change, named
/// `timeline[i].KEY`: the entry's days (`at`; `from`, `until` of a window) and its event's amounts
/// (`event.fraction`, `event.factor`, `event.budget`, `event.ad_share` ... `event.live_share`,
/// `event.top_creators`), so "how much to move" and "when" can be swept.
struct TimelineKnob {
  std::size_t entry = 0;  ///< i
  std::string key;        ///< at, from, until, or event.<name>
  bool integer = false;   ///< days and counts
  double lo = 0, hi = 0;  ///< the allowed range, as read_timeline checks it
};

/// Whether `path` names a timeline knob (starts with "timeline["). Such a path goes to timeline_knob.
bool is_timeline_path(std::string_view path);

/// The knob `path` names, checked against the key names only (not a scenario); throws InputError
/// "WHERE: PATH: message" with "did you mean" for a malformed path or an unknown key.
TimelineKnob timeline_knob(std::string_view path, const std::string& where);

/// Sets knob `path` of `scenario`'s timeline to `text` (a number in the knob's range). Throws InputError
/// "WHERE: PATH: message" when the entry does not exist, the key does not belong to it (`at` of a window, the
/// fraction of an event that is not a shift, ...) or the value is out of range; check_timeline then checks the
/// days against run.days.
void set_timeline_knob(Scenario& scenario, std::string_view path, std::string_view text, const std::string& where);

}  // namespace fanflow::params
