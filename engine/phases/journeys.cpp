// The purchase journey (SICAS, docs/model.md "Purchase journey (SICAS)"): a viewed exposure to a brand (a
// sponsored item carrying it, or its ad) moves the viewer's journey with the brand through Sense, Interest &
// Interaction, Connect & Communicate, Action (purchase) and Share. Called from consume for the viewer's own
// journeys only; the day's new journeys are merged at commit in (user, brand) order, so results do not depend
// on threads.
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <limits>

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
  std::uint16_t* purchases = nullptr;
  const std::int64_t e = state.journeys.find(user, brand);
  if (e >= 0) {
    stage = &state.journeys.stage_of(user)[static_cast<std::size_t>(e)];
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
    purchases = &it->purchases;
  }
  auto reached = [&](JourneyStage s) { return *stage >= static_cast<std::uint8_t>(s); };
  auto reach = [&](JourneyStage s) { *stage = std::max(*stage, static_cast<std::uint8_t>(s)); };
  reach(JourneyStage::Sense);
  if (!reached(JourneyStage::Interest) && (contact.liked || u_interest < p.interest_probability))
    reach(JourneyStage::Interest);
  if (reached(JourneyStage::Interest) && !reached(JourneyStage::Connect) &&
      (contact.connected || u_connect < p.connect_probability))
    reach(JourneyStage::Connect);
  // Conversion grows with trust in the carrying creator and falls with the brand's price relative to the mean
  // price, (p_b / sicas.price)^-elasticity; a live session multiplies it (contact.boost). Probabilities are
  // clamped to [0, 1].
  const double conversion = (1.0 + p.trust_weight * contact.trust) * contact.boost *
                            std::pow(double(state.brands.price_scale[brand]), -p.price_elasticity);
  auto probability = [conversion](double base) { return std::clamp(base * conversion, 0.0, 1.0); };
  std::uint64_t* counts = local.brand_counts.data() + std::size_t(brand) * kBrandCounters;
  JourneyOutcome outcome;
  if (*purchases == 0) {
    if (reached(JourneyStage::Connect) && u_buy < probability(p.purchase_base)) {
      outcome.purchase = true;
      counts[kNewCustomers]++;
      counts[kSales + index(contact.line)]++;
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

void apply_journeys(state::State& state, TickBuffers& buffers) {
  if (state.journeys.users() != state.users.count) state.journeys = state::JourneyStore(state.users.count);
  std::vector<state::NewJourney> additions;
  for (ThreadBuffers& local : buffers.local) {
    additions.insert(additions.end(), local.new_journeys.begin(), local.new_journeys.end());
    local.new_journeys.clear();
    local.user_journeys_begin = 0;
  }
  tbb::parallel_sort(additions.begin(), additions.end());
  state.journeys.merge(additions);
}

std::vector<std::uint64_t> journey_funnel(const state::State& state) {
  std::vector<std::uint64_t> funnel(std::size_t(state.brands.count) * state::kJourneyStages, 0);
  auto brands = state.journeys.all_brands();
  auto stages = state.journeys.all_stages();
  for (std::size_t e = 0; e < brands.size(); ++e)
    for (std::uint8_t s = 1; s <= stages[e] && s <= state::kJourneyStages; ++s)
      funnel[std::size_t(brands[e]) * state::kJourneyStages + s - 1]++;
  return funnel;
}

}  // namespace fanflow::phases
