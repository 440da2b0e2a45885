// Tests of chat groups: fans join their creator's group up to its size limit, group posts and group shares
// reach members as private traffic, and no joining means no group traffic.
#include <catch2/catch.hpp>

#include <numeric>

#include "params/scenario.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

namespace {

params::Scenario group_scenario(std::initializer_list<std::string_view> overrides) {
  return testing::make_scenario(
      "run: {seed: 8, days: 25}\n"
      "population: {users: 5000, creators: 30, topics: 5}\n"
      "graph: {kind: barabasi_albert, mean_degree: 8}\n"
      "creators: {skill_mean: 0.7, sponsored_share_mean: 0}\n"
      "engagement: {follow_rate: 0.05, share_rate: 0.05}\n"
      "groups: {open_at_followers: 20, join_trust: 0.35, join_probability: 0.3, max_members: 40}\n",
      overrides);
}

struct Outcome {
  std::uint64_t group_impressions = 0;
  std::uint64_t group_shares_seen = 0;
};

Outcome run(sim::Simulation& simulation) {
  Outcome outcome;
  for (std::int64_t d = 0; d < simulation.params().run.days; ++d) {
    simulation.step();
    outcome.group_impressions += simulation.last_metrics().impressions[index(Channel::Group)];
    const auto& st = simulation.state();
    // Every member follows the creator; no group exceeds its limit; counts match memberships.
    std::vector<std::uint32_t> members(st.creators.count, 0);
    for (std::uint32_t u = 0; u < st.users.count; ++u)
      for (std::uint32_t g : st.groups.followed(u)) {
        REQUIRE(st.follows.follows(u, g));
        members[g]++;
      }
    for (std::uint32_t c = 0; c < st.creators.count; ++c) {
      // Creators who joined after today's commit have no group yet.
      REQUIRE(members[c] == (c < st.group_members.size() ? st.group_members[c] : 0u));
      REQUIRE(members[c] <= simulation.params().groups.max_members);
    }
    for (Channel ch : st.inbox_channels) outcome.group_shares_seen += ch == Channel::Group;
  }
  return outcome;
}

}  // namespace

TEST_CASE("groups: fans join up to the size limit and group traffic flows", "[groups]") {
  sim::Simulation simulation(group_scenario({}));
  Outcome o = run(simulation);
  const auto& members = simulation.state().group_members;
  CHECK(std::count(members.begin(), members.end(), 40u) > 0);  // some groups are full
  CHECK(o.group_impressions > 0);
  CHECK(o.group_shares_seen > 0);
}

TEST_CASE("groups: no joining means no members and no group traffic", "[groups]") {
  sim::Simulation simulation(group_scenario({"groups.join_probability=0"}));
  Outcome o = run(simulation);
  CHECK(simulation.state().groups.edges() == 0);
  CHECK(o.group_impressions == 0);
}

TEST_CASE("groups: shares stay with friends when members never share into groups", "[groups]") {
  sim::Simulation simulation(group_scenario({"groups.share_to_group_probability=0"}));
  Outcome o = run(simulation);
  CHECK(o.group_shares_seen == 0);
  CHECK(o.group_impressions > 0);  // the creators' own posts still reach members
}
