// Test helpers: a scenario from YAML text plus --set style overrides, checked as the command line checks it, and
// the message a bad one fails with.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "params/scenario.hpp"

namespace fanflow::testing {

/// Reads `yaml`, applies each `section.key=value` of `overrides`, then checks the cross-parameter rules.
inline params::Scenario make_scenario(std::string_view yaml, std::initializer_list<std::string_view> overrides) {
  params::Scenario scenario = params::load_scenario_text(yaml, "test.yaml", ".");
  for (std::string_view assignment : overrides) params::apply_override(scenario, assignment);
  params::check_consistency(scenario);
  return scenario;
}

/// The same with the overrides in one string, separated by ';' ("run.days=3;graph.kind=erdos_renyi").
inline params::Scenario make_scenario(std::string_view yaml, std::string_view overrides) {
  params::Scenario scenario = params::load_scenario_text(yaml, "test.yaml", ".");
  while (!overrides.empty()) {
    const auto end = overrides.find(';');
    params::apply_override(scenario, overrides.substr(0, end));
    overrides = end == std::string_view::npos ? std::string_view() : overrides.substr(end + 1);
  }
  params::check_consistency(scenario);
  return scenario;
}

/// The one-line message reading and checking `yaml` (as "test.yaml") fails with, or "" when it is valid.
inline std::string scenario_error(std::string_view yaml) {
  try {
    make_scenario(yaml, "");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace fanflow::testing
