// JourneyStore: lookup and the commit-time merge of new journeys.
#include "state/journeys.hpp"

#include <algorithm>
#include <utility>

namespace fanflow::state {

std::int64_t JourneyStore::find(std::uint32_t user, std::uint32_t brand) const {
  auto row = brands(user);
  auto it = std::lower_bound(row.begin(), row.end(), brand);
  return it != row.end() && *it == brand ? it - row.begin() : -1;
}

void JourneyStore::merge(std::span<const NewJourney> additions) {
  if (additions.empty()) return;
  const std::uint32_t n = users();
  std::vector<std::uint64_t> offsets(std::size_t(n) + 1, 0);
  std::vector<std::uint32_t> brands;
  std::vector<std::uint8_t> stage, reached;
  std::vector<std::uint16_t> purchases;
  const std::size_t total = brands_.size() + additions.size();
  brands.reserve(total);
  stage.reserve(total);
  reached.reserve(total);
  purchases.reserve(total);
  std::size_t a = 0;
  for (std::uint32_t user = 0; user < n; ++user) {
    offsets[user] = brands.size();
    std::uint64_t e = offsets_[user];
    const std::uint64_t end = offsets_[user + 1];
    while (e < end || (a < additions.size() && additions[a].user == user)) {
      const bool take_old =
          e < end && (a >= additions.size() || additions[a].user != user || brands_[e] < additions[a].brand);
      if (take_old) {
        brands.push_back(brands_[e]);
        stage.push_back(stage_[e]);
        reached.push_back(reached_[e]);
        purchases.push_back(purchases_[e]);
        ++e;
      } else {
        brands.push_back(additions[a].brand);
        stage.push_back(additions[a].stage);
        reached.push_back(std::max(additions[a].stage, additions[a].reached));
        purchases.push_back(additions[a].purchases);
        ++a;
      }
    }
  }
  offsets[n] = brands.size();
  offsets_ = std::move(offsets);
  brands_ = std::move(brands);
  stage_ = std::move(stage);
  reached_ = std::move(reached);
  purchases_ = std::move(purchases);
}

}  // namespace fanflow::state
