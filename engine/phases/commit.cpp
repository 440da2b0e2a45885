// Phase 4, commit: applies what the phases buffered, in id order, so the result does not depend on how
// threads split the work. Integer counters are summed; events are sorted by their full key before use.
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>

#include "phases/phases.hpp"

namespace fanflow::phases {
namespace {

/// Adds each thread's per-item counters into the item store and the creators' totals, then clears them.
void apply_item_counters(state::State& state, TickBuffers& buffers) {
  auto& items = state.items;
  auto& creators = state.creators;
  const std::uint32_t slots = items.size();
  std::vector<std::uint32_t> impressions(slots, 0), views(slots, 0), likes(slots, 0), shares(slots, 0);
  for (ThreadBuffers& local : buffers.local) {
    if (local.item_impressions.size() != slots) continue;  // this thread consumed no users this tick
    for (std::uint32_t s = 0; s < slots; ++s) {
      impressions[s] += local.item_impressions[s];
      views[s] += local.item_views[s];
      likes[s] += local.item_likes[s];
      shares[s] += local.item_shares[s];
    }
    local.item_impressions.clear();
    local.item_views.clear();
    local.item_likes.clear();
    local.item_shares.clear();
  }
  for (std::uint32_t s = 0; s < slots; ++s) {
    items.impressions[s] += impressions[s];
    items.views[s] += views[s];
    items.likes[s] += likes[s];
    items.shares[s] += shares[s];
    const std::uint32_t c = items.creator[s];
    creators.impressions[c] += impressions[s];
    creators.views[c] += views[s];
    creators.likes[c] += likes[s];
    creators.shares[c] += shares[s];
  }
}

void apply_follows(state::State& state, TickBuffers& buffers) {
  std::vector<FollowEvent> events;
  for (ThreadBuffers& local : buffers.local) {
    events.insert(events.end(), local.follows.begin(), local.follows.end());
    local.follows.clear();
  }
  tbb::parallel_sort(events.begin(), events.end());
  std::vector<std::pair<std::uint32_t, std::uint32_t>> additions;
  additions.reserve(events.size());
  for (const FollowEvent& e : events) {
    // consume() never emits a follow twice for one user and creator, nor one already present.
    additions.emplace_back(e.user, e.creator);
    state.creators.followers[e.creator]++;
  }
  state.follows.add_sorted(additions);
}

/// Tomorrow's inboxes: each (recipient, item) once, whoever else shared it too.
void apply_shares(state::State& state, TickBuffers& buffers) {
  std::vector<ShareEvent> events;
  for (ThreadBuffers& local : buffers.local) {
    events.insert(events.end(), local.shares.begin(), local.shares.end());
    local.shares.clear();
  }
  tbb::parallel_sort(events.begin(), events.end());
  const std::uint32_t users = state.users.count;
  state.inbox_offsets.assign(std::size_t(users) + 1, 0);
  state.inbox_items.clear();
  std::size_t e = 0;
  for (std::uint32_t user = 0; user < users; ++user) {
    state.inbox_offsets[user] = state.inbox_items.size();
    while (e < events.size() && events[e].recipient == user) {
      if (state.inbox_items.size() == state.inbox_offsets[user] || state.inbox_items.back() != events[e].item)
        state.inbox_items.push_back(events[e].item);
      ++e;
    }
  }
  state.inbox_offsets[users] = state.inbox_items.size();
  buffers.metrics.share_deliveries = state.inbox_items.size();
}

}  // namespace

void commit(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  TickMetrics& metrics = buffers.metrics;
  for (ThreadBuffers& local : buffers.local) {
    metrics.add(local.metrics);
    local.metrics = TickMetrics{};
  }
  apply_item_counters(state, buffers);
  apply_follows(state, buffers);
  apply_shares(state, buffers);
  metrics.follow_edges = state.follows.edges();

  // Items older than content.max_age_days tomorrow leave every feed.
  const std::int64_t oldest_kept = std::int64_t(ctx.tick) + 2 - ctx.params.content.max_age_days;
  if (oldest_kept > 0) state.items.retire_before(static_cast<Tick>(oldest_kept));
  metrics.items_alive = state.items.size();
}

}  // namespace fanflow::phases
