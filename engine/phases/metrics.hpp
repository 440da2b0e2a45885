// Per-tick aggregate counters: what the run records as time series, attributed to channels.
#pragma once

#include <array>
#include <cstdint>

#include "core/channel.hpp"

namespace fanflow::phases {

/// Counts of one tick. Integer sums, so adding per-thread parts in any order gives the same totals.
struct TickMetrics {
  using PerChannel = std::array<std::uint64_t, kChannelCount>;
  PerChannel impressions{};            ///< items shown, by channel
  PerChannel views{};                  ///< items viewed, by the channel they were shown through
  PerChannel likes{};                  ///< likes, by channel
  PerChannel shares{};                 ///< share actions (one per sharing viewer and item), by channel
  PerChannel follows{};                ///< new follows, by the channel of the item that won the follower
  std::uint64_t active_users = 0;      ///< users who opened the app
  std::uint64_t share_deliveries = 0;  ///< items placed in friends' inboxes for tomorrow
  std::uint64_t items_posted = 0;      ///< items posted today
  std::uint64_t active_creators = 0;   ///< creators who posted today
  std::uint64_t follow_edges = 0;      ///< follow edges at the end of the tick
  std::uint64_t items_alive = 0;       ///< items still eligible for feeds after the tick

  void add(const TickMetrics& other) {
    for (std::size_t c = 0; c < kChannelCount; ++c) {
      impressions[c] += other.impressions[c];
      views[c] += other.views[c];
      likes[c] += other.likes[c];
      shares[c] += other.shares[c];
      follows[c] += other.follows[c];
    }
    active_users += other.active_users;
    share_deliveries += other.share_deliveries;
    items_posted += other.items_posted;
    active_creators += other.active_creators;
    follow_edges += other.follow_edges;
    items_alive += other.items_alive;
  }
};

}  // namespace fanflow::phases
