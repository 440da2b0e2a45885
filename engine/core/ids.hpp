// Agent and item identifiers as distinct types, and the tick (one simulated day).
#pragma once

#include <cstdint>
#include <limits>

namespace fanflow {

/// A strongly typed index: a UserId cannot be passed where a CreatorId is expected.
template <typename Tag>
struct Id {
  std::uint32_t value = std::numeric_limits<std::uint32_t>::max();
  constexpr Id() = default;
  constexpr explicit Id(std::uint32_t v) : value(v) {}
  constexpr explicit operator std::uint32_t() const { return value; }
  constexpr bool valid() const { return value != std::numeric_limits<std::uint32_t>::max(); }
  friend constexpr auto operator<=>(Id, Id) = default;
};

using UserId = Id<struct UserTag>;
using CreatorId = Id<struct CreatorTag>;
using BrandId = Id<struct BrandTag>;
using ItemId = Id<struct ItemTag>;

/// One tick is one simulated day; tick 0 is the first day.
using Tick = std::uint32_t;

}  // namespace fanflow
