// The whole simulation state: agents, items, the social graph, the follow relation and pending private traffic.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "graph/social_graph.hpp"
#include "state/follows.hpp"
#include "state/items.hpp"
#include "state/population.hpp"

namespace fanflow::state {

struct State {
  UserStore users;
  CreatorStore creators;
  BrandStore brands;
  ItemStore items;
  FollowStore follows;
  graph::SocialGraph friends;  ///< friendship graph between users

  /// Items shared to each user yesterday, seen today (CSR: inbox_offsets has users + 1 entries).
  std::vector<std::uint64_t> inbox_offsets;
  std::vector<std::uint32_t> inbox_items;

  /// Items posted today: creator c's are ids [posted_today_begin[c], posted_today_begin[c + 1]).
  std::vector<std::uint32_t> posted_today_begin;

  std::span<const std::uint32_t> inbox(std::uint32_t user) const {
    return {inbox_items.data() + inbox_offsets[user], inbox_items.data() + inbox_offsets[user + 1]};
  }
};

}  // namespace fanflow::state
