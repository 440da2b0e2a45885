// Reading scenarios: YAML files or text into Params, --set overrides, cross-parameter checks, resolved YAML.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "params/actors.hpp"
#include "params/params.hpp"
#include "params/timeline.hpp"

namespace fanflow::params {

/// A scenario: parameter values plus where they came from.
struct Scenario {
  Params params;                   ///< every parameter, defaults where the scenario is silent
  std::string source;              ///< file path as given, or "<default scenario>"
  std::filesystem::path base_dir;  ///< folder that relative paths in the scenario are resolved against
  /// Changes during the run (`timeline:`), in the order written; `--set` does not touch them.
  std::vector<TimelineEntry> timeline;
  /// Named brands (`actors:`), the focal ones among them; `--set` does not touch them.
  Actors actors;
  /// (path, value text) of every parameter the file and then --set named, in order: what is applied again over
  /// a new platform.preset (resolution: defaults -> preset -> scenario file -> --set).
  std::vector<std::pair<std::string, std::string>> assigned;
};

/// Reads a scenario file and checks every value's kind and range; check_consistency() runs after any
/// --set overrides. Throws InputError "file:line:col: key.path: message" on any problem.
Scenario load_scenario_file(const std::filesystem::path& path);

/// Reads and checks scenario text; `source` names it in messages.
Scenario load_scenario_text(std::string_view yaml_text, std::string source, std::filesystem::path base_dir);

/// The built-in default scenario (scenarios/default.yaml at build time).
Scenario default_scenario();

/// Applies one `section.key=value` override with the same checks as the file; throws InputError.
void apply_override(Scenario& scenario, std::string_view assignment);

/// Checks rules that involve several parameters (e.g. an edge file is needed for graph.kind edge_list), then
/// the timeline (check_timeline: tick ranges, and the same rules after every tick's changes).
/// Throws InputError naming the source and the key.
void check_consistency(const Scenario& scenario);

/// The rules across parameters alone, on scenario.params (not the timeline). Throws InputError.
void check_parameter_rules(const Scenario& scenario);

/// The fully resolved scenario as YAML text: every parameter, section by section.
std::string to_yaml(const Params& params);

/// The fully resolved scenario with its timeline (when it has one): what /provenance/scenario records.
std::string to_yaml(const Scenario& scenario);

/// Resolves graph.edge_file against the scenario's folder.
std::filesystem::path resolve_path(const Scenario& scenario, const std::string& path);

/// Why a run of `plan` cannot be forked from a run of `baseline` at tick `day` (their first `day` ticks would
/// differ), or "" when it can: the two must agree in every parameter and named actor, and in the timeline entries
/// that start before `day`, which must come first in both timelines, in the same order. Seeds are compared too
/// (give both the replicate's).
std::string fork_difference(const Scenario& baseline, const Scenario& plan, std::int64_t day);

}  // namespace fanflow::params
