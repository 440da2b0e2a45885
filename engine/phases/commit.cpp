// Phase 4, commit: applies what the phases buffered, in id order, so the result does not depend on how
// threads split the work. Integer counters are summed; events are sorted by their full key before use.
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <numeric>
#include <utility>

#include "phases/phases.hpp"

namespace fanflow::phases {
namespace {

/// Adds each thread's per-item counters into the item store and the creators' totals (and the recommendation
/// counters into buffers.rec_impressions and rec_likes, for update_recommender), then clears them.
void apply_item_counters(state::State& state, TickBuffers& buffers) {
  auto& items = state.items;
  auto& creators = state.creators;
  const std::uint32_t slots = items.size();
  std::vector<std::uint32_t> impressions(slots, 0), views(slots, 0), likes(slots, 0), shares(slots, 0);
  buffers.rec_impressions.assign(slots, 0);
  buffers.rec_likes.assign(slots, 0);
  for (ThreadBuffers& local : buffers.local) {
    if (local.item_counts.size() != slots) continue;  // this thread consumed no users this tick
    for (std::uint32_t s = 0; s < slots; ++s) {
      const ItemCounters& c = local.item_counts[s];
      impressions[s] += c.impressions;
      views[s] += c.views;
      likes[s] += c.likes;
      shares[s] += c.shares;
      buffers.rec_impressions[s] += c.rec_impressions;
      buffers.rec_likes[s] += c.rec_likes;
    }
    local.item_counts.clear();
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

/// Gathers one kind of follow event from every thread, sorted by (user, creator, channel).
std::vector<FollowEvent> gather(TickBuffers& buffers, std::vector<FollowEvent> ThreadBuffers::*events) {
  std::vector<FollowEvent> all;
  for (ThreadBuffers& local : buffers.local) {
    all.insert(all.end(), (local.*events).begin(), (local.*events).end());
    (local.*events).clear();
  }
  tbb::parallel_sort(all.begin(), all.end());
  return all;
}

/// New follows and unfollows. consume() emits at most one of each per user and creator, follows only of
/// creators not followed and unfollows only of creators followed, so both lists are sets.
void apply_follows(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  std::vector<state::FollowStore::Pair> additions, removals;
  for (const FollowEvent& e : gather(buffers, &ThreadBuffers::follows)) {
    additions.emplace_back(e.user.value, e.creator.value);
    state.creators.followers[e.creator.value]++;
  }
  for (const FollowEvent& e : gather(buffers, &ThreadBuffers::unfollows)) {
    removals.emplace_back(e.user.value, e.creator.value);
    state.creators.followers[e.creator.value]--;
  }
  state.follows.update(additions, removals, static_cast<float>(ctx.params.trust.initial));
}

/// True fans: followers whose trust is at least trust.true_fan_threshold, per creator. Counted per thread over
/// ranges of users, then summed (integers: the totals do not depend on how the users were split).
void count_true_fans(const TickContext& ctx, state::State& state, TickMetrics& metrics) {
  auto& true_fans = state.creators.true_fans;
  const std::size_t creators = true_fans.size();
  const float threshold = static_cast<float>(ctx.params.trust.true_fan_threshold);
  tbb::enumerable_thread_specific<std::vector<std::uint32_t>> counts(std::vector<std::uint32_t>(creators, 0));
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, state.users.count, 8192), [&](const auto& range) {
    auto& mine = counts.local();
    for (std::uint32_t user = range.begin(); user != range.end(); ++user) {
      auto followed = state.follows.followed(user);
      auto trust = std::as_const(state.follows).trust_of(user);
      for (std::size_t e = 0; e < followed.size(); ++e) mine[followed[e]] += trust[e] >= threshold;
    }
  });
  std::fill(true_fans.begin(), true_fans.end(), 0u);
  for (const auto& part : counts)
    for (std::size_t c = 0; c < creators; ++c) true_fans[c] += part[c];
  metrics.true_fans = std::accumulate(true_fans.begin(), true_fans.end(), std::uint64_t{0});
}

/// Tomorrow's inboxes: each (recipient, item) once, whoever else shared it too.
/// Members of each creator's group, as CSR (group -> users ascending), from the user -> groups relation.
void group_member_lists(const state::State& state, std::vector<std::uint64_t>& offsets,
                        std::vector<std::uint32_t>& members) {
  const std::uint32_t creators = state.creators.count;
  offsets.assign(std::size_t(creators) + 1, 0);
  for (std::uint32_t user = 0; user < state.users.count; ++user)
    for (std::uint32_t group : state.groups.followed(user)) offsets[group + 1]++;
  for (std::uint32_t g = 0; g < creators; ++g) offsets[g + 1] += offsets[g];
  members.resize(offsets[creators]);
  std::vector<std::uint64_t> fill(offsets.begin(), offsets.end() - 1);
  for (std::uint32_t user = 0; user < state.users.count; ++user)
    for (std::uint32_t group : state.groups.followed(user)) members[fill[group]++] = user;
}

/// Tomorrow's inboxes: each (recipient, item) once, whoever else shared it too, through the channel of the
/// first sharer in (sender id) order, whose share is the one a reshare descends from (its cascade lineage). A share
/// into a group reaches every other member of the group.
void apply_shares(state::State& state, TickBuffers& buffers) {
  std::vector<ShareEvent> events;
  std::vector<GroupShareEvent> group_events;
  for (ThreadBuffers& local : buffers.local) {
    events.insert(events.end(), local.shares.begin(), local.shares.end());
    group_events.insert(group_events.end(), local.group_shares.begin(), local.group_shares.end());
    local.shares.clear();
    local.group_shares.clear();
  }
  if (!group_events.empty()) {
    std::vector<std::uint64_t> offsets;
    std::vector<std::uint32_t> members;
    group_member_lists(state, offsets, members);
    for (const GroupShareEvent& g : group_events)
      for (std::uint64_t m = offsets[g.group.value]; m < offsets[g.group.value + 1]; ++m)
        if (members[m] != g.sender.value)
          events.push_back({UserId{members[m]}, g.item, g.sender, Channel::Group, g.lineage});
  }
  tbb::parallel_sort(events.begin(), events.end());
  const std::uint32_t users = state.users.count;
  state.inbox_offsets.assign(std::size_t(users) + 1, 0);
  state.inbox_items.clear();
  state.inbox_channels.clear();
  state.inbox_lineage.clear();
  std::size_t e = 0;
  for (std::uint32_t user = 0; user < users; ++user) {
    state.inbox_offsets[user] = state.inbox_items.size();
    while (e < events.size() && events[e].recipient.value == user) {
      if (state.inbox_items.size() == state.inbox_offsets[user] || state.inbox_items.back() != events[e].item.value) {
        state.inbox_items.push_back(events[e].item.value);
        state.inbox_channels.push_back(events[e].channel);
        state.inbox_lineage.push_back(events[e].lineage);
      }
      ++e;
    }
  }
  state.inbox_offsets[users] = state.inbox_items.size();
  buffers.metrics.share_deliveries = state.inbox_items.size();
}

/// Chat groups: members who no longer follow the creator leave; followers whose trust is at least
/// groups.join_trust join with probability groups.join_probability a day, once the creator has
/// groups.open_at_followers followers, while the group has fewer than groups.max_members (in user-id order).
void apply_group_memberships(const TickContext& ctx, state::State& state, TickMetrics& metrics) {
  const auto& g = ctx.params.groups;
  state.group_members.resize(state.creators.count, 0);
  std::vector<state::FollowStore::Pair> leaves, candidates;
  const float join_trust = static_cast<float>(g.join_trust);
  tbb::enumerable_thread_specific<std::vector<state::FollowStore::Pair>> local_leaves, local_candidates;
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, state.users.count, 4096), [&](const auto& range) {
    auto& my_leaves = local_leaves.local();
    auto& my_candidates = local_candidates.local();
    for (std::uint32_t user = range.begin(); user != range.end(); ++user) {
      for (std::uint32_t group : state.groups.followed(user))
        if (!state.follows.follows(user, group)) my_leaves.emplace_back(user, group);
      if (g.join_probability <= 0) continue;
      auto creators = state.follows.followed(user);
      auto trust = std::as_const(state.follows).trust_of(user);
      rng::Stream stream(ctx.seed, ctx.tick, user, rng::Purpose::GroupJoin);
      for (std::size_t e = 0; e < creators.size(); ++e) {
        const std::uint32_t c = creators[e];
        if (trust[e] < join_trust || state.creators.followers[c] < static_cast<std::uint64_t>(g.open_at_followers))
          continue;
        if (stream.uniform() < g.join_probability && !state.groups.follows(user, c))
          my_candidates.emplace_back(c, user);  // (group, user) for the capacity pass
      }
    }
  });
  for (auto& part : local_leaves) leaves.insert(leaves.end(), part.begin(), part.end());
  for (auto& part : local_candidates) candidates.insert(candidates.end(), part.begin(), part.end());
  std::sort(leaves.begin(), leaves.end());
  std::sort(candidates.begin(), candidates.end());
  for (const auto& [user, group] : leaves) state.group_members[group]--;
  std::vector<state::FollowStore::Pair> joins;
  for (const auto& [group, user] : candidates)
    if (state.group_members[group] < static_cast<std::uint64_t>(g.max_members)) {
      state.group_members[group]++;
      joins.emplace_back(user, group);
    }
  std::sort(joins.begin(), joins.end());
  state.groups.update(joins, leaves, 0.0f);
  metrics.group_members = state.groups.edges();
}

}  // namespace

void commit(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  TickMetrics& metrics = buffers.metrics;
  for (ThreadBuffers& local : buffers.local) {
    metrics.add(local.metrics);
    local.metrics = TickMetrics{};
  }
  apply_item_counters(state, buffers);
  update_recommender(ctx, state, buffers);  // traffic pools and concentration cap (recommend.cpp)
  apply_follows(ctx, state, buffers);
  apply_shares(state, buffers);
  count_cascades(state, buffers, metrics);  // cascades of the day's shares (cascades.cpp)
  apply_journeys(ctx, state, buffers);      // the day's new purchase journeys and referrals (journeys.cpp)
  metrics.follow_edges = state.follows.edges();
  count_true_fans(ctx, state, metrics);
  apply_group_memberships(ctx, state, metrics);

  // Items older than content.max_age_days tomorrow leave every feed.
  const std::int64_t oldest_kept = std::int64_t(ctx.tick) + 2 - ctx.params.content.max_age_days;
  if (oldest_kept > 0) state.items.retire_before(static_cast<Tick>(oldest_kept));
  metrics.items_alive = state.items.size();
}

}  // namespace fanflow::phases
