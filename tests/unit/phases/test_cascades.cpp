// Tests of the cascade counts (engine/phases/cascades.cpp and the share lineage in consume and commit): a
// hand-built sequence of days gives the expected counts by depth and size, and in a run every reshare of a copy a
// friend sent is counted one hop deeper than the share that sent it, every other share seeds a cascade, and every
// cascade is counted once.
#include <catch2/catch.hpp>

#include <numeric>

#include "phases/phases.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

using Buckets = phases::CascadeCounts::PerBucket;

std::uint64_t total(const Buckets& buckets) {
  return std::accumulate(buckets.begin(), buckets.end(), std::uint64_t{0});
}

/// One day of count_cascades with the given shares (made on one thread).
phases::CascadeCounts day(state::State& state, phases::TickBuffers& buffers,
                          std::initializer_list<state::ShareLineage> shares) {
  buffers.local.local().share_lineages.assign(shares);
  phases::TickMetrics metrics;
  phases::count_cascades(state, buffers, metrics);
  return metrics.cascades;
}

}  // namespace

TEST_CASE("cascades: the counts of a hand-built sequence of days", "[cascades]") {
  state::State state;
  phases::TickBuffers buffers;
  const state::CascadeRoot a{0, 1, 0}, b{0, 2, 3}, c{2, 7, 1};
  // Day 0: cascades a and b are seeded.
  auto counts = day(state, buffers, {{b, 0}, {a, 0}});
  CHECK(counts.shares_by_depth == Buckets{2, 0, 0, 0, 0, 0, 0, 0});
  CHECK(total(counts.cascades_by_depth) == 0);  // both may still grow
  REQUIRE(state.open_cascades.size() == 2);
  // Day 1: two reshares in a; b had none, so it ended: depth 0, one share.
  counts = day(state, buffers, {{a, 1}, {a, 1}});
  CHECK(counts.shares_by_depth == Buckets{0, 2, 0, 0, 0, 0, 0, 0});
  CHECK(counts.cascades_by_depth == Buckets{1, 0, 0, 0, 0, 0, 0, 0});
  CHECK(counts.cascades_by_size == Buckets{1, 0, 0, 0, 0, 0, 0, 0});
  // Day 2: a goes one hop further; c is seeded.
  counts = day(state, buffers, {{c, 0}, {a, 2}});
  CHECK(counts.shares_by_depth == Buckets{1, 0, 1, 0, 0, 0, 0, 0});
  CHECK(total(counts.cascades_by_depth) == 0);
  // Day 3: no share; a ends with depth 2 and 4 shares (bucket 3-4), c with depth 0 and 1 share.
  counts = day(state, buffers, {});
  CHECK(counts.cascades_by_depth == Buckets{1, 0, 1, 0, 0, 0, 0, 0});
  CHECK(counts.cascades_by_size == Buckets{1, 0, 1, 0, 0, 0, 0, 0});
  CHECK(state.open_cascades.empty());
}

TEST_CASE("cascades: depth and size buckets", "[cascades]") {
  CHECK(state::cascade_depth_bucket(0) == 0);
  CHECK(state::cascade_depth_bucket(6) == 6);
  CHECK(state::cascade_depth_bucket(7) == 7);
  CHECK(state::cascade_depth_bucket(40) == 7);
  const std::pair<std::uint64_t, std::size_t> sizes[] = {{1, 0}, {2, 1}, {3, 2},  {4, 2},  {5, 3},
                                                         {8, 3}, {9, 4}, {64, 6}, {65, 7}, {100000, 7}};
  for (const auto& [size, bucket] : sizes) CHECK(state::cascade_size_bucket(size) == bucket);
}

namespace {

params::Scenario sharing_world(std::string_view overrides) {
  return testing::make_scenario(
      "run: {seed: 5, days: 20}\n"
      "population: {users: 4000, creators: 40, topics: 4}\n"
      "graph: {kind: erdos_renyi, mean_degree: 12}\n"
      "engagement: {share_rate: 0.25, share_fanout: 4}\n"
      "feed: {private_share_max: 0.8}\n",
      overrides);
}

struct RunCounts {
  std::uint64_t shares = 0, friend_share_shares = 0, group_shares = 0, reshares = 0, seeds = 0, ended = 0;
  std::uint64_t deep = 0;  ///< cascades that ended two or more hops deep
  bool reshares_only_after_shares = true;
};

RunCounts run(const params::Scenario& scenario) {
  sim::Simulation simulation(scenario);
  RunCounts r;
  std::uint64_t shares_yesterday = 0;
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    simulation.step();
    const phases::TickMetrics& m = simulation.last_metrics();
    const auto& c = m.cascades;
    const std::uint64_t shares = std::accumulate(m.shares.begin(), m.shares.end(), std::uint64_t{0});
    REQUIRE(total(c.shares_by_depth) == shares);
    REQUIRE(total(c.cascades_by_depth) == total(c.cascades_by_size));
    r.shares += shares;
    r.friend_share_shares += m.shares[index(Channel::FriendShare)];
    r.group_shares += m.shares[index(Channel::Group)];
    r.seeds += c.shares_by_depth[0];
    r.reshares += shares - c.shares_by_depth[0];
    r.ended += total(c.cascades_by_depth);
    r.deep += total(c.cascades_by_depth) - c.cascades_by_depth[0] - c.cascades_by_depth[1];
    if (shares - c.shares_by_depth[0] > 0 && shares_yesterday == 0) r.reshares_only_after_shares = false;
    shares_yesterday = shares;
  }
  // Every seeded cascade ended during the run or is still open at its end.
  CHECK(r.ended + simulation.state().open_cascades.size() == r.seeds);
  return r;
}

}  // namespace

TEST_CASE("cascades: a reshare of a friend's share is one hop deeper, every other share a seed", "[cascades]") {
  // Without shares into groups, the copies friends sent are exactly the impressions of channel friend_share.
  const RunCounts r = run(sharing_world("groups.share_to_group_probability=0"));
  REQUIRE(r.shares > 1000);
  CHECK(r.reshares == r.friend_share_shares);
  CHECK(r.seeds == r.shares - r.friend_share_shares);
  CHECK(r.reshares_only_after_shares);
  CHECK(r.deep > 0);  // at this share rate some cascades run two hops or more
  CHECK(r.ended > r.seeds / 2);
}

TEST_CASE("cascades: a reshare of a copy shared into a group is one hop deeper too", "[cascades]") {
  const RunCounts r =
      run(sharing_world("groups.open_at_followers=5;groups.join_trust=0.3;groups.join_probability=0.5;"
                        "groups.share_to_group_probability=0.5"));
  REQUIRE(r.group_shares > 0);
  // Group-channel shares are of the creator's own posts (seeds) or of members' shares (reshares).
  CHECK(r.reshares > r.friend_share_shares);
  CHECK(r.reshares <= r.friend_share_shares + r.group_shares);
}

TEST_CASE("cascades: no sharing, no cascades", "[cascades]") {
  const RunCounts r = run(sharing_world("engagement.share_rate=0;sicas.share_after_purchase=0"));
  CHECK(r.shares == 0);
  CHECK(r.seeds == 0);
  CHECK(r.ended == 0);
}
