// Tests of the purchase journey's transitions that are not one-way (engine/phases/journeys.cpp): impulse purchases
// in live sessions skip from Sense or Interest to Action (live.impulse_probability), customers lapse back to
// Interest and buy again only through Connect (sicas.lapse_probability), and a brand's item a friend shared moves
// the recipient a stage on arrival (sicas.referral_probability). Each happens at its stated rate within 4 binomial
// standard errors in a controlled world, and not at all at the parameter's neutral value.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <vector>

#include "phases/phases.hpp"

using namespace fanflow;
using state::JourneyStage;

namespace {

constexpr auto kSense = static_cast<std::uint8_t>(JourneyStage::Sense);
constexpr auto kInterest = static_cast<std::uint8_t>(JourneyStage::Interest);
constexpr auto kConnect = static_cast<std::uint8_t>(JourneyStage::Connect);
constexpr auto kAction = static_cast<std::uint8_t>(JourneyStage::Action);

/// |count - n q| within 4 binomial standard errors.
bool within_4_se(std::uint64_t count, std::uint64_t n, double q) {
  return std::abs(double(count) - double(n) * q) < 4 * std::sqrt(double(n) * q * (1 - q));
}

/// Parameters of the controlled worlds: no trust effect, no price effect, nothing moves a stage by chance.
params::Params controlled() {
  params::Params p;
  p.sicas.interest_probability = 0;
  p.sicas.connect_probability = 0;
  p.sicas.purchase_base = 0;
  p.sicas.repurchase_probability = 0;
  p.sicas.share_after_purchase = 0;
  p.sicas.trust_weight = 0;
  p.sicas.price_elasticity = 0;
  return p;
}

/// A state of `users` users and `brands` brands at price scale 1, each user with the journeys `start` lists
/// (brand, stage, purchases).
state::State world(std::uint32_t users, std::uint32_t brands, const std::vector<state::NewJourney>& start) {
  state::State st;
  st.users.count = users;
  st.brands.count = brands;
  st.brands.price_scale.assign(brands, 1.0f);
  st.journeys = state::JourneyStore(users);
  st.journeys.merge(start);
  return st;
}

/// Brand `b`'s counter `counter` in the thread buffers.
std::uint64_t count_of(const phases::ThreadBuffers& local, std::uint32_t b, std::size_t counter) {
  return local.brand_counts[b * phases::kBrandCounters + counter];
}

/// Every user meets brand 0 once through `channel` (not liked, connected), in feed slot 0; returns the buffers.
phases::ThreadBuffers contact_all(const params::Params& p, state::State& st, Channel channel, double boost = 1.0) {
  phases::ThreadBuffers local;
  local.brand_counts.assign(std::size_t(st.brands.count) * phases::kBrandCounters, 0);
  const phases::TickContext ctx{p, 11, 4};
  const auto line = channel == Channel::Live ? state::BudgetLine::Live : state::BudgetLine::Sponsorship;
  for (std::uint32_t u = 0; u < st.users.count; ++u) {
    local.user_journeys_begin = local.new_journeys.size();
    phases::journey_contact(ctx, st, local, {UserId{u}, BrandId{0}, channel, line, 0, 0.0, false, true, false, boost});
  }
  return local;
}

}  // namespace

TEST_CASE("journeys: a live session sells on impulse from Sense and Interest, at live.impulse_probability",
          "[journeys]") {
  const std::uint32_t n = 20000;
  // Users 0 .. n/2 - 1 have never met brand 0 (the session opens their journey at Sense); the others are at
  // Interest. purchase_base 0: the usual way through Connect sells nothing, whatever the live multiplier.
  std::vector<state::NewJourney> start;
  for (std::uint32_t u = n / 2; u < n; ++u) start.push_back({u, 0, kInterest, 0});
  params::Params p = controlled();
  p.live.impulse_probability = 0.05;

  state::State st = world(n, 1, start);
  const phases::ThreadBuffers local = contact_all(p, st, Channel::Live, 3.0);
  std::uint64_t from_sense = 0, from_interest = 0;
  for (const state::NewJourney& j : local.new_journeys) from_sense += j.stage == kAction;
  for (std::uint32_t u = n / 2; u < n; ++u) from_interest += st.journeys.stage_of(u)[0] == kAction;
  INFO("impulse purchases from Sense " << from_sense << ", from Interest " << from_interest << " of " << n / 2);
  CHECK(within_4_se(from_sense, n / 2, 0.05));
  CHECK(within_4_se(from_interest, n / 2, 0.05));
  CHECK(count_of(local, 0, phases::kNewCustomers) == from_sense + from_interest);
  CHECK(local.metrics.impulse_purchases == from_sense + from_interest);
  CHECK(local.metrics.purchases[index(Channel::Live)] == from_sense + from_interest);
  // Those who did not buy moved as before: the new ones stay at Sense, those at Interest connect (live chat).
  for (const state::NewJourney& j : local.new_journeys) CHECK((j.stage == kAction || j.stage == kSense));
  for (std::uint32_t u = n / 2; u < n; ++u) CHECK(st.journeys.stage_of(u)[0] >= kConnect);

  // Outside a live session there is no impulse purchase.
  state::State feed = world(n, 1, start);
  CHECK(contact_all(p, feed, Channel::FollowFeed).metrics.impulse_purchases == 0);
  // Neutral value: no purchase at all.
  p.live.impulse_probability = 0;
  state::State off = world(n, 1, start);
  const phases::ThreadBuffers none = contact_all(p, off, Channel::Live, 3.0);
  CHECK(count_of(none, 0, phases::kNewCustomers) == 0);
  CHECK(none.metrics.impulse_purchases == 0);
}

TEST_CASE("journeys: customers lapse back to Interest at sicas.lapse_probability a day", "[journeys]") {
  const std::uint32_t n = 20000;
  const double h = 0.1;
  // Every user is a customer of brand 0 and connected with brand 1.
  std::vector<state::NewJourney> start;
  for (std::uint32_t u = 0; u < n; ++u) {
    start.push_back({u, 0, kAction, 1});
    start.push_back({u, 1, kConnect, 0});
  }
  params::Params p = controlled();
  p.sicas.lapse_probability = h;
  state::State st = world(n, 2, start);
  auto customers = [&] {
    std::uint64_t c = 0;
    for (std::uint32_t u = 0; u < n; ++u) c += st.journeys.stage_of(u)[0] == kAction;
    return c;
  };
  phases::TickMetrics metrics;
  for (std::uint32_t u = 0; u < n; ++u) phases::lapse_journeys({p, 3, 0}, st, u, metrics);
  INFO("lapsed on day 0: " << metrics.journey_lapses << " of " << n);
  CHECK(within_4_se(metrics.journey_lapses, n, h));
  CHECK(customers() == n - metrics.journey_lapses);
  for (Tick day = 1; day < 10; ++day)
    for (std::uint32_t u = 0; u < n; ++u) phases::lapse_journeys({p, 3, day}, st, u, metrics);
  INFO("customers after 10 days: " << customers());
  CHECK(within_4_se(customers(), n, std::pow(1 - h, 10)));
  for (std::uint32_t u = 0; u < n; ++u) {
    REQUIRE((st.journeys.stage_of(u)[0] == kAction || st.journeys.stage_of(u)[0] == kInterest));
    REQUIRE(st.journeys.stage_of(u)[1] == kConnect);  // not a customer: does not lapse
    REQUIRE(st.journeys.purchases_of(u)[0] == 1);
  }
  // The funnel counts the furthest stage: every user still reached Action with brand 0.
  const std::vector<std::uint64_t> funnel = phases::journey_funnel(st);
  CHECK(funnel[kAction - 1] == n);
  CHECK(funnel[state::kJourneyStages + kAction - 1] == 0);

  // Neutral value: nobody lapses.
  p.sicas.lapse_probability = 0;
  state::State kept = world(n, 2, start);
  phases::TickMetrics none;
  for (std::uint32_t u = 0; u < n; ++u) phases::lapse_journeys({p, 3, 0}, kept, u, none);
  CHECK(none.journey_lapses == 0);
  for (std::uint32_t u = 0; u < n; ++u) REQUIRE(kept.journeys.stage_of(u)[0] == kAction);
}

TEST_CASE("journeys: a lapsed customer buys again only through Connect, on any channel", "[journeys]") {
  const std::uint32_t n = 20000;
  const double q = 0.2;
  // Every user is a customer of brand 0 (one purchase); about half lapse, then all meet an ad: public traffic,
  // where active customers do not buy again, but a lapsed one goes through the journey again.
  std::vector<state::NewJourney> start;
  for (std::uint32_t u = 0; u < n; ++u) start.push_back({u, 0, kAction, 1});
  params::Params p = controlled();
  p.sicas.lapse_probability = 0.5;
  p.sicas.purchase_base = q;
  p.sicas.repurchase_probability = 1;  // active customers would always buy again through private traffic
  state::State st = world(n, 1, start);
  phases::TickMetrics metrics;
  for (std::uint32_t u = 0; u < n; ++u) phases::lapse_journeys({p, 3, 0}, st, u, metrics);
  std::vector<bool> lapsed(n);
  for (std::uint32_t u = 0; u < n; ++u) lapsed[u] = st.journeys.stage_of(u)[0] == kInterest;
  const phases::ThreadBuffers local = contact_all(p, st, Channel::Ads);
  std::uint64_t active_bought = 0, lapsed_bought = 0;
  for (std::uint32_t u = 0; u < n; ++u) {
    const bool bought = st.journeys.purchases_of(u)[0] == 2;
    (lapsed[u] ? lapsed_bought : active_bought) += bought;
    if (lapsed[u]) REQUIRE(st.journeys.stage_of(u)[0] == (bought ? kAction : kConnect));  // connected (the tie)
  }
  INFO("lapsed customers who bought again: " << lapsed_bought << " of " << metrics.journey_lapses);
  CHECK(active_bought == 0);
  CHECK(within_4_se(lapsed_bought, metrics.journey_lapses, q));
  CHECK(count_of(local, 0, phases::kRepeatPurchases) == lapsed_bought);  // a return, not a new customer
  CHECK(count_of(local, 0, phases::kNewCustomers) == 0);
}

TEST_CASE("journeys: a brand's item a friend shared moves the recipient a stage on arrival", "[journeys]") {
  const std::uint32_t n = 20000;
  const double rho = 0.3;
  // Items: 0 carries brand 0, 1 carries brand 1, 2 carries none. Each user's inbox holds item 0 from a friend,
  // item 1 through a group and item 2 from a friend. Users 0 .. n/2 - 1 have not met brand 0, the others are at
  // Sense with it.
  std::vector<state::NewJourney> start;
  for (std::uint32_t u = n / 2; u < n; ++u) start.push_back({u, 0, kSense, 0});
  auto make = [&] {
    state::State st = world(n, 2, start);
    for (std::uint32_t brand : {0u, 1u, state::kNoBrand}) {
      const std::uint32_t id = st.items.add(0, 0, 0.5f, 0);
      st.items.brand[st.items.slot(id)] = brand;
    }
    st.inbox_offsets.resize(std::size_t(n) + 1);
    for (std::uint32_t u = 0; u < n; ++u) {
      st.inbox_offsets[u] = st.inbox_items.size();
      st.inbox_items.insert(st.inbox_items.end(), {0, 1, 2});
      st.inbox_channels.insert(st.inbox_channels.end(), {Channel::FriendShare, Channel::Group, Channel::FriendShare});
    }
    st.inbox_offsets[n] = st.inbox_items.size();
    return st;
  };
  params::Params p = controlled();
  p.sicas.referral_probability = rho;
  state::State st = make();
  phases::TickMetrics metrics;
  phases::apply_referrals({p, 9, 2}, st, metrics);
  std::uint64_t opened = 0, interested = 0;
  for (std::uint32_t u = 0; u < n; ++u) {
    const std::int64_t e = st.journeys.find(u, 0);
    if (u < n / 2) {
      opened += e >= 0;
      if (e >= 0) REQUIRE(st.journeys.stage_of(u)[std::size_t(e)] == kSense);
    } else {
      REQUIRE(e >= 0);
      interested += st.journeys.stage_of(u)[std::size_t(e)] == kInterest;
    }
    REQUIRE(st.journeys.find(u, 1) < 0);  // a group's item is no referral
  }
  INFO("journeys opened " << opened << ", moved to Interest " << interested << " of " << n / 2 << " each");
  CHECK(within_4_se(opened, n / 2, rho));
  CHECK(within_4_se(interested, n / 2, rho));
  CHECK(metrics.referrals == opened + interested);
  CHECK(phases::journey_funnel(st)[kInterest - 1] == interested);

  // Neutral value: no journey moves.
  p.sicas.referral_probability = 0;
  state::State off = make();
  phases::TickMetrics none;
  phases::apply_referrals({p, 9, 2}, off, none);
  CHECK(none.referrals == 0);
  CHECK(off.journeys.size() == n / 2);
  for (std::uint32_t u = n / 2; u < n; ++u) REQUIRE(off.journeys.stage_of(u)[0] == kSense);
}

TEST_CASE("journeys: referrals stop at Connect and each shared item draws once", "[journeys]") {
  // One user at Connect with brand 0 receives its item: nothing moves (a purchase needs an exposure). Another, new
  // to the brand, receives two of its items with probability 1: Sense, then Interest.
  params::Params p = controlled();
  p.sicas.referral_probability = 1;
  state::State st = world(2, 1, {{0, 0, kConnect, 0}});
  for (int k = 0; k < 2; ++k) st.items.brand[st.items.slot(st.items.add(0, 0, 0.5f, 0))] = 0;
  st.inbox_offsets = {0, 1, 3};
  st.inbox_items = {0, 0, 1};
  st.inbox_channels = {Channel::FriendShare, Channel::FriendShare, Channel::FriendShare};
  phases::TickMetrics metrics;
  phases::apply_referrals({p, 1, 0}, st, metrics);
  CHECK(st.journeys.stage_of(0)[0] == kConnect);
  REQUIRE(st.journeys.find(1, 0) == 0);
  CHECK(st.journeys.stage_of(1)[0] == kInterest);
  CHECK(metrics.referrals == 2);
}
