// Tests of a strategist's plans and named brands (engine/phases/brands/prepare.cpp, params/actors.hpp): a named
// brand's own budget, price, kind, topic and starting followers act and leave the other brands' draws alone; a
// shift moves a fraction of one budget line into another from its tick on, and a window undoes it; scale_budget
// multiplies a brand's budget; the focal metrics count what was bought and what was left unspent, and the run's
// report of unspent budgets names the line, the brand and the days nothing was bought.
#include <catch2/catch.hpp>

#include <numeric>

#include "core/money.hpp"
#include "io/output_schema.hpp"
#include "io/run_scenario.hpp"
#include "params/scenario.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

const std::string kWorld =
    "run: {seed: 23, days: 14}\n"
    "population: {users: 3000, creators: 60, topics: 12, brands: 4}\n"
    "graph: {kind: barabasi_albert, mean_degree: 8}\n"
    "marketplace: {min_followers: 10}\n";

double share_of(const sim::Simulation& simulation, std::uint32_t brand, state::BudgetLine line) {
  return simulation.state().brand_accounts.share[brand * state::kBudgetLines + index(line)];
}

/// Brand b's budget today, all lines (money).
double budget_of(const sim::Simulation& simulation, std::uint32_t brand) {
  const auto& budget = simulation.state().brand_accounts.budget;
  return to_money(std::accumulate(budget.begin() + brand * state::kBudgetLines,
                                  budget.begin() + (brand + 1) * state::kBudgetLines, Micros{0}));
}

double focal_metric(const state::State& state, std::uint32_t brand, const std::string& name) {
  for (const io::FocalMetricSpec& spec : io::focal_brand_metrics())
    if (spec.name == name) return spec.compute(state, brand, spec.member);
  FAIL("no focal metric " << name);
  return 0;
}

}  // namespace

TEST_CASE("brand plans: a named brand has its own budget, price, kind, topic and followers", "[brand_plans]") {
  const params::Scenario named = testing::make_scenario(
      kWorld + "actors: {brands: [{name: Acme, budget: 250, price: 30, type: established, topic: 2, followers: 40}]}\n",
      "");
  const params::Scenario plain = testing::make_scenario(kWorld, "");
  sim::Simulation acme(named), world(plain);
  const auto& st = acme.state();
  // Its own account starts with 40 distinct followers.
  REQUIRE(st.brands.has_accounts);
  CHECK(st.creators.followers[st.brands.account(0)] == 40);
  CHECK(world.state().creators.followers[world.state().brands.account(0)] == 0);
  CHECK(st.brands.established(0));
  CHECK(st.brands.topic[0] == 2);
  acme.step();
  world.step();
  CHECK(budget_of(acme, 0) == Approx(250).margin(1e-5));
  CHECK(st.brand_accounts.price[0] == to_micros(30));
  // The other brands keep the traits they are drawn without names.
  for (std::uint32_t b = 1; b < st.brands.count; ++b) {
    CHECK(st.brands.budget_scale[b] == world.state().brands.budget_scale[b]);
    CHECK(st.brands.topic[b] == world.state().brands.topic[b]);
    CHECK(st.brands.established(b) == world.state().brands.established(b));
    CHECK(budget_of(acme, b) == budget_of(world, b));
  }
}

TEST_CASE("brand plans: a shift moves a fraction of one line into another, a window undoes it", "[brand_plans]") {
  const params::Scenario s =
      testing::make_scenario(kWorld +
                                 "actors: {brands: [{name: Acme}, {name: Beta}]}\n"
                                 "timeline:\n"
                                 "  - at: 4\n"
                                 "    event: {kind: shift, brand: Beta, from: ads, to: sponsorship, fraction: 0.5}\n"
                                 "  - from: 6\n"
                                 "    until: 9\n"
                                 "    event: {kind: shift, brand: Acme, from: ads, to: live, fraction: 1}\n",
                             "");
  sim::Simulation simulation(s);
  using Line = state::BudgetLine;
  for (int day = 0; day < 12; ++day) {
    simulation.step();
    const double beta_ads = day >= 4 ? 0.225 : 0.45, beta_sponsorship = day >= 4 ? 0.575 : 0.35;
    CHECK(share_of(simulation, 1, Line::Ads) == Approx(beta_ads).margin(1e-12));
    CHECK(share_of(simulation, 1, Line::Sponsorship) == Approx(beta_sponsorship).margin(1e-12));
    const bool window = day >= 6 && day < 9;
    CHECK(share_of(simulation, 0, Line::Ads) == Approx(window ? 0 : 0.45).margin(1e-12));
    CHECK(share_of(simulation, 0, Line::Live) == Approx(window ? 0.55 : 0.1).margin(1e-12));
    // The other brands' strategies do not move.
    for (std::uint32_t b = 2; b < simulation.state().brands.count; ++b)
      CHECK(share_of(simulation, b, Line::Ads) == 0.45);
    // A shift moves shares; the brand's daily budget is the same.
    const double total_share = share_of(simulation, 1, Line::Ads) + share_of(simulation, 1, Line::Sponsorship) +
                               share_of(simulation, 1, Line::Content) + share_of(simulation, 1, Line::Live);
    CHECK(total_share == Approx(1).margin(1e-12));
  }
}

TEST_CASE("brand plans: scale_budget multiplies one brand's budget, for a window or from a day on", "[brand_plans]") {
  const params::Scenario s =
      testing::make_scenario(kWorld +
                                 "actors: {brands: [{name: Acme, budget: 100}, {name: Beta, budget: 80}]}\n"
                                 "timeline:\n"
                                 "  - {from: 3, until: 6, event: {kind: scale_budget, brand: Acme, factor: 2.5}}\n"
                                 "  - {at: 5, event: {kind: scale_budget, brand: Beta, factor: 0.5}}\n",
                             "");
  sim::Simulation simulation(s);
  for (int day = 0; day < 9; ++day) {
    simulation.step();
    CHECK(budget_of(simulation, 0) == Approx(day >= 3 && day < 6 ? 250 : 100).margin(1e-5));
    CHECK(budget_of(simulation, 1) == Approx(day >= 5 ? 40 : 80).margin(1e-5));
  }
}

TEST_CASE("brand plans: the focal figures count spend by line and what was not spent", "[brand_plans]") {
  // No live session can be booked (live.fee_multiplier 0 prices hosts at nothing, and brands book none): the
  // live line has nothing to buy, so all of it stays unspent, and the brand's spend is what the other lines bought.
  const params::Scenario s = testing::make_scenario(
      kWorld + "actors: {brands: [{name: Acme, budget: 200, focal: true}]}\n", "live.fee_multiplier=0");
  sim::Simulation simulation(s);
  for (int day = 0; day < 14; ++day) simulation.step();
  const state::State& st = simulation.state();
  const double live_budget = to_money(st.brand_accounts.total_budget[index(state::BudgetLine::Live)]);
  CHECK(live_budget == Approx(14 * 200 * 0.1).margin(1e-3));
  CHECK(focal_metric(st, 0, "spend_live") == 0);
  CHECK(focal_metric(st, 0, "unspent_live") == Approx(live_budget));
  double spend = 0;
  for (const char* line : {"ads", "sponsorship", "content", "live"}) {
    const double spent = focal_metric(st, 0, std::string("spend_") + line);
    const double unspent = focal_metric(st, 0, std::string("unspent_") + line);
    CHECK(spent + unspent == Approx(14 * 200 *
                                    (std::string(line) == "ads"           ? 0.45
                                     : std::string(line) == "sponsorship" ? 0.35
                                                                          : 0.1))
                                 .margin(1e-3));
    spend += spent;
  }
  CHECK(focal_metric(st, 0, "spend") == Approx(spend));
  const double purchases = focal_metric(st, 0, "purchases");
  CHECK(purchases == focal_metric(st, 0, "new_customers") + focal_metric(st, 0, "repeat_purchases"));
  CHECK(focal_metric(st, 0, "revenue") == Approx(purchases * to_money(st.brand_accounts.price[0])));
  CHECK(focal_metric(st, 0, "return_on_spend") == Approx(focal_metric(st, 0, "revenue") / spend));
  // Every day the live line had a budget and bought nothing; the run's report of unspent budgets says so, for
  // Acme by name and for all brands together, and leaves out lines that spent (almost) all of theirs.
  const std::size_t live = index(state::BudgetLine::Live);
  CHECK(st.brand_accounts.budget_days[live] == 14);
  CHECK(st.brand_accounts.idle_days[live] == 14);
  const std::vector<io::UnspentBudget> unspent = io::unspent_budgets(st, s.actors);
  auto find = [&](const std::string& name, state::BudgetLine line) -> const io::UnspentBudget* {
    for (const io::UnspentBudget& one : unspent)
      if (one.name == name && one.line == line) return &one;
    return nullptr;
  };
  const io::UnspentBudget* acme_live = find("Acme", state::BudgetLine::Live);
  REQUIRE(acme_live != nullptr);
  CHECK(acme_live->brand == 0);
  CHECK(acme_live->budget == Approx(live_budget));
  CHECK(acme_live->spent == 0);
  CHECK(acme_live->unspent_share() == 1);
  CHECK(acme_live->idle_days == 14);
  const io::UnspentBudget* all_live = find("all brands", state::BudgetLine::Live);
  REQUIRE(all_live != nullptr);
  CHECK(all_live->budget_days == 14 * st.brands.count);
  CHECK(all_live->idle_days == 14 * st.brands.count);
  for (const io::UnspentBudget& one : unspent) CHECK(one.unspent_share() >= 0.01);
  CHECK_FALSE(state::why_unspent(state::BudgetLine::Live, true).empty());
}
