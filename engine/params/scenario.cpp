// Scenario reading with yaml-cpp: every message names file:line:column and the key path.
#include "params/scenario.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "core/error.hpp"
#include "params/default_scenario.hpp"
#include "params/presets.hpp"
#include "params/yaml_text.hpp"

namespace fanflow::params {
namespace {

std::vector<std::string> known_keys() {
  std::vector<std::string> keys;
  for (const SectionSpec& section : all_sections()) keys.emplace_back(section.name);
  keys.emplace_back("timeline");
  keys.emplace_back("actors");
  for (const Spec& spec : all_specs()) keys.emplace_back(spec.path);
  return keys;
}

std::string did_you_mean(std::string_view key) { return params::did_you_mean(key, known_keys()); }

void read_section(const std::string& source, const std::string& section, const YAML::Node& body, Params& params,
                  std::vector<std::pair<std::string, std::string>>& assigned) {
  if (body.IsNull()) return;  // "section:" with nothing under it sets nothing
  if (!body.IsMap())
    yaml_fail(source, body.Mark(), section, "expected a mapping of parameters, got " + yaml_node_kind(body));
  std::set<std::string> seen;
  for (const auto& entry : body) {
    const YAML::Node& key = entry.first;
    const YAML::Node& value = entry.second;
    std::string name = key.IsScalar() ? key.Scalar() : "?";
    std::string path = section + "." + name;
    if (!seen.insert(name).second) yaml_fail(source, key.Mark(), path, "duplicate key");
    const Spec* spec = find_spec(path);
    if (!spec) yaml_fail(source, key.Mark(), path, "unknown key" + did_you_mean(path));
    if (!value.IsScalar()) {
      yaml_fail(source, value.IsNull() ? key.Mark() : value.Mark(), path,
                std::string("expected ")
                    .append(spec->kind == Kind::Int    ? "an integer in "
                            : spec->kind == Kind::Real ? "a number in "
                                                       : "")
                    .append(allowed_text(*spec))
                    .append(", got ")
                    .append(yaml_node_kind(value)));
    }
    std::string message = assign_from_text(*spec, params, value.Scalar());
    if (!message.empty()) yaml_fail(source, value.Mark(), path, message);
    assigned.emplace_back(path, value.Scalar());
  }
}

// Resolves the parameters in order: defaults -> the platform preset named (last) -> every assigned value, in
// order. So a preset's values are overridden by the scenario's own keys and --set, whatever the order.
void resolve_preset(Scenario& scenario) {
  Params named;
  for (const auto& [path, value] : scenario.assigned) assign_from_text(*find_spec(path), named, value);
  Params params;
  apply_preset(params, named.platform.preset);
  for (const auto& [path, value] : scenario.assigned) assign_from_text(*find_spec(path), params, value);
  scenario.params = params;
}

bool names_preset(const Scenario& scenario) {
  for (const auto& entry : scenario.assigned)
    if (entry.first == "platform.preset") return true;
  return false;
}

}  // namespace

Scenario load_scenario_text(std::string_view yaml_text, std::string source, std::filesystem::path base_dir) {
  Scenario scenario;
  scenario.source = std::move(source);
  scenario.base_dir = std::move(base_dir);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& error) {
    yaml_fail(scenario.source, error.mark, "", "malformed YAML: " + error.msg);
  }
  if (root.IsNull())
    throw InputError(scenario.source + ": the scenario is empty; expected a mapping of sections such as 'population:'");
  if (!root.IsMap())
    yaml_fail(scenario.source, root.Mark(), "",
              "expected a mapping of sections such as 'population:', got " + yaml_node_kind(root));
  std::set<std::string> seen;
  for (const auto& entry : root) {
    const YAML::Node& key = entry.first;
    std::string name = key.IsScalar() ? key.Scalar() : "?";
    if (!seen.insert(name).second) yaml_fail(scenario.source, key.Mark(), name, "duplicate section");
    if (name == "timeline") {
      scenario.timeline = read_timeline(entry.second, scenario.source);
      continue;
    }
    if (name == "actors") {
      scenario.actors = read_actors(entry.second, scenario.source);
      continue;
    }
    bool is_section = false;
    for (const SectionSpec& section : all_sections()) is_section |= section.name == name;
    if (!is_section) yaml_fail(scenario.source, key.Mark(), name, "unknown key" + did_you_mean(name));
    read_section(scenario.source, name, entry.second, scenario.params, scenario.assigned);
  }
  if (names_preset(scenario)) resolve_preset(scenario);
  resolve_actor_names(scenario);
  return scenario;
}

Scenario load_scenario_file(const std::filesystem::path& path) {
  return load_scenario_text(read_yaml_file(path, "scenario file"), path.string(), path.parent_path());
}

Scenario default_scenario() {
  return load_scenario_text(kDefaultScenarioYaml, "<default scenario>", std::filesystem::current_path());
}

void apply_override(Scenario& scenario, std::string_view assignment) {
  std::string origin = std::string("--set ").append(assignment);
  auto equals = assignment.find('=');
  if (equals == std::string_view::npos || equals == 0) throw InputError(origin + ": expected section.key=value");
  std::string path(assignment.substr(0, equals));
  if (is_timeline_path(path)) {  // a timeline entry's day or amount (params/timeline.hpp)
    set_timeline_knob(scenario, path, assignment.substr(equals + 1), origin);  // to_yaml writes the new value
    return;
  }
  const Spec* spec = find_spec(path);
  if (!spec) throw InputError(origin + ": " + path + ": unknown key" + did_you_mean(path));
  std::string message = assign_from_text(*spec, scenario.params, assignment.substr(equals + 1));
  if (!message.empty()) throw InputError(origin + ": " + path + ": " + message);
  scenario.assigned.emplace_back(path, std::string(assignment.substr(equals + 1)));
  if (path == "platform.preset") resolve_preset(scenario);
}

void check_consistency(const Scenario& scenario) {
  check_parameter_rules(scenario);
  check_actors(scenario);
  check_timeline(scenario);
}

void check_parameter_rules(const Scenario& scenario) {
  const Params& p = scenario.params;
  auto fail_key = [&](std::string_view key, const std::string& message) {
    throw InputError(scenario.source + ": " + std::string(key) + ": " + message);
  };
  if (p.graph.kind == "edge_list" && p.graph.edge_file.empty())
    fail_key("graph.edge_file", "required when graph.kind is edge_list");
  if (p.graph.kind != "edge_list" && p.population.users > 1 &&
      p.graph.mean_degree > static_cast<double>(p.population.users - 1))
    fail_key("graph.mean_degree",
             std::string("must be at most population.users - 1 (").append(std::to_string(p.population.users - 1)) +
                 "), got " + value_text(*find_spec("graph.mean_degree"), p));
  if (p.graph.kind == "stochastic_block" && p.graph.communities > std::max<std::int64_t>(1, p.population.users))
    fail_key("graph.communities", "must be at most population.users");
  if (static_cast<double>(p.users.attention_max) < p.users.attention_mean)
    fail_key("users.attention_max", "must be at least users.attention_mean");
  auto check_budget_shares = [&](const char* key, const char* prefix, double shares) {
    if (shares <= 1 + 1e-12) return;
    char sum[32];
    std::snprintf(sum, sizeof sum, "%g", shares);
    fail_key(key, std::string("brands.")
                      .append(prefix)
                      .append("ad_share + sponsorship_share + content_share + live_share must be at most 1, got ")
                      .append(sum));
  };
  check_budget_shares("brands.live_share", "",
                      p.brands.ad_share + p.brands.sponsorship_share + p.brands.content_share + p.brands.live_share);
  check_budget_shares("brands.established_live_share", "established_",
                      p.brands.established_ad_share + p.brands.established_sponsorship_share +
                          p.brands.established_content_share + p.brands.established_live_share);
}

std::string to_yaml(const Params& params) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  for (const SectionSpec& section : all_sections()) {
    out << YAML::Key << std::string(section.name) << YAML::Value << YAML::BeginMap;
    for (const Spec& spec : all_specs()) {
      if (spec.section != section.name) continue;
      out << YAML::Key << std::string(spec.name) << YAML::Value;
      std::string text = value_text(spec, params);
      if (spec.kind == Kind::Text || spec.kind == Kind::Choice)
        out << YAML::DoubleQuoted << text;
      else
        out << text;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string to_yaml(const Scenario& scenario) {
  return to_yaml(scenario.params) + actors_yaml(scenario.actors) + timeline_yaml(scenario.timeline);
}

std::filesystem::path resolve_path(const Scenario& scenario, const std::string& path) {
  std::filesystem::path p(path);
  return p.is_absolute() ? p : scenario.base_dir / p;
}

std::string fork_difference(const Scenario& baseline, const Scenario& plan, std::int64_t day) {
  // The entries starting before `day`, which must be a prefix of the timeline (entry indices name entries).
  auto before = [day](const Scenario& scenario, std::string& problem) {
    Scenario kept = scenario;
    std::size_t prefix = 0;
    while (prefix < kept.timeline.size() && kept.timeline[prefix].from < day) ++prefix;
    for (std::size_t i = prefix; i < kept.timeline.size(); ++i)
      if (kept.timeline[i].from < day)
        problem = scenario.source + ": timeline[" + std::to_string(i) + "] starts on day " +
                  std::to_string(kept.timeline[i].from) + ", before the fork, but after an entry that starts later; " +
                  "list the entries that start before day " + std::to_string(day) + " first";
    kept.timeline.resize(prefix);
    return kept;
  };
  std::string problem;
  const std::string a = to_yaml(before(baseline, problem)), b = to_yaml(before(plan, problem));
  if (!problem.empty()) return problem;
  if (a == b) return "";
  std::size_t at = 0, line = 1;
  while (at < a.size() && at < b.size() && a[at] == b[at]) line += a[at++] == '\n';
  const auto line_of = [&](const std::string& text) {
    const std::size_t begin = text.rfind('\n', at == 0 ? 0 : at - 1), end = text.find('\n', at);
    return text.substr(
        begin == std::string::npos ? 0 : begin + 1,
        end == std::string::npos ? std::string::npos : end - (begin == std::string::npos ? 0 : begin + 1));
  };
  const auto shown = [&](const std::string& text) {
    const std::string one = line_of(text);
    return one.empty() ? std::string("nothing") : "'" + one + "'";
  };
  return "the plan differs from the baseline before day " + std::to_string(day) + " (resolved scenario line " +
         std::to_string(line) + ": " + shown(a) + " in the baseline, " + shown(b) +
         " in the plan); a fork needs both to agree until then";
}

}  // namespace fanflow::params
