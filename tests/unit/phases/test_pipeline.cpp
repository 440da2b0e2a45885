// Tests of the tick pipeline: invariants after every tick, degenerate cases, and each channel acting.
#include <catch2/catch.hpp>

#include <numeric>

#include "params/scenario.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

params::Scenario small_scenario(const std::string& extra = "") {
  return testing::make_scenario(
      "run: {seed: 11, days: 20}\n"
      "population: {users: 3000, creators: 60, topics: 12}\n"
      "graph: {kind: barabasi_albert, mean_degree: 8}\n",
      extra);
}

/// Totals of a run's metrics over all ticks.
struct Totals {
  phases::TickMetrics sum;
  std::uint32_t ticks = 0;
};

Totals run_checking_invariants(sim::Simulation& simulation) {
  Totals totals;
  const auto days = simulation.params().run.days;
  for (std::int64_t d = 0; d < days; ++d) {
    simulation.step();
    const auto& m = simulation.last_metrics();
    const auto& st = simulation.state();
    for (std::size_t c = 0; c < kChannelCount; ++c) {
      REQUIRE(m.impressions[c] >= m.views[c]);
      REQUIRE(m.views[c] >= m.likes[c]);
      REQUIRE(m.views[c] >= m.shares[c]);
    }
    // A creator's follower count equals the follow edges pointing at it.
    std::vector<std::uint32_t> counted(st.creators.count, 0);
    for (std::uint32_t u = 0; u < st.users.count; ++u)
      for (std::uint32_t c : st.follows.followed(u)) counted[c]++;
    REQUIRE(counted == st.creators.followers);
    REQUIRE(m.follow_edges == st.follows.edges());
    totals.sum.add(m);
    totals.ticks++;
  }
  // Every impression has a channel: per-user totals equal the per-channel totals.
  const auto& users = simulation.state().users;
  const std::uint64_t by_user = std::accumulate(users.impressions.begin(), users.impressions.end(), std::uint64_t{0});
  const std::uint64_t by_channel =
      std::accumulate(totals.sum.impressions.begin(), totals.sum.impressions.end(), std::uint64_t{0});
  REQUIRE(by_user == by_channel);
  // Every impression but an ad's or a live session's is of a creator's item; a live impression is one viewer.
  const auto& creators = simulation.state().creators;
  REQUIRE(std::accumulate(creators.impressions.begin(), creators.impressions.end(), std::uint64_t{0}) ==
          by_channel - totals.sum.impressions[index(Channel::Ads)] - totals.sum.impressions[index(Channel::Live)]);
  REQUIRE(totals.sum.impressions[index(Channel::Live)] == totals.sum.brands.live_attendees);
  return totals;
}

}  // namespace

TEST_CASE("phases: invariants hold every tick and every channel carries traffic", "[phases]") {
  sim::Simulation simulation(small_scenario());
  Totals t = run_checking_invariants(simulation);
  CHECK(t.sum.impressions[index(Channel::Recommendation)] > 0);
  CHECK(t.sum.impressions[index(Channel::FollowFeed)] > 0);
  CHECK(t.sum.impressions[index(Channel::FriendShare)] > 0);
  CHECK(t.sum.follows[index(Channel::Recommendation)] > 0);
  CHECK(t.sum.follows[index(Channel::FriendShare)] > 0);
  CHECK(t.sum.impressions[index(Channel::Ads)] > 0);
  CHECK(t.sum.follows[index(Channel::Ads)] == 0);  // an ad has no creator to follow
  CHECK(simulation.state().follows.edges() > 0);
}

TEST_CASE("phases: share probability 0 means no friend-share impressions", "[phases]") {
  // Buyers' shares after a purchase (sicas.share_after_purchase) are shares too.
  sim::Simulation simulation(small_scenario("engagement.share_rate=0;sicas.share_after_purchase=0"));
  Totals t = run_checking_invariants(simulation);
  CHECK(t.sum.impressions[index(Channel::FriendShare)] == 0);
  CHECK(t.sum.share_deliveries == 0);
  CHECK(t.sum.impressions[index(Channel::Recommendation)] > 0);
}

TEST_CASE("phases: no creators means no impressions but ads, and no crash", "[phases]") {
  sim::Simulation simulation(small_scenario("population.creators=0;brands.own_accounts=false"));
  Totals t = run_checking_invariants(simulation);
  CHECK(std::accumulate(t.sum.impressions.begin(), t.sum.impressions.end(), std::uint64_t{0}) ==
        t.sum.impressions[index(Channel::Ads)]);
  sim::Simulation no_ads(small_scenario("population.creators=0;brands.own_accounts=false;brands.ad_share=0"));
  Totals n = run_checking_invariants(no_ads);
  CHECK(std::accumulate(n.sum.impressions.begin(), n.sum.impressions.end(), std::uint64_t{0}) == 0);
  CHECK(t.sum.active_users > 0);
}

TEST_CASE("phases: no users, or no friends, run without crashing", "[phases]") {
  sim::Simulation nobody(small_scenario("population.users=0;graph.mean_degree=0"));
  Totals t = run_checking_invariants(nobody);
  CHECK(t.sum.active_users == 0);
  sim::Simulation lonely(small_scenario("graph.mean_degree=0"));
  Totals l = run_checking_invariants(lonely);
  CHECK(l.sum.impressions[index(Channel::FriendShare)] == 0);
}

TEST_CASE("phases: the follow feed is private traffic bounded by feed.private_share_max", "[phases]") {
  sim::Simulation none(small_scenario("feed.private_share_max=0"));
  Totals t = run_checking_invariants(none);
  CHECK(t.sum.impressions[index(Channel::FollowFeed)] == 0);
  CHECK(t.sum.impressions[index(Channel::FriendShare)] == 0);
  sim::Simulation all(small_scenario("feed.private_share_max=1"));
  Totals a = run_checking_invariants(all);
  sim::Simulation half(small_scenario());
  Totals h = run_checking_invariants(half);
  CHECK(a.sum.impressions[index(Channel::FollowFeed)] >= h.sum.impressions[index(Channel::FollowFeed)]);
}

TEST_CASE("phases: follows need the follow rate, and better creators gather more followers", "[phases]") {
  sim::Simulation none(small_scenario("engagement.follow_rate=0;creators.big_ip_share=0"));
  Totals t = run_checking_invariants(none);
  CHECK(none.state().follows.edges() == 0);
  CHECK(t.sum.impressions[index(Channel::FollowFeed)] == 0);

  // No big IPs, whose starting audiences (of lognormal size) would swamp the followers that skill earns.
  sim::Simulation simulation(small_scenario("creators.skill_concentration=2;creators.big_ip_share=0"));
  run_checking_invariants(simulation);
  const auto& c = simulation.state().creators;
  // Mean followers of the top and bottom skill quartiles.
  std::vector<std::uint32_t> order(c.count);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return c.skill[a] < c.skill[b]; });
  double low = 0, high = 0;
  const std::size_t q = c.count / 4;
  for (std::size_t i = 0; i < q; ++i) low += c.followers[order[i]], high += c.followers[order[c.count - 1 - i]];
  CHECK(high > 2 * low);
}

TEST_CASE("phases: recommendation follows interests, exploration spreads it", "[phases]") {
  // With no exploration, users are recommended only items in their interest topics, so the views/impressions
  // ratio (which rises with interest match) is higher than with full exploration.
  sim::Simulation focused(small_scenario("recommendation.explore_probability=0;feed.private_share_max=0"));
  Totals f = run_checking_invariants(focused);
  sim::Simulation random(small_scenario("recommendation.explore_probability=1;feed.private_share_max=0"));
  Totals r = run_checking_invariants(random);
  const auto rec = index(Channel::Recommendation);
  double focused_rate = double(f.sum.views[rec]) / double(f.sum.impressions[rec]);
  double random_rate = double(r.sum.views[rec]) / double(r.sum.impressions[rec]);
  CHECK(focused_rate > random_rate + 0.05);
}

TEST_CASE("phases: items leave feeds after content.max_age_days", "[phases]") {
  sim::Simulation simulation(small_scenario("content.max_age_days=3"));
  for (int d = 0; d < 10; ++d) simulation.step();
  const auto& items = simulation.state().items;
  for (std::uint32_t s = 0; s < items.size(); ++s) REQUIRE(simulation.tick() - items.posted[s] < 3);
}
