// Tests of paid knowledge (engine/phases/creators.cpp, sell_knowledge; the lever drawn in
// engine/state/population.cpp): creators with the lever sell Binomial(true fans, p) items a day, and earn the price
// less the platform's commission as income source paid_knowledge. Switched off, pushed and compared with its
// expectation within standard errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "phases/phases.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

/// A small run where every follower counts as a true fan from the start (threshold at the initial trust), so
/// creators have true fans to sell to; exits follow the patience rule (exit_hazard 0) and the recommender ignores
/// follower counts (follower_exponent 0), so most creators stay and gather followers to sell to; `extra` holds
/// `key=value` overrides separated by ';'.
params::Scenario scenario(const std::string& extra = "") {
  std::string all =
      "trust.true_fan_threshold=0.3;creators.paid_knowledge_share=0.5;knowledge.purchase_probability=0.01;"
      "knowledge.price=12.5;knowledge.platform_commission=0.2;lifecycle.exit_hazard=0;recommendation.follower_exponent="
      "0";
  if (!extra.empty()) all.append(";").append(extra);
  return testing::make_scenario(
      "run: {seed: 29, days: 50}\n"
      "population: {users: 3000, creators: 60, topics: 12}\n"
      "graph: {kind: barabasi_albert, mean_degree: 8}\n"
      "engagement: {follow_rate: 0.03}\n",
      all);
}

double paid_knowledge_income(const state::CreatorLifecycle& lc, std::uint32_t c) {
  return lc.income_by_source[std::size_t(c) * state::kIncomeSources +
                             static_cast<std::size_t>(state::IncomeSource::PaidKnowledge)];
}

/// A run's paid-knowledge sales, with what theory expects of them. Checks every tick that customers paid the
/// price per sale and that the creators' income from the source is that revenue less the commission.
struct Knowledge {
  std::uint64_t sales = 0;
  Micros revenue = 0, commission = 0;
  double income = 0;             ///< creators' income from paid knowledge over the run (lifecycle totals)
  double expected_sales = 0;     ///< sum over days and creators with the lever of true fans * p
  double variance_of_sales = 0;  ///< sum of true fans * p (1 - p): sales are independent binomials
};

Knowledge run(sim::Simulation& simulation) {
  Knowledge k;
  const auto& st = simulation.state();
  const auto& lc = st.lifecycle;
  const auto& params = simulation.params().knowledge;
  const double p = params.purchase_probability;
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    const std::uint32_t before = st.creators.count;  // entrants join after the day's sales
    simulation.step();
    const Tick today = simulation.tick() - 1;
    const auto& m = simulation.last_metrics();
    REQUIRE(m.knowledge_revenue == to_micros(params.price) * static_cast<Micros>(m.knowledge_sales));
    REQUIRE(m.knowledge_commission >= 0);
    REQUIRE(m.knowledge_commission <= m.knowledge_revenue);
    // The commission is rounded once per creator and day: within half a micro-unit per selling creator.
    REQUIRE(std::abs(double(m.knowledge_commission) - double(m.knowledge_revenue) * params.platform_commission) <=
            0.5 * before + 1e-6);
    k.sales += m.knowledge_sales;
    k.revenue += m.knowledge_revenue;
    k.commission += m.knowledge_commission;
    // Sales were drawn from the true fans counted at commit, which the lifecycle does not change.
    for (std::uint32_t c = 0; c < before; ++c) {
      const bool updated = lc.alive(c) || lc.exit_tick[c] == today;
      if (!updated || !st.creators.sells_knowledge[c]) continue;
      const double fans = st.creators.true_fans[c];
      k.expected_sales += fans * p;
      k.variance_of_sales += fans * p * (1 - p);
    }
  }
  for (std::uint32_t c = 0; c < lc.size(); ++c) k.income += paid_knowledge_income(lc, c);
  return k;
}

Knowledge run(const std::string& extra) {
  sim::Simulation simulation(scenario(extra));
  return run(simulation);
}

}  // namespace

TEST_CASE("knowledge: a purchase probability of 0 sells nothing and pays nothing", "[knowledge]") {
  sim::Simulation simulation(scenario("knowledge.purchase_probability=0"));
  const Knowledge off = run(simulation);
  CHECK(off.sales == 0);
  CHECK(off.revenue == 0);
  CHECK(off.commission == 0);
  CHECK(off.income == 0);
  const auto& lc = simulation.state().lifecycle;
  for (std::uint32_t c = 0; c < lc.size(); ++c) REQUIRE(paid_knowledge_income(lc, c) == 0);
  // The same run with the probability on sells to the same true fans.
  const Knowledge on = run("");
  REQUIRE(off.expected_sales == 0);
  CHECK(on.sales > 100);
}

TEST_CASE("knowledge: income matches true fans times probability times price less commission", "[knowledge]") {
  sim::Simulation simulation(scenario());
  const Knowledge k = run(simulation);
  const auto& p = simulation.params().knowledge;
  REQUIRE(k.expected_sales > 1000);
  // Sales: a sum of independent binomials, so within 4 standard errors of their mean.
  const double se_sales = std::sqrt(k.variance_of_sales);
  INFO("sales " << k.sales << ", expected " << k.expected_sales << " +- " << se_sales);
  CHECK(std::abs(double(k.sales) - k.expected_sales) < 4 * se_sales);
  // Income: E = sum of true fans * p * price * (1 - commission), with the standard error scaled alike.
  const double per_sale = p.price * (1 - p.platform_commission);
  const double expected_income = k.expected_sales * per_sale;
  INFO("income " << k.income << ", expected " << expected_income << " +- " << se_sales * per_sale);
  CHECK(std::abs(k.income - expected_income) < 4 * se_sales * per_sale);
  // Exactly: the creators' income is what customers paid less the platform's commission.
  CHECK(k.income == Approx(to_money(k.revenue - k.commission)).epsilon(1e-12));
  CHECK(to_money(k.commission) == Approx(p.platform_commission * to_money(k.revenue)).epsilon(1e-9));
}

TEST_CASE("knowledge: creators without the lever never earn from it", "[knowledge]") {
  sim::Simulation simulation(scenario("lifecycle.entry_base_rate=5"));
  const Knowledge k = run(simulation);
  REQUIRE(k.sales > 0);
  const auto& st = simulation.state();
  std::uint32_t with_lever = 0, earning = 0, without_lever = 0;
  for (std::uint32_t c = 0; c < st.creators.count; ++c) {
    if (st.creators.sells_knowledge[c]) {
      ++with_lever;
      earning += paid_knowledge_income(st.lifecycle, c) > 0;
    } else {
      ++without_lever;
      REQUIRE(paid_knowledge_income(st.lifecycle, c) == 0);
    }
  }
  CHECK(without_lever > 20);
  CHECK(earning > with_lever / 2);
  // Nobody has the lever: nothing is sold, whatever the probability.
  CHECK(run("creators.paid_knowledge_share=0").sales == 0);
}

TEST_CASE("knowledge: the income raises the income signal and morale of the creators who sell", "[knowledge]") {
  // No exits and no entrants, so the two runs differ only in the price, hence only in the money.
  const std::string common = "lifecycle.quit_line=0;lifecycle.entry_base_rate=0;";
  sim::Simulation free(scenario(common + "knowledge.price=0"));
  sim::Simulation priced(scenario(common + "knowledge.price=50"));
  REQUIRE(run(free).sales == run(priced).sales);
  const auto& a = free.state();
  const auto& b = priced.state();
  std::uint32_t sellers = 0;
  for (std::uint32_t c = 0; c < b.creators.count; ++c) {
    REQUIRE(a.creators.true_fans[c] == b.creators.true_fans[c]);
    if (paid_knowledge_income(b.lifecycle, c) > 0) {
      ++sellers;
      CHECK(b.lifecycle.income_signal[c] > a.lifecycle.income_signal[c]);
      CHECK(b.lifecycle.morale[c] > a.lifecycle.morale[c]);
      CHECK(b.lifecycle.income_total[c] > a.lifecycle.income_total[c]);
    } else {
      CHECK(b.lifecycle.income_total[c] == a.lifecycle.income_total[c]);
    }
  }
  CHECK(sellers > 10);
}
