// Phase 1, creators post: each creator draws today's item count and the items' quality from its own stream.
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <boost/random/poisson_distribution.hpp>

#include "phases/phases.hpp"

namespace fanflow::phases {
namespace {

/// Items a creator posts today: Poisson(posting_rate). Drawn first from the creator's Post stream.
std::uint32_t draw_post_count(float rate, rng::Stream& stream) {
  if (rate <= 0) return 0;
  boost::random::poisson_distribution<std::uint32_t, double> poisson(rate);
  return poisson(stream);
}

}  // namespace

void creators_post(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  auto& creators = state.creators;
  auto& items = state.items;
  const std::uint32_t count = creators.count;
  buffers.posts_per_creator.assign(count, 0);

  // Pass 1 (parallel): how many items each creator posts; creators who exited post nothing.
  const auto& lifecycle = state.lifecycle;
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, count, 1024), [&](const auto& range) {
    for (std::uint32_t c = range.begin(); c != range.end(); ++c) {
      if (c < lifecycle.size() && !lifecycle.alive(c)) {
        buffers.posts_per_creator[c] = 0;
        continue;
      }
      rng::Stream stream(ctx.seed, ctx.tick, c, rng::Purpose::Post);
      buffers.posts_per_creator[c] = draw_post_count(creators.posting_rate[c], stream);
    }
  });

  // Ids in creator order: creator c's items today are [posted_today_begin[c], posted_today_begin[c + 1]).
  state.posted_today_begin.resize(std::size_t(count) + 1);
  std::uint32_t next_id = items.end_id();
  std::uint64_t active = 0;
  for (std::uint32_t c = 0; c < count; ++c) {
    state.posted_today_begin[c] = next_id;
    next_id += buffers.posts_per_creator[c];
    active += buffers.posts_per_creator[c] > 0;
  }
  state.posted_today_begin[count] = next_id;

  const std::uint32_t new_items = next_id - items.end_id();
  const std::uint32_t first_new_slot = items.grow(new_items, ctx.tick);

  // Pass 2 (parallel): the items' quality, continuing each creator's stream after its count.
  const double quality_sd = ctx.params.creators.quality_sd;
  const std::vector<double> cumulative = state::cumulative_popularity(ctx.params);  // for big IPs' broad items
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, count, 1024), [&](const auto& range) {
    for (std::uint32_t c = range.begin(); c != range.end(); ++c) {
      const std::uint32_t posts = buffers.posts_per_creator[c];
      if (posts == 0) continue;
      rng::Stream stream(ctx.seed, ctx.tick, c, rng::Purpose::Post);
      draw_post_count(creators.posting_rate[c], stream);
      std::uint32_t slot = first_new_slot + (state.posted_today_begin[c] - state.posted_today_begin[0]);
      // A creator with an open marketplace deal posts its first item today as the brand's sponsored item; every
      // item of a brand account carries its brand.
      const std::uint32_t deal = c < state.deals.size() ? state.deals.brand[c] : state::kNoBrand;
      if (deal != state::kNoBrand) state.deals.filled[c] = ctx.tick;
      const std::uint32_t own_brand = state.brands.brand_of_account(c);
      const std::uint32_t account_brand = own_brand < state.brands.count ? own_brand : state::kNoBrand;
      for (std::uint32_t k = 0; k < posts; ++k, ++slot) {
        double quality = creators.skill[c] + quality_sd * stream.normal();
        items.creator[slot] = c;
        const bool broad = creators.type[c] == static_cast<std::uint8_t>(state::CreatorType::BigIp) &&
                           stream.uniform() < ctx.params.creators.big_ip_topic_breadth;
        items.topic[slot] = broad ? state::draw_topic(cumulative, stream) : creators.topic[c];
        items.quality[slot] = static_cast<float>(std::clamp(quality, 0.0, 1.0));
        const bool sponsored = k == 0 && deal != state::kNoBrand;
        items.brand[slot] = sponsored ? deal : account_brand;
      }
      creators.items_posted[c] += posts;
    }
  });
  buffers.metrics.items_posted = new_items;
  buffers.metrics.active_creators = active;
}

}  // namespace fanflow::phases
