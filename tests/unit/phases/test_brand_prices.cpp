// Tests of per-brand prices (drawn in engine/state/population.cpp, make_brands) and price elasticity
// (engine/phases/journeys.cpp, journey_contact; revenue in engine/phases/brands/settle.cpp, settle_brands): a brand's
// price is sicas.price times its price scale, its revenue is that price per purchase, and a dearer brand converts
// less. Each is switched off (sigma 0, elasticity 0) or pushed to show its effect.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "phases/phases.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

/// A small scenario with a busy marketplace and brisk sales; `overrides` are `key=value` separated by ';'.
params::Scenario scenario(const std::string& overrides) {
  return testing::make_scenario(
      "run: {seed: 31, days: 20}\n"
      "population: {users: 3000, creators: 60, topics: 12, brands: 6}\n"
      "graph: {kind: barabasi_albert, mean_degree: 8}\n"
      "marketplace: {min_followers: 10}\n"
      "sicas: {purchase_base: 0.1}\n",
      overrides);
}

/// Each brand's purchases (new and repeat) and revenue on each day: [day][brand].
struct Sales {
  std::vector<std::vector<std::uint64_t>> purchases;
  std::vector<std::vector<Micros>> revenue;
  std::vector<Micros> price;  ///< each brand's price on the last day
};

Sales run(const std::string& overrides) {
  sim::Simulation simulation(scenario(overrides));
  Sales sales;
  const auto& a = simulation.state().brand_accounts;
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    simulation.step();
    std::vector<std::uint64_t> purchases(a.size());
    for (std::uint32_t b = 0; b < a.size(); ++b) purchases[b] = a.new_customers[b] + a.repeat_purchases[b];
    sales.purchases.push_back(purchases);
    sales.revenue.push_back(a.revenue);
  }
  sales.price = a.price;
  return sales;
}

/// A controlled purchase experiment: `users` users, each at Connect with both of two brands (liked, following
/// the creator), meet each brand once through the follow feed in the same feed slot, so both contacts draw the
/// same uniforms; a user who already bought from both (`past_customers`) can only buy again.
struct Experiment {
  std::uint64_t first[2] = {0, 0};       ///< new customers of brand 0 and brand 1
  std::uint64_t repeat[2] = {0, 0};      ///< repeat purchases of brand 0 and brand 1
  std::uint64_t dear_without_cheap = 0;  ///< users who bought from the dearer brand but not from the cheaper one
};

Experiment contact_both(double elasticity, float cheap_scale, float dear_scale, bool past_customers,
                        std::uint32_t users = 20000) {
  params::Params p;
  p.sicas.purchase_base = 0.05;
  p.sicas.repurchase_probability = 0.05;
  p.sicas.trust_weight = 0;
  p.sicas.price_elasticity = elasticity;
  state::State st;
  st.brands.count = 2;
  st.brands.price_scale = {cheap_scale, dear_scale};
  st.journeys = state::JourneyStore(users);
  if (past_customers) {
    std::vector<state::NewJourney> bought;
    for (std::uint32_t u = 0; u < users; ++u)
      for (std::uint32_t b = 0; b < 2; ++b) bought.push_back({u, b, std::uint8_t(state::JourneyStage::Action), 1});
    st.journeys.merge(bought);
  }
  phases::ThreadBuffers local;
  local.brand_counts.assign(2 * phases::kBrandCounters, 0);
  const phases::TickContext ctx{p, 7, 3};
  Experiment e;
  for (std::uint32_t u = 0; u < users; ++u) {
    local.user_journeys_begin = local.new_journeys.size();
    bool bought[2];
    for (std::uint32_t b = 0; b < 2; ++b)
      bought[b] = phases::journey_contact(ctx, st, local,
                                          {UserId{u}, BrandId{b}, Channel::FollowFeed, state::BudgetLine::Sponsorship,
                                           0, 0.0, true, true, false})
                      .purchase;
    e.dear_without_cheap += bought[1] && !bought[0];
  }
  for (std::uint32_t b = 0; b < 2; ++b) {
    e.first[b] = local.brand_counts[b * phases::kBrandCounters + phases::kNewCustomers];
    e.repeat[b] = local.brand_counts[b * phases::kBrandCounters + phases::kRepeatPurchases];
  }
  return e;
}

/// |count - n q| within 4 binomial standard errors.
bool within_4_se(std::uint64_t count, std::uint32_t n, double q) {
  return std::abs(double(count) - n * q) < 4 * std::sqrt(n * q * (1 - q));
}

}  // namespace

TEST_CASE("brand prices: price_sigma 0 gives every brand sicas.price", "[brand_prices]") {
  params::Params p;
  p.brands.price_sigma = 0;
  const state::BrandStore brands = state::make_brands(p, 100);
  for (float scale : brands.price_scale) REQUIRE(scale == 1.0f);
  const Sales s = run("brands.price_sigma=0;sicas.price=12.5");
  for (Micros price : s.price) CHECK(price == to_micros(12.5));
  // With prices spread, they differ between brands.
  const Sales spread = run("brands.price_sigma=0.5;sicas.price=12.5");
  CHECK(*std::max_element(spread.price.begin(), spread.price.end()) >
        *std::min_element(spread.price.begin(), spread.price.end()));
}

TEST_CASE("brand prices: with elasticity 0 prices change revenue, not sales", "[brand_prices]") {
  // The run checks each brand's revenue against its price (test_sicas checks it every day too).
  const Sales flat = run("brands.price_sigma=0;sicas.price_elasticity=0");
  const Sales spread = run("brands.price_sigma=0.5;sicas.price_elasticity=0");
  CHECK(spread.purchases == flat.purchases);  // the same purchases, day by day and brand by brand
  Micros flat_total = 0, spread_total = 0;
  for (std::size_t d = 0; d < flat.revenue.size(); ++d)
    for (std::size_t b = 0; b < flat.price.size(); ++b) {
      REQUIRE(flat.revenue[d][b] == flat.price[b] * static_cast<Micros>(flat.purchases[d][b]));
      REQUIRE(spread.revenue[d][b] == spread.price[b] * static_cast<Micros>(spread.purchases[d][b]));
      flat_total += flat.revenue[d][b];
      spread_total += spread.revenue[d][b];
    }
  CHECK(flat_total > 0);
  CHECK(spread_total != flat_total);
  // With elasticity, the same prices change the sales too.
  const Sales elastic = run("brands.price_sigma=0.5;sicas.price_elasticity=1");
  CHECK(elastic.purchases != flat.purchases);
}

TEST_CASE("brand prices: under price elasticity a dearer brand converts less", "[brand_prices]") {
  const std::uint32_t n = 20000;
  // Brand 0 at half the mean price, brand 1 at twice it: purchase probabilities 0.05 * 2 and 0.05 / 2.
  const Experiment elastic = contact_both(1.0, 0.5f, 2.0f, false, n);
  INFO("new customers " << elastic.first[0] << " and " << elastic.first[1] << " of " << n);
  CHECK(within_4_se(elastic.first[0], n, 0.1));
  CHECK(within_4_se(elastic.first[1], n, 0.025));
  CHECK(elastic.dear_without_cheap == 0);  // the same uniform: whoever buys dear also buys cheap
  // Repeat purchases follow the same factor.
  const Experiment again = contact_both(1.0, 0.5f, 2.0f, true, n);
  CHECK(again.first[0] + again.first[1] == 0);
  CHECK(within_4_se(again.repeat[0], n, 0.1));
  CHECK(within_4_se(again.repeat[1], n, 0.025));
  // Elasticity 0: price does not matter, both brands sell to exactly the same users.
  const Experiment inelastic = contact_both(0.0, 0.5f, 2.0f, false, n);
  CHECK(inelastic.first[0] == inelastic.first[1]);
  CHECK(inelastic.dear_without_cheap == 0);
  CHECK(within_4_se(inelastic.first[0], n, 0.05));
  // A very cheap brand's probability is clamped at 1: every contact buys.
  const Experiment clamped = contact_both(10.0, 0.5f, 1.0f, false, 1000);
  CHECK(clamped.first[0] == 1000);
  CHECK(within_4_se(clamped.first[1], 1000, 0.05));
}
