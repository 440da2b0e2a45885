// Tests of the facts (engine/facts): each computation on a small hand-made run whose values are known, undefined
// facts where the run cannot tell, and the band check.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "facts/facts.hpp"

using namespace fanflow;

namespace {

constexpr std::uint32_t kNever = std::numeric_limits<std::uint32_t>::max();

/// Ten creators: creator 0 has 91 of 100 views, the rest 1 each; creators 0-4 small (< 1,000 followers), of
/// which 1-4 have at least 100.
facts::RunData ten_creators(std::uint32_t ticks) {
  facts::RunData r;
  r.ticks = ticks;
  r.views = {91, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  r.likes = {9.1, 20, 40, 60, 80, 100, 200, 300, 400, 500};
  r.items = {1, 1, 2, 1, 2, 1, 1, 0, 1, 2};
  // Likes per item per follower: 0.91 (under 100 followers), then 0.2 0.1 0.2 0.1 | 0.1 0.1 (none) 0.1 0.05.
  r.followers = {10, 100, 200, 300, 400, 1000, 2000, 3000, 4000, 5000};
  r.joined = {0, 0, 0, 0, 0, 0, 0, 0, 10, 40};
  r.exit_tick = {kNever, 5, 29, 30, 89, kNever, kNever, 95, kNever, kNever};
  r.feedback_passed = {3, kNever, 4, kNever, kNever, 1, 2, kNever, kNever, kNever};
  r.income_passed = {3, kNever, kNever, kNever, kNever, 7, kNever, kNever, 12, kNever};
  r.impressions = {60, 10, 10, 10, 10, 0};
  r.funnel = {100, 50, 25, 5, 1};
  r.brand_spend = 200, r.brand_revenue = 500;
  r.line_spend = {100, 50, 0, 50};  // ads, sponsorship, content (none), live
  r.line_revenue = {150, 250, 20, 80};
  r.cascades_by_depth = {80, 12, 5, 2, 1, 0, 0, 0};  // 100 cascades ended, 92 within one hop
  r.cascades_by_size = {75, 15, 6, 3, 0, 0, 1, 0};
  return r;
}

double value(const std::vector<facts::FactValue>& values, const std::string& name) {
  for (const auto& v : values)
    if (v.spec->name == name) return v.value;
  FAIL("no fact " << name);
  return 0;
}

}  // namespace

TEST_CASE("facts: each fact of a hand-made run", "[facts]") {
  const auto values = facts::compute_facts(ten_creators(100));
  CHECK(value(values, "top3_view_share") == Approx(0.91));  // ceil(0.3) = 1 creator
  CHECK(value(values, "top10_view_share") == Approx(0.91));
  CHECK(value(values, "views_gini") > 0.8);
  // Initial creators (joined 0): 8; after 30 days: those with exit_tick >= 30 (0, 3, 4, 5, 6, 7).
  CHECK(value(values, "survival_day30") == Approx(6.0 / 8));
  CHECK(value(values, "survival_day90") == Approx(4.0 / 8));  // 0, 5, 6, 7
  CHECK(value(values, "past_feedback_share") == Approx(0.4));
  CHECK(value(values, "past_income_share") == Approx(0.3));
  CHECK(value(values, "past_both_share") == Approx(0.2));
  CHECK(value(values, "like_rate_small_over_large") == Approx(0.15 / 0.1));  // medians of 4 and of 4
  CHECK(value(values, "recommendation_share") == Approx(0.6));
  CHECK(value(values, "private_share") == Approx(0.3));
  CHECK(value(values, "ads_share") == Approx(0.1));
  CHECK(value(values, "live_share") == 0);
  CHECK(value(values, "follow_feed_share") == Approx(0.1));
  CHECK(value(values, "friend_group_share") == Approx(0.2));
  CHECK(value(values, "live_revenue_share") == Approx(80.0 / 500));
  CHECK(value(values, "funnel_action_per_connect") == Approx(0.2));
  CHECK(value(values, "return_on_spend") == Approx(2.5));
  CHECK(value(values, "return_on_spend_ads") == Approx(1.5));
  CHECK(value(values, "return_on_spend_sponsorship") == Approx(5.0));
  CHECK(std::isnan(value(values, "return_on_spend_content")));  // revenue without spend: no ratio
  CHECK(value(values, "return_on_spend_live") == Approx(1.6));
  CHECK(value(values, "cascades_within_one_hop") == Approx(0.92));
  CHECK(value(values, "cascades_of_one_share") == Approx(0.75));
  // Too few creators for the tail fit (50 in the tail at least).
  CHECK(std::isnan(value(values, "follower_tail_exponent")));
}

TEST_CASE("facts: what a run cannot tell is undefined, never inside a band", "[facts]") {
  auto run = ten_creators(60);
  const auto values = facts::compute_facts(run);
  CHECK(std::isnan(value(values, "survival_day90")));  // a 60-day run
  CHECK_FALSE(std::isnan(value(values, "survival_day30")));
  for (const auto& v : values)
    if (std::isnan(v.value)) CHECK_FALSE(v.inside());
  run.followers.assign(run.followers.size(), 10);  // nobody with 1,000 followers: no ratio
  CHECK(std::isnan(value(facts::compute_facts(run), "like_rate_small_over_large")));
  run.cascades_by_depth.fill(0), run.cascades_by_size.fill(0);  // no cascade ended (no shares, or an older file)
  CHECK(std::isnan(value(facts::compute_facts(run), "cascades_within_one_hop")));
  CHECK(std::isnan(value(facts::compute_facts(run), "cascades_of_one_share")));
}

TEST_CASE("facts: the tail exponent of a power-law sample and the band check", "[facts]") {
  // Followers x = floor(x0 (1 - u)^(-1/(alpha-1))) at evenly spaced u: a discrete power law with alpha = 2.5.
  facts::RunData r = ten_creators(100);
  r.views.assign(2000, 1), r.likes.assign(2000, 0), r.items.assign(2000, 1), r.followers.clear();
  for (int k = 0; k < 2000; ++k) r.followers.push_back(std::floor(10 * std::pow(1 - (k + 0.5) / 2000, -1 / 1.5)));
  r.joined.assign(2000, 0), r.exit_tick.assign(2000, kNever);
  r.feedback_passed.assign(2000, kNever), r.income_passed.assign(2000, kNever);
  const auto values = facts::compute_facts(r);
  CHECK(value(values, "follower_tail_exponent") == Approx(2.5).margin(0.15));
  for (const auto& v : values)
    if (v.spec->name == "follower_tail_exponent")
      CHECK(v.inside());  // band [2.0, 3.2]
    else if (v.spec->name == "past_feedback_share")
      CHECK(v.inside());  // 0 in [0, 0.5]
    else if (v.spec->name == "top3_view_share")
      CHECK_FALSE(v.inside());  // equal views: 0.03
    else if (v.spec->name == "cascades_within_one_hop")
      CHECK(v.inside());  // 0.92 in [0.90, 1]
}
