// ItemStore: appending new items and retiring old ones from the front of the window.
#include "state/items.hpp"

#include <algorithm>

namespace fanflow::state {

std::uint32_t ItemStore::grow(std::uint32_t n, Tick tick) {
  const std::uint32_t first = size();
  for_each_column([&](auto& column, auto value) { column.resize(column.size() + n, value); }, tick);
  return first;
}

std::uint32_t ItemStore::add(std::uint32_t creator_id, std::uint16_t topic_id, float item_quality, Tick tick) {
  const std::uint32_t slot = grow(1, tick);
  creator[slot] = creator_id;
  topic[slot] = topic_id;
  quality[slot] = item_quality;
  return first_id + slot;
}

std::uint32_t ItemStore::retire_before(Tick oldest_kept) {
  // Items are in posting order, so the ones to drop form a prefix.
  auto keep_from = std::lower_bound(posted.begin(), posted.end(), oldest_kept) - posted.begin();
  for_each_column([keep_from](auto& column, auto) { column.erase(column.begin(), column.begin() + keep_from); },
                  oldest_kept);
  first_id += static_cast<std::uint32_t>(keep_from);
  return static_cast<std::uint32_t>(keep_from);
}

}  // namespace fanflow::state
