// FollowStore: edge lookup and the per-tick merge of new follows and unfollows.
#include "state/follows.hpp"

#include <algorithm>

namespace fanflow::state {

std::int64_t FollowStore::find(std::uint32_t user, std::uint32_t creator) const {
  auto list = followed(user);
  auto it = std::lower_bound(list.begin(), list.end(), creator);
  return it != list.end() && *it == creator ? it - list.begin() : -1;
}

void FollowStore::update(std::span<const Pair> additions, std::span<const Pair> removals, float initial_trust) {
  if (additions.empty() && removals.empty()) return;
  const std::uint32_t user_count = users();
  const std::size_t size = creators_.size() + additions.size() - removals.size();
  std::vector<std::uint32_t> creators(size);
  std::vector<float> trust(size), exposure(size);
  std::vector<std::uint64_t> offsets(offsets_.size());
  std::size_t next_add = 0, next_remove = 0;
  std::uint64_t out = 0;
  auto keep = [&](std::uint64_t e) {
    creators[out] = creators_[e], trust[out] = trust_[e], exposure[out] = exposure_[e];
    ++out;
  };
  for (std::uint32_t user = 0; user < user_count; ++user) {
    offsets[user] = out;
    const std::uint64_t begin = offsets_[user], end = offsets_[user + 1];
    const bool changed = (next_add < additions.size() && additions[next_add].first == user) ||
                         (next_remove < removals.size() && removals[next_remove].first == user);
    if (!changed) {
      for (std::uint64_t e = begin; e < end; ++e) keep(e);
      continue;
    }
    // Merge the user's old run (minus removals) with its additions; all three are ascending by creator.
    std::uint64_t e = begin;
    while (e < end || (next_add < additions.size() && additions[next_add].first == user)) {
      const bool has_add = next_add < additions.size() && additions[next_add].first == user;
      if (e < end && (!has_add || creators_[e] < additions[next_add].second)) {
        if (next_remove < removals.size() && removals[next_remove] == Pair{user, creators_[e]}) {
          ++next_remove;  // dropped
        } else {
          keep(e);
        }
        ++e;
      } else {
        creators[out] = additions[next_add++].second, trust[out] = initial_trust, exposure[out] = 0.0f;
        ++out;
      }
    }
  }
  offsets[user_count] = out;
  creators_ = std::move(creators);
  trust_ = std::move(trust);
  exposure_ = std::move(exposure);
  offsets_ = std::move(offsets);
}

}  // namespace fanflow::state
