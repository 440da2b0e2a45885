// Tests of the reaction model's audience distance: a follower's like probability falls with the creator's
// follower count as (1 + F / F_0)^-epsilon, in the model itself and in a running world.
#include <catch2/catch.hpp>

#include <cmath>

#include "params/scenario.hpp"
#include "phases/reaction.hpp"
#include "rng/stream.hpp"
#include "sim/simulation.hpp"
#include "support/scenario.hpp"

using namespace fanflow;

TEST_CASE("reactions: audience distance scales a follower's like probability as (1 + F/F0)^-epsilon", "[reaction]") {
  params::Scenario scenario = testing::make_scenario(
      "engagement: {like_rate: 0.2, follower_like_exponent: 0.3, follower_like_reference: 100}\n", {});
  const phases::ReactionModel model(scenario.params.engagement);
  CHECK(model.audience_distance(0) == 1.0);
  CHECK(model.audience_distance(900) == Approx(std::pow(10.0, -0.3)).epsilon(1e-12));

  // docs/model.md's fit to the like rate by follower tier: 1.9 and 1.7 between the tiers' middles.
  CHECK(model.audience_distance(500) / model.audience_distance(5000) == Approx(1.90).margin(0.005));
  CHECK(model.audience_distance(5000) / model.audience_distance(30000) == Approx(1.70).margin(0.005));

  // Likes of viewed exposures of an average item (appeal 1) by followers of a creator with 900 followers.
  phases::Exposure exposure{0.5, 0.5, 0.5};
  exposure.like_scale = model.audience_distance(900);
  const int n = 200000;
  int likes = 0;
  for (int k = 0; k < n; ++k) {
    rng::Stream stream(7, 0, static_cast<std::uint32_t>(k), rng::Purpose::Consume);
    likes += model.viewed_item(exposure, phases::ReactionDraws::draw(stream)).liked;
  }
  const double p = 0.2 * std::pow(10.0, -0.3);  // 0.1002
  CHECK(std::abs(likes / double(n) - p) < 4 * std::sqrt(p * (1 - p) / n));

  // Off (epsilon 0), the scale is exactly 1 and the like probability the plain one.
  params::Scenario off = testing::make_scenario("engagement: {like_rate: 0.2, follower_like_exponent: 0}\n", {});
  CHECK(phases::ReactionModel(off.params.engagement).audience_distance(900) == 1.0);
}

TEST_CASE("reactions: with audience distance, big creators' followers like less per view in a running world",
          "[reaction]") {
  // Big IPs start with 400 followers; small IPs with none, so the follow feed is mostly big IPs' followers.
  auto follow_feed_like_rate = [](std::string_view exponent) {
    sim::Simulation simulation(testing::make_scenario(
        "run: {seed: 3, days: 10}\n"
        "population: {users: 8000, creators: 200, topics: 20}\n"
        "graph: {kind: erdos_renyi, mean_degree: 6}\n"
        "lifecycle: {max_entrants: 0}\n"
        "creators: {big_ip_share: 0.2, big_ip_starting_followers: 400, sponsored_share_mean: 0}\n",
        {std::string("engagement.follower_like_exponent=").append(exponent)}));
    double likes = 0, views = 0;
    for (int d = 0; d < 10; ++d) {
      simulation.step();
      const auto& m = simulation.last_metrics();
      likes += double(m.likes[index(Channel::FollowFeed)]);
      views += double(m.views[index(Channel::FollowFeed)]);
    }
    REQUIRE(views > 5000);
    return likes / views;
  };
  const double off = follow_feed_like_rate("0"), on = follow_feed_like_rate("0.3");
  // (1 + 400/100)^-0.3 = 0.617 for the big IPs' followers, who hold most follow-feed views.
  CHECK(on / off < 0.8);
  CHECK(on / off > 0.5);
}
