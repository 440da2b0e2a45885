// Tests of platform adoption (engine/phases/adoption.cpp): without it everyone is on the platform; with it only
// users who joined open the app, the initial share is drawn as stated, nobody joins at zero rates, and the
// joiners do not depend on the thread count. (The Bass curve itself is a case of the validation suite.)
#include <oneapi/tbb/global_control.h>

#include <catch2/catch.hpp>

#include <cmath>

#include "params/scenario.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

params::Scenario scenario(const std::string& extra) {
  return testing::make_scenario(
      "run: {seed: 9, days: 8}\n"
      "population: {users: 5000, creators: 40, topics: 10, brands: 2}\n"
      "graph: {kind: erdos_renyi, mean_degree: 6}\n",
      extra);
}

}  // namespace

TEST_CASE("adoption: off, every user is on the platform from day 0", "[adoption]") {
  sim::Simulation simulation(scenario(""));
  simulation.step();
  CHECK(simulation.last_metrics().adopters == 5000);
  CHECK(simulation.last_metrics().new_adopters == 0);
  CHECK(simulation.last_metrics().active_users > 2500);
}

TEST_CASE("adoption: on, only users who joined open the app", "[adoption]") {
  // Nobody on the platform and nobody joining: nobody opens the app, nothing is shown.
  sim::Simulation empty(scenario("adoption.enabled=true;adoption.innovation=0;adoption.imitation=0"));
  for (int d = 0; d < 3; ++d) {
    empty.step();
    CHECK(empty.last_metrics().adopters == 0);
    CHECK(empty.last_metrics().active_users == 0);
  }
  // An initial share: drawn per user, within 4 standard errors; active users only among them.
  sim::Simulation seeded(
      scenario("adoption.enabled=true;adoption.initial_share=0.3;adoption.innovation=0;adoption.imitation=0"));
  const auto& users = seeded.state().users;
  std::uint64_t on = 0;
  for (std::uint32_t u = 0; u < users.count; ++u) on += users.on_platform[u];
  CHECK(std::abs(double(on) - 1500) < 4 * std::sqrt(5000 * 0.3 * 0.7));
  seeded.step();
  CHECK(seeded.last_metrics().adopters == on);
  CHECK(seeded.last_metrics().active_users <= on);
  for (std::uint32_t u = 0; u < users.count; ++u)
    if (!users.on_platform[u]) REQUIRE(users.active_days[u] == 0);
  // Imitation alone spreads from the first users, innovation alone from nobody.
  sim::Simulation imitation(scenario("adoption.enabled=true;adoption.initial_share=0.01;adoption.innovation=0"));
  for (int d = 0; d < 8; ++d) imitation.step();
  CHECK(imitation.last_metrics().adopters > 500);
}

TEST_CASE("adoption: the joiners of every day are the same at 1 and 2 threads", "[adoption]") {
  auto run = [](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    sim::Simulation simulation(scenario("adoption.enabled=true"));
    std::vector<std::uint64_t> joiners;
    for (int d = 0; d < 8; ++d) {
      simulation.step();
      joiners.push_back(simulation.last_metrics().new_adopters);
    }
    return joiners;
  };
  const auto one = run(1);
  CHECK(one == run(2));
  CHECK(one.front() > 0);
}
