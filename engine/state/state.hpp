// The whole simulation state: agents, items, the social graph, the follow relation and pending private traffic.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/channel.hpp"
#include "graph/social_graph.hpp"
#include "state/brands.hpp"
#include "state/cascades.hpp"
#include "state/follows.hpp"
#include "state/items.hpp"
#include "state/journeys.hpp"
#include "state/lifecycle.hpp"
#include "state/population.hpp"

namespace fanflow::state {

struct State {
  UserStore users;
  CreatorStore creators;
  CreatorLifecycle lifecycle;  ///< creators' money, morale, exits and stages, parallel to `creators`
  BrandStore brands;
  BrandAccounts brand_accounts;  ///< brands' strategy, budgets, spend and returns, parallel to `brands`
  CreatorDeals deals;            ///< the marketplace's open deal of each creator, grown with `creators`
  ItemStore items;
  FollowStore follows;
  JourneyStore journeys;       ///< purchase journeys (SICAS): user -> brands met, stage and purchases
  graph::SocialGraph friends;  ///< friendship graph between users

  /// Chat-group memberships: user -> creators whose group ("field") the user is in, at most
  /// groups.max_members per group. (The relation's per-edge trust columns are unused here.)
  FollowStore groups;
  /// Users on the platform (adoption; users.on_platform summed).
  std::uint64_t adopters = 0;
  /// Recommended impressions of the previous day (0 on the first): the recommender's estimate of today's
  /// recommended draws for the pools' exposure targets (recommend.cpp).
  std::uint64_t recommended_yesterday = 0;

  /// Members of each creator's group, rebuilt at commit.
  std::vector<std::uint32_t> group_members;

  /// Items shared to each user yesterday, seen today (CSR: inbox_offsets has users + 1 entries), with the
  /// channel each came through (friend share or group) and the cascade position of the share that delivered it.
  std::vector<std::uint64_t> inbox_offsets;
  std::vector<std::uint32_t> inbox_items;
  std::vector<Channel> inbox_channels;
  std::vector<ShareLineage> inbox_lineage;
  /// Cascades of shares that had shares on the last day, by root (ascending); the others have ended.
  std::vector<OpenCascade> open_cascades;

  /// Items posted today: creator c's are ids [posted_today_begin[c], posted_today_begin[c + 1]).
  std::vector<std::uint32_t> posted_today_begin;

  std::span<const std::uint32_t> inbox(std::uint32_t user) const {
    return {inbox_items.data() + inbox_offsets[user], inbox_items.data() + inbox_offsets[user + 1]};
  }
  /// Creators [first, last) have joined: big IPs bring their starting followers (with trust trust.initial).
  /// Returns the number of follow edges added.
  std::uint64_t welcome_creators(const params::Params& params, std::uint32_t first, std::uint32_t last) {
    auto pairs = starting_followers(params, creators, first, last, users.count);
    for (const auto& pair : pairs) creators.followers[pair.second]++;
    follows.update(pairs, {}, static_cast<float>(params.trust.initial));
    return pairs.size();
  }

  /// Named brands' accounts bring their starting followers (with trust trust.initial). Returns the edges added.
  std::uint64_t welcome_brand_accounts(const params::Params& params) {
    auto pairs = account_starting_followers(params, brands, users.count);
    for (const auto& pair : pairs) creators.followers[pair.second]++;
    follows.update(pairs, {}, static_cast<float>(params.trust.initial));
    return pairs.size();
  }

  std::span<const Channel> inbox_channel(std::uint32_t user) const {
    return {inbox_channels.data() + inbox_offsets[user], inbox_channels.data() + inbox_offsets[user + 1]};
  }
};

}  // namespace fanflow::state
