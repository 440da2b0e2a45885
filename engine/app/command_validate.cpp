// `fanflow validate SCENARIO`: checks a scenario file (keys, values, consistency, memory, the edge file) without
// running it. Not to be confused with `fanflow validate-suite`, which checks the engine against theory.
#include <cstdio>
#include <memory>

#include "app/command.hpp"
#include "graph/generators.hpp"
#include "sim/memory.hpp"

namespace fanflow::app {
namespace {

struct ValidateCommandOptions {
  std::string scenario;
  std::vector<std::string> overrides;
};

int validate_scenario_file(const ValidateCommandOptions& o) {
  params::Scenario scenario = load_scenario(o.scenario, o.overrides);
  const auto estimate = sim::estimate_memory(scenario);
  sim::check_memory(scenario);
  if (scenario.params.graph.kind == "edge_list")  // reads the whole file: every line is checked
    graph::load_edge_list(params::resolve_path(scenario, scenario.params.graph.edge_file),
                          static_cast<std::uint32_t>(scenario.params.population.users));
  std::printf("%s: ok (%s users, %s creators, %s days; needs about %s of memory)\n", scenario.source.c_str(),
              thousands(scenario.params.population.users).c_str(),
              thousands(scenario.params.population.creators).c_str(), thousands(scenario.params.run.days).c_str(),
              sim::format_bytes(estimate.total()).c_str());
  return 0;
}

}  // namespace

Command add_validate_command(CLI::App& program) {
  auto o = std::make_shared<ValidateCommandOptions>();
  CLI::App* validate = program.add_subcommand(
      "validate",
      "Check a scenario file (keys, values, memory, edge file) without running it; validate-suite checks the engine");
  validate->add_option("scenario", o->scenario, "Scenario YAML file")->required();
  validate->add_option("--set", o->overrides, "Override a parameter: section.key=value (repeatable)")->take_all();
  return {validate, [o] { return validate_scenario_file(*o); }};
}

}  // namespace fanflow::app
