// Traffic pools of the recommender: how many there are and their names in the output (docs/model.md).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace fanflow {

/// Pools with a quota (pools.tier1_size .. pools.tier4_size); an item that passes the last enters the top pool.
inline constexpr std::size_t kQuotaTiers = 4;
/// All pools: the quota pools and the top pool (index kQuotaTiers), which has no quota.
inline constexpr std::size_t kPoolTiers = kQuotaTiers + 1;

/// Column names of per-pool series, by pool index.
inline constexpr std::array<std::string_view, kPoolTiers> kPoolTierNames = {"tier1", "tier2", "tier3", "tier4", "top"};

}  // namespace fanflow
