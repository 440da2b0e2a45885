// Content items alive on the platform, as structure-of-arrays columns over a sliding window of ids.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ids.hpp"
#include "state/brands.hpp"  // kNoBrand

namespace fanflow::state {

/// Items are numbered in posting order; the store holds ids [first_id, first_id + size()). Items of one day
/// are contiguous and, within a day, grouped by creator in creator-id order.
struct ItemStore {
  std::uint32_t first_id = 0;              ///< id of the oldest item still held
  std::vector<std::uint32_t> creator;      ///< who posted it
  std::vector<std::uint16_t> topic;        ///< the creator's topic when posted
  std::vector<float> quality;              ///< drawn around the creator's skill, in [0, 1]
  std::vector<std::uint32_t> brand;        ///< brand the item carries (sponsored, or its account's), or kNoBrand
  std::vector<Tick> posted;                ///< tick it was posted
  std::vector<std::uint32_t> impressions;  ///< times shown, all channels
  std::vector<std::uint32_t> views;        ///< times viewed
  std::vector<std::uint32_t> likes;        ///< likes received
  std::vector<std::uint32_t> shares;       ///< times shared to friends
  // Traffic pools (docs/model.md, "Traffic pools"): recommendation-only counters and the item's pool.
  std::vector<std::uint32_t> rec_impressions;   ///< times shown through recommendation, all pools
  std::vector<std::uint8_t> tier;               ///< pool: 0 .. 3 with quotas pools.tier1..4_size, 4 the top pool
  std::vector<std::uint8_t> left_pool;          ///< 1 once the item failed a pool's threshold: no longer recommended
  std::vector<std::uint32_t> tier_impressions;  ///< recommended impressions in the current pool
  std::vector<std::uint32_t> tier_likes;        ///< likes of those impressions
  std::vector<Tick> tier_since;                 ///< tick from which the item is in its current pool

  std::uint32_t size() const { return static_cast<std::uint32_t>(creator.size()); }
  std::uint32_t end_id() const { return first_id + size(); }
  bool holds(std::uint32_t id) const { return id >= first_id && id < end_id(); }
  std::uint32_t slot(std::uint32_t id) const { return id - first_id; }

  /// Whether the item in `slot` carries a brand: a sponsored item (marketplace deal) or a brand account's own.
  bool carries_brand(std::uint32_t slot) const { return brand[slot] != kNoBrand; }

  /// Appends `n` items posted at `tick` with zero counters, no brand and unset creator, topic and quality
  /// (the caller fills those); returns the slot of the first.
  std::uint32_t grow(std::uint32_t n, Tick tick);

  /// Appends one item; returns its id.
  std::uint32_t add(std::uint32_t creator_id, std::uint16_t topic_id, float item_quality, Tick tick);

  /// Drops items posted before `oldest_kept`; returns how many were dropped.
  std::uint32_t retire_before(Tick oldest_kept);

 private:
  /// Calls `f(column, value of a new item)` for every column: the one list grow() and retire_before() use.
  template <typename F>
  void for_each_column(F&& f, Tick tick) {
    f(creator, std::uint32_t{0});
    f(topic, std::uint16_t{0});
    f(quality, 0.0f);
    f(brand, kNoBrand);
    f(posted, tick);
    f(impressions, std::uint32_t{0});
    f(views, std::uint32_t{0});
    f(likes, std::uint32_t{0});
    f(shares, std::uint32_t{0});
    f(rec_impressions, std::uint32_t{0});
    f(tier, std::uint8_t{0});
    f(left_pool, std::uint8_t{0});
    f(tier_impressions, std::uint32_t{0});
    f(tier_likes, std::uint32_t{0});
    f(tier_since, tick);
  }
};

}  // namespace fanflow::state
