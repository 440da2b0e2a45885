// Tests of what each growth stage gets (docs/model.md, "Creator lifecycle", "What each stage gets"): the traffic
// support in the recommender's weight (engine/phases/recommend.cpp), the lowest stage that takes sponsorship
// orders and live orders (engine/phases/brands/prepare.cpp) and the lower commission from harvest on
// (engine/phases/brands/settle.cpp). Each effect is checked on creators at and below the eligible stage, and with
// the effect off. The departure stage's faster learning is tested with the lifecycle (test_creators.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "params/scenario.hpp"
#include "phases/phases.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

/// A small scenario where the marketplace and live orders are busy from the first days (creators may sponsor
/// most of their items, and all sell live).
params::Scenario scenario(const std::string& extra = "") {
  return testing::make_scenario(
      "run: {seed: 31, days: 20}\n"
      "population: {users: 4000, creators: 80, topics: 10, brands: 5}\n"
      "graph: {kind: barabasi_albert, mean_degree: 8}\n"
      "marketplace: {min_followers: 10}\n"
      "creators: {live_selling_share: 1, sponsored_share_mean: 0.9}\n",
      extra);
}

/// The state of `scenario()` after `days` days, every creator then set to stage 1 (odd ids) or 2 (even ids).
state::State state_with_stages(const sim::Simulation& simulation) {
  state::State st = simulation.state();
  for (std::uint32_t c = 0; c < st.lifecycle.size(); ++c) st.lifecycle.stage[c] = c % 2 == 0 ? 2 : 1;
  return st;
}

/// Creators by stage among `hosts`.
std::map<int, std::uint32_t> by_stage(const state::State& st, const std::vector<std::uint32_t>& hosts) {
  std::map<int, std::uint32_t> count;
  for (std::uint32_t c : hosts) count[st.lifecycle.stage[c]]++;
  return count;
}

}  // namespace

TEST_CASE("stages: traffic support multiplies the recommendation weight of each stage's creators", "[stages]") {
  // One topic, four creators at stages 0..3 with one item each; every other factor of the weight is equal.
  params::Params p;
  p.population.topics = 1;
  p.recommendation.engagement_exponent = 0;
  p.recommendation.quality_exponent = 0;
  state::State st;
  st.creators.count = 4;
  st.creators.topic.assign(4, 0);
  st.creators.followers.assign(4, 0);
  const std::vector<float> skills(4, 0.5f);
  st.lifecycle.add(4, 0, skills.data());
  for (std::uint8_t c = 0; c < 4; ++c) st.lifecycle.stage[c] = c;
  for (std::uint32_t c = 0; c < 4; ++c) st.items.add(c, 0, 0.5f, 0);
  auto pick_probability = [&](double exploration, double harvest, double road) {
    p.lifecycle.exploration_traffic_boost = exploration;
    p.lifecycle.harvest_traffic_boost = harvest;
    p.lifecycle.on_the_road_traffic_boost = road;
    phases::TickBuffers buffers;
    phases::prepare_recommendation({p, 1, 0}, st, buffers);
    const auto& tables = buffers.recommendation;
    std::vector<double> probability(4, 0.0);
    const std::uint32_t size = tables.topic_begin[1];
    for (std::uint32_t j = 0; j < size; ++j) {
      probability[st.items.creator[st.items.slot(tables.item[j])]] += tables.alias.keep(j) / size;
      probability[st.items.creator[st.items.slot(tables.item[tables.alias.alias(j)])]] +=
          (1.0 - tables.alias.keep(j)) / size;
    }
    return probability;
  };
  // Weights 1, 2, 4, 1 of 8: exploration doubled, harvest 4 times, on the road unchanged.
  const auto boosted = pick_probability(2, 4, 1);
  CHECK(boosted[0] == Approx(1.0 / 8).margin(1e-6));
  CHECK(boosted[1] == Approx(2.0 / 8).margin(1e-6));
  CHECK(boosted[2] == Approx(4.0 / 8).margin(1e-6));
  CHECK(boosted[3] == Approx(1.0 / 8).margin(1e-6));
  // Off (all 1): every stage alike.
  for (double q : pick_probability(1, 1, 1)) CHECK(q == Approx(0.25).margin(1e-6));
}

TEST_CASE("stages: only creators at marketplace.min_stage or later take sponsorship orders", "[stages]") {
  sim::Simulation simulation(scenario());
  for (int d = 0; d < 3; ++d) simulation.step();
  auto deal_makers = [&](std::int64_t min_stage) {
    state::State st = state_with_stages(simulation);
    std::fill(st.deals.brand.begin(), st.deals.brand.end(), state::kNoBrand);  // everyone free to take one
    params::Params p = simulation.params();
    p.marketplace.min_stage = min_stage;
    const Tick tick = simulation.tick();
    phases::TickBuffers buffers;
    phases::brands_prepare({p, 31, tick}, st, buffers);
    std::vector<std::uint32_t> makers;
    for (std::uint32_t c = 0; c < st.deals.size(); ++c)
      if (st.deals.brand[c] != state::kNoBrand && st.deals.made[c] == tick) makers.push_back(c);
    return by_stage(st, makers);
  };
  auto open = deal_makers(0);
  INFO("deals by stage, min_stage 0: stage 1 " << open[1] << ", stage 2 " << open[2]);
  REQUIRE(open[1] > 0);  // with the effect off, stage-1 creators take orders too
  auto harvest_only = deal_makers(2);
  INFO("min_stage 2: stage 1 " << harvest_only[1] << ", stage 2 " << harvest_only[2]);
  CHECK(harvest_only[1] == 0);
  CHECK(harvest_only[2] > 0);
  CHECK(deal_makers(1)[1] > 0);  // stage 1 is eligible at min_stage 1
}

TEST_CASE("stages: only live sellers at live.min_stage or later accept live orders", "[stages]") {
  sim::Simulation simulation(scenario("brands.ad_share=0.05;brands.live_share=0.5"));
  for (int d = 0; d < 3; ++d) simulation.step();
  auto hosts = [&](std::int64_t min_stage) {
    state::State st = state_with_stages(simulation);
    params::Params p = simulation.params();
    p.live.min_stage = min_stage;
    phases::TickBuffers buffers;
    phases::brands_prepare({p, 31, simulation.tick()}, st, buffers);
    std::vector<std::uint32_t> booked;
    for (const phases::LiveSession& session : buffers.lives.sessions) booked.push_back(session.host);
    return by_stage(st, booked);
  };
  auto open = hosts(0);
  INFO("sessions by stage, min_stage 0: stage 1 " << open[1] << ", stage 2 " << open[2]);
  REQUIRE(open[1] > 0);
  auto harvest_only = hosts(2);
  INFO("min_stage 2: stage 1 " << harvest_only[1] << ", stage 2 " << harvest_only[2]);
  CHECK(harvest_only[1] == 0);
  CHECK(harvest_only[2] > 0);
  CHECK(hosts(3).empty());  // nobody is on the road
}

TEST_CASE("stages: from harvest on, creators keep more of each deal", "[stages]") {
  // Every creator posts a sponsored item today at price 100: the platform keeps 10% of it from a stage-1
  // creator and harvest_commission_share of that from a stage-2 creator.
  sim::Simulation simulation(scenario("marketplace.commission=0.1"));
  simulation.step();
  auto brand_income = [&](double share) {
    state::State st = state_with_stages(simulation);
    const Tick tick = simulation.tick();
    for (std::uint32_t c = 0; c < st.deals.size(); ++c) {
      st.deals.brand[c] = 0;
      st.deals.price[c] = to_micros(100.0);
      st.deals.made[c] = tick;
      st.deals.filled[c] = tick;
    }
    params::Params p = simulation.params();
    p.marketplace.harvest_commission_share = share;
    phases::TickBuffers buffers;
    phases::settle_brands({p, 31, tick}, st, buffers);
    const auto& b = buffers.metrics.brands;
    REQUIRE(b.sponsorship_spend == b.creator_brand_income + b.platform_commission);  // money still adds up
    std::map<int, double> income;  // by stage: one creator's brand-order income
    for (std::uint32_t c = 0; c < 2; ++c)
      income[st.lifecycle.stage[c]] =
          st.lifecycle
              .income_pending[std::size_t(c) * state::kIncomeSources + std::size_t(state::IncomeSource::BrandOrders)];
    return income;
  };
  auto half = brand_income(0.5);
  CHECK(half[1] == Approx(90.0));
  CHECK(half[2] == Approx(95.0));
  auto off = brand_income(1);
  CHECK(off[1] == Approx(90.0));
  CHECK(off[2] == Approx(90.0));
}
