// Tests of established and native brands (drawn in engine/state/population.cpp, make_brands and initial_journeys;
// their budget split in engine/phases/brands/prepare.cpp, plan_budgets): a share of brands is established, with a
// budget and price multiplier, users who start aware of them (at Sense or Interest), and their own split of the
// budget, which they spend by. With brands.established_share 0 every brand is native and nothing changes.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <string>

#include "phases/phases.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

/// Established brands: a quarter, twice the budget and 1.5 times the price, ad-heavy; natives keep the defaults.
const std::string kEstablished =
    "brands.established_share=0.25;brands.established_budget_multiplier=2;brands.established_price_multiplier=1.5;"
    "brands.established_ad_share=0.8;brands.established_sponsorship_share=0.1;"
    "brands.established_content_share=0.05;brands.established_live_share=0.05";

/// A small scenario of 8 brands; `overrides` are `key=value` separated by ';'.
params::Scenario scenario(const std::string& overrides, std::int64_t users = 3000) {
  return testing::make_scenario(
      "run: {seed: 41, days: 10}\n"
      "population: {users: " +
          std::to_string(users) +
          ", creators: 60, topics: 12, brands: 8}\n"
          "graph: {kind: barabasi_albert, mean_degree: 8}\n"
          "marketplace: {min_followers: 10}\n",
      overrides);
}

/// |count - n q| within 4 binomial standard errors.
bool within_4_se(std::uint64_t count, std::uint64_t n, double q) {
  return std::abs(double(count) - double(n) * q) < 4 * std::sqrt(double(n) * q * (1 - q));
}

std::uint32_t established_count(const state::BrandStore& brands) {
  std::uint32_t n = 0;
  for (std::uint32_t b = 0; b < brands.count; ++b) n += brands.established(b);
  return n;
}

}  // namespace

TEST_CASE("brand kinds: round(share x brands) are established, with their budget and price multipliers",
          "[brand_kinds]") {
  const params::Params native = scenario("").params;
  const params::Params mixed = scenario(kEstablished).params;
  const state::BrandStore one_kind = state::make_brands(native, 20);
  const state::BrandStore two_kinds = state::make_brands(mixed, 20);
  CHECK(established_count(one_kind) == 0);
  REQUIRE(established_count(two_kinds) == 5);
  for (std::uint32_t b = 0; b < 20; ++b) {
    INFO("brand " << b);
    CHECK(two_kinds.topic[b] == one_kind.topic[b]);
    if (!two_kinds.established(b)) {  // a native brand draws what it drew with one kind, bit for bit
      CHECK(two_kinds.budget_scale[b] == one_kind.budget_scale[b]);
      CHECK(two_kinds.price_scale[b] == one_kind.price_scale[b]);
      continue;
    }
    CHECK(two_kinds.budget_scale[b] == Approx(2 * one_kind.budget_scale[b]).epsilon(1e-6));
    CHECK(two_kinds.price_scale[b] == Approx(1.5 * one_kind.price_scale[b]).epsilon(1e-6));
  }
  // Shares round to the nearest count; a share of 1 makes every brand established.
  params::Params all = mixed;
  all.brands.established_share = 1;
  CHECK(established_count(state::make_brands(all, 7)) == 7);
  all.brands.established_share = 0.2;
  CHECK(established_count(state::make_brands(all, 7)) == 1);
}

TEST_CASE("brand kinds: users start aware of established brands, at Sense or Interest", "[brand_kinds]") {
  const std::uint32_t n = 20000;
  const double awareness = 0.3, interest = 0.4;
  const std::string aware = ";brands.established_awareness=0.3;brands.established_interest=0.4";
  sim::Simulation simulation(scenario(kEstablished + aware, n));
  const auto& st = simulation.state();
  REQUIRE(established_count(st.brands) == 2);
  std::vector<std::uint64_t> at_sense(st.brands.count, 0), at_interest(st.brands.count, 0);
  for (std::uint32_t u = 0; u < n; ++u) {
    auto brands = st.journeys.brands(u);
    auto stages = st.journeys.stage_of(u);
    for (std::size_t e = 0; e < brands.size(); ++e) {
      REQUIRE(stages[e] >= std::uint8_t(state::JourneyStage::Sense));
      REQUIRE(stages[e] <= std::uint8_t(state::JourneyStage::Interest));
      at_sense[brands[e]]++;
      at_interest[brands[e]] += stages[e] == std::uint8_t(state::JourneyStage::Interest);
    }
  }
  for (std::uint32_t b = 0; b < st.brands.count; ++b) {
    INFO("brand " << b << ": " << at_sense[b] << " aware, " << at_interest[b] << " interested of " << n);
    if (!st.brands.established(b)) {
      CHECK(at_sense[b] == 0);
      continue;
    }
    CHECK(within_4_se(at_sense[b], n, awareness));
    CHECK(within_4_se(at_interest[b], n, awareness * interest));
  }
  // The funnel counts them from the start.
  const std::vector<std::uint64_t> funnel = phases::journey_funnel(st);
  for (std::uint32_t b = 0; b < st.brands.count; ++b) CHECK(funnel[b * state::kJourneyStages] == at_sense[b]);
  // With no established brand, awareness gives no journey.
  sim::Simulation native(scenario("brands.established_share=0" + aware, n));
  CHECK(native.state().journeys.size() == 0);
}

TEST_CASE("brand kinds: established brands budget and spend by their own split", "[brand_kinds]") {
  // Budgets small enough, and the ad load high enough, that every brand can spend its ad line.
  sim::Simulation simulation(scenario(kEstablished + ";brands.budget_mean=20;platform.ad_load=1"));
  const auto& st = simulation.state();
  const auto& a = st.brand_accounts;
  REQUIRE(established_count(st.brands) == 2);
  const std::array<double, state::kBudgetLines> native_split = {0.45, 0.35, 0.1, 0.1},
                                                established_split = {0.8, 0.1, 0.05, 0.05};
  std::vector<Micros> ad_budget(st.brands.count, 0);
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    simulation.step();
    for (std::uint32_t b = 0; b < st.brands.count; ++b) {
      const auto& split = st.brands.established(b) ? established_split : native_split;
      const Micros budget = to_micros(simulation.params().brands.budget_mean * double(st.brands.budget_scale[b]));
      for (std::size_t k = 0; k < state::kBudgetLines; ++k) {
        REQUIRE(a.share[b * state::kBudgetLines + k] == split[k]);
        REQUIRE(a.budget[b * state::kBudgetLines + k] == Micros(std::floor(double(budget) * split[k])));
      }
      ad_budget[b] += a.budget[b * state::kBudgetLines + index(state::BudgetLine::Ads)];
    }
  }
  // Each brand spends its ad line (never above it): 80% of an established brand's budget, 45% of a native's.
  double ad_part[2] = {0, 0}, total[2] = {0, 0};
  for (std::uint32_t b = 0; b < st.brands.count; ++b) {
    const Micros ads = a.total_spend[b * state::kBudgetLines + index(state::BudgetLine::Ads)];
    INFO("brand " << b << " spent " << ads << " of its ad budget " << ad_budget[b]);
    CHECK(ads <= ad_budget[b]);
    CHECK(double(ads) > 0.9 * double(ad_budget[b]));
    const bool established = st.brands.established(b);
    ad_part[established] += double(ads);
    total[established] += double(simulation.params().run.days) *
                          double(to_micros(simulation.params().brands.budget_mean * double(st.brands.budget_scale[b])));
  }
  CHECK(ad_part[1] / total[1] > 0.7);   // of 0.8
  CHECK(ad_part[0] / total[0] < 0.46);  // of 0.45
}

TEST_CASE("brand kinds: a timeline change of the strategy resets each brand to its kind's split", "[brand_kinds]") {
  params::Scenario s = testing::make_scenario(
      "run: {seed: 41, days: 6}\n"
      "population: {users: 2000, creators: 40, topics: 12, brands: 8}\n"
      "timeline:\n"
      "  - {at: 3, set: {brands.ad_share: 0.2, brands.established_ad_share: 0.6}}\n",
      kEstablished + ";brands.adaptive_rate=0.5");
  sim::Simulation simulation(s);
  for (int d = 0; d < 4; ++d) simulation.step();
  const auto& st = simulation.state();
  REQUIRE(established_count(st.brands) == 2);
  for (std::uint32_t b = 0; b < st.brands.count; ++b)
    CHECK(st.brand_accounts.share[b * state::kBudgetLines] == (st.brands.established(b) ? 0.6 : 0.2));
}
