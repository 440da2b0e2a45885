// Cascades of shares: which cascade each share belongs to and how many hops it is from the cascade's seed, so that
// the run can count cascades by depth and by size (docs/model.md, "Cascades of shares"). A cascade is seeded by a
// share of an item the sharer did not receive through a share; every reshare of a received copy joins the cascade
// of the share that delivered it, one hop deeper.
#pragma once

#include <array>
#include <bit>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fanflow::state {

/// The seed share of a cascade: who shared, on which day, from which feed slot (one share at most per user, day
/// and slot), so the id does not depend on threads.
struct CascadeRoot {
  std::uint32_t tick = 0;
  std::uint32_t user = 0;
  std::uint32_t slot = 0;
  friend auto operator<=>(const CascadeRoot&, const CascadeRoot&) = default;
};

/// Where a share sits in its cascade: the cascade's seed and the hops from it (0 for the seed itself).
struct ShareLineage {
  CascadeRoot root;
  std::uint32_t depth = 0;
  friend auto operator<=>(const ShareLineage&, const ShareLineage&) = default;
};

/// A cascade that had shares on the last day counted: its size (shares so far) and depth (deepest hop so far).
struct OpenCascade {
  CascadeRoot root;
  std::uint64_t size = 0;
  std::uint32_t depth = 0;
};

/// Buckets of the per-depth and per-size cascade counts.
inline constexpr std::size_t kCascadeBuckets = 8;
/// Column names of the depth buckets: hops 0 .. 6, then 7 or more.
inline constexpr std::array<std::string_view, kCascadeBuckets> kCascadeDepthNames = {"0", "1", "2", "3",
                                                                                     "4", "5", "6", "7+"};
/// Column names of the size buckets (shares in the cascade): 1, 2, then powers of two, then 65 or more.
inline constexpr std::array<std::string_view, kCascadeBuckets> kCascadeSizeNames = {"1",    "2",     "3-4",   "5-8",
                                                                                    "9-16", "17-32", "33-64", "65+"};

/// The depth bucket of a share or cascade `depth` hops deep.
constexpr std::size_t cascade_depth_bucket(std::uint64_t depth) {
  return depth < kCascadeBuckets ? static_cast<std::size_t>(depth) : kCascadeBuckets - 1;
}

/// The size bucket of a cascade of `size` shares (at least 1): 1 -> 0, 2 -> 1, 3-4 -> 2, 5-8 -> 3, ..., 65+ -> 7.
constexpr std::size_t cascade_size_bucket(std::uint64_t size) {
  const std::size_t bucket = size <= 1 ? 0 : static_cast<std::size_t>(std::bit_width(size - 1));
  return bucket < kCascadeBuckets ? bucket : kCascadeBuckets - 1;
}

}  // namespace fanflow::state
