// FollowStore: membership test and the per-tick merge of new follows.
#include "state/follows.hpp"

#include <algorithm>

namespace fanflow::state {

bool FollowStore::follows(std::uint32_t user, std::uint32_t creator) const {
  auto list = followed(user);
  return std::binary_search(list.begin(), list.end(), creator);
}

void FollowStore::add_sorted(std::span<const std::pair<std::uint32_t, std::uint32_t>> additions) {
  if (additions.empty()) return;
  const std::uint32_t user_count = users();
  std::vector<std::uint32_t> merged(creators_.size() + additions.size());
  std::vector<std::uint64_t> offsets(offsets_.size());
  std::size_t next = 0;   // position in `additions`
  std::uint64_t out = 0;  // position in `merged`
  for (std::uint32_t user = 0; user < user_count; ++user) {
    offsets[user] = out;
    auto old_begin = creators_.begin() + static_cast<std::ptrdiff_t>(offsets_[user]);
    auto old_end = creators_.begin() + static_cast<std::ptrdiff_t>(offsets_[user + 1]);
    if (next == additions.size() || additions[next].first != user) {
      out = std::copy(old_begin, old_end, merged.begin() + static_cast<std::ptrdiff_t>(out)) - merged.begin();
      continue;
    }
    // Merge the user's old run with its new creators (both ascending).
    auto it = old_begin;
    while (next < additions.size() && additions[next].first == user) {
      std::uint32_t creator = additions[next++].second;
      while (it != old_end && *it < creator) merged[out++] = *it++;
      merged[out++] = creator;
    }
    while (it != old_end) merged[out++] = *it++;
  }
  offsets[user_count] = out;
  creators_ = std::move(merged);
  offsets_ = std::move(offsets);
}

}  // namespace fanflow::state
