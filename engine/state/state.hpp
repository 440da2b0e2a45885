// The whole simulation state: agents, items, the social graph, the follow relation and pending private traffic.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/channel.hpp"
#include "graph/social_graph.hpp"
#include "state/follows.hpp"
#include "state/items.hpp"
#include "state/lifecycle.hpp"
#include "state/population.hpp"

namespace fanflow::state {

struct State {
  UserStore users;
  CreatorStore creators;
  CreatorLifecycle lifecycle;  ///< creators' money, morale, exits and stages, parallel to `creators`
  BrandStore brands;
  ItemStore items;
  FollowStore follows;
  graph::SocialGraph friends;  ///< friendship graph between users

  /// Chat-group memberships: user -> creators whose group ("field") the user is in, at most
  /// groups.max_members per group. (The relation's per-edge trust columns are unused here.)
  FollowStore groups;
  /// Members of each creator's group, rebuilt at commit.
  std::vector<std::uint32_t> group_members;

  /// Items shared to each user yesterday, seen today (CSR: inbox_offsets has users + 1 entries), with the
  /// channel each came through (friend share or group).
  std::vector<std::uint64_t> inbox_offsets;
  std::vector<std::uint32_t> inbox_items;
  std::vector<Channel> inbox_channels;

  /// Items posted today: creator c's are ids [posted_today_begin[c], posted_today_begin[c + 1]).
  std::vector<std::uint32_t> posted_today_begin;

  std::span<const std::uint32_t> inbox(std::uint32_t user) const {
    return {inbox_items.data() + inbox_offsets[user], inbox_items.data() + inbox_offsets[user + 1]};
  }
  std::span<const Channel> inbox_channel(std::uint32_t user) const {
    return {inbox_channels.data() + inbox_offsets[user], inbox_channels.data() + inbox_offsets[user + 1]};
  }
};

}  // namespace fanflow::state
