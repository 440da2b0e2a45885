// Tests of the "did you mean" suggestion (core/suggest.hpp) that scenario keys, sweep keys and command names share.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/suggest.hpp"

using namespace fanflow;

TEST_CASE("closest_match finds a mistyped name and refuses a distant one", "[core][suggest]") {
  const std::vector<std::string> commands{"run",    "report",  "sweep", "compare",       "validate",
                                          "params", "version", "bench", "validate-suite"};
  CHECK(closest_match("rnu", commands) == "run");
  CHECK(closest_match("valdate", commands) == "validate");
  CHECK(closest_match("validate-suit", commands) == "validate-suite");
  CHECK(closest_match("sweeep", commands) == "sweep");
  CHECK(closest_match("frobnicate", commands).empty());
  CHECK(closest_match("x", std::vector<std::string>{}).empty());
}

TEST_CASE("closest_match takes a dotted suffix as close", "[core][suggest]") {
  const std::vector<std::string> keys{"graph.mean_degree", "graph.kind", "run.days"};
  CHECK(closest_match("mean_degree", keys) == "graph.mean_degree");
  CHECK(closest_match("graph.knd", keys) == "graph.kind");
}

TEST_CASE("did_you_mean words the suggestion, or says nothing", "[core][suggest]") {
  CHECK(did_you_mean("rnu", {"run", "report"}) == "; did you mean 'run'?");
  CHECK(did_you_mean("zzzzzz", {"run", "report"}).empty());
}
