// Tests of creator types: big IPs start with followers and post broadly, small IPs stay in their niche and
// their followers' trust grows faster.
#include <catch2/catch.hpp>

#include <cmath>

#include "params/scenario.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

params::Scenario types_scenario(std::initializer_list<std::string_view> overrides) {
  return testing::make_scenario(
      "run: {seed: 4, days: 20}\n"
      "population: {users: 6000, creators: 200, topics: 20}\n"
      "graph: {kind: erdos_renyi, mean_degree: 6}\n"
      "lifecycle: {max_entrants: 0}\n"
      "creators: {big_ip_share: 0.2, big_ip_starting_followers: 300, sponsored_share_mean: 0}\n",
      overrides);
}

bool is_big(const state::State& st, std::uint32_t c) {
  return st.creators.type[c] == static_cast<std::uint8_t>(state::CreatorType::BigIp);
}

}  // namespace

TEST_CASE("creator types: big IPs are drawn at the given share and start with their followers", "[types]") {
  sim::Simulation simulation(types_scenario({}));
  const auto& st = simulation.state();
  std::uint32_t big = 0;
  for (std::uint32_t c = 0; c < st.creators.count; ++c) {
    big += is_big(st, c);
    CHECK(st.creators.followers[c] == (is_big(st, c) ? 300u : 0u));
  }
  const double n = st.creators.count, p = 0.2;
  CHECK(std::abs(big - n * p) < 3 * std::sqrt(n * p * (1 - p)));
  std::vector<std::uint32_t> counted(st.creators.count, 0);
  for (std::uint32_t u = 0; u < st.users.count; ++u)
    for (std::uint32_t c : st.follows.followed(u)) counted[c]++;
  CHECK(counted == st.creators.followers);

  sim::Simulation none(types_scenario({"creators.big_ip_share=0"}));
  CHECK(none.state().follows.edges() == 0);
}

TEST_CASE("creator types: big IPs post across topics, small IPs only on their own", "[types]") {
  for (const char* breadth : {"creators.big_ip_topic_breadth=0", "creators.big_ip_topic_breadth=1"}) {
    sim::Simulation simulation(types_scenario({breadth}));
    simulation.step();
    const auto& st = simulation.state();
    std::uint32_t big_items = 0, big_off_topic = 0;
    for (std::uint32_t s = 0; s < st.items.size(); ++s) {
      const std::uint32_t c = st.items.creator[s];
      if (!is_big(st, c)) {
        REQUIRE(st.items.topic[s] == st.creators.topic[c]);
        continue;
      }
      big_items++;
      big_off_topic += st.items.topic[s] != st.creators.topic[c];
    }
    REQUIRE(big_items > 10);
    if (std::string(breadth).back() == '0')
      CHECK(big_off_topic == 0);
    else
      CHECK(big_off_topic > big_items / 2);
  }
}

TEST_CASE("creator types: small IPs' followers gain trust faster when their gain is higher", "[types]") {
  auto trust_gap = [](std::initializer_list<std::string_view> overrides) {
    sim::Simulation simulation(types_scenario(overrides));
    for (int d = 0; d < 20; ++d) simulation.step();
    const auto& st = simulation.state();
    double sum[2] = {0, 0}, n[2] = {0, 0};
    for (std::uint32_t u = 0; u < st.users.count; ++u) {
      auto creators = st.follows.followed(u);
      auto trust = st.follows.trust_of(u);
      for (std::size_t e = 0; e < creators.size(); ++e)
        sum[is_big(st, creators[e])] += trust[e], n[is_big(st, creators[e])]++;
    }
    return sum[0] / n[0] - sum[1] / n[1];
  };
  const char* good = "creators.skill_mean=0.75";
  const double equal = trust_gap({good, "creators.small_ip_trust_gain=1", "creators.big_ip_trust_gain=1"});
  const double favoured = trust_gap({good, "creators.small_ip_trust_gain=2", "creators.big_ip_trust_gain=0.5"});
  CHECK(favoured > equal + 0.05);
}
