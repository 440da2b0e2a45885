// Tests of the timeline during a run: its changes act from their tick on (mechanism tests that fail when the
// timeline is not applied), windows restore the earlier value, and each change is an event.
#include <catch2/catch.hpp>

#include <algorithm>

#include "params/scenario.hpp"
#include "sim/simulation.hpp"

using namespace fanflow;

namespace {

params::Scenario scenario_with(const std::string& timeline) {
  params::Scenario s = params::load_scenario_text(
      "run: {seed: 3, days: 12}\n"
      "population: {users: 4000, creators: 60, topics: 12}\n"
      "graph: {kind: barabasi_albert, mean_degree: 10}\n"
      "engagement: {share_rate: 0.01}\n"
      "sicas: {share_after_purchase: 0}\n" +  // buyers' shares are not engagement.share_rate's
          timeline,
      "timeline.yaml", ".");
  params::check_consistency(s);
  return s;
}

/// Each tick's metrics and events over the whole run.
struct Run {
  std::vector<phases::TickMetrics> metrics;
  std::vector<std::vector<phases::Event>> events;
};

Run run(const params::Scenario& scenario) {
  sim::Simulation simulation(scenario);
  Run out;
  for (std::int64_t d = 0; d < scenario.params.run.days; ++d) {
    simulation.step();
    out.metrics.push_back(simulation.last_metrics());
    out.events.push_back(simulation.last_events());
  }
  return out;
}

std::uint64_t all_shares(const phases::TickMetrics& m) {
  std::uint64_t total = 0;
  for (auto v : m.shares) total += v;
  return total;
}

}  // namespace

TEST_CASE("timeline: share_rate cut to 0 at tick 5 stops sharing from then on", "[timeline]") {
  Run r = run(scenario_with("timeline:\n  - {at: 5, label: no sharing, set: {engagement.share_rate: 0}}\n"));
  const auto friend_share = index(Channel::FriendShare);
  std::uint64_t shares_before = 0, friend_impressions_before = 0;
  for (std::size_t t = 0; t < 5; ++t) {
    shares_before += all_shares(r.metrics[t]);
    friend_impressions_before += r.metrics[t].impressions[friend_share];
  }
  CHECK(shares_before > 0);
  CHECK(friend_impressions_before > 0);
  CHECK(r.metrics[5].impressions[friend_share] > 0);  // yesterday's shares still arrive on tick 5
  for (std::size_t t = 5; t < r.metrics.size(); ++t) {
    INFO("tick " << t);
    CHECK(all_shares(r.metrics[t]) == 0);
    CHECK(r.metrics[t].share_deliveries == 0);
    if (t >= 6) CHECK(r.metrics[t].impressions[friend_share] == 0);
  }
  // Without the timeline, sharing goes on: the difference is the timeline's doing.
  Run plain = run(scenario_with(""));
  std::uint64_t shares_after = 0;
  for (std::size_t t = 5; t < plain.metrics.size(); ++t) shares_after += all_shares(plain.metrics[t]);
  CHECK(shares_after > 0);
  for (std::size_t t = 0; t < 5; ++t) CHECK(all_shares(plain.metrics[t]) == all_shares(r.metrics[t]));
}

TEST_CASE("timeline: a window over private traffic restores the earlier value when it ends", "[timeline]") {
  Run r = run(scenario_with("timeline:\n  - {from: 3, until: 6, set: {feed.private_share_max: 0}}\n"));
  const auto follow_feed = index(Channel::FollowFeed), friend_share = index(Channel::FriendShare);
  CHECK(r.metrics[2].impressions[follow_feed] > 0);
  for (std::size_t t = 3; t < 6; ++t) {
    INFO("tick " << t);
    CHECK(r.metrics[t].impressions[follow_feed] == 0);
    CHECK(r.metrics[t].impressions[friend_share] == 0);
    CHECK(r.metrics[t].impressions[index(Channel::Recommendation)] > 0);
  }
  for (std::size_t t = 6; t < r.metrics.size(); ++t) {
    INFO("tick " << t);
    CHECK(r.metrics[t].impressions[follow_feed] > 0);
  }
}

TEST_CASE("timeline: each entry that starts or ends is an event of its tick", "[timeline]") {
  sim::Simulation simulation(
      scenario_with("timeline:\n"
                    "  - {from: 3, until: 6, set: {feed.private_share_max: 0, engagement.like_rate: 0.2}}\n"
                    "  - {at: 3, label: explore, set: {recommendation.explore_probability: 0.3}}\n"));
  auto timeline_events = [&] {
    std::vector<phases::Event> found;
    for (const auto& e : simulation.last_events())
      if (e.kind == phases::EventKind::TimelineApplied) found.push_back(e);
    return found;
  };
  for (int t = 0; t < 3; ++t) {
    simulation.step();
    CHECK(timeline_events().empty());
  }
  CHECK(simulation.params().feed.private_share_max == 0.5);
  simulation.step();  // tick 3
  auto started = timeline_events();
  REQUIRE(started.size() == 2);
  CHECK(started[0].tick == 3);
  CHECK(started[0].subject == 0);
  CHECK(started[0].value == 1);
  CHECK(started[1].subject == 1);
  CHECK(started[1].value == 1);
  CHECK(simulation.params().feed.private_share_max == 0);
  CHECK(simulation.params().engagement.like_rate == 0.2);
  CHECK(simulation.params().recommendation.explore_probability == 0.3);
  simulation.step();
  simulation.step();
  CHECK(timeline_events().empty());
  simulation.step();  // tick 6: the window ends
  auto ended = timeline_events();
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].tick == 6);
  CHECK(ended[0].subject == 0);
  CHECK(ended[0].value == 0);
  CHECK(simulation.params().feed.private_share_max == 0.5);
  CHECK(simulation.params().engagement.like_rate == 0.08);
  CHECK(simulation.params().recommendation.explore_probability == 0.3);
  // The log of changes: one row per parameter and change, with the entry's label.
  const auto& log = simulation.timeline().applied();
  REQUIRE(log.size() == 5);
  CHECK(log[2].change.path == "recommendation.explore_probability");
  CHECK(log[2].label == "explore");
  CHECK(log[3].change.tick == 6);
  CHECK_FALSE(log[3].change.applied);
  CHECK(log[3].change.value == "0.5");
}
