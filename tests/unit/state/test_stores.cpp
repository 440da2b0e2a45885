// Tests of the state stores: follow merge, item retirement, population draws.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "params/params.hpp"
#include "state/follows.hpp"
#include "state/items.hpp"
#include "state/population.hpp"

using namespace fanflow;

TEST_CASE("state: follows merge sorted additions into each user's sorted run", "[state]") {
  state::FollowStore follows(4);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> first = {{0, 5}, {2, 1}, {2, 9}};
  follows.update(first, {}, 0.5f);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> second = {{0, 2}, {2, 4}, {3, 0}};
  follows.update(second, {}, 0.5f);
  CHECK(follows.edges() == 6);
  auto f0 = follows.followed(0);
  CHECK(std::vector<std::uint32_t>(f0.begin(), f0.end()) == std::vector<std::uint32_t>{2, 5});
  auto f2 = follows.followed(2);
  CHECK(std::vector<std::uint32_t>(f2.begin(), f2.end()) == std::vector<std::uint32_t>{1, 4, 9});
  CHECK(follows.followed(1).empty());
  CHECK(follows.follows(2, 4));
  CHECK_FALSE(follows.follows(2, 5));
}

TEST_CASE("state: items retire from the front and keep their ids", "[state]") {
  state::ItemStore items;
  for (Tick t = 0; t < 5; ++t) items.add(t, 0, 0.5f, t), items.add(t, 1, 0.5f, t);
  CHECK(items.size() == 10);
  CHECK(items.retire_before(3) == 6);
  CHECK(items.first_id == 6);
  CHECK(items.holds(6));
  CHECK_FALSE(items.holds(5));
  CHECK(items.posted[items.slot(9)] == 4);
}

TEST_CASE("state: users draw distinct topics with weights summing to one, attention within bounds", "[state]") {
  params::Params p;
  p.users.interests_per_user = 4;
  auto users = state::make_users(p, 5000);
  double mean_attention = 0;
  for (std::uint32_t u = 0; u < users.count; ++u) {
    auto topics = users.topics_of(u);
    auto weights = users.weights_of(u);
    std::set<std::uint16_t> distinct(topics.begin(), topics.end());
    REQUIRE(distinct.size() == 4);
    REQUIRE(std::accumulate(weights.begin(), weights.end(), 0.0) == Approx(1.0).epsilon(1e-5));
    REQUIRE(std::is_sorted(weights.begin(), weights.end(), std::greater<float>()));
    REQUIRE(users.match(u, topics[0]) == 1.0f);
    REQUIRE(users.attention[u] >= 1);
    REQUIRE(users.attention[u] <= p.users.attention_max);
    mean_attention += users.attention[u];
  }
  mean_attention /= users.count;
  CHECK(mean_attention == Approx(p.users.attention_mean).epsilon(0.03));
}

TEST_CASE("state: creator skill follows its Beta mean, popular topics are drawn more often", "[state]") {
  params::Params p;
  auto creators = state::make_creators(p, 20000);
  double skill = 0, rate = 0;
  std::vector<int> topic_counts(p.population.topics, 0);
  for (std::uint32_t c = 0; c < creators.count; ++c) {
    skill += creators.skill[c];
    rate += creators.posting_rate[c];
    topic_counts[creators.topic[c]]++;
  }
  CHECK(skill / creators.count == Approx(p.creators.skill_mean).margin(0.01));
  CHECK(rate / creators.count == Approx(p.creators.posting_rate_mean).epsilon(0.03));
  CHECK(topic_counts[0] > 3 * topic_counts[20]);
}

TEST_CASE("state: the population does not depend on how many agents come after", "[state]") {
  params::Params p;
  auto small = state::make_users(p, 100);
  auto large = state::make_users(p, 1000);
  for (std::uint32_t u = 0; u < 100; ++u) {
    REQUIRE(small.attention[u] == large.attention[u]);
    REQUIRE(small.topics_of(u)[0] == large.topics_of(u)[0]);
  }
}

TEST_CASE("state: the paid-knowledge lever is drawn with its share and leaves the other traits unchanged", "[state]") {
  params::Params p;
  p.creators.paid_knowledge_share = 0.2;
  const std::uint32_t n = 20000;
  auto creators = state::make_creators(p, n);
  const double share =
      double(std::accumulate(creators.sells_knowledge.begin(), creators.sells_knowledge.end(), 0u)) / n;
  // A share of n Bernoulli draws: standard error sqrt(0.2 * 0.8 / n) = 0.0028.
  CHECK(std::abs(share - 0.2) < 4 * std::sqrt(0.2 * 0.8 / n));
  // Its own substream: another share changes only the lever (each creator keeps its uniform, so the levers
  // are nested).
  p.creators.paid_knowledge_share = 0.7;
  auto more = state::make_creators(p, n);
  CHECK(more.topic == creators.topic);
  CHECK(more.type == creators.type);
  CHECK(more.skill == creators.skill);
  CHECK(more.posting_rate == creators.posting_rate);
  CHECK(more.sponsored_share == creators.sponsored_share);
  for (std::uint32_t c = 0; c < n; ++c) REQUIRE(more.sells_knowledge[c] >= creators.sells_knowledge[c]);
  p.creators.paid_knowledge_share = 0;
  auto none = state::make_creators(p, 1000);
  CHECK(std::count(none.sells_knowledge.begin(), none.sells_knowledge.end(), 1) == 0);
  p.creators.paid_knowledge_share = 1;
  auto all = state::make_creators(p, 1000);
  CHECK(std::count(all.sells_knowledge.begin(), all.sells_knowledge.end(), 1) == 1000);
}

TEST_CASE("state: brand price scales have mean 1 and leave topics and budgets unchanged", "[state]") {
  params::Params p;
  p.brands.price_sigma = 0.5;
  const std::uint32_t n = 20000;
  const auto brands = state::make_brands(p, n);
  double sum = 0, log_sum = 0, log_squares = 0;
  for (float scale : brands.price_scale) {
    REQUIRE(scale > 0);
    sum += scale;
    log_sum += std::log(scale);
    log_squares += std::log(scale) * std::log(scale);
  }
  // Lognormal with mean 1: standard deviation sqrt(exp(sigma^2) - 1) = 0.533, so the mean's error is 0.0038.
  CHECK(std::abs(sum / n - 1) < 4 * std::sqrt(std::exp(0.25) - 1) / std::sqrt(n));
  const double log_sd = std::sqrt(log_squares / n - (log_sum / n) * (log_sum / n));
  CHECK(log_sd == Approx(0.5).margin(0.02));
  // Its own substream: another sigma changes only the prices.
  p.brands.price_sigma = 0;
  const auto flat = state::make_brands(p, n);
  CHECK(flat.topic == brands.topic);
  CHECK(flat.budget_scale == brands.budget_scale);
}
