// The follow relation (user -> creators followed), in CSR form, rebuilt by merging each tick's new follows.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace fanflow::state {

/// Each user's followed creators form one sorted run of creator ids.
class FollowStore {
 public:
  explicit FollowStore(std::uint32_t users = 0) : offsets_(std::size_t(users) + 1, 0) {}

  std::uint32_t users() const { return static_cast<std::uint32_t>(offsets_.size() - 1); }
  std::uint64_t edges() const { return creators_.size(); }

  /// Creators followed by `user`, ascending.
  std::span<const std::uint32_t> followed(std::uint32_t user) const {
    return {creators_.data() + offsets_[user], creators_.data() + offsets_[user + 1]};
  }

  /// Whether `user` follows `creator` (binary search).
  bool follows(std::uint32_t user, std::uint32_t creator) const;

  /// Adds follows given as (user, creator) pairs sorted ascending, without duplicates and without pairs
  /// already present. Linear in edges() + additions.
  void add_sorted(std::span<const std::pair<std::uint32_t, std::uint32_t>> additions);

  /// Bytes held.
  std::uint64_t memory_bytes() const {
    return offsets_.capacity() * sizeof(std::uint64_t) + creators_.capacity() * sizeof(std::uint32_t);
  }

 private:
  std::vector<std::uint64_t> offsets_;   // users + 1
  std::vector<std::uint32_t> creators_;  // all follow edges, user-major
};

}  // namespace fanflow::state
