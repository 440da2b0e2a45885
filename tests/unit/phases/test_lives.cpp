// Tests of brand accounts and live-selling sessions (engine/phases/brands/prepare.cpp plan_lives,
// engine/phases/brands/settle.cpp settle_brands, engine/phases/consume.cpp attend_lives): who hosts, who attends, what
// a session sells and deposits into the brand's own account, what it costs and pays, and the super brand day event.
// Each mechanism is switched off or pushed to show its effect.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "params/scenario.hpp"
#include "phases/phases.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

params::Scenario scenario(const std::string& extra = "", const std::string& timeline = "") {
  return testing::make_scenario(
      "run: {seed: 23, days: 20}\n"
      "population: {users: 4000, creators: 80, topics: 10, brands: 5}\n"
      "graph: {kind: barabasi_albert, mean_degree: 8}\n"
      "marketplace: {min_followers: 10}\n" +
          timeline,
      extra);
}

/// A super brand day of brand 1 on `tick` with the brand's `hosts` best-matched creators.
std::string super_day(int tick, int hosts = 3) {
  return "timeline:\n  - {at: " + std::to_string(tick) +
         ", event: {kind: super_brand_day, brand: 1, top_creators: " + std::to_string(hosts) + "}}\n";
}

struct Totals {
  phases::TickMetrics sum;
  std::uint64_t live_sales = 0;  // purchases in live sessions
};

Totals run(sim::Simulation& simulation) {
  Totals t;
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    simulation.step();
    const auto& m = simulation.last_metrics();
    REQUIRE(m.impressions[index(Channel::Live)] == m.brands.live_attendees);
    REQUIRE(m.views[index(Channel::Live)] == m.brands.live_attendees);  // joining a session is viewing it
    REQUIRE(m.brands.brand_spend() == m.brands.creator_brand_income + m.brands.platform_take());
    t.sum.add(m);
  }
  t.live_sales = t.sum.purchases[index(Channel::Live)];
  return t;
}

Totals run(const params::Scenario& s) {
  sim::Simulation simulation(s);
  return run(simulation);
}

/// The day's plan of the brands phase on tick `tick` of a copy of the simulation's state.
phases::TickBuffers plan(const sim::Simulation& simulation, Tick tick, state::State& st,
                         std::vector<params::TimelineEvent> events = {}) {
  phases::TickBuffers buffers;
  buffers.timeline_events = std::move(events);
  const phases::TickContext ctx{simulation.params(), static_cast<std::uint64_t>(simulation.params().run.seed), tick};
  phases::brands_prepare(ctx, st, buffers);
  return buffers;
}

}  // namespace

TEST_CASE("brand accounts: one per brand, in its topic, posting what the content budget buys", "[lives]") {
  sim::Simulation simulation(scenario("brands.budget_sigma=0;brands.content_cost_per_item=4"));
  const auto& st = simulation.state();
  REQUIRE(st.brands.has_accounts);
  REQUIRE(st.creators.count == 80 + 5);
  for (std::uint32_t b = 0; b < 5; ++b) {
    const std::uint32_t c = st.brands.account(b);
    CHECK(c == 80 + b);
    CHECK(st.brands.brand_of_account(c) == b);
    CHECK(st.creators.type[c] == static_cast<std::uint8_t>(state::CreatorType::BrandAccount));
    CHECK(st.creators.topic[c] == st.brands.topic[b]);
    CHECK(st.creators.sells_live[c] == 0);
    CHECK(st.creators.sponsored_share[c] == 0.0f);
  }
  CHECK(st.brands.brand_of_account(0) == st.brands.count);  // a creator is no brand's account
  run(simulation);
  // Posting rate = content budget / cost per item: 100 * 0.1 / 4 items a day; Poisson over 20 days and 5 brands.
  double items = 0;
  for (std::uint32_t b = 0; b < 5; ++b) {
    const std::uint32_t c = st.brands.account(b);
    CHECK(st.creators.posting_rate[c] == Approx(2.5));
    items += st.creators.items_posted[c];
  }
  const double expected = 2.5 * 20 * 5, sd = std::sqrt(expected);
  CHECK(std::abs(items - expected) < 4 * sd);
  // The brands paid for it: 4 money an item.
  const auto& acc = st.brand_accounts;
  Micros content = 0;
  for (std::uint32_t b = 0; b < 5; ++b)
    content += acc.total_spend[b * state::kBudgetLines + index(state::BudgetLine::Content)];
  CHECK(content == to_micros(4.0) * static_cast<Micros>(items));
}

TEST_CASE("brand accounts: switched off, or with no content budget, they post nothing", "[lives]") {
  sim::Simulation none(scenario("brands.own_accounts=false"));
  CHECK_FALSE(none.state().brands.has_accounts);
  CHECK(none.state().creators.count == 80);
  Totals t = run(none);
  CHECK(t.sum.brands.content_spend == 0);
  for (std::uint32_t c = 0; c < none.state().creators.count; ++c)
    CHECK(none.state().creators.type[c] != static_cast<std::uint8_t>(state::CreatorType::BrandAccount));

  sim::Simulation silent(scenario("brands.content_share=0"));
  Totals s = run(silent);
  CHECK(s.sum.brands.content_spend == 0);
  for (std::uint32_t b = 0; b < 5; ++b)
    CHECK(silent.state().creators.items_posted[silent.state().brands.account(b)] == 0);
}

TEST_CASE("brand accounts: they never quit, earn nothing, and their items are not sponsored content", "[lives]") {
  // Everyone else quits after one bad day; accounts stay.
  sim::Simulation simulation(
      scenario("lifecycle.quit_line=1;lifecycle.patience_days=1;lifecycle.exit_hazard=0;lifecycle.entry_base_rate=0;"
               "brands.sponsorship_share=0;brands.live_share=0"));
  run(simulation);
  const auto& st = simulation.state();
  for (std::uint32_t c = 0; c < 80; ++c)  // a creator who never posted has nothing to be unhappy about
    if (st.creators.items_posted[c] > 0) CHECK_FALSE(st.lifecycle.alive(c));
  for (std::uint32_t b = 0; b < 5; ++b) {
    const std::uint32_t c = st.brands.account(b);
    CHECK(st.lifecycle.alive(c));
    CHECK(st.lifecycle.income_total[c] == 0);
    CHECK(st.lifecycle.cost_total[c] == 0);
    CHECK(st.creators.impressions[c] > 0);
  }
  // With no sponsorships, the brands' items are all their accounts': seen, but never counted as sponsored.
  const auto& acc = st.brand_accounts;
  std::uint64_t exposures = 0;
  for (std::uint64_t v : acc.impressions) exposures += v;
  CHECK(std::accumulate(acc.total_sponsored_impressions.begin(), acc.total_sponsored_impressions.end(),
                        std::uint64_t{0}) == 0);
  CHECK(std::accumulate(acc.total_ad_impressions.begin(), acc.total_ad_impressions.end(), std::uint64_t{0}) > 0);
  CHECK(exposures > 0);
}

TEST_CASE("lives: live orders go to creators who sell live, within the live budget", "[lives]") {
  sim::Simulation simulation(scenario("brands.live_share=0.3;brands.ad_share=0.3;brands.sponsorship_share=0.3"));
  for (int d = 0; d < 10; ++d) simulation.step();
  state::State st = simulation.state();
  phases::TickBuffers buffers = plan(simulation, 10, st);
  const auto& lives = buffers.lives;
  REQUIRE(lives.sessions.size() > 3);
  std::vector<Micros> booked(st.brands.count, 0);
  for (std::size_t s = 0; s < lives.sessions.size(); ++s) {
    const phases::LiveSession& session = lives.sessions[s];
    CHECK_FALSE(session.promoted);
    CHECK(st.creators.sells_live[session.host] == 1);
    CHECK(st.lifecycle.alive(session.host));
    CHECK(st.creators.followers[session.host] >= 10);
    CHECK(lives.of_host[session.host] == s);  // one session per host
    const double price = 5 + 10 * st.creators.followers[session.host] / 1000.0;
    CHECK(to_money(session.fee) == Approx(2 * price).margin(1e-6));
    booked[session.brand] += session.fee;
  }
  for (std::uint32_t b = 0; b < st.brands.count; ++b)
    CHECK(booked[b] <= st.brand_accounts.budget[b * state::kBudgetLines + index(state::BudgetLine::Live)]);
  // Without the lever, or without a live budget, there are no live orders.
  state::State no_sellers = simulation.state();
  std::fill(no_sellers.creators.sells_live.begin(), no_sellers.creators.sells_live.end(), 0);
  CHECK(plan(simulation, 10, no_sellers).lives.sessions.empty());
  Totals none = run(scenario("brands.live_share=0"));
  CHECK(none.sum.brands.lives == 0);
  CHECK(none.sum.impressions[index(Channel::Live)] == 0);
}

TEST_CASE("lives: a super brand day holds promoted sessions with the named hosts, on its tick only", "[lives]") {
  sim::Simulation simulation(
      scenario("brands.live_share=0",
               "timeline:\n  - {at: 4, event: {kind: super_brand_day, brand: 2, creators: [5, 9, 11]}}\n"));
  Totals t;
  for (int d = 0; d < 8; ++d) {
    simulation.step();
    std::vector<std::uint32_t> hosts;
    for (const phases::Event& e : simulation.last_events())
      if (e.kind == phases::EventKind::LiveSession) {
        CHECK(e.value == 2);
        hosts.push_back(e.subject);
      }
    if (d == 4) {
      CHECK(hosts == std::vector<std::uint32_t>{5, 9, 11});
      CHECK(simulation.last_metrics().brands.lives == 3);
      CHECK(simulation.last_metrics().impressions[index(Channel::Live)] > 0);
    } else {
      CHECK(hosts.empty());
      CHECK(simulation.last_metrics().impressions[index(Channel::Live)] == 0);
    }
  }
  // A host who has left the platform holds no session.
  state::State st = simulation.state();
  st.lifecycle.exit_tick[9] = 3;
  params::TimelineEvent event;
  event.kind = "super_brand_day";
  event.brand = 2;
  event.creators = {5, 9};
  phases::TickBuffers buffers = plan(simulation, 8, st, {event});
  REQUIRE(buffers.lives.sessions.size() == 1);
  CHECK(buffers.lives.sessions[0].host == 5);
  CHECK(buffers.lives.sessions[0].promoted);
  REQUIRE(buffers.lives.promoted_brand == std::vector<std::uint32_t>{2});
}

TEST_CASE("lives: promoted attendance matches its probability within standard errors", "[lives]") {
  // Followers do not join through following (attend_probability 0): every viewer came through the promotion,
  // with probability daily_active_probability * min(1, promoted_attend_probability * match) each.
  const params::Scenario s = scenario(
      "live.attend_probability=0;live.promoted_attend_probability=0.8;run.days=1;"
      "brands.live_share=0",
      super_day(0, 4));
  sim::Simulation simulation(s);
  simulation.step();
  const auto& st = simulation.state();
  const std::uint16_t topic = st.brands.topic[1];
  double expected = 0, variance = 0;
  for (std::uint32_t u = 0; u < st.users.count; ++u) {
    const double p = 0.6 * std::min(1.0, 0.8 * double(st.users.match(u, topic)));
    expected += p;
    variance += p * (1 - p);
  }
  const double observed = double(simulation.last_metrics().brands.live_attendees);
  REQUIRE(expected > 100);
  CHECK(std::abs(observed - expected) < 4 * std::sqrt(variance));
  // Without promotion nobody joins.
  sim::Simulation quiet(
      scenario("live.attend_probability=0;live.promoted_attend_probability=0;run.days=1;"
               "brands.live_share=0",
               super_day(0, 4)));
  quiet.step();
  CHECK(quiet.last_metrics().brands.live_attendees == 0);
}

TEST_CASE("lives: viewers are deposited into the brand's own account", "[lives]") {
  const std::string base = "engagement.follow_rate=0;live.promoted_attend_probability=0.3;brands.content_share=0;";
  // Follows through a session with follow_rate 0 can only be deposits into the brand's account.
  sim::Simulation all(scenario(base + "live.deposit_probability=1", super_day(5)));
  Totals t = run(all);
  const auto& st = all.state();
  REQUIRE(t.sum.brands.live_attendees > 100);
  const std::uint64_t deposits = t.sum.follows[index(Channel::Live)];
  CHECK(deposits <= t.sum.brands.live_attendees);
  CHECK(double(deposits) > 0.8 * double(t.sum.brands.live_attendees));
  std::uint64_t own_followers = 0;
  for (std::uint32_t b = 0; b < st.brands.count; ++b) own_followers += st.creators.followers[st.brands.account(b)];
  CHECK(own_followers >= deposits - t.sum.unfollows[index(Channel::Live)]);
  // No deposit probability: no follows through sessions, and the accounts gain nobody (they post nothing).
  sim::Simulation none(scenario(base + "live.deposit_probability=0", super_day(5)));
  Totals n = run(none);
  CHECK(n.sum.brands.live_attendees == t.sum.brands.live_attendees);  // the same viewers
  CHECK(n.sum.follows[index(Channel::Live)] == 0);
  for (std::uint32_t b = 0; b < none.state().brands.count; ++b)
    CHECK(none.state().creators.followers[none.state().brands.account(b)] == 0);
}

TEST_CASE("lives: live selling converts better, and the host earns fee and commission", "[lives]") {
  const std::string base = "live.promoted_attend_probability=0.5;run.days=12;brands.price_sigma=0;";
  Totals plain = run(scenario(base + "live.purchase_multiplier=1", super_day(6, 5)));
  Totals boosted = run(scenario(base + "live.purchase_multiplier=10", super_day(6, 5)));
  REQUIRE(plain.sum.brands.live_attendees > 200);
  const double plain_rate = double(plain.live_sales) / double(plain.sum.brands.live_attendees);
  const double boosted_rate = double(boosted.live_sales) / double(boosted.sum.brands.live_attendees);
  CHECK(boosted_rate > 3 * plain_rate);
  // Commission on sales: the same sessions cost the brand more when they sell more.
  Totals no_commission = run(scenario(base + "live.purchase_multiplier=10;live.sales_commission=0", super_day(6, 5)));
  CHECK(no_commission.sum.brands.live_attendees == boosted.sum.brands.live_attendees);
  const Micros commission = boosted.sum.brands.live_spend - no_commission.sum.brands.live_spend;
  const double expected = 0.2 * 10.0 * double(boosted.live_sales);  // every brand's price is sicas.price, 10
  CHECK(to_money(commission) == Approx(expected).margin(1e-3 * double(boosted.sum.brands.lives)));
}
