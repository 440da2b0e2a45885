// Tests of the purchase journey (SICAS) and sales (engine/phases/journeys.cpp): no exposure, no sale; stages
// advance without purchases when conversion is off; conversion grows with trust; repurchase and sharing after a
// purchase switch on and off; the funnel is monotone; every purchase is attributed to one channel.
#include <catch2/catch.hpp>

#include <numeric>
#include <string>

#include "phases/phases.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

/// A small scenario with a busy marketplace and brisk sales; `overrides` are `key=value` separated by ';'.
params::Scenario scenario(const std::string& overrides = "") {
  std::string all = "sicas.purchase_base=0.1";
  if (!overrides.empty()) all.append(";").append(overrides);
  return testing::make_scenario(
      "run: {seed: 23, days: 20}\n"
      "population: {users: 3000, creators: 60, topics: 12, brands: 6}\n"
      "graph: {kind: barabasi_albert, mean_degree: 8}\n"
      "marketplace: {min_followers: 10}\n",
      all);
}

/// Sales of a run.
struct Sales {
  phases::TickMetrics::PerChannel by_channel{};  ///< purchases by channel over the run
  std::uint64_t new_customers = 0, repeat_purchases = 0, shares = 0;
  std::vector<std::uint64_t> funnel;  ///< [brand * kJourneyStages + stage - 1] at the end
  std::uint64_t journeys = 0;
  std::uint64_t private_purchases() const {
    return by_channel[index(Channel::FollowFeed)] + by_channel[index(Channel::Group)] +
           by_channel[index(Channel::FriendShare)];
  }
  std::uint64_t stage_total(state::JourneyStage stage) const {
    std::uint64_t total = 0;
    for (std::size_t k = static_cast<std::size_t>(stage) - 1; k < funnel.size(); k += state::kJourneyStages)
      total += funnel[k];
    return total;
  }
};

/// Runs the scenario, checking every tick: purchases by channel sum to new + repeat purchases, the brands'
/// counts sum to the day's totals, and each brand's revenue is its price p_b = sicas.price * price scale per
/// purchase, exactly.
Sales run(const std::string& overrides) {
  sim::Simulation simulation(scenario(overrides));
  Sales sales;
  const auto& brands = simulation.state().brands;
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    simulation.step();
    const auto& m = simulation.last_metrics();
    const auto& a = simulation.state().brand_accounts;
    const std::uint64_t attributed = std::accumulate(m.purchases.begin(), m.purchases.end(), std::uint64_t{0});
    REQUIRE(attributed == m.brands.new_customers + m.brands.repeat_purchases);
    REQUIRE(std::accumulate(a.new_customers.begin(), a.new_customers.end(), std::uint64_t{0}) ==
            m.brands.new_customers);
    REQUIRE(std::accumulate(a.repeat_purchases.begin(), a.repeat_purchases.end(), std::uint64_t{0}) ==
            m.brands.repeat_purchases);
    Micros revenue = 0;
    for (std::uint32_t b = 0; b < brands.count; ++b) {
      const Micros price = to_micros(simulation.params().sicas.price * double(brands.price_scale[b]));
      REQUIRE(a.price[b] == price);
      REQUIRE(a.revenue[b] == price * static_cast<Micros>(a.new_customers[b] + a.repeat_purchases[b]));
      revenue += a.revenue[b];
    }
    REQUIRE(m.brands.revenue == revenue);
    for (std::size_t c = 0; c < kChannelCount; ++c) sales.by_channel[c] += m.purchases[c];
    sales.new_customers += m.brands.new_customers;
    sales.repeat_purchases += m.brands.repeat_purchases;
    sales.shares += std::accumulate(m.shares.begin(), m.shares.end(), std::uint64_t{0});
  }
  sales.funnel = phases::journey_funnel(simulation.state());
  sales.journeys = simulation.state().journeys.size();
  return sales;
}

}  // namespace

TEST_CASE("sicas: the default rules sell, and the funnel is monotone", "[sicas]") {
  const Sales s = run("");
  CHECK(s.new_customers > 0);
  CHECK(s.repeat_purchases > 0);
  CHECK(s.by_channel[index(Channel::Ads)] > 0);
  CHECK(s.private_purchases() > 0);
  using state::JourneyStage;
  const std::size_t brands = s.funnel.size() / state::kJourneyStages;
  for (std::size_t b = 0; b < brands; ++b)
    for (std::size_t k = 1; k < state::kJourneyStages; ++k)
      CHECK(s.funnel[b * state::kJourneyStages + k - 1] >= s.funnel[b * state::kJourneyStages + k]);
  CHECK(s.stage_total(JourneyStage::Sense) == s.journeys);
  CHECK(s.stage_total(JourneyStage::Interest) > s.stage_total(JourneyStage::Connect));
  // Each journey that bought counts one new customer: Action is reached exactly once per customer.
  CHECK(s.stage_total(JourneyStage::Action) == s.new_customers);
  CHECK(s.stage_total(JourneyStage::Share) > 0);
}

TEST_CASE("sicas: without brand exposure nothing is sold", "[sicas]") {
  const Sales s = run("brands.budget_mean=0");
  CHECK(s.journeys == 0);
  CHECK(s.new_customers + s.repeat_purchases == 0);
}

TEST_CASE("sicas: purchase_base 0 moves users through the stages but sells nothing", "[sicas]") {
  const Sales s = run("sicas.purchase_base=0");
  CHECK(s.stage_total(state::JourneyStage::Sense) > 0);
  CHECK(s.stage_total(state::JourneyStage::Interest) > 0);
  CHECK(s.stage_total(state::JourneyStage::Connect) > 0);
  CHECK(s.stage_total(state::JourneyStage::Action) == 0);
  CHECK(s.new_customers + s.repeat_purchases == 0);
}

TEST_CASE("sicas: conversion grows with trust in the recommending creator", "[sicas]") {
  // Sponsored items of followed creators sell through the follow feed and groups, where the viewer trusts the
  // creator; ads carry no trust, so their sales do not depend on trust_weight.
  const Sales none = run("sicas.trust_weight=0;sicas.purchase_base=0.03");
  const Sales strong = run("sicas.trust_weight=10;sicas.purchase_base=0.03");
  CHECK(strong.private_purchases() > 2 * none.private_purchases());
  CHECK(strong.new_customers > none.new_customers);
}

TEST_CASE("sicas: repurchase_probability 0 gives no repeat purchases", "[sicas]") {
  const Sales off = run("sicas.repurchase_probability=0");
  CHECK(off.new_customers > 0);
  CHECK(off.repeat_purchases == 0);
  const Sales on = run("sicas.repurchase_probability=0.5");
  CHECK(on.repeat_purchases > 0);
}

TEST_CASE("sicas: buyers sharing after a purchase add shares", "[sicas]") {
  const Sales off = run("sicas.share_after_purchase=0");
  const Sales on = run("sicas.share_after_purchase=1");
  CHECK(off.stage_total(state::JourneyStage::Share) == 0);
  CHECK(on.stage_total(state::JourneyStage::Share) > 0);
  CHECK(on.shares > off.shares);
}

TEST_CASE("sicas: the journey store merges new journeys in brand order and keeps stages", "[sicas]") {
  state::JourneyStore store(3);
  const std::vector<state::NewJourney> first = {{0, 5, 1, 0}, {2, 1, 3, 0}, {2, 7, 4, 1}};
  store.merge(first);
  store.stage_of(2)[0] = 4;  // in place, as consume does
  const std::vector<state::NewJourney> second = {{0, 2, 2, 0}, {1, 9, 1, 0}, {2, 4, 1, 0}};
  store.merge(second);
  CHECK(store.size() == 6);
  CHECK(std::vector<std::uint32_t>(store.brands(0).begin(), store.brands(0).end()) == std::vector<std::uint32_t>{2, 5});
  CHECK(std::vector<std::uint32_t>(store.brands(2).begin(), store.brands(2).end()) ==
        std::vector<std::uint32_t>{1, 4, 7});
  CHECK(store.stage_of(2)[0] == 4);
  CHECK(store.purchases_of(2)[2] == 1);
  CHECK(store.find(1, 9) == 0);
  CHECK(store.find(1, 5) == -1);
}

TEST_CASE("sicas: with impulse, lapses, referrals and established brands the funnel still counts correctly",
          "[sicas]") {
  // Every tick run() checks purchases by channel against new + repeat purchases and each brand's revenue.
  const std::string loops =
      "live.impulse_probability=0.05;sicas.lapse_probability=0.05;sicas.referral_probability=0.3;"
      "engagement.share_rate=0.05;brands.established_share=0.34;brands.established_awareness=0.3;"
      "brands.established_interest=0.2";
  const Sales s = run(loops);
  CHECK(s.new_customers > 0);
  CHECK(s.repeat_purchases > 0);
  const std::size_t brands = s.funnel.size() / state::kJourneyStages;
  for (std::size_t b = 0; b < brands; ++b)
    for (std::size_t k = 1; k < state::kJourneyStages; ++k)
      CHECK(s.funnel[b * state::kJourneyStages + k - 1] >= s.funnel[b * state::kJourneyStages + k]);
  CHECK(s.stage_total(state::JourneyStage::Sense) == s.journeys);
  // A customer who lapsed and came back is still one customer: Action counts journeys, not purchases.
  CHECK(s.stage_total(state::JourneyStage::Action) == s.new_customers);
  // Each mechanism acted.
  sim::Simulation simulation(scenario(loops));
  std::uint64_t impulse = 0, lapses = 0, referrals = 0;
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    simulation.step();
    impulse += simulation.last_metrics().impulse_purchases;
    lapses += simulation.last_metrics().journey_lapses;
    referrals += simulation.last_metrics().referrals;
  }
  CHECK(impulse > 0);
  CHECK(lapses > 0);
  CHECK(referrals > 0);
}
