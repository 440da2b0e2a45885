// Reading, checking and scheduling the what-if timeline. Messages name file:line:col and the entry, e.g.
// "s.yaml:12:7: timeline[1].set.feed.private_share_max: expected a number in [0, 1], got '2'".
#include "params/timeline.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/suggest.hpp"
#include "params/presets.hpp"
#include "params/scenario.hpp"
#include "params/yaml_text.hpp"

namespace fanflow::params {
namespace {

[[noreturn]] void fail(const std::string& place, std::string_view path, std::string_view message) {
  throw InputError(std::string(place).append(": ").append(path).append(": ").append(message));
}

std::string suggestion(std::string_view key, std::span<const std::string> candidates) {
  std::string guess = closest_match(key, candidates);
  return guess.empty() ? "" : std::string("; did you mean '").append(guess).append("'?");
}

std::vector<std::string> parameter_paths() {
  std::vector<std::string> paths;
  for (const Spec& spec : all_specs()) paths.emplace_back(spec.path);
  return paths;
}

bool is_section(std::string_view name) {
  for (const SectionSpec& section : all_sections())
    if (section.name == name) return true;
  return false;
}

std::string setup_only_message(std::string_view path) {
  return std::string(path).append(" is drawn at setup and cannot change during a run");
}

/// The value text of a parameter after `text` is assigned to it (normalised, e.g. "0.30" -> "0.3"), or the
/// check's message in `message`.
std::string normalised(const Spec& spec, std::string_view text, std::string& message) {
  Params scratch;
  message = assign_from_text(spec, scratch, text);
  return message.empty() ? value_text(spec, scratch) : "";
}

/// Reads a non-negative integer (a tick, an id, a count), naming `what` in messages; the key's position stands
/// for a missing value. Upper bounds (run.days, the population) are checked by check_timeline().
std::int64_t read_count(const std::string& source, const YAML::Node& node, const YAML::Node& key,
                        const std::string& path, const char* what) {
  const std::string expected = std::string("expected ").append(what).append(" (an integer of at least 0), got ");
  if (!node.IsScalar())
    fail(yaml_where(source, node.IsNull() ? key.Mark() : node.Mark()), path, expected + yaml_node_kind(node));
  const std::string& text = node.Scalar();
  std::int64_t value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0)
    fail(yaml_where(source, node.Mark()), path, std::string(expected).append("'").append(text).append("'"));
  return value;
}

/// Reads the `set:` mapping (or a section's mapping inside it, with `section` its name) into `out`.
void read_set(const std::string& source, const YAML::Node& node, const std::string& shown_prefix,
              const std::string& section, std::vector<TimelineSetting>& out, std::set<std::string>& seen) {
  for (const auto& item : node) {
    const YAML::Node& key = item.first;
    const YAML::Node& value = item.second;
    const std::string name = key.IsScalar() ? key.Scalar() : "?";
    const std::string path = section.empty() ? name : std::string(section).append(".").append(name);
    const std::string shown = std::string(shown_prefix).append(".").append(path);
    const Spec* spec = find_spec(path);
    if (!spec) {
      if (section.empty() && is_section(name)) {
        if (value.IsNull()) continue;  // "feed:" with nothing under it sets nothing
        if (!value.IsMap())
          fail(yaml_where(source, value.Mark()), shown,
               std::string("expected a mapping of parameters, got ").append(yaml_node_kind(value)));
        read_set(source, value, shown_prefix, name, out, seen);
        continue;
      }
      fail(yaml_where(source, key.Mark()), shown,
           std::string("unknown key").append(suggestion(path, parameter_paths())));
    }
    if (!seen.insert(path).second) fail(yaml_where(source, key.Mark()), shown, "duplicate key");
    if (is_setup_only(path)) fail(yaml_where(source, key.Mark()), shown, setup_only_message(path));
    if (!value.IsScalar())
      fail(yaml_where(source, value.IsNull() ? key.Mark() : value.Mark()), shown,
           std::string("expected ").append(allowed_text(*spec)).append(", got ").append(yaml_node_kind(value)));
    std::string message;
    std::string text = normalised(*spec, value.Scalar(), message);
    if (!message.empty()) fail(yaml_where(source, value.Mark()), shown, message);
    if (path == "platform.preset")  // a preset may not reach a setup-only parameter through the timeline
      for (const PresetSetting& setting : find_preset(text)->settings)
        if (is_setup_only(setting.path))
          fail(yaml_where(source, value.Mark()), shown,
               std::string("preset ").append(text).append(" sets ").append(setup_only_message(setting.path)));
    out.push_back({path, text, yaml_where(source, value.Mark())});
  }
}

/// Reads a number in [lo, hi] for an event.
double read_number(const std::string& source, const YAML::Node& node, const std::string& path, double lo, double hi) {
  char range[64];
  std::snprintf(range, sizeof range, "expected a number in [%g, %g], got ", lo, hi);
  if (!node.IsScalar()) fail(yaml_where(source, node.Mark()), path, range + yaml_node_kind(node));
  const std::string& text = node.Scalar();
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value >= lo && value <= hi))
    fail(yaml_where(source, node.Mark()), path, std::string(range).append("'").append(text).append("'"));
  return value;
}

/// Reads `event:`, {kind: super_brand_day, brand: B, creators: [ids] | top_creators: N} or {kind: brand_strategy,
/// brand: B, ad_share: .., sponsorship_share: .., content_share: .., live_share: .., budget: ..}.
TimelineEvent read_event(const std::string& source, const YAML::Node& node, const std::string& name) {
  const std::string shown = std::string(name).append(".event");
  if (!node.IsMap())
    fail(yaml_where(source, node.Mark()), shown,
         std::string("expected a mapping with 'kind' and its keys, got ").append(yaml_node_kind(node)));
  static const std::vector<std::string> kKinds = {std::string(kSuperBrandDay), std::string(kBrandStrategy),
                                                  std::string(kShift), std::string(kScaleBudget)};
  static const std::vector<std::string> kShares = {"ad_share", "sponsorship_share", "content_share", "live_share"};
  TimelineEvent event;
  event.where = yaml_where(source, node.Mark());
  const YAML::Node kind = node["kind"];
  if (!kind)
    fail(event.where, shown,
         "missing 'kind': the kind of event (super_brand_day, brand_strategy, shift or scale_budget)");
  if (!kind.IsScalar() || std::find(kKinds.begin(), kKinds.end(), kind.Scalar()) == kKinds.end())
    fail(yaml_where(source, kind.Mark()), std::string(shown).append(".kind"),
         std::string("expected one of: super_brand_day|brand_strategy|shift|scale_budget, got ")
             .append(kind.IsScalar() ? "'" + kind.Scalar() + "'" : yaml_node_kind(kind))
             .append(kind.IsScalar() ? suggestion(kind.Scalar(), kKinds) : ""));
  event.kind = kind.Scalar();
  const bool super_day = event.kind == kSuperBrandDay;
  std::vector<std::string> keys = {"kind", "brand"};
  if (super_day)
    keys.insert(keys.end(), {"creators", "top_creators"});
  else if (event.kind == kShift)
    keys.insert(keys.end(), {"from", "to", "fraction"});
  else if (event.kind == kScaleBudget)
    keys.insert(keys.end(), {"factor"});
  else
    keys.insert(keys.end(), {"ad_share", "sponsorship_share", "content_share", "live_share", "budget"});
  const std::vector<std::string> lines(kBudgetLineKeys.begin(), kBudgetLineKeys.end());
  std::set<std::string> seen;
  for (const auto& item : node) {
    const std::string key = item.first.IsScalar() ? item.first.Scalar() : "?";
    const std::string path = std::string(shown).append(".").append(key);
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
      fail(yaml_where(source, item.first.Mark()), path,
           std::string("unknown key for ").append(event.kind).append(suggestion(key, keys)));
    if (!seen.insert(key).second) fail(yaml_where(source, item.first.Mark()), path, "duplicate key");
    const YAML::Node& value = item.second;
    const std::string where = yaml_where(source, (value.IsNull() ? item.first : value).Mark());
    if (key == "kind") continue;
    if (key == "brand") {
      // A name (of actors.brands, resolved once the whole scenario is read) or an id.
      if (value.IsScalar() && !value.Scalar().empty() && std::isalpha(static_cast<unsigned char>(value.Scalar()[0])))
        event.brand_name = value.Scalar();
      else
        event.brand = read_count(source, value, item.first, path, "a brand id");
      event.brand_where = where;
    } else if (key == "top_creators") {
      event.top_creators = read_count(source, value, item.first, path, "a number of creators");
      if (event.top_creators == 0) fail(where, path, "expected at least 1 creator, got 0");
      event.top_where = where;
    } else if (key == "creators") {
      if (!value.IsSequence() || value.size() == 0)
        fail(where, path, std::string("expected a non-empty list of creator ids, got ").append(yaml_node_kind(value)));
      for (std::size_t k = 0; k < value.size(); ++k) {
        const std::string element = std::string(path).append("[").append(std::to_string(k)).append("]");
        const std::int64_t id = read_count(source, value[k], value[k], element, "a creator id");
        if (std::find(event.creators.begin(), event.creators.end(), id) != event.creators.end())
          fail(yaml_where(source, value[k].Mark()), element,
               std::string("creator ").append(std::to_string(id)).append(" is named twice"));
        event.creators.push_back(id);
      }
      event.creators_where = where;
    } else if (key == "budget") {
      event.budget = read_number(source, value, path, 0, 1e12);
    } else if (key == "from" || key == "to") {
      const auto line = value.IsScalar() ? std::find(lines.begin(), lines.end(), value.Scalar()) : lines.end();
      if (line == lines.end())
        fail(where, path,
             std::string("expected a budget line, one of: ads|sponsorship|content|live, got ")
                 .append(value.IsScalar() ? "'" + value.Scalar() + "'" : yaml_node_kind(value))
                 .append(value.IsScalar() ? suggestion(value.Scalar(), lines) : ""));
      (key == "from" ? event.from_line : event.to_line) = line - lines.begin();
    } else if (key == "fraction") {
      event.fraction = read_number(source, value, path, 0, 1);
    } else if (key == "factor") {
      event.factor = read_number(source, value, path, 0, 1e6);
    } else {
      const auto k = static_cast<std::size_t>(std::find(kShares.begin(), kShares.end(), key) - kShares.begin());
      event.shares[k] = read_number(source, value, path, 0, 1);
    }
  }
  if (!seen.count("brand"))
    fail(event.where, shown,
         std::string("missing 'brand': the brand whose ")
             .append(super_day ? "super brand day it is" : "strategy changes"));
  if (super_day && seen.count("creators") == seen.count("top_creators"))
    fail(event.where, shown,
         "give either 'creators' (a list of hosts) or 'top_creators' (how many), not both or neither");
  if (event.kind == kShift) {
    for (const char* key : {"from", "to", "fraction"})
      if (!seen.count(key))
        fail(event.where, shown,
             std::string("missing '").append(key).append("': a shift gives from, to (budget lines) and fraction"));
    if (event.from_line == event.to_line)
      fail(event.where, shown, "'from' and 'to' are the same budget line; a shift moves money between two lines");
  } else if (event.kind == kScaleBudget) {
    if (!seen.count("factor"))
      fail(event.where, shown, "missing 'factor': what the brand's daily budget is multiplied by");
  } else if (!super_day) {
    for (const std::string& share : kShares)
      if (!seen.count(share))
        fail(event.where, shown,
             std::string("missing '").append(share).append("': a brand_strategy gives all four budget shares"));
    const double sum = event.shares[0] + event.shares[1] + event.shares[2] + event.shares[3];
    if (sum > 1 + 1e-12) {
      char text[32];
      std::snprintf(text, sizeof text, "%g", sum);
      fail(event.where, shown, std::string("the four shares must sum to at most 1, got ").append(text));
    }
  }
  return event;
}

TimelineEntry read_entry(const std::string& source, const YAML::Node& node, const std::string& name) {
  if (!node.IsMap())
    fail(yaml_where(source, node.Mark()), name,
         std::string("expected a mapping with 'at' (or 'from' and 'until') and 'set' or 'event', got ")
             .append(yaml_node_kind(node)));
  static const std::vector<std::string> kKeys = {"at", "from", "until", "label", "set", "event"};
  std::map<std::string, std::pair<YAML::Node, YAML::Node>> found;  // key -> (key node, value node)
  for (const auto& item : node) {
    const std::string key = item.first.IsScalar() ? item.first.Scalar() : "?";
    const std::string shown = std::string(name).append(".").append(key);
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end())
      fail(yaml_where(source, item.first.Mark()), shown, std::string("unknown key").append(suggestion(key, kKeys)));
    if (!found.emplace(key, std::make_pair(item.first, item.second)).second)
      fail(yaml_where(source, item.first.Mark()), shown, "duplicate key");
  }
  TimelineEntry entry;
  entry.where = yaml_where(source, node.Mark());
  const bool at = found.count("at"), from = found.count("from"), until = found.count("until");
  if (at && (from || until)) fail(entry.where, name, "give either 'at' or 'from' and 'until', not both");
  if (!at && !from && !until) fail(entry.where, name, "missing 'at' (or 'from' and 'until'): when the change happens");
  if (from != until)
    fail(entry.where, name, from ? "'from' needs 'until': the tick the window ends on" : "'until' needs 'from'");
  const auto& [start_key, start] = found.at(at ? "at" : "from");
  entry.from = read_count(source, start, start_key, std::string(name).append(at ? ".at" : ".from"), "a tick");
  entry.from_where = yaml_where(source, start.Mark());
  if (until) {
    const auto& [end_key, end] = found.at("until");
    entry.until = read_count(source, end, end_key, std::string(name).append(".until"), "a tick");
    entry.until_where = yaml_where(source, end.Mark());
    if (entry.until <= entry.from)
      fail(entry.until_where, std::string(name).append(".until"),
           std::string("must be after from (")
               .append(std::to_string(entry.from))
               .append("), got ")
               .append(std::to_string(entry.until)));
  }
  if (found.count("label")) {
    const YAML::Node& label = found.at("label").second;
    if (!label.IsNull() && !label.IsScalar())
      fail(yaml_where(source, label.Mark()), std::string(name).append(".label"),
           std::string("expected text, got ").append(yaml_node_kind(label)));
    if (label.IsScalar()) entry.label = label.Scalar();
  }
  if (found.count("event")) {
    const auto& [event_key, event] = found.at("event");
    if (event.IsNull())
      fail(yaml_where(source, event_key.Mark()), std::string(name).append(".event"), "expected a mapping, got nothing");
    entry.event.push_back(read_event(source, event, name));
    if (entry.event.back().kind == kBrandStrategy && entry.is_window())
      fail(entry.where, std::string(name).append(".event"),
           "a brand_strategy holds from its tick on: give 'at', not a window");
    if (!found.count("set")) return entry;
  }
  if (!found.count("set") || found.at("set").second.IsNull())
    fail(found.count("set") ? yaml_where(source, found.at("set").first.Mark()) : entry.where, name,
         "missing 'set' or 'event': the parameters to change, or the event to trigger");
  const YAML::Node& set = found.at("set").second;
  const std::string shown = std::string(name).append(".set");
  if (!set.IsMap())
    fail(yaml_where(source, set.Mark()), shown,
         std::string("expected a mapping of parameter paths to values, got ").append(yaml_node_kind(set)));
  std::set<std::string> seen;
  read_set(source, set, shown, "", entry.set, seen);
  if (entry.set.empty()) fail(yaml_where(source, set.Mark()), shown, "sets nothing; expected at least one parameter");
  return entry;
}

}  // namespace

std::vector<TimelineEntry> read_timeline(const YAML::Node& node, const std::string& source) {
  std::vector<TimelineEntry> timeline;
  if (node.IsNull()) return timeline;
  if (!node.IsSequence())
    fail(yaml_where(source, node.Mark()), "timeline",
         std::string("expected a list of entries, each with 'at' (or 'from' and 'until') and 'set' or 'event', got ")
             .append(yaml_node_kind(node)));
  for (std::size_t i = 0; i < node.size(); ++i)
    timeline.push_back(read_entry(source, node[i], std::string("timeline[").append(std::to_string(i)).append("]")));
  return timeline;
}

std::vector<TimelineSetting> expanded_settings(const TimelineEntry& entry) {
  std::vector<TimelineSetting> out;
  auto set_explicitly = [&](std::string_view path) {
    return std::any_of(entry.set.begin(), entry.set.end(), [&](const TimelineSetting& s) { return s.path == path; });
  };
  for (const TimelineSetting& setting : entry.set) {
    if (setting.path != "platform.preset") continue;
    for (const PresetSetting& preset : find_preset(setting.value)->settings) {
      if (set_explicitly(preset.path)) continue;
      std::string message;
      out.push_back(
          {std::string(preset.path), normalised(*find_spec(preset.path), preset.value, message), setting.where});
    }
  }
  out.insert(out.end(), entry.set.begin(), entry.set.end());
  return out;
}

std::vector<TimelineChange> timeline_changes(const std::vector<TimelineEntry>& timeline, const Params& base) {
  struct Action {
    std::int64_t tick;
    bool starts;  // false: a window ends
    std::uint32_t entry;
  };
  std::vector<Action> actions;
  std::vector<std::vector<TimelineSetting>> settings;
  for (std::uint32_t i = 0; i < timeline.size(); ++i) {
    settings.push_back(expanded_settings(timeline[i]));
    actions.push_back({timeline[i].from, true, i});
    if (timeline[i].is_window()) actions.push_back({timeline[i].until, false, i});
  }
  std::sort(actions.begin(), actions.end(), [](const Action& a, const Action& b) {
    if (a.tick != b.tick) return a.tick < b.tick;
    if (a.starts != b.starts) return !a.starts;  // ends first, so a window can follow another on the same tick
    return a.starts ? a.entry < b.entry : a.entry > b.entry;
  });
  // Per parameter, the changes still in force, in the order made: (entry, value).
  std::map<std::string, std::vector<std::pair<std::uint32_t, std::string>>> in_force;
  std::vector<TimelineChange> changes;
  for (const Action& action : actions) {
    const Tick tick = static_cast<Tick>(action.tick);
    for (const TimelineSetting& setting : settings[action.entry]) {
      auto& layers = in_force[setting.path];
      if (action.starts) {
        layers.emplace_back(action.entry, setting.value);
        changes.push_back({tick, action.entry, true, setting.path, setting.value});
        continue;
      }
      std::erase_if(layers, [&](const auto& layer) { return layer.first == action.entry; });
      std::string value = layers.empty() ? value_text(*find_spec(setting.path), base) : layers.back().second;
      changes.push_back({tick, action.entry, false, setting.path, std::move(value)});
    }
  }
  return changes;
}

void check_timeline(const Scenario& scenario) {
  const std::int64_t days = scenario.params.run.days;
  for (std::size_t i = 0; i < scenario.timeline.size(); ++i) {
    const TimelineEntry& entry = scenario.timeline[i];
    const std::string name = std::string("timeline[").append(std::to_string(i)).append("]");
    const std::string days_note = std::string(" (run.days is ").append(std::to_string(days)).append("), got ");
    if (entry.from >= days)
      fail(entry.from_where, std::string(name).append(entry.is_window() ? ".from" : ".at"),
           std::string("expected a tick in [0, ")
               .append(std::to_string(days - 1))
               .append("]")
               .append(days_note)
               .append(std::to_string(entry.from)));
    if (entry.is_window() && entry.until > days)
      fail(entry.until_where, std::string(name).append(".until"),
           std::string("expected a tick in [")
               .append(std::to_string(entry.from + 1))
               .append(", ")
               .append(std::to_string(days))
               .append("]")
               .append(days_note)
               .append(std::to_string(entry.until)));
  }
  // Events name brands and creators of the population.
  const Params& p = scenario.params;
  for (std::size_t i = 0; i < scenario.timeline.size(); ++i)
    for (const TimelineEvent& event : scenario.timeline[i].event) {
      const std::string name = std::string("timeline[").append(std::to_string(i)).append("].event");
      if (event.brand >= p.population.brands)
        fail(event.brand_where, std::string(name).append(".brand"),
             std::string("expected a brand id in [0, ")
                 .append(std::to_string(p.population.brands - 1))
                 .append("] (population.brands is ")
                 .append(std::to_string(p.population.brands))
                 .append("), got ")
                 .append(std::to_string(event.brand)));
      for (std::size_t k = 0; k < event.creators.size(); ++k)
        if (event.creators[k] >= p.population.creators)
          fail(event.creators_where, std::string(name).append(".creators[").append(std::to_string(k)).append("]"),
               std::string("expected a creator id in [0, ")
                   .append(std::to_string(p.population.creators - 1))
                   .append("] (population.creators is ")
                   .append(std::to_string(p.population.creators))
                   .append("), got ")
                   .append(std::to_string(event.creators[k])));
      if (event.top_creators > p.population.creators)
        fail(event.top_where, std::string(name).append(".top_creators"),
             std::string("expected at most population.creators (")
                 .append(std::to_string(p.population.creators))
                 .append("), got ")
                 .append(std::to_string(event.top_creators)));
    }
  // The rules across parameters must hold after every tick's changes.
  Scenario probe = scenario;
  const std::vector<TimelineChange> changes = timeline_changes(scenario.timeline, scenario.params);
  for (std::size_t k = 0; k < changes.size(); ++k) {
    const TimelineChange& change = changes[k];
    assign_from_text(*find_spec(change.path), probe.params, change.value);
    if (k + 1 < changes.size() && changes[k + 1].tick == change.tick) continue;
    try {
      check_parameter_rules(probe);
    } catch (const InputError& error) {
      std::string message = error.what();
      const std::string prefix = scenario.source + ": ";
      if (message.starts_with(prefix)) message.erase(0, prefix.size());
      const TimelineEntry& entry = scenario.timeline[change.entry];
      fail(entry.where, std::string("timeline[").append(std::to_string(change.entry)).append("]"),
           std::string("at tick ").append(std::to_string(change.tick)).append(", ").append(message));
    }
  }
}

std::vector<TimelineEvent> events_on(const std::vector<TimelineEntry>& timeline, std::int64_t tick) {
  std::vector<TimelineEvent> today;
  for (std::uint32_t i = static_cast<std::uint32_t>(timeline.size()); i-- > 0;)  // windows that end, latest first
    for (const TimelineEvent& event : timeline[i].event)
      if (holds(event.kind) && timeline[i].is_window() && timeline[i].until == tick) {
        today.push_back(event);
        today.back().entry = i;
        today.back().ending = true;
      }
  for (std::uint32_t i = 0; i < timeline.size(); ++i) {
    const TimelineEntry& entry = timeline[i];
    const bool due = entry.is_window() && !std::all_of(entry.event.begin(), entry.event.end(),
                                                       [](const TimelineEvent& e) { return holds(e.kind); })
                         ? entry.from <= tick && tick < entry.until
                         : entry.from == tick;
    if (due)
      for (const TimelineEvent& event : entry.event) {
        today.push_back(event);
        today.back().entry = i;
      }
  }
  return today;
}

std::string describe(const TimelineEvent& event) {
  std::string text = event.brand_name.empty() ? std::string("brand ").append(std::to_string(event.brand))
                                              : std::string("brand ").append(event.brand_name);
  if (event.kind == kShift) {
    char amount[96];
    std::snprintf(amount, sizeof amount, ", %g of %s to %s", event.fraction,
                  std::string(kBudgetLineKeys[std::size_t(event.from_line)]).c_str(),
                  std::string(kBudgetLineKeys[std::size_t(event.to_line)]).c_str());
    return text.append(amount).append(event.ending ? ", undone" : "");
  }
  if (event.kind == kScaleBudget) {
    char amount[64];
    std::snprintf(amount, sizeof amount, ", budget x %g", event.factor);
    return text.append(amount).append(event.ending ? ", undone" : "");
  }
  if (event.kind == kBrandStrategy) {
    char shares[160];
    std::snprintf(shares, sizeof shares, ", shares ads %g, sponsorship %g, content %g, live %g", event.shares[0],
                  event.shares[1], event.shares[2], event.shares[3]);
    text.append(shares);
    if (event.budget >= 0) {
      std::snprintf(shares, sizeof shares, ", budget %g", event.budget);
      text.append(shares);
    }
    return text;
  }
  if (event.top_creators > 0)
    return text.append(", top ").append(std::to_string(event.top_creators)).append(" creators");
  text.append(", hosts");
  for (std::int64_t creator : event.creators) text.append(" ").append(std::to_string(creator));
  return text;
}

std::string timeline_yaml(const std::vector<TimelineEntry>& timeline) {
  if (timeline.empty()) return "";
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "timeline" << YAML::Value << YAML::BeginSeq;
  for (const TimelineEntry& entry : timeline) {
    out << YAML::BeginMap;
    if (entry.is_window())
      out << YAML::Key << "from" << YAML::Value << entry.from << YAML::Key << "until" << YAML::Value << entry.until;
    else
      out << YAML::Key << "at" << YAML::Value << entry.from;
    if (!entry.label.empty()) out << YAML::Key << "label" << YAML::Value << YAML::DoubleQuoted << entry.label;
    for (const TimelineEvent& event : entry.event) {
      out << YAML::Key << "event" << YAML::Value << YAML::BeginMap;
      out << YAML::Key << "kind" << YAML::Value << YAML::DoubleQuoted << event.kind;
      out << YAML::Key << "brand" << YAML::Value << event.brand;
      if (event.kind == kShift) {
        out << YAML::Key << "from" << YAML::Value << std::string(kBudgetLineKeys[std::size_t(event.from_line)]);
        out << YAML::Key << "to" << YAML::Value << std::string(kBudgetLineKeys[std::size_t(event.to_line)]);
        out << YAML::Key << "fraction" << YAML::Value << real_text(event.fraction);
      } else if (event.kind == kScaleBudget) {
        out << YAML::Key << "factor" << YAML::Value << real_text(event.factor);
      } else if (event.kind == kBrandStrategy) {
        static const char* kShareKeys[] = {"ad_share", "sponsorship_share", "content_share", "live_share"};
        for (std::size_t k = 0; k < 4; ++k)
          out << YAML::Key << kShareKeys[k] << YAML::Value << real_text(event.shares[k]);
        if (event.budget >= 0) out << YAML::Key << "budget" << YAML::Value << real_text(event.budget);
      } else if (event.top_creators > 0)
        out << YAML::Key << "top_creators" << YAML::Value << event.top_creators;
      else
        out << YAML::Key << "creators" << YAML::Value << YAML::Flow << event.creators;
      out << YAML::EndMap;
    }
    if (entry.set.empty()) {
      out << YAML::EndMap;
      continue;
    }
    out << YAML::Key << "set" << YAML::Value << YAML::BeginMap;
    for (const TimelineSetting& setting : entry.set) {
      const Kind kind = find_spec(setting.path)->kind;
      out << YAML::Key << setting.path << YAML::Value;
      if (kind == Kind::Text || kind == Kind::Choice)
        out << YAML::DoubleQuoted << setting.value;
      else
        out << setting.value;
    }
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()).append("\n");
}

namespace {

struct KnobKey {
  std::string_view key;
  bool integer;
  double lo, hi;
};
// The ranges read_timeline and read_event check.
constexpr std::array<KnobKey, 11> kKnobKeys = {{{"at", true, 0, 1e9},
                                                {"from", true, 0, 1e9},
                                                {"until", true, 1, 1e9},
                                                {"event.fraction", false, 0, 1},
                                                {"event.factor", false, 0, 1e6},
                                                {"event.budget", false, 0, 1e12},
                                                {"event.ad_share", false, 0, 1},
                                                {"event.sponsorship_share", false, 0, 1},
                                                {"event.content_share", false, 0, 1},
                                                {"event.live_share", false, 0, 1},
                                                {"event.top_creators", true, 1, 1e9}}};

}  // namespace

bool is_timeline_path(std::string_view path) { return path.substr(0, 9) == "timeline["; }

TimelineKnob timeline_knob(std::string_view path, const std::string& where) {
  const std::string shown(path);
  const auto close = path.find(']');
  auto bad = [&](const std::string& message) { throw InputError(where + ": " + shown + ": " + message); };
  if (!is_timeline_path(path) || close == std::string_view::npos || close == 9 || close + 1 >= path.size() ||
      path[close + 1] != '.')
    bad("expected timeline[i].KEY, e.g. timeline[0].event.fraction or timeline[1].at");
  TimelineKnob knob;
  const std::string index(path.substr(9, close - 9));
  if (index.find_first_not_of("0123456789") != std::string::npos || index.size() > 6)
    bad("expected an entry number in timeline[i], got '" + index + "'");
  knob.entry = std::stoul(index);
  knob.key = std::string(path.substr(close + 2));
  std::vector<std::string> keys;
  for (const KnobKey& k : kKnobKeys) {
    keys.emplace_back(k.key);
    if (k.key == knob.key) {
      knob.integer = k.integer;
      knob.lo = k.lo;
      knob.hi = k.hi;
      return knob;
    }
  }
  bad("not a number of a timeline entry" + did_you_mean(knob.key, keys));
  return knob;
}

void set_timeline_knob(Scenario& scenario, std::string_view path, std::string_view text, const std::string& where) {
  const TimelineKnob knob = timeline_knob(path, where);
  const std::string shown(path);
  auto bad = [&](const std::string& message) { throw InputError(where + ": " + shown + ": " + message); };
  if (knob.entry >= scenario.timeline.size())
    bad("the scenario's timeline has " + std::to_string(scenario.timeline.size()) + " entr" +
        (scenario.timeline.size() == 1 ? "y" : "ies"));
  const std::string value(text);
  char* end = nullptr;
  const double number = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !std::isfinite(number) || number < knob.lo || number > knob.hi ||
      (knob.integer && number != std::floor(number))) {
    char range[96];
    std::snprintf(range, sizeof range, "%s in [%g, %g]", knob.integer ? "an integer" : "a number", knob.lo, knob.hi);
    bad(std::string("expected ") + range + ", got '" + value + "'");
  }
  TimelineEntry& entry = scenario.timeline[knob.entry];
  const auto day = static_cast<std::int64_t>(number);
  if (knob.key == "at" || knob.key == "from") {
    if (entry.is_window() != (knob.key == "from"))
      bad(entry.is_window() ? "the entry is a window: set its from and until" : "the entry has 'at', not a window");
    if (entry.is_window() && day >= entry.until)
      bad("from must be before the window's until (" + std::to_string(entry.until) + "), got " + value);
    entry.from = day;
    entry.from_where = where;
    return;
  }
  if (knob.key == "until") {
    if (!entry.is_window()) bad("the entry has 'at', not a window");
    if (day <= entry.from)
      bad("until must be after the window's from (" + std::to_string(entry.from) + "), got " + value);
    entry.until = day;
    entry.until_where = where;
    return;
  }
  if (entry.event.empty()) bad("the entry triggers no event");
  TimelineEvent& event = entry.event.front();
  const std::string name = knob.key.substr(6);  // after "event."
  auto need = [&](std::string_view kind) {
    if (event.kind != kind)
      bad("the entry's event is a " + event.kind + ", which has no " + name + " (a " + std::string(kind) + " has)");
  };
  if (name == "fraction") {
    need(kShift);
    event.fraction = number;
  } else if (name == "factor") {
    need(kScaleBudget);
    event.factor = number;
  } else if (name == "budget") {
    need(kBrandStrategy);
    event.budget = number;
  } else if (name == "top_creators") {
    need(kSuperBrandDay);
    if (!event.creators.empty()) bad("the super brand day names its hosts (creators), not top_creators");
    event.top_creators = day;
    event.top_where = where;
  } else {
    need(kBrandStrategy);
    static constexpr std::array<std::string_view, 4> kShareKeys = {"ad_share", "sponsorship_share", "content_share",
                                                                   "live_share"};
    const auto k = static_cast<std::size_t>(std::find(kShareKeys.begin(), kShareKeys.end(), name) - kShareKeys.begin());
    event.shares[k] = number;
    const double sum = event.shares[0] + event.shares[1] + event.shares[2] + event.shares[3];
    if (sum > 1 + 1e-12) {
      char text_sum[32];
      std::snprintf(text_sum, sizeof text_sum, "%g", sum);
      bad(std::string("the event's four shares must sum to at most 1, got ") + text_sum);
    }
  }
}

}  // namespace fanflow::params
