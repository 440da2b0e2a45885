// Tests of the world seed: it alone decides who the agents are (population, brands, graph), while run.seed
// decides what happens to them; world_seed 0 means run.seed.
#include <catch2/catch.hpp>

#include <string>

#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

params::Scenario world(std::uint64_t seed, std::uint64_t world_seed) {
  return testing::make_scenario(
      "population: {users: 2000, creators: 50, brands: 3, topics: 8}\n"
      "graph: {kind: erdos_renyi, mean_degree: 6}\n"
      "run: {days: 5}\n",
      {"run.seed=" + std::to_string(seed), "run.world_seed=" + std::to_string(world_seed)});
}

/// Everything drawn at setup, as one comparable value.
struct Setup {
  std::vector<float> skill;
  std::vector<std::uint16_t> attention;
  std::vector<std::uint8_t> type;
  std::vector<std::uint16_t> interests;
  std::vector<float> budget_scale;
  std::vector<std::uint32_t> degrees;
  bool operator==(const Setup&) const = default;
};

Setup setup_of(const sim::Simulation& simulation) {
  const auto& s = simulation.state();
  Setup setup{s.creators.skill, s.users.attention, s.creators.type, s.users.interest_topic, s.brands.budget_scale, {}};
  for (std::uint32_t u = 0; u < s.friends.num_nodes(); ++u) setup.degrees.push_back(s.friends.degree(u));
  return setup;
}

/// Followers per creator after the run's days.
std::vector<std::uint32_t> history_of(sim::Simulation& simulation) {
  while (simulation.tick() < simulation.params().run.days) simulation.step();
  return simulation.state().creators.followers;
}

}  // namespace

TEST_CASE("world seed: runs with one world seed share the agents and the graph, not their history", "[world]") {
  sim::Simulation a(world(1, 77)), b(world(2, 77)), other(world(1, 78));
  CHECK(setup_of(a) == setup_of(b));
  CHECK_FALSE(setup_of(a) == setup_of(other));
  CHECK(history_of(a) != history_of(b));
}

TEST_CASE("world seed: 0 means the run seed, so scenarios without it are unchanged", "[world]") {
  sim::Simulation implicit(world(5, 0)), explicit_(world(5, 5));
  CHECK(setup_of(implicit) == setup_of(explicit_));
  CHECK(history_of(implicit) == history_of(explicit_));
}
