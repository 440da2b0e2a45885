// Tests of creator types: big IPs start with followers and post broadly, small IPs stay in their niche and
// their followers' trust grows faster.
#include <catch2/catch.hpp>

#include <algorithm>
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
      "creators: {big_ip_share: 0.2, big_ip_starting_followers: 300, big_ip_followers_sigma: 0, sponsored_share_mean: "
      "0}\n",
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

TEST_CASE("creator types: with a spread, big IPs' audiences are lognormal around the mean size", "[types]") {
  // log K ~ Normal(ln F̄ − σ²/2, σ): the mean and standard deviation of log K within 3 standard errors.
  const double sigma = 0.5, mean_size = 300;
  sim::Simulation simulation(types_scenario({"creators.big_ip_followers_sigma=0.5"}));
  const auto& st = simulation.state();
  std::vector<double> logs;
  for (std::uint32_t c = 0; c < st.creators.count; ++c) {
    if (!is_big(st, c)) {
      CHECK(st.creators.followers[c] == 0u);
      continue;
    }
    REQUIRE(st.creators.followers[c] > 0u);
    logs.push_back(std::log(double(st.creators.followers[c])));
  }
  const double n = double(logs.size());
  REQUIRE(n >= 20);
  double mean = 0, square = 0;
  for (double x : logs) mean += x / n;
  for (double x : logs) square += (x - mean) * (x - mean) / (n - 1);
  const double sd = std::sqrt(square);
  INFO("big IPs " << n << ", mean log K " << mean << ", sd " << sd);
  CHECK(std::abs(mean - (std::log(mean_size) - sigma * sigma / 2)) < 3 * sigma / std::sqrt(n));
  CHECK(std::abs(sd - sigma) < 3 * sigma / std::sqrt(2 * n));
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

TEST_CASE("creator levers: better packaging draws more views per impression", "[types]") {
  // Views per impression of the top third of creators by packaging minus that of the bottom third, and the
  // packaging gap between them. P(view) moves by view_packaging_weight per unit of packaging (no clipping at
  // these values), and packaging is drawn independently of skill, so the expected difference is weight * gap.
  // Recommendation ignores follower counts here (follower_exponent 0), so no few creators' impressions dominate
  // a third's rate and the noise stays small.
  struct Gap {
    double views = 0, packaging = 0;
  };
  auto gap = [](const std::string& weight) {
    sim::Simulation simulation(
        types_scenario({"creators.big_ip_share=0", "creators.packaging_concentration=4",
                        "recommendation.follower_exponent=0", "engagement.view_packaging_weight=" + weight}));
    for (int d = 0; d < 10; ++d) simulation.step();
    const auto& c = simulation.state().creators;
    std::vector<std::uint32_t> ids;
    for (std::uint32_t k = 0; k < 200; ++k)
      if (c.impressions[k] > 0) ids.push_back(k);
    std::sort(ids.begin(), ids.end(), [&](auto a, auto b) { return c.packaging[a] < c.packaging[b]; });
    const std::size_t third = ids.size() / 3;
    auto rate = [&](std::size_t from, std::size_t to, double& packaging) {
      double views = 0, impressions = 0;
      packaging = 0;
      for (std::size_t k = from; k < to; ++k) {
        views += double(c.views[ids[k]]);
        impressions += double(c.impressions[ids[k]]);
        packaging += c.packaging[ids[k]] / double(to - from);
      }
      return views / impressions;
    };
    double low_packaging = 0, high_packaging = 0;
    const double low = rate(0, third, low_packaging), high = rate(ids.size() - third, ids.size(), high_packaging);
    return Gap{high - low, high_packaging - low_packaging};
  };
  const Gap on = gap("0.3"), off = gap("0");
  REQUIRE(on.packaging > 0.3);
  CHECK(on.views == Approx(0.3 * on.packaging).epsilon(0.35));
  CHECK(std::abs(off.views) < 0.25 * 0.3 * off.packaging);
}
