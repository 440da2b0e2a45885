// ItemStore: appending new items and retiring old ones from the front of the window.
#include "state/items.hpp"

#include <algorithm>
#include <limits>

namespace fanflow::state {

std::uint32_t ItemStore::add(std::uint32_t creator_id, std::uint16_t topic_id, float item_quality, Tick tick) {
  creator.push_back(creator_id);
  topic.push_back(topic_id);
  quality.push_back(item_quality);
  sponsored.push_back(0);
  brand.push_back(std::numeric_limits<std::uint32_t>::max());
  posted.push_back(tick);
  impressions.push_back(0);
  views.push_back(0);
  likes.push_back(0);
  shares.push_back(0);
  rec_impressions.push_back(0);
  tier.push_back(0);
  left_pool.push_back(0);
  tier_impressions.push_back(0);
  tier_likes.push_back(0);
  return end_id() - 1;
}

std::uint32_t ItemStore::retire_before(Tick oldest_kept) {
  // Items are in posting order, so the ones to drop form a prefix.
  auto keep_from = std::lower_bound(posted.begin(), posted.end(), oldest_kept) - posted.begin();
  auto drop = [keep_from](auto& column) { column.erase(column.begin(), column.begin() + keep_from); };
  drop(creator);
  drop(topic);
  drop(quality);
  drop(sponsored);
  drop(brand);
  drop(posted);
  drop(impressions);
  drop(views);
  drop(likes);
  drop(shares);
  drop(rec_impressions);
  drop(tier);
  drop(left_pool);
  drop(tier_impressions);
  drop(tier_likes);
  first_id += static_cast<std::uint32_t>(keep_from);
  return static_cast<std::uint32_t>(keep_from);
}

}  // namespace fanflow::state
