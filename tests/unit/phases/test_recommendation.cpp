// Tests of public traffic: the alias tables draw in proportion to the weights, observed engagement in the
// weight, traffic pools (quota, promotion, leaving recommendation, exposure targets), the concentration cap and the
// new-creator boost. Small hand-built states test the mechanisms exactly; small runs test their effect.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "params/scenario.hpp"
#include "phases/phases.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

/// A state with `creators` creators and no users; items are added by the test.
state::State bare_state(std::uint32_t creators) {
  state::State s;
  s.creators.count = creators;
  s.creators.topic.assign(creators, 0);
  s.creators.followers.assign(creators, 0);  // no followers: the popularity factor (0 + offset)^beta is 1
  return s;
}

/// Probability that tables.pick(topic) returns each item of the topic, by item id, read off the alias table.
std::map<std::uint32_t, double> pick_probabilities(const phases::RecommendationTables& tables, std::uint16_t topic) {
  std::map<std::uint32_t, double> p;
  const std::uint32_t begin = tables.topic_begin[topic], size = tables.topic_begin[topic + 1] - begin;
  for (std::uint32_t j = 0; j < size; ++j) {
    p[tables.item[begin + j]] += tables.alias.keep(begin + j) / double(size);
    p[tables.item[begin + tables.alias.alias(begin + j)]] += (1.0 - tables.alias.keep(begin + j)) / double(size);
  }
  return p;
}

params::Scenario small_scenario(std::initializer_list<std::string_view> overrides) {
  return testing::make_scenario(
      "run: {seed: 11, days: 20}\n"
      "population: {users: 3000, creators: 60, topics: 12}\n"
      "graph: {kind: barabasi_albert, mean_degree: 8}\n",
      overrides);
}

/// Mean share of the day's recommended impressions taken by the most recommended creator over the last `days`.
double top_creator_share(sim::Simulation& simulation, int days) {
  double sum = 0;
  const auto total_days = simulation.params().run.days;
  for (std::int64_t d = 0; d < total_days; ++d) {
    simulation.step();
    const auto& m = simulation.last_metrics();
    if (d >= total_days - days)
      sum += double(m.top_creator_recommended) / double(m.impressions[index(Channel::Recommendation)]);
  }
  return sum / days;
}

}  // namespace

TEST_CASE("recommend: the alias table draws in proportion to the weights", "[recommend]") {
  params::Params params;
  params.population.topics = 1;
  params.recommendation.engagement_exponent = 0;
  state::State state = bare_state(1);
  const Tick today = 6;
  std::vector<double> weight;
  for (std::uint32_t k = 0; k < 40; ++k) {
    const float quality = 0.05f + 0.95f * float(k % 10) / 9.0f;
    const Tick posted = k % 7;
    state.items.add(0, 0, quality, posted);
    weight.push_back(std::pow(double(quality), params.recommendation.quality_exponent) *
                     std::pow(2.0, -double(today - posted) / params.recommendation.freshness_half_life_days));
  }
  const double total = std::accumulate(weight.begin(), weight.end(), 0.0);
  phases::TickBuffers buffers;
  phases::prepare_recommendation({params, 1, today}, state, buffers);

  // The table's probabilities are the normalised weights (up to float rounding of `keep`).
  auto p = pick_probabilities(buffers.recommendation, 0);
  for (std::uint32_t k = 0; k < weight.size(); ++k) CHECK(p[k] == Approx(weight[k] / total).margin(1e-6));

  // Draws: Pearson's chi-square over 40 cells (39 degrees of freedom: mean 39, sd 8.8) stays within 5 sd.
  const std::uint32_t draws = 400000;
  std::vector<double> counts(weight.size(), 0);
  rng::Stream stream(2024, 0, 0, rng::Purpose::Consume);
  for (std::uint32_t n = 0; n < draws; ++n) counts[buffers.recommendation.pick(0, stream)]++;
  double chi2 = 0;
  for (std::uint32_t k = 0; k < weight.size(); ++k) {
    const double expected = draws * weight[k] / total;
    chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
  }
  CHECK(chi2 < 39 + 5 * std::sqrt(2.0 * 39));
}

TEST_CASE("recommend: observed engagement raises an item's weight with exponent 1, not with 0", "[recommend]") {
  params::Params params;
  params.population.topics = 1;
  state::State state = bare_state(1);
  for (int k = 0; k < 3; ++k) state.items.add(0, 0, 0.6f, 0);
  // Item 0 is liked often, item 1 rarely, item 2 has not been shown yet.
  state.items.impressions = {400, 400, 0};
  state.items.likes = {60, 4, 0};
  for (double delta : {0.0, 1.0}) {
    params.recommendation.engagement_exponent = delta;
    phases::TickBuffers buffers;
    phases::prepare_recommendation({params, 1, 1}, state, buffers);
    auto p = pick_probabilities(buffers.recommendation, 0);
    if (delta == 0) {
      CHECK(p[0] == Approx(1.0 / 3).margin(1e-6));
      CHECK(p[1] == Approx(1.0 / 3).margin(1e-6));
    } else {
      // Platform mean 64/800 = 0.08; E_i = (likes_i + 0.08 m0) / (impressions_i + m0) / 0.08.
      const double m0 = params.recommendation.engagement_prior_impressions, mean = 0.08;
      const double e0 = (60 + mean * m0) / (400 + m0) / mean, e1 = (4 + mean * m0) / (400 + m0) / mean;
      CHECK(p[0] / p[2] == Approx(e0).epsilon(1e-5));
      CHECK(p[1] / p[2] == Approx(e1).epsilon(1e-5));
      CHECK(p[0] > p[2]);
      CHECK(p[2] > p[1]);
    }
  }
}

TEST_CASE("recommend: with engagement exponent 1 well-liked items get more recommended impressions", "[recommend]") {
  // Over the alive items at the end, the recommended-impression-weighted mean like rate.
  auto liked_traffic = [](const char* delta) {
    // The recommender ignores the quality it cannot observe (exponent 0): only engagement can favour an item.
    sim::Simulation simulation(
        small_scenario({"pools.enabled=false", "recommendation.quality_exponent=0", delta, "run.days=12"}));
    for (int d = 0; d < 12; ++d) simulation.step();
    const auto& items = simulation.state().items;
    double weighted = 0, total = 0;
    for (std::uint32_t s = 0; s < items.size(); ++s) {
      if (items.impressions[s] < 50) continue;
      weighted += items.rec_impressions[s] * double(items.likes[s]) / items.impressions[s];
      total += items.rec_impressions[s];
    }
    return weighted / total;
  };
  const double without = liked_traffic("recommendation.engagement_exponent=0");
  const double with = liked_traffic("recommendation.engagement_exponent=1");
  CHECK(with > without * 1.02);
}

TEST_CASE("recommend: a used pool quota promotes an item above the threshold and drops one below it", "[recommend]") {
  params::Params params;
  params.population.topics = 1;
  params.content.max_age_days = 100;
  state::State state = bare_state(1);
  for (int k = 0; k < 4; ++k) state.items.add(0, 0, 0.5f, 0);
  // Today's recommended impressions and likes: item 0 uses its quota with a like rate of 0.1, item 1 with
  // 0.01, item 2 has 100 of its 300 impressions, item 3 has 400 with a like rate exactly at the threshold.
  const std::uint32_t size = 300;
  params.pools.tier1_size = size;
  params.pools.tier1_threshold = 0.05;
  auto commit_day = [&](std::vector<std::uint32_t> impressions, std::vector<std::uint32_t> likes) {
    phases::TickBuffers buffers;  // the day's recommendation counters as commit summed them
    buffers.rec_impressions = impressions;
    buffers.rec_likes = likes;
    phases::update_recommender({params, 1, 0}, state, buffers);
    return buffers.metrics;
  };
  auto m = commit_day({size, size, 100, 400}, {30, 3, 50, 20});
  CHECK(state.items.tier == std::vector<std::uint8_t>{1, 0, 0, 1});
  CHECK(state.items.left_pool == std::vector<std::uint8_t>{0, 1, 0, 0});
  CHECK(state.items.rec_impressions == std::vector<std::uint32_t>{size, size, 100, 400});
  CHECK(state.items.tier_impressions == std::vector<std::uint32_t>{0, size, 100, 0});
  CHECK(m.items_promoted[1] == 2);
  CHECK(m.items_left_pools == 1);
  CHECK(m.items_by_tier[0] == 2);
  CHECK(m.items_by_tier[1] == 2);
  CHECK(m.top_creator_recommended == 1100);  // all four items are creator 0's

  // The item that left is no longer a candidate; the others are.
  phases::TickBuffers buffers;
  phases::prepare_recommendation({params, 1, 1}, state, buffers);
  const auto& items = buffers.recommendation.item;
  CHECK(std::vector<std::uint32_t>(items.begin(), items.end()) == std::vector<std::uint32_t>{0, 2, 3});
  // With pools off every alive item is a candidate again, and nobody moves.
  params.pools.enabled = false;
  phases::prepare_recommendation({params, 1, 1}, state, buffers);
  CHECK(buffers.recommendation.item.size() == 4);
  commit_day({0, 0, 500, 0}, {0, 0, 0, 0});
  CHECK(state.items.tier == std::vector<std::uint8_t>{1, 0, 0, 1});
  CHECK(state.items.left_pool == std::vector<std::uint8_t>{0, 1, 0, 0});
}

TEST_CASE("recommend: an impossible threshold ends recommendation after the first pool, threshold 0 never does",
          "[recommend]") {
  sim::Simulation strict(small_scenario({"pools.tier1_threshold=1", "pools.tier1_size=200"}));
  std::map<std::uint32_t, std::uint32_t> left;  // item id -> recommended impressions when it left
  for (int d = 0; d < 20; ++d) {
    strict.step();
    const auto& items = strict.state().items;
    for (std::uint32_t s = 0; s < items.size(); ++s) {
      REQUIRE(items.tier[s] == 0);
      const std::uint32_t id = items.first_id + s;
      if (auto it = left.find(id); it != left.end()) REQUIRE(items.rec_impressions[s] == it->second);
      if (items.left_pool[s]) {
        REQUIRE(items.rec_impressions[s] >= 200);
        left.emplace(id, items.rec_impressions[s]);
      }
    }
  }
  CHECK(left.size() > 100);

  sim::Simulation open(small_scenario({"pools.tier1_threshold=0", "pools.tier2_threshold=0", "pools.tier3_threshold=0",
                                       "pools.tier4_threshold=0", "pools.tier1_size=200", "pools.tier2_size=1000"}));
  std::uint64_t promoted_beyond_first = 0;
  for (int d = 0; d < 20; ++d) {
    open.step();
    CHECK(open.last_metrics().items_left_pools == 0);
    promoted_beyond_first += open.last_metrics().items_promoted[2];
  }
  CHECK(promoted_beyond_first > 0);
  for (std::uint32_t s = 0; s < open.state().items.size(); ++s) REQUIRE(open.state().items.left_pool[s] == 0);
}

TEST_CASE("recommend: the creator share cap lowers the top creator's share of recommended impressions", "[recommend]") {
  sim::Simulation uncapped(small_scenario({}));
  const double free_share = top_creator_share(uncapped, 10);
  const double cap = free_share / 2;
  sim::Simulation capped(
      small_scenario({(std::string("recommendation.creator_share_cap=") + std::to_string(cap)).c_str()}));
  const double capped_share = top_creator_share(capped, 10);
  INFO("top share without cap " << free_share << ", with cap " << cap << ": " << capped_share);
  CHECK(capped_share < free_share * 0.75);
  CHECK(capped_share < cap * 1.2);  // consume holds each block of users to the cap, plus one impression
}

TEST_CASE("recommend: the new-creator boost raises the share of creators who joined during the run", "[recommend]") {
  // Share of recommended impressions that went to creators who joined after tick 0, over the whole run.
  auto entrant_share = [](const char* boost) {
    sim::Simulation simulation(small_scenario(
        {"pools.enabled=false", "recommendation.new_creator_boost_days=10", "lifecycle.entry_base_rate=3", boost}));
    for (int d = 0; d < 20; ++d) simulation.step();
    const auto& st = simulation.state();
    const auto& joined = st.lifecycle.joined;
    std::uint64_t entrants = 0, all = 0;
    for (std::uint32_t s = 0; s < st.items.size(); ++s) {
      const std::uint32_t c = st.items.creator[s];
      all += st.items.rec_impressions[s];
      if (c < joined.size() && joined[c] > 0) entrants += st.items.rec_impressions[s];
    }
    REQUIRE(entrants > 0);
    return double(entrants) / double(all);
  };
  const double plain = entrant_share("recommendation.new_creator_boost=1");
  const double boosted = entrant_share("recommendation.new_creator_boost=3");
  INFO("entrants' share of recommended impressions: " << plain << " without boost, " << boosted << " with");
  CHECK(boosted > plain * 1.3);
}

TEST_CASE("recommend: popularity-driven discovery weighs a creator's items by (followers + offset)^beta",
          "[recommend]") {
  params::Params params;
  params.population.topics = 1;
  params.recommendation.engagement_exponent = 0;
  params.recommendation.quality_exponent = 0;
  params.recommendation.follower_offset = 5;
  state::State state = bare_state(3);
  state.creators.followers = {0, 15, 95};
  for (std::uint32_t c = 0; c < 3; ++c) state.items.add(c, 0, 0.5f, 0);
  phases::TickBuffers buffers;
  auto shares = [&](double beta) {
    params.recommendation.follower_exponent = beta;
    phases::prepare_recommendation({params, 1, 0}, state, buffers);
    return pick_probabilities(buffers.recommendation, 0);
  };
  // beta = 1: weights 5, 20, 100 of 125.
  auto linear = shares(1);
  CHECK(linear[0] == Approx(5.0 / 125).margin(1e-6));
  CHECK(linear[1] == Approx(20.0 / 125).margin(1e-6));
  CHECK(linear[2] == Approx(100.0 / 125).margin(1e-6));
  // beta = 0.5: weights sqrt(5), sqrt(20), sqrt(100).
  auto root = shares(0.5);
  const double total = std::sqrt(5.0) + std::sqrt(20.0) + 10.0;
  CHECK(root[2] == Approx(10.0 / total).margin(1e-6));
  // beta = 0: followers do not matter.
  auto blind = shares(0);
  for (std::uint32_t c = 0; c < 3; ++c) CHECK(blind[c] == Approx(1.0 / 3).margin(1e-6));
}

TEST_CASE("recommend: with follower exponent 1 the creators with most followers gain the most new ones",
          "[recommend]") {
  // Share of the run's new follows that went to the big IPs (who start with followers), without and with
  // popularity-driven discovery.
  auto big_ip_share_of_new_follows = [](const char* beta) {
    sim::Simulation simulation(small_scenario(
        {"creators.big_ip_share=0.1", "creators.big_ip_starting_followers=300", "lifecycle.entry_base_rate=0", beta}));
    std::vector<std::uint32_t> start = simulation.state().creators.followers;
    for (int d = 0; d < 20; ++d) simulation.step();
    const auto& st = simulation.state();
    double big = 0, all = 0;
    for (std::uint32_t c = 0; c < st.creators.count; ++c) {
      const double gained = std::max(0.0, double(st.creators.followers[c]) - double(start[c]));
      all += gained;
      if (st.creators.type[c] == static_cast<std::uint8_t>(state::CreatorType::BigIp)) big += gained;
    }
    REQUIRE(all > 0);
    return big / all;
  };
  const double blind = big_ip_share_of_new_follows("recommendation.follower_exponent=0");
  const double driven = big_ip_share_of_new_follows("recommendation.follower_exponent=1");
  INFO("big IPs' share of new follows: " << blind << " blind, " << driven << " popularity-driven");
  CHECK(driven > blind * 2);
}

namespace {

/// What the items that entered pool 2 during a run got from the recommender: their recommended impressions in
/// pool 1 (all of them before the promotion) and in pool 2 over the `window` days from entering it, or until
/// they left it if sooner. Items whose window outlasts the run or who retire within it are not counted.
struct PoolTwoDelivery {
  std::vector<double> pool1, pool2;
  std::vector<std::int64_t> entered;
};

PoolTwoDelivery pool_two_delivery(const params::Scenario& scenario, std::int64_t window) {
  sim::Simulation simulation(scenario);
  const std::int64_t days = simulation.params().run.days;
  struct Tracked {
    std::uint32_t id;
    std::int64_t entered;  // first day in pool 2
    std::uint32_t before;  // recommended impressions in pool 1
  };
  std::vector<Tracked> tracked;
  PoolTwoDelivery out;
  for (std::int64_t day = 0; day < days; ++day) {
    simulation.step();
    const auto& items = simulation.state().items;
    for (auto it = tracked.begin(); it != tracked.end();) {
      if (!items.holds(it->id)) {
        it = tracked.erase(it);
        continue;
      }
      const std::uint32_t s = items.slot(it->id);
      if (items.tier[s] != 1 || items.left_pool[s] || day + 1 - it->entered >= window) {
        out.pool1.push_back(it->before);
        out.pool2.push_back(items.rec_impressions[s] - it->before);
        out.entered.push_back(it->entered);
        it = tracked.erase(it);
      } else {
        ++it;
      }
    }
    if (day + window >= days) continue;
    for (std::uint32_t s = 0; s < items.size(); ++s)
      if (items.tier[s] == 1 && !items.left_pool[s] && std::int64_t(items.tier_since[s]) == day + 1)
        tracked.push_back({items.first_id + s, day + 1, items.rec_impressions[s]});
  }
  return out;
}

double mean_of(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

}  // namespace

TEST_CASE("recommend: exposure targets give a pooled item its remaining quota's share of the topic, within the cap",
          "[recommend]") {
  params::Params params;
  params.population.topics = 1;
  params.recommendation.engagement_exponent = 0;
  params.pools.exposure_days = 3;
  params.pools.target_share_max = 0.8;
  const Tick today = 2;
  // One user interested in topic 0 only: every recommended draw is in topic 0, and yesterday there were 10,000.
  auto world = [&](std::initializer_list<std::uint8_t> tiers) {
    state::State state = bare_state(1);
    state.users.count = 1;
    state.users.interests_per_user = 1;
    state.users.interest_topic = {0};
    state.users.interest_weight = {1.0f};
    state.users.attention = {50};
    state.users.on_platform = {1};
    state.recommended_yesterday = 10000;
    for (std::uint8_t tier : tiers) {
      const std::uint32_t slot = state.items.slot(state.items.add(0, 0, tier >= 4 ? 1.0f : 0.5f, 0));
      state.items.tier[slot] = tier;
    }
    return state;
  };
  auto probabilities = [&](const state::State& state) {
    phases::TickBuffers buffers;
    phases::prepare_recommendation({params, 1, today}, state, buffers);
    return pick_probabilities(buffers.recommendation, 0);
  };
  // Items 0-2 in quota pools: item 0 in pool 1 since day 0 (its window's last day: it asks its whole quota, 300),
  // item 1 in pool 2 since day 1 with 1,000 of its 3,000 (asks 2,000 over 2 days), item 2 in pool 2 since today
  // (3,000 over 3 days); items 4 and 5 in the top pool, of quality 0.5 and 1 (organic weights 1 : 4).
  state::State state = world({0, 1, 1, 4, 4});
  state.items.tier_since = {0, 1, 2, 0, 0};
  state.items.tier_impressions = {0, 1000, 0, 0, 0};
  state.items.quality[3] = 0.5f;
  const double tau0 = 300.0 / 10000, tau1 = 1000.0 / 10000, tau2 = 1000.0 / 10000, targets = tau0 + tau1 + tau2;
  auto p = probabilities(state);
  CHECK(p[0] == Approx(tau0).margin(1e-6));
  CHECK(p[1] == Approx(tau1).margin(1e-6));
  CHECK(p[2] == Approx(tau2).margin(1e-6));
  CHECK(p[3] == Approx((1 - targets) * 0.2).margin(1e-6));
  CHECK(p[4] == Approx((1 - targets) * 0.8).margin(1e-6));

  // An item in pool 4 asking 300,000 / 3 a day: the targets ask 10.23 times the topic's draws, so all are scaled
  // down together to take target_share_max of it; the top pool keeps the rest, by organic weight.
  state::State crowded = world({0, 1, 1, 3, 4, 4});
  crowded.items.tier_since = {0, 1, 2, 2, 0, 0};
  crowded.items.tier_impressions = {0, 1000, 0, 0, 0, 0};
  crowded.items.quality[4] = 0.5f;
  const double tau3 = 100000.0 / 10000, scale = 0.8 / (targets + tau3);
  auto q = probabilities(crowded);
  CHECK(q[0] == Approx(scale * tau0).margin(1e-6));
  CHECK(q[3] == Approx(scale * tau3).margin(1e-6));
  CHECK(q[0] + q[1] + q[2] + q[3] == Approx(0.8).margin(1e-6));
  CHECK(q[4] == Approx(0.2 * 0.2).margin(1e-6));
  CHECK(q[5] == Approx(0.2 * 0.8).margin(1e-6));

  // Without top-pool items, the pooled items share the whole topic in proportion to their targets.
  state::State no_top = world({0, 1, 1});
  no_top.items.tier_since = {0, 1, 2};
  no_top.items.tier_impressions = {0, 1000, 0};
  auto r = probabilities(no_top);
  CHECK(r[0] == Approx(tau0 / targets).margin(1e-6));
  CHECK(r[1] == Approx(tau1 / targets).margin(1e-6));

  // Off (exposure_days 0): the organic weights q^2, whatever the pools.
  params.pools.exposure_days = 0;
  auto organic = probabilities(state);
  CHECK(organic[0] == Approx(0.25 / 2.0).margin(1e-6));  // weights 0.25, 0.25, 0.25, 0.25, 1
  CHECK(organic[4] == Approx(1.0 / 2.0).margin(1e-6));
}

TEST_CASE(
    "recommend: with exposure targets an item promoted into pool 2 gets about tier2_size impressions over "
    "the window, ten times what it got in pool 1",
    "[recommend]") {
  // 20 creators for 3,000 users, so the pools' targets fit in their topics' draws; pools 3 and 4 take one
  // impression and no likes, so promoted items soon reach the top pool, which takes what the targets leave.
  auto delivery = [](const char* exposure_days) {
    auto scenario = testing::make_scenario(
        "run: {seed: 11, days: 20}\n"
        "population: {users: 3000, creators: 20, topics: 12}\n"
        "graph: {kind: barabasi_albert, mean_degree: 8}\n"
        "pools: {tier1_size: 100, tier2_size: 1000, tier3_size: 1, tier3_threshold: 0, tier4_size: 1, "
        "tier4_threshold: 0}\n",
        {exposure_days});
    PoolTwoDelivery all = pool_two_delivery(scenario, 3), out;
    for (std::size_t k = 0; k < all.pool2.size(); ++k)
      if (all.entered[k] >= 7) {  // from day 7 on, topics have items in the top pool
        out.pool1.push_back(all.pool1[k]);
        out.pool2.push_back(all.pool2[k]);
      }
    return out;
  };
  // Within 10% of the quota. One item's pool-2 impressions are a sum of Poisson counts (sd about sqrt(1000) = 32,
  // 3%; the mean over 100+ items, 0.3%): the band is for the estimate of a topic's draws (yesterday's recommended
  // impressions times the topic's share of demand), not for chance.
  auto delivers_quota = [](const PoolTwoDelivery& d) {
    return std::abs(mean_of(d.pool2) / 1000 - 1) < 0.1 && std::abs(median_of(d.pool2) / 1000 - 1) < 0.1;
  };
  const PoolTwoDelivery on = delivery("pools.exposure_days=3");
  INFO("targets on: " << on.pool2.size() << " items, pool 1 mean " << mean_of(on.pool1) << ", pool 2 mean "
                      << mean_of(on.pool2) << ", median " << median_of(on.pool2));
  REQUIRE(on.pool2.size() >= 50);
  CHECK(delivers_quota(on));
  // Promoted items used their pool-1 quota (100) with at most one day's overshoot: pool 2 gives them 6-10 times more.
  CHECK(mean_of(on.pool1) >= 100);
  CHECK(mean_of(on.pool2) / mean_of(on.pool1) > 6);

  const PoolTwoDelivery off = delivery("pools.exposure_days=0");
  INFO("targets off: " << off.pool2.size() << " items, pool 1 mean " << mean_of(off.pool1) << ", pool 2 mean "
                       << mean_of(off.pool2) << ", median " << median_of(off.pool2));
  REQUIRE(off.pool2.size() >= 50);
  CHECK_FALSE(delivers_quota(off));  // organic traffic does not follow the pool
  CHECK(mean_of(off.pool2) / mean_of(off.pool1) < 3);
}

TEST_CASE("recommend: the creator share cap holds the top creator's daily share within 1.2 times the cap",
          "[recommend]") {
  // Largest share of a day's recommended impressions taken by one creator, over the days of the run, and whether
  // every day's top creator stayed within the bound consume enforces: cap · M + B impressions (M the day's
  // recommended impressions, B the blocks of 2,048 users). Brands buy no ads, private traffic has little room and
  // the recommender ignores follower counts (follower_exponent 0), so recommendation fills most slots and the
  // bound's slack (B / M) is small beside the cap. (With the default follower_exponent, a few creators hold most
  // of each topic's weight; at cap 0.01 most redraws land on them again and most slots stay empty, so M is a few
  // hundred and the slack a visible part of the cap: only the bound is checked there, below.)
  struct Top {
    double share = 0;
    bool within_bound = true;
  };
  auto max_top_share = [](std::initializer_list<std::string_view> overrides) {
    sim::Simulation simulation(
        testing::make_scenario("run: {seed: 3, days: 12}\n"
                               "population: {users: 5000, creators: 250, topics: 20}\n"
                               "graph: {kind: barabasi_albert, mean_degree: 8}\n"
                               "brands: {ad_share: 0}\n"
                               "feed: {private_share_max: 0.2}\n"
                               "recommendation: {follower_exponent: 0}\n",
                               overrides));
    const double cap = simulation.params().recommendation.creator_share_cap;
    const double blocks = std::ceil(simulation.params().population.users / 2048.0);
    Top top;
    for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
      simulation.step();
      const auto& m = simulation.last_metrics();
      const double recommended = double(m.impressions[index(Channel::Recommendation)]);
      top.share = std::max(top.share, double(m.top_creator_recommended) / recommended);
      if (cap > 0 && double(m.top_creator_recommended) > cap * recommended + blocks) top.within_bound = false;
    }
    return top;
  };
  const double cap = 0.01;
  const Top off = max_top_share({});
  const Top capped = max_top_share({"recommendation.creator_share_cap=0.01"});
  const Top capped_with_targets = max_top_share({"recommendation.creator_share_cap=0.01", "pools.exposure_days=3"});
  INFO("largest daily top-creator share: " << off.share << " without cap, " << capped.share << " with cap " << cap
                                           << ", " << capped_with_targets.share
                                           << " with the cap and exposure targets");
  CHECK(off.share > 1.2 * cap);  // without the cap the checks below fail
  CHECK(capped.share <= 1.2 * cap);
  CHECK(capped_with_targets.share <= 1.2 * cap);
  CHECK(capped.within_bound);
  CHECK(capped_with_targets.within_bound);
  CHECK(max_top_share({"recommendation.creator_share_cap=0.01", "brands.ad_share=0.45", "feed.private_share_max=0.5",
                       "recommendation.follower_exponent=1.3"})
            .within_bound);
}
