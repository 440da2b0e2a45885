// What the brand phases share (prepare.cpp and settle.cpp): the open-deal marker, the strategy parameters and the
// test of a creator's growth stage.
#pragma once

#include <array>
#include <limits>

#include "core/ids.hpp"
#include "params/params.hpp"
#include "state/brands.hpp"
#include "state/lifecycle.hpp"

namespace fanflow::phases {

/// DealStore::filled of an open deal whose sponsored item is not posted yet.
inline constexpr Tick kNotFilled = std::numeric_limits<Tick>::max();

/// The strategy parameters of native brands (each line's share of a brand's budget), indexed by BudgetLine.
inline std::array<double, state::kBudgetLines> strategy(const params::Params::brands_section& p) {
  return {p.ad_share, p.sponsorship_share, p.content_share, p.live_share};
}

/// Whether creator `c` has reached growth stage `min_stage` (always when min_stage is 0, the departure stage).
inline bool reached_stage(const state::CreatorLifecycle& lc, std::uint32_t c, std::int64_t min_stage) {
  return min_stage <= 0 || (c < lc.size() && std::int64_t(lc.stage[c]) >= min_stage);
}

/// The strategy parameters of established brands, indexed by BudgetLine.
inline std::array<double, state::kBudgetLines> established_strategy(const params::Params::brands_section& p) {
  return {p.established_ad_share, p.established_sponsorship_share, p.established_content_share,
          p.established_live_share};
}

}  // namespace fanflow::phases
