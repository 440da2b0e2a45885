// Tests of the one parameter list and scenario reading: defaults, messages with file:line:column, --set.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "params/scenario.hpp"
#include "support/scenario.hpp"

using namespace fanflow;
using namespace fanflow::params;

namespace {
std::string error_of(const std::string& yaml) { return testing::scenario_error(yaml); }
}  // namespace

TEST_CASE("params: every default lies in its declared range and round-trips through text", "[params]") {
  Params defaults;
  for (const Spec& spec : all_specs()) {
    Params copy;
    INFO(spec.path);
    CHECK(assign_from_text(spec, copy, value_text(spec, defaults)) == "");
    CHECK(value_text(spec, copy) == value_text(spec, defaults));
  }
}

TEST_CASE("params: the resolved YAML reads back to the same parameters", "[params]") {
  Scenario original = load_scenario_text("population: {users: 1234}\ngraph: {kind: small_world}\n", "x.yaml", ".");
  Scenario again = load_scenario_text(to_yaml(original.params), "resolved.yaml", ".");
  for (const Spec& spec : all_specs()) CHECK(value_text(spec, again.params) == value_text(spec, original.params));
  CHECK(again.params.population.users == 1234);
}

TEST_CASE("params: the reference tables list every parameter", "[params]") {
  std::string text = reference_text(), markdown = reference_markdown();
  for (const Spec& spec : all_specs()) {
    CHECK(text.find(std::string(spec.path)) != std::string::npos);
    CHECK(markdown.find(std::string("`").append(spec.path).append("`")) != std::string::npos);
  }
}

TEST_CASE("params: a scenario sets only what it names", "[params]") {
  Scenario s = load_scenario_text("run:\n  days: 7\nusers:\n  attention_mean: 12.5\n", "s.yaml", ".");
  CHECK(s.params.run.days == 7);
  CHECK(s.params.users.attention_mean == 12.5);
  CHECK(s.params.population.users == Params{}.population.users);
}

TEST_CASE("params: unknown keys are reported with position and a suggestion", "[params]") {
  CHECK(error_of("population:\n  usres: 10\n") ==
        "test.yaml:2:3: population.usres: unknown key; did you mean 'population.users'?");
  CHECK(error_of("populaton:\n  users: 10\n") == "test.yaml:1:1: populaton: unknown key; did you mean 'population'?");
}

TEST_CASE("params: wrong types and out-of-range values state the allowed range", "[params]") {
  CHECK(error_of("population:\n  users: many\n") ==
        "test.yaml:2:10: population.users: expected an integer in [0, 2000000000], got 'many'");
  CHECK(error_of("engagement:\n  like_rate: 1.5\n") ==
        "test.yaml:2:14: engagement.like_rate: expected a number in [0, 1], got '1.5'");
  CHECK(error_of("engagement:\n  like_rate: .nan\n").find("expected a finite number in [0, 1]") != std::string::npos);
  CHECK(error_of("engagement:\n  like_rate: .inf\n").find("expected a finite number") != std::string::npos);
  CHECK(error_of("population:\n  users: 2.5\n").find("expected an integer") != std::string::npos);
  CHECK(error_of("graph:\n  kind: smallworld\n") ==
        "test.yaml:2:9: graph.kind: expected one of barabasi_albert, power_law, small_world, erdos_renyi, "
        "stochastic_block, edge_list, got 'smallworld'; did you mean 'small_world'?");
  CHECK(error_of("population:\n  users: [1, 2]\n") ==
        "test.yaml:2:10: population.users: expected an integer in [0, 2000000000], got a list");
  CHECK(error_of("population: 5\n").find("population: expected a mapping of parameters") != std::string::npos);
}

TEST_CASE("params: malformed, empty and non-mapping documents are refused", "[params]") {
  CHECK(error_of("population:\n  users: [1, 2\n").rfind("test.yaml:", 0) == 0);
  CHECK(error_of("population:\n  users: [1, 2\n").find("malformed YAML") != std::string::npos);
  CHECK(error_of("") == "test.yaml: the scenario is empty; expected a mapping of sections such as 'population:'");
  CHECK(error_of("# only a comment\n").find("the scenario is empty") != std::string::npos);
  CHECK(error_of("- a\n- b\n").find("expected a mapping of sections") != std::string::npos);
  CHECK(error_of("population:\n  users: 1\n  users: 2\n").find("duplicate key") != std::string::npos);
}

TEST_CASE("params: rules across parameters name the key", "[params]") {
  CHECK(error_of("graph:\n  kind: edge_list\n") == "test.yaml: graph.edge_file: required when graph.kind is edge_list");
  CHECK(error_of("population:\n  users: 10\ngraph:\n  mean_degree: 50\n").find("graph.mean_degree: must be at most") !=
        std::string::npos);
  CHECK(error_of("users:\n  attention_mean: 300\n").find("users.attention_max") != std::string::npos);
}

TEST_CASE("params: --set overrides with the same checks", "[params]") {
  Scenario s = load_scenario_text("run:\n  days: 7\n", "s.yaml", ".");
  apply_override(s, "run.days=30");
  apply_override(s, "graph.kind=erdos_renyi");
  CHECK(s.params.run.days == 30);
  CHECK(s.params.graph.kind == "erdos_renyi");
  auto message = [&](const char* assignment) {
    try {
      apply_override(s, assignment);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message("run.dayz=3") == "--set run.dayz=3: run.dayz: unknown key; did you mean 'run.days'?");
  CHECK(message("run.days=0") == "--set run.days=0: run.days: expected an integer in [1, 100000], got '0'");
  CHECK(message("run.days") == "--set run.days: expected section.key=value");
}

TEST_CASE("params: the built-in default scenario is valid and sizeable", "[params]") {
  Scenario s = default_scenario();
  check_consistency(s);
  CHECK(s.params.population.users >= 100000);
  CHECK(s.params.population.creators >= 1000);
  CHECK(s.params.run.days >= 90);
}

TEST_CASE("params: missing scenario files are reported", "[params]") {
  CHECK_THROWS_WITH(load_scenario_file("/nonexistent/dir/s.yaml"),
                    Catch::Contains("/nonexistent/dir/s.yaml: cannot read"));
}
