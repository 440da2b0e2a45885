// The follow relation (user -> creators followed) in CSR form, with each edge's trust and sponsored exposure;
// rebuilt once per tick by merging that tick's new follows and unfollows.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace fanflow::state {

/// Each user's followed creators form one sorted run of creator ids; trust and sponsored exposure are
/// parallel columns, so edge `e` of user `u` is followed(u)[e], trust_of(u)[e], exposure_of(u)[e].
/// The consume phase updates a user's own row in place (one writer per row); the structure changes only in
/// update(), at commit.
class FollowStore {
 public:
  using Pair = std::pair<std::uint32_t, std::uint32_t>;  ///< (user, creator)

  explicit FollowStore(std::uint32_t users = 0) : offsets_(std::size_t(users) + 1, 0) {}

  std::uint32_t users() const { return static_cast<std::uint32_t>(offsets_.size() - 1); }
  std::uint64_t edges() const { return creators_.size(); }

  /// Creators followed by `user`, ascending.
  std::span<const std::uint32_t> followed(std::uint32_t user) const {
    return {creators_.data() + offsets_[user], creators_.data() + offsets_[user + 1]};
  }
  /// Trust of `user` in each creator they follow, in [0, 1], parallel to followed(user).
  std::span<float> trust_of(std::uint32_t user) {
    return {trust_.data() + offsets_[user], trust_.data() + offsets_[user + 1]};
  }
  std::span<const float> trust_of(std::uint32_t user) const {
    return {trust_.data() + offsets_[user], trust_.data() + offsets_[user + 1]};
  }
  /// Smoothed share of sponsored items among the creator's items the user saw, parallel to followed(user).
  std::span<float> exposure_of(std::uint32_t user) {
    return {exposure_.data() + offsets_[user], exposure_.data() + offsets_[user + 1]};
  }

  /// Position of `creator` in followed(user), or -1 when `user` does not follow it (binary search).
  std::int64_t find(std::uint32_t user, std::uint32_t creator) const;

  /// Whether `user` follows `creator`.
  bool follows(std::uint32_t user, std::uint32_t creator) const { return find(user, creator) >= 0; }

  /// Adds `additions` (not yet present) with trust `initial_trust` and removes `removals` (present); both
  /// sorted ascending without duplicates. Linear in edges() + changes.
  void update(std::span<const Pair> additions, std::span<const Pair> removals, float initial_trust);

  /// Bytes held.
  std::uint64_t memory_bytes() const {
    return offsets_.capacity() * sizeof(std::uint64_t) +
           creators_.capacity() * (sizeof(std::uint32_t) + 2 * sizeof(float));
  }

 private:
  std::vector<std::uint64_t> offsets_;   // users + 1
  std::vector<std::uint32_t> creators_;  // all follow edges, user-major
  std::vector<float> trust_;             // per edge
  std::vector<float> exposure_;          // per edge
};

}  // namespace fanflow::state
