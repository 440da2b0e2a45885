// Per-tick aggregate counters: what the run records as time series, attributed to channels.
#pragma once

#include <array>
#include <cstdint>

#include "core/channel.hpp"
#include "core/pools.hpp"
#include "phases/brands/tables.hpp"

namespace fanflow::phases {

/// Counts of one tick. Integer sums, so adding per-thread parts in any order gives the same totals (the money
/// totals are set once per tick, not summed across threads).
struct TickMetrics {
  using PerChannel = std::array<std::uint64_t, kChannelCount>;
  PerChannel impressions{};            ///< items shown, by channel
  PerChannel views{};                  ///< items viewed, by the channel they were shown through
  PerChannel likes{};                  ///< likes, by channel
  PerChannel shares{};                 ///< share actions (one per sharing viewer and item), by channel
  PerChannel follows{};                ///< new follows, by the channel of the item that won the follower
  PerChannel unfollows{};              ///< unfollows, by the channel of the item that lost the follower
  PerChannel purchases{};              ///< purchases (new and repeat), by the channel of the exposure that sold
  std::uint64_t active_users = 0;      ///< users who opened the app
  std::uint64_t adopters = 0;          ///< users on the platform at the end of the tick (all without adoption)
  std::uint64_t new_adopters = 0;      ///< users who joined the platform today (adoption)
  std::uint64_t share_deliveries = 0;  ///< items placed in friends' inboxes for tomorrow
  std::uint64_t items_posted = 0;      ///< items posted today
  std::uint64_t active_creators = 0;   ///< creators who posted today
  std::uint64_t starting_follows = 0;  ///< follow edges big IPs brought when joining (setup ones on tick 0)
  std::uint64_t follow_edges = 0;      ///< follow edges at the end of the tick
  std::uint64_t true_fans = 0;         ///< follow edges whose trust is at least trust.true_fan_threshold
  std::uint64_t group_members = 0;     ///< memberships of creators' chat groups at the end of the tick
  std::uint64_t items_alive = 0;       ///< items still eligible for feeds after the tick
  using PerTier = std::array<std::uint64_t, kPoolTiers>;
  PerTier items_by_tier{};                    ///< alive items after the tick, by the pool they are in (or left)
  PerTier items_promoted{};                   ///< items that entered each pool today (pool 1: items posted)
  std::uint64_t items_left_pools = 0;         ///< items that failed a pool's threshold today
  std::uint64_t top_creator_recommended = 0;  ///< recommended impressions of the day's most recommended creator
  // Creator lifecycle (creators_update). Money is a double summed in creator-id order, so it is deterministic.
  double creator_income = 0;           ///< income paid to creators today, all sources (money)
  double creator_cost = 0;             ///< creators' cost of today's items (money)
  std::uint64_t creators_alive = 0;    ///< creators on the platform (joined, not exited) at the end of the tick
  std::uint64_t creator_exits = 0;     ///< creators who exited today
  std::uint64_t creator_entrants = 0;  ///< creators who joined today
  // Paid knowledge (creators_update): customers' money, in micro-money, outside the identity of brands' spend.
  std::uint64_t knowledge_sales = 0;  ///< paid-knowledge items sold to true fans today
  Micros knowledge_revenue = 0;       ///< what customers paid for them (knowledge.price each)
  Micros knowledge_commission = 0;    ///< the platform's commission on them; creators got the rest
  BrandTotals brands;                 ///< brands' spend, creators' brand income, the platform's take, deals

  void add(const TickMetrics& other) {
    for (std::size_t c = 0; c < kChannelCount; ++c) {
      impressions[c] += other.impressions[c];
      views[c] += other.views[c];
      likes[c] += other.likes[c];
      shares[c] += other.shares[c];
      follows[c] += other.follows[c];
      unfollows[c] += other.unfollows[c];
      purchases[c] += other.purchases[c];
    }
    active_users += other.active_users;
    adopters += other.adopters;
    new_adopters += other.new_adopters;
    share_deliveries += other.share_deliveries;
    items_posted += other.items_posted;
    active_creators += other.active_creators;
    starting_follows += other.starting_follows;
    follow_edges += other.follow_edges;
    true_fans += other.true_fans;
    group_members += other.group_members;
    items_alive += other.items_alive;
    for (std::size_t t = 0; t < kPoolTiers; ++t) {
      items_by_tier[t] += other.items_by_tier[t];
      items_promoted[t] += other.items_promoted[t];
    }
    items_left_pools += other.items_left_pools;
    top_creator_recommended += other.top_creator_recommended;
    creator_income += other.creator_income;
    creator_cost += other.creator_cost;
    creators_alive += other.creators_alive;
    creator_exits += other.creator_exits;
    creator_entrants += other.creator_entrants;
    knowledge_sales += other.knowledge_sales;
    knowledge_revenue += other.knowledge_revenue;
    knowledge_commission += other.knowledge_commission;
    brands.add(other.brands);
  }
};

}  // namespace fanflow::phases
