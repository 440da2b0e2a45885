// Paid ads in the consume phase (docs/model.md, "Paid ads"): an ad slot shows the ad of the brand AdTables drew,
// the user reacts to it as the reaction model says (reaction.hpp), and a view is a contact of the user's purchase
// journey with the brand. Counted per thread; settle.cpp charges the brands after commit.
#include "phases/brands/tables.hpp"
#include "phases/phases.hpp"
#include "phases/reaction.hpp"

namespace fanflow::phases {

void show_ad(const TickContext& ctx, state::State& state, ThreadBuffers& local, UserId user_id, BrandId brand_id,
             rng::Stream& stream, std::uint32_t slot) {
  const std::uint32_t user = user_id.value, brand = brand_id.value;
  const Exposure exposure{ctx.params.brands.ad_quality, kNeutralPackaging,
                          state.users.match(user, state.brands.topic[brand])};
  // Four uniforms, as for an item's reactions (share and follow are not used: an ad has no item, no creator).
  const Reaction reaction = ReactionModel(ctx.params.engagement).ad(exposure, ReactionDraws::draw(stream));
  constexpr std::size_t ch = index(Channel::Ads);
  std::uint64_t* counts = local.brand_counts.data() + std::size_t(brand) * kBrandCounters;
  local.metrics.impressions[ch]++;
  state.users.impressions[user]++;
  counts[kAdImpressions]++;
  counts[kImpressions + ch]++;
  if (!reaction.viewed) return;
  local.metrics.views[ch]++;
  state.users.views[user]++;
  counts[kAdEngagements]++;
  if (reaction.liked) {
    local.metrics.likes[ch]++;
    state.users.likes[user]++;
    counts[kAdEngagements]++;
  }
  journey_contact(ctx, state, local,
                  {user_id, brand_id, Channel::Ads, state::BudgetLine::Ads, slot, 0.0, reaction.liked, false, false});
}

}  // namespace fanflow::phases
