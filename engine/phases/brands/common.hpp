// What the brand phases share (prepare.cpp and settle.cpp): the open-deal marker and the strategy parameters.
#pragma once

#include <array>
#include <limits>

#include "core/ids.hpp"
#include "params/params.hpp"
#include "state/brands.hpp"

namespace fanflow::phases {

/// DealStore::filled of an open deal whose sponsored item is not posted yet.
inline constexpr Tick kNotFilled = std::numeric_limits<Tick>::max();

/// The strategy parameters of native brands (each line's share of a brand's budget), indexed by BudgetLine.
inline std::array<double, state::kBudgetLines> strategy(const params::Params::brands_section& p) {
  return {p.ad_share, p.sponsorship_share, p.content_share, p.live_share};
}

/// The strategy parameters of established brands, indexed by BudgetLine.
inline std::array<double, state::kBudgetLines> established_strategy(const params::Params::brands_section& p) {
  return {p.established_ad_share, p.established_sponsorship_share, p.established_content_share,
          p.established_live_share};
}

}  // namespace fanflow::phases
