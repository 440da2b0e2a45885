// Tests of the creator lifecycle (engine/phases/creators.cpp): money, morale and exits, growth stages,
// improvement of skill, and new creators joining. Each mechanism is switched on and off to show its effect.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "params/scenario.hpp"
#include "phases/phases.hpp"
#include "sim/simulation.hpp"
#include "state/population.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

/// A small scenario; `extra` holds `key=value` overrides separated by ';'. Exits follow the patience rule
/// (exit_hazard 0), whose counts the tests below reason about; the hazard's own tests set it.
params::Scenario scenario(const std::string& extra = "") {
  return testing::make_scenario(
      "run: {seed: 21, days: 30}\n"
      "population: {users: 3000, creators: 60, topics: 12}\n"
      "graph: {kind: barabasi_albert, mean_degree: 8}\n"
      "lifecycle: {exit_hazard: 0}\n",
      extra);
}

/// Counts of one run.
struct Outcome {
  std::uint32_t exits = 0;
  std::uint32_t exits_for_feedback = 0;
  std::uint32_t exits_for_income = 0;
  std::uint32_t entrants = 0;
  double mean_exit_tick = 0;
};

Outcome outcome(const sim::Simulation& simulation) {
  Outcome o;
  const auto& lc = simulation.state().lifecycle;
  double ticks = 0;
  for (std::uint32_t c = 0; c < lc.size(); ++c) {
    if (lc.alive(c)) continue;
    o.exits++;
    ticks += lc.exit_tick[c];
    o.exits_for_feedback += lc.exit_reason[c] == static_cast<std::uint8_t>(state::ExitReason::Feedback);
    o.exits_for_income += lc.exit_reason[c] == static_cast<std::uint8_t>(state::ExitReason::Income);
  }
  o.mean_exit_tick = o.exits > 0 ? ticks / o.exits : 0;
  const auto& p = simulation.params();
  const auto at_setup =
      static_cast<std::uint32_t>(p.population.creators + (p.brands.own_accounts ? p.population.brands : 0));
  o.entrants = simulation.state().creators.count - at_setup;
  return o;
}

Outcome run(const std::string& extra) {
  sim::Simulation simulation(scenario(extra));
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) simulation.step();
  return outcome(simulation);
}

std::uint32_t events_of(const sim::Simulation& simulation, phases::EventKind kind) {
  const auto& events = simulation.last_events();
  return static_cast<std::uint32_t>(
      std::count_if(events.begin(), events.end(), [&](const phases::Event& e) { return e.kind == kind; }));
}

}  // namespace

TEST_CASE("creators: with no cost and high revenue nobody exits for income", "[creators]") {
  Outcome o = run("lifecycle.cost_per_item=0;platform.revenue_per_1000_views=100;lifecycle.entry_base_rate=0");
  CHECK(o.exits_for_income == 0);
  // Without the feedback signal either, morale stays at 1 and nobody exits at all.
  Outcome none = run("lifecycle.cost_per_item=0;lifecycle.feedback_weight=0;lifecycle.entry_base_rate=0");
  CHECK(none.exits == 0);
}

TEST_CASE("creators: a very high cost with patience 1 makes many exit for income", "[creators]") {
  // Morale follows income alone (feedback weight 0), so every exit is for income.
  Outcome o =
      run("lifecycle.cost_per_item=1000;lifecycle.patience_days=1;lifecycle.feedback_weight=0;"
          "lifecycle.entry_base_rate=0");
  CHECK(o.exits > 45);  // of 60: everyone who posts
  CHECK(o.exits_for_income == o.exits);
  Outcome cheap = run("lifecycle.patience_days=1;lifecycle.feedback_weight=0;lifecycle.entry_base_rate=0");
  CHECK(cheap.exits < o.exits);
}

TEST_CASE("creators: a very high feedback reference makes creators exit for feedback", "[creators]") {
  Outcome o =
      run("lifecycle.feedback_reference=1e6;lifecycle.cost_per_item=0;lifecycle.quit_line=0.6;"
          "lifecycle.patience_days=3;lifecycle.entry_base_rate=0");
  CHECK(o.exits > 45);
  CHECK(o.exits_for_feedback == o.exits);
}

TEST_CASE("creators: the tick each threshold is first passed is recorded once, where the signal reaches 1/2",
          "[creators]") {
  // Counts of creators past each threshold at the end, checking every day that a tick is recorded exactly on the
  // first day its signal is at least 1/2 (and only then).
  auto passed = [](const std::string& extra) {
    sim::Simulation simulation(scenario("lifecycle.entry_base_rate=0;" + extra));
    const auto& lc = simulation.state().lifecycle;
    std::vector<Tick> feedback_before, income_before;
    for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
      feedback_before = lc.feedback_passed, income_before = lc.income_passed;
      simulation.step();
      const Tick today = simulation.tick() - 1;
      for (std::uint32_t c = 0; c < lc.size(); ++c) {
        if (c < feedback_before.size() && feedback_before[c] != state::kNever)
          REQUIRE(lc.feedback_passed[c] == feedback_before[c]);  // recorded once
        if (lc.feedback_passed[c] == today) REQUIRE(lc.feedback_signal[c] >= 0.5f);
        if (lc.income_passed[c] == today) REQUIRE(lc.income_signal[c] >= 0.5f);
        if (lc.alive(c) && lc.feedback_passed[c] == state::kNever && lc.ema_engagement[c] > 0 && lc.ema_items[c] > 0)
          REQUIRE(lc.feedback_signal[c] < 0.5f);
      }
    }
    std::array<std::uint32_t, 2> counts{};
    for (std::uint32_t c = 0; c < lc.size(); ++c) {
      counts[0] += lc.feedback_passed[c] != state::kNever;
      counts[1] += lc.income_passed[c] != state::kNever;
    }
    return counts;
  };
  const auto usual = passed("");
  INFO("past feedback, income: " << usual[0] << ", " << usual[1]);
  CHECK(usual[0] > 0);
  CHECK(passed("lifecycle.feedback_reference=1e6")[0] == 0);  // nobody's engagement pays for a million per item
  CHECK(passed("lifecycle.feedback_reference=0")[0] > usual[0]);
  CHECK(passed("lifecycle.cost_per_item=1e6")[1] == 0);  // no income covers that cost
  CHECK(passed("lifecycle.cost_per_item=0;platform.revenue_per_1000_views=100")[1] >= usual[1]);
}

TEST_CASE("creators: longer patience means fewer and later exits", "[creators]") {
  const std::string common = "lifecycle.cost_per_item=3;lifecycle.entry_base_rate=0;run.days=40;";
  Outcome impatient = run(common + "lifecycle.patience_days=3");
  Outcome patient = run(common + "lifecycle.patience_days=20");
  REQUIRE(impatient.exits > 0);
  CHECK(patient.exits < impatient.exits);
  CHECK(patient.mean_exit_tick > impatient.mean_exit_tick);
}

TEST_CASE("creators: exited creators post nothing after exiting and keep their followers", "[creators]") {
  sim::Simulation simulation(scenario("lifecycle.cost_per_item=5;lifecycle.patience_days=2"));
  const auto& st = simulation.state();
  std::vector<std::uint32_t> posted_at_exit;
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    simulation.step();
    const Tick today = simulation.tick() - 1;
    for (std::uint32_t s = 0; s < st.items.size(); ++s)
      if (st.items.posted[s] == today)
        REQUIRE(st.lifecycle.exit_tick[st.items.creator[s]] >= today);  // alive (kNever) or exited today
    posted_at_exit.resize(st.creators.count, 0);
    for (std::uint32_t c = 0; c < st.creators.count; ++c) {
      if (st.lifecycle.exit_tick[c] == today) posted_at_exit[c] = st.creators.items_posted[c];
      if (!st.lifecycle.alive(c) && st.lifecycle.exit_tick[c] < today)
        REQUIRE(st.creators.items_posted[c] == posted_at_exit[c]);
    }
    REQUIRE(events_of(simulation, phases::EventKind::CreatorExited) == simulation.last_metrics().creator_exits);
  }
  Outcome o = outcome(simulation);
  REQUIRE(o.exits > 0);
  // Followers stay as follow edges: the follower counts still match the follow relation.
  std::vector<std::uint32_t> counted(st.creators.count, 0);
  for (std::uint32_t u = 0; u < st.users.count; ++u)
    for (std::uint32_t c : st.follows.followed(u)) counted[c]++;
  CHECK(counted == st.creators.followers);
}

TEST_CASE("creators: money is views times revenue and items times cost", "[creators]") {
  sim::Simulation simulation(
      scenario("lifecycle.feedback_weight=0;lifecycle.cost_per_item=0.25;"
               "platform.revenue_per_1000_views=2;lifecycle.quit_line=0;brands.sponsorship_share=0;"
               "brands.live_share=0;brands.own_accounts=false;knowledge.purchase_probability=0"));
  double income_series = 0, cost_series = 0;
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    simulation.step();
    income_series += simulation.last_metrics().creator_income;
    cost_series += simulation.last_metrics().creator_cost;
  }
  const auto& st = simulation.state();
  REQUIRE(outcome(simulation).exits == 0);
  double views = 0, items = 0, income = 0, cost = 0;
  for (std::uint32_t c = 0; c < st.creators.count; ++c) {
    views += double(st.creators.views[c]);
    items += st.creators.items_posted[c];
    income += st.lifecycle.income_total[c];
    cost += st.lifecycle.cost_total[c];
    // No sponsorships, no live sessions, no brand accounts, no paid knowledge: the platform share is the only
    // income.
    CHECK(st.lifecycle.income_by_source[std::size_t(c) * state::kIncomeSources +
                                        std::size_t(state::IncomeSource::PlatformShare)] ==
          Approx(st.lifecycle.income_total[c]));
  }
  REQUIRE(views > 0);
  CHECK(income == Approx(views * 2 / 1000));
  CHECK(cost == Approx(items * 0.25));
  CHECK(income_series == Approx(income));
  CHECK(cost_series == Approx(cost));
}

TEST_CASE("creators: stage ticks are monotone and consistent with thresholds", "[creators]") {
  sim::Simulation simulation(
      scenario("lifecycle.exploration_followers=5;lifecycle.exploration_income=0.05;lifecycle.harvest_followers=20;"
               "lifecycle.harvest_income=0.2;lifecycle.on_the_road_followers=60;lifecycle.on_the_road_income=0.4"));
  const auto& p = simulation.params().lifecycle;
  const double followers_needed[] = {0, double(p.exploration_followers), double(p.harvest_followers),
                                     double(p.on_the_road_followers)};
  const double income_needed[] = {0, p.exploration_income, p.harvest_income, p.on_the_road_income};
  const auto& st = simulation.state();
  const auto& lc = st.lifecycle;
  std::vector<std::uint8_t> previous;
  std::uint32_t reached = 0;
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    simulation.step();
    const Tick today = simulation.tick() - 1;
    previous.resize(lc.size(), 0);
    for (std::uint32_t c = 0; c < lc.size(); ++c) {
      REQUIRE(lc.stage[c] >= previous[c]);  // never goes back
      previous[c] = lc.stage[c];
      REQUIRE(lc.stage_tick[c * state::kStages] == lc.joined[c]);
      for (std::size_t s = 1; s < state::kStages; ++s) {
        const Tick at = lc.stage_tick[c * state::kStages + s];
        REQUIRE((at != state::kNever) == (s <= lc.stage[c]));
        REQUIRE(at >= lc.stage_tick[c * state::kStages + s - 1]);  // in order (kNever is the largest)
      }
    }
    for (const phases::Event& e : simulation.last_events()) {
      if (e.kind != phases::EventKind::StageReached) continue;
      ++reached;
      REQUIRE(lc.stage_tick[e.subject * state::kStages + std::size_t(e.value)] == today);
      if (lc.alive(e.subject) || lc.exit_tick[e.subject] == today) {
        CHECK(st.creators.followers[e.subject] >= followers_needed[e.value]);
        CHECK(lc.ema_income[e.subject] >= income_needed[e.value]);
      }
    }
  }
  CHECK(reached > 0);
  std::array<std::uint32_t, state::kStages> per_stage{};
  for (std::uint32_t c = 0; c < lc.size(); ++c) per_stage[lc.stage[c]]++;
  CHECK(per_stage[1] + per_stage[2] + per_stage[3] > 0);
  CHECK(per_stage[0] + per_stage[1] + per_stage[2] > 0);  // the top stage is not for everyone

  // Unreachable thresholds: everyone stays in departure.
  sim::Simulation high(scenario("lifecycle.exploration_followers=1000000"));
  for (std::int64_t d = 0; d < high.params().run.days; ++d) high.step();
  for (std::uint32_t c = 0; c < high.state().lifecycle.size(); ++c) REQUIRE(high.state().lifecycle.stage[c] == 0);
}

TEST_CASE("creators: skill rises with posting when the learning rate is positive and stays when it is 0",
          "[creators]") {
  const std::string common = "lifecycle.entry_base_rate=0;lifecycle.quit_line=0;lifecycle.skill_ceiling=0.95;";
  sim::Simulation learning(scenario(common + "lifecycle.learning_rate=0.05"));
  sim::Simulation fixed(scenario(common + "lifecycle.learning_rate=0"));
  for (std::int64_t d = 0; d < 30; ++d) learning.step(), fixed.step();
  const auto& a = learning.state();
  const auto& b = fixed.state();
  std::uint32_t improved = 0;
  for (std::uint32_t c = 0; c < a.creators.count; ++c) {
    CHECK(b.creators.skill[c] == b.lifecycle.skill_at_join[c]);
    if (a.creators.items_posted[c] > 0 && a.lifecycle.skill_at_join[c] < 0.95f) {
      CHECK(a.creators.skill[c] > a.lifecycle.skill_at_join[c]);
      CHECK(a.creators.skill[c] <= 0.95f);
      ++improved;
    } else {
      CHECK(a.creators.skill[c] == a.lifecycle.skill_at_join[c]);
    }
  }
  CHECK(improved > 30);
}

TEST_CASE("creators: entry rate 0 means no entrants, and max_entrants caps them", "[creators]") {
  sim::Simulation none(scenario("lifecycle.entry_base_rate=0"));
  for (std::int64_t d = 0; d < none.params().run.days; ++d) {
    none.step();
    REQUIRE(events_of(none, phases::EventKind::CreatorJoined) == 0);
    REQUIRE(none.last_metrics().creator_entrants == 0);
  }
  const std::uint32_t accounts = static_cast<std::uint32_t>(none.params().population.brands);  // one per brand
  CHECK(none.state().creators.count == 60 + accounts);
  CHECK(none.state().creators.capacity == 60 + accounts + none.params().lifecycle.max_entrants);

  Outcome capped = run("lifecycle.entry_base_rate=50;lifecycle.max_entrants=7");
  CHECK(capped.entrants == 7);
}

TEST_CASE("creators: more traffic per creator brings more entrants per creator, a bonus period", "[creators]") {
  const std::string common = "lifecycle.entry_base_rate=1;lifecycle.entry_reference_traffic=500;run.days=30;";
  Outcome few = run(common + "population.creators=50");
  Outcome many = run(common + "population.creators=500");
  REQUIRE(few.entrants > 5);
  CHECK(double(few.entrants) / 50 > 3 * double(many.entrants) / 500);
  // Without elasticity, entry does not depend on traffic.
  Outcome flat_few = run(common + "population.creators=50;lifecycle.entry_traffic_elasticity=0");
  Outcome flat_many = run(common + "population.creators=500;lifecycle.entry_traffic_elasticity=0");
  CHECK(flat_few.entrants == Approx(30).margin(20));
  CHECK(flat_many.entrants == Approx(30).margin(20));
}

TEST_CASE("creators: entrants join with the next ids and the traits they would have had at setup", "[creators]") {
  sim::Simulation simulation(scenario("lifecycle.entry_base_rate=5"));
  const std::uint32_t at_setup_count = simulation.state().creators.count;  // creators, then brand accounts
  std::uint32_t joined_events = 0;
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    const std::uint32_t before = simulation.state().creators.count;
    simulation.step();
    const Tick today = simulation.tick() - 1;
    const auto& st = simulation.state();
    REQUIRE(st.lifecycle.size() == st.creators.count);
    REQUIRE(st.creators.followers.size() == st.creators.count);
    std::uint32_t next_id = before;  // entrants take the next ids, in order
    for (const phases::Event& e : simulation.last_events())
      if (e.kind == phases::EventKind::CreatorJoined) {
        REQUIRE(e.subject == next_id++);
        REQUIRE(st.lifecycle.joined[e.subject] == today);
        ++joined_events;
      }
    REQUIRE(st.creators.count - before == simulation.last_metrics().creator_entrants);
  }
  const auto& st = simulation.state();
  const std::uint32_t total = st.creators.count;
  REQUIRE(total > at_setup_count);
  REQUIRE(joined_events == total - at_setup_count);
  // Drawing the same ids at setup gives the same traits.
  const state::CreatorStore at_setup = state::make_creators(simulation.params(), total);
  for (std::uint32_t c = at_setup_count; c < total; ++c) {
    CHECK(at_setup.topic[c] == st.creators.topic[c]);
    CHECK(at_setup.posting_rate[c] == st.creators.posting_rate[c]);
    CHECK(at_setup.skill[c] == st.lifecycle.skill_at_join[c]);
    CHECK(at_setup.sells_knowledge[c] == st.creators.sells_knowledge[c]);
  }
}

namespace {

/// Exit ticks of `per_group` creators per morale level held fixed for `days` days by calling creators_update
/// directly: each posts one item a day at cost 1 and earns x = m / (1 - m) a day, so with income the only signal
/// morale is x / (x + 1) = m from the first day (both moving averages start at 0). kNever for those who stayed.
std::vector<std::vector<Tick>> exits_at_fixed_morale(params::Params p, const std::vector<double>& morale,
                                                     std::uint32_t per_group, Tick days) {
  p.lifecycle.feedback_weight = 0;
  p.lifecycle.income_weight = 1;
  p.lifecycle.cost_per_item = 1;
  p.lifecycle.entry_base_rate = 0;
  p.platform.revenue_per_1000_views = 0;
  p.knowledge.purchase_probability = 0;
  const std::uint32_t n = per_group * static_cast<std::uint32_t>(morale.size());
  state::State st;
  st.creators = state::make_creators(p, n);
  st.lifecycle.reserve(n);
  st.lifecycle.add(n, 0, st.creators.skill.data());
  phases::TickBuffers buffers;
  for (Tick t = 0; t < days; ++t) {
    buffers.posts_per_creator.assign(n, 1);
    for (std::uint32_t c = 0; c < n; ++c) {
      const double m = morale[c / per_group];
      st.lifecycle.income_pending[std::size_t(c) * state::kIncomeSources] = m / (1 - m);
    }
    phases::creators_update({p, 5, t}, st, buffers);
  }
  std::vector<std::vector<Tick>> exits(morale.size());
  for (std::uint32_t c = 0; c < n; ++c) exits[c / per_group].push_back(st.lifecycle.exit_tick[c]);
  return exits;
}

/// Largest share of the exits that fall on any 3 consecutive ticks.
double largest_three_day_share(const std::vector<Tick>& exit_ticks, Tick days) {
  std::vector<double> per_day(days, 0);
  double exits = 0;
  for (Tick t : exit_ticks)
    if (t < days) per_day[t]++, exits++;
  double most = 0;
  for (Tick t = 0; t + 3 <= days; ++t) most = std::max(most, per_day[t] + per_day[t + 1] + per_day[t + 2]);
  return exits > 0 ? most / exits : 0;
}

}  // namespace

TEST_CASE("creators: with the exit hazard, exit days at fixed morale follow the geometric law of the hazard",
          "[creators][exit_hazard]") {
  // Quit line 0.3, H = 0.1, shape k = 1: morale 0 exits with h = 0.1 a day, morale 0.15 (half-way down) with
  // h = 0.05, morale 0.35 (above the line) never. Survival to the end of tick t is (1 - h)^(t + 1).
  params::Params p;
  p.lifecycle.quit_line = 0.3;
  p.lifecycle.exit_hazard = 0.1;
  p.lifecycle.exit_hazard_shape = 1;
  const std::uint32_t n = 4000;
  const Tick days = 90;
  const std::vector<double> morale = {0.0, 0.15, 0.35};
  const auto exits = exits_at_fixed_morale(p, morale, n, days);
  const double hazard[] = {0.1, 0.05};
  for (std::size_t g = 0; g < 2; ++g) {
    for (Tick t : {Tick(2), Tick(9), Tick(19), Tick(39)}) {
      const double expected = std::pow(1 - hazard[g], double(t + 1));
      const double stayed = double(std::count_if(exits[g].begin(), exits[g].end(), [t](Tick e) { return e > t; }));
      const double se = std::sqrt(n * expected * (1 - expected));
      INFO("morale " << morale[g] << ", end of tick " << t << ": " << stayed << " stayed, expected " << n * expected);
      CHECK(std::abs(stayed - n * expected) < 4 * se);
    }
    // Spread: with h = 0.1 the three busiest days hold about 1 - 0.9^3 = 27% of the exits, with h = 0.05 about 14%.
    const double most = largest_three_day_share(exits[g], days);
    INFO("morale " << morale[g] << ": busiest 3 days hold " << most << " of the exits");
    CHECK(most < 1.15 * (1 - std::pow(1 - hazard[g], 3)));
  }
  for (Tick t : exits[2]) CHECK(t == state::kNever);  // above the quit line: no hazard

  // Shape k = 2 spares those just under the line: morale 0.15 now exits with h = 0.1 * 0.5^2 = 0.025.
  p.lifecycle.exit_hazard_shape = 2;
  const auto convex = exits_at_fixed_morale(p, {0.15}, n, days);
  const double expected = std::pow(1 - 0.025, 20.0);
  const double stayed = double(std::count_if(convex[0].begin(), convex[0].end(), [](Tick e) { return e > 19; }));
  CHECK(std::abs(stayed - n * expected) < 4 * std::sqrt(n * expected * (1 - expected)));
}

TEST_CASE("creators: without the exit hazard, creators held below the quit line all exit on one day",
          "[creators][exit_hazard]") {
  // The patience rule (exit_hazard 0): everyone below the line since tick 0 exits on tick patience_days - 1.
  params::Params p;
  p.lifecycle.exit_hazard = 0;
  const auto exits = exits_at_fixed_morale(p, {0.0, 0.15}, 500, 60);
  for (const auto& group : exits)
    for (Tick t : group) CHECK(t == Tick(p.lifecycle.patience_days - 1));
}

TEST_CASE("creators: the exit hazard spreads a run's exits over time; the patience rule culls them together",
          "[creators][exit_hazard]") {
  // A 90-day run where many creators lose heart (items cost more than they earn).
  auto exit_ticks = [](const std::string& extra) {
    sim::Simulation simulation(scenario("run.days=90;lifecycle.cost_per_item=3;" + extra));
    for (std::int64_t d = 0; d < 90; ++d) simulation.step();
    const auto& lc = simulation.state().lifecycle;
    std::vector<Tick> ticks;
    for (std::uint32_t c = 0; c < lc.size(); ++c)
      if (!lc.alive(c)) ticks.push_back(lc.exit_tick[c]);
    return ticks;
  };
  const auto hazard = exit_ticks("lifecycle.exit_hazard=0.1");
  const auto patience = exit_ticks("lifecycle.exit_hazard=0");
  const double spread = largest_three_day_share(hazard, 90), cull = largest_three_day_share(patience, 90);
  INFO("exits: " << hazard.size() << " with the hazard (busiest 3 days " << spread << "), " << patience.size()
                 << " without (" << cull << ")");
  REQUIRE(hazard.size() > 30);
  CHECK(spread < 0.2);
  CHECK(cull > 0.3);
}

TEST_CASE("creators: novice courses make creators in departure learn faster, and only them", "[creators]") {
  // With the stage-1 thresholds at 0 every creator is in exploration from its first update (stages move before
  // skill), so the departure boost does nothing there.
  auto skills = [](const std::string& extra) {
    sim::Simulation simulation(scenario(
        "lifecycle.entry_base_rate=0;lifecycle.quit_line=0;lifecycle.skill_ceiling=0.95;lifecycle.learning_rate=0.01;"
        "lifecycle.harvest_followers=2000000000;" +
        extra));
    for (std::int64_t d = 0; d < 30; ++d) simulation.step();
    return simulation.state();
  };
  const std::string departure = "lifecycle.exploration_followers=2000000000;";
  const std::string exploration = "lifecycle.exploration_followers=0;lifecycle.exploration_income=0;";
  const state::State plain = skills(departure);
  const state::State boosted = skills(departure + "lifecycle.departure_learning_boost=3");
  const state::State later = skills(exploration + "lifecycle.departure_learning_boost=3");
  std::uint32_t checked = 0;
  for (std::uint32_t c = 0; c < plain.creators.count; ++c) {
    const double start = plain.lifecycle.skill_at_join[c];
    if (plain.creators.type[c] == static_cast<std::uint8_t>(state::CreatorType::BrandAccount) || start >= 0.95)
      continue;
    REQUIRE(boosted.lifecycle.stage[c] == 0);
    REQUIRE(later.lifecycle.stage[c] == 1);
    // Skill after N items at rate eta: s* - (s* - s0)(1 - eta)^N.
    auto expected = [&](double eta, std::uint32_t items) { return 0.95 - (0.95 - start) * std::pow(1 - eta, items); };
    CHECK(boosted.creators.skill[c] == Approx(expected(0.03, boosted.creators.items_posted[c])).margin(1e-4));
    CHECK(later.creators.skill[c] == Approx(expected(0.01, later.creators.items_posted[c])).margin(1e-4));
    if (boosted.creators.items_posted[c] > 0) ++checked;
  }
  CHECK(checked > 30);
}
