// The purchase journey (SICAS, docs/model.md "Purchase journey (SICAS)"): a viewed exposure to a brand (a
// sponsored item carrying it, its own account's item, its ad or a live session) moves the viewer's journey with the
// brand through Sense, Interest & Interaction, Connect & Communicate, Action (purchase) and Share; a live session
// can sell on the spot from Sense or Interest (impulse), customers can lapse back to Interest (the loop of
// repurchase), and a brand's item a friend shared can move the recipient a stage on arrival (referral). Contacts and
// lapses are applied by the user's own consume iteration; the day's new journeys and referrals at commit, in
// (user, brand) order, so results do not depend on threads.
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "phases/phases.hpp"

namespace fanflow::phases {
namespace {

/// Private-domain contact, where past customers buy again: follow feed, friend shares, groups, live sessions.
bool is_private(Channel channel) {
  return channel == Channel::FollowFeed || channel == Channel::FriendShare || channel == Channel::Group ||
         channel == Channel::Live;
}

}  // namespace

JourneyOutcome journey_contact(const TickContext& ctx, state::State& state, ThreadBuffers& local,
                               const JourneyContact& contact) {
  using state::JourneyStage;
  const auto& p = ctx.params.sicas;
  const std::uint32_t user = contact.user.value, brand = contact.brand.value;
  // Four uniforms from one Philox block, drawn whatever happens, so later decisions do not shift.
  rng::Stream stream(ctx.seed, ctx.tick, user, rng::Purpose::Journey, contact.slot);
  const double u_interest = stream.uniform(), u_connect = stream.uniform(), u_buy = stream.uniform(),
               u_share = stream.uniform();
  // The user's journey with the brand: in the store, among the ones begun today, or a new one.
  std::uint8_t* stage = nullptr;
  std::uint8_t* furthest = nullptr;
  std::uint16_t* purchases = nullptr;
  const std::int64_t e = state.journeys.find(user, brand);
  if (e >= 0) {
    stage = &state.journeys.stage_of(user)[static_cast<std::size_t>(e)];
    furthest = &state.journeys.reached_of(user)[static_cast<std::size_t>(e)];
    purchases = &state.journeys.purchases_of(user)[static_cast<std::size_t>(e)];
  } else {
    auto& fresh = local.new_journeys;
    auto it = std::find_if(fresh.begin() + static_cast<std::ptrdiff_t>(local.user_journeys_begin), fresh.end(),
                           [&](const state::NewJourney& j) { return j.brand == brand; });
    if (it == fresh.end()) {
      fresh.push_back({user, brand, 0, 0});
      it = fresh.end() - 1;
    }
    stage = &it->stage;
    furthest = &it->reached;
    purchases = &it->purchases;
  }
  auto reached = [&](JourneyStage s) { return *stage >= static_cast<std::uint8_t>(s); };
  auto reach = [&](JourneyStage s) {
    *stage = std::max(*stage, static_cast<std::uint8_t>(s));
    *furthest = std::max(*furthest, *stage);
  };
  reach(JourneyStage::Sense);
  const double price_factor = std::pow(double(state.brands.price_scale[brand]), -p.price_elasticity);
  // Impulse buying in a live session: from Sense or Interest straight to Action, with its own probability times the
  // trust and price factor (a fifth uniform, drawn only here, so no other draw shifts).
  const double impulse_probability = ctx.params.live.impulse_probability;
  bool impulse = false;
  if (contact.channel == Channel::Live && impulse_probability > 0 && !reached(JourneyStage::Connect)) {
    const double u_impulse = stream.uniform();
    impulse =
        u_impulse < std::clamp(impulse_probability * (1.0 + p.trust_weight * contact.trust) * price_factor, 0.0, 1.0);
  }
  if (!impulse) {
    if (!reached(JourneyStage::Interest) && (contact.liked || u_interest < p.interest_probability))
      reach(JourneyStage::Interest);
    if (reached(JourneyStage::Interest) && !reached(JourneyStage::Connect) &&
        (contact.connected || u_connect < p.connect_probability))
      reach(JourneyStage::Connect);
  }
  // Conversion grows with trust in the carrying creator and falls with the brand's price relative to the mean
  // price, (p_b / sicas.price)^-elasticity; a live session multiplies it (contact.boost). Probabilities are
  // clamped to [0, 1].
  const double conversion = (1.0 + p.trust_weight * contact.trust) * contact.boost * price_factor;
  auto probability = [conversion](double base) { return std::clamp(base * conversion, 0.0, 1.0); };
  std::uint64_t* counts = local.brand_counts.data() + std::size_t(brand) * kBrandCounters;
  JourneyOutcome outcome;
  if (!reached(JourneyStage::Action)) {
    // Not a customer now: a first purchase, or a lapsed customer's return (counted as a repeat purchase).
    if (impulse || (reached(JourneyStage::Connect) && u_buy < probability(p.purchase_base))) {
      outcome.purchase = true;
      counts[*purchases == 0 ? kNewCustomers : kRepeatPurchases]++;
      counts[kSales + index(contact.line)]++;
      if (impulse) local.metrics.impulse_purchases++;
      reach(JourneyStage::Action);
    }
  } else if (is_private(contact.channel) && u_buy < probability(p.repurchase_probability)) {
    outcome.purchase = true;
    counts[kRepeatPurchases]++;
    counts[kSales + index(contact.line)]++;
  }
  if (!outcome.purchase) return outcome;
  if (*purchases < std::numeric_limits<std::uint16_t>::max()) ++*purchases;
  local.metrics.purchases[index(contact.channel)]++;
  if (contact.shareable && u_share < p.share_after_purchase) {
    outcome.share = true;
    reach(JourneyStage::Share);
  }
  return outcome;
}

void lapse_journeys(const TickContext& ctx, state::State& state, std::uint32_t user, TickMetrics& metrics) {
  const double lapse = ctx.params.sicas.lapse_probability;
  if (lapse <= 0) return;
  auto stages = state.journeys.stage_of(user);
  constexpr auto action = static_cast<std::uint8_t>(state::JourneyStage::Action);
  if (std::none_of(stages.begin(), stages.end(), [](std::uint8_t s) { return s >= action; })) return;
  rng::Stream stream(ctx.seed, ctx.tick, user, rng::Purpose::JourneyLapse);
  for (std::uint8_t& stage : stages) {
    if (stage < action || stream.uniform() >= lapse) continue;
    stage = static_cast<std::uint8_t>(state::JourneyStage::Interest);
    metrics.journey_lapses++;
  }
}

void apply_referrals(const TickContext& ctx, state::State& state, TickMetrics& metrics) {
  const double referral = ctx.params.sicas.referral_probability;
  if (referral <= 0 || state.inbox_offsets.size() != std::size_t(state.users.count) + 1) return;
  constexpr auto connect = static_cast<std::uint8_t>(state::JourneyStage::Connect);
  std::vector<state::NewJourney> additions;
  for (std::uint32_t user = 0; user < state.users.count; ++user) {
    auto inbox = state.inbox(user);
    auto channel = state.inbox_channel(user);
    const std::size_t user_begin = additions.size();
    std::optional<rng::Stream> stream;
    for (std::size_t k = 0; k < inbox.size(); ++k) {
      if (channel[k] != Channel::FriendShare || !state.items.holds(inbox[k])) continue;
      const std::uint32_t brand = state.items.brand[state.items.slot(inbox[k])];
      if (brand == state::kNoBrand) continue;
      if (!stream) stream.emplace(ctx.seed, ctx.tick, user, rng::Purpose::Referral);
      if (stream->uniform() >= referral) continue;
      // One stage toward Connect: no journey -> Sense, Sense -> Interest, Interest -> Connect.
      std::uint8_t *stage = nullptr, *furthest = nullptr;
      const std::int64_t e = state.journeys.find(user, brand);
      if (e >= 0) {
        stage = &state.journeys.stage_of(user)[static_cast<std::size_t>(e)];
        furthest = &state.journeys.reached_of(user)[static_cast<std::size_t>(e)];
      } else {
        auto it = std::find_if(additions.begin() + static_cast<std::ptrdiff_t>(user_begin), additions.end(),
                               [&](const state::NewJourney& j) { return j.brand == brand; });
        if (it == additions.end()) {
          additions.push_back({user, brand, 0, 0});
          it = additions.end() - 1;
        }
        stage = &it->stage;
        furthest = &it->reached;
      }
      if (*stage >= connect) continue;
      ++*stage;
      *furthest = std::max(*furthest, *stage);
      metrics.referrals++;
    }
  }
  std::sort(additions.begin(), additions.end());
  state.journeys.merge(additions);
}

void apply_journeys(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  if (state.journeys.users() != state.users.count) state.journeys = state::JourneyStore(state.users.count);
  std::vector<state::NewJourney> additions;
  for (ThreadBuffers& local : buffers.local) {
    additions.insert(additions.end(), local.new_journeys.begin(), local.new_journeys.end());
    local.new_journeys.clear();
    local.user_journeys_begin = 0;
  }
  tbb::parallel_sort(additions.begin(), additions.end());
  state.journeys.merge(additions);
  apply_referrals(ctx, state, buffers.metrics);  // the shares delivered today (apply_shares ran before)
}

std::vector<std::uint64_t> journey_funnel(const state::State& state) {
  std::vector<std::uint64_t> funnel(std::size_t(state.brands.count) * state::kJourneyStages, 0);
  auto brands = state.journeys.all_brands();
  auto stages = state.journeys.all_reached();  // the furthest stage: a lapsed customer still counts as one
  for (std::size_t e = 0; e < brands.size(); ++e)
    for (std::uint8_t s = 1; s <= stages[e] && s <= state::kJourneyStages; ++s)
      funnel[std::size_t(brands[e]) * state::kJourneyStages + s - 1]++;
  return funnel;
}

}  // namespace fanflow::phases
