// Brands' running state (strategy, today's budgets and ad targets, smoothed returns, totals) and the
// sponsorship marketplace's per-creator deals. Equations in docs/model.md, "Brands", "Paid ads", "Marketplace"
// and "Money". Written by the brands phases (engine/phases/brands.cpp) and, for a deal being filled, by the
// post phase (one writer per creator).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "core/ids.hpp"
#include "core/money.hpp"

namespace fanflow::state {

/// "No brand": the brand column of an item that carries none, or of a creator without an open deal.
inline constexpr std::uint32_t kNoBrand = std::numeric_limits<std::uint32_t>::max();

/// Per-brand state, one entry per brand (size() == BrandStore::count once the brands phase has run).
struct BrandAccounts {
  // Strategy: shares of the daily budget for ads and for sponsorships (the rest is not spent). Start at
  // brands.ad_share and brands.sponsorship_share; the adaptive strategy moves them; a change of either
  // parameter (a timeline entry) resets every brand to the new values.
  std::vector<double> ad_share;
  std::vector<double> sponsorship_share;
  double param_ad_share = -1, param_sponsorship_share = -1;  ///< the parameters the shares were last reset to
  // Today's plan, set at the start of the tick.
  std::vector<Micros> ad_budget;           ///< money for ads today
  std::vector<Micros> sponsorship_budget;  ///< money for new sponsorship deals today
  std::vector<std::uint64_t> ad_target;    ///< impressions the ad budget buys at platform.ad_cpm
  // Today's outcome, set at commit (and by the marketplace for deals).
  std::vector<Micros> spend_ads;                     ///< charged for the ad impressions delivered today
  std::vector<Micros> spend_sponsorship;             ///< paid for sponsored items posted today
  std::vector<std::uint64_t> ad_impressions;         ///< ad impressions delivered today
  std::vector<std::uint64_t> ad_engagements;         ///< views + likes of today's ad impressions
  std::vector<std::uint64_t> sponsored_impressions;  ///< impressions of items carrying the brand today
  std::vector<std::uint64_t> sponsored_engagements;  ///< views + likes + follows from those impressions
  std::vector<std::uint32_t> deals;                  ///< deals made today
  std::vector<std::uint64_t> new_customers;          ///< first purchases from the brand today (SICAS)
  std::vector<std::uint64_t> repeat_purchases;       ///< purchases by past customers today
  std::vector<Micros> price;                         ///< price per purchase today: sicas.price * price scale
  std::vector<Micros> revenue;                       ///< customers' money for today's purchases (price each)
  // Smoothed daily spend and engagements per channel, behind the adaptive strategy's returns.
  std::vector<double> ema_ad_spend, ema_ad_engagements, ema_sponsorship_spend, ema_sponsorship_engagements;
  // Totals over the run.
  std::vector<Micros> total_spend_ads, total_spend_sponsorship;
  std::vector<std::uint64_t> total_ad_impressions, total_sponsored_impressions, total_engagements;
  std::vector<std::uint64_t> total_deals;
  std::vector<std::uint64_t> total_new_customers, total_repeat_purchases;
  std::vector<Micros> total_revenue;

  std::uint32_t size() const { return static_cast<std::uint32_t>(ad_share.size()); }
  /// Sizes every column for `brands` brands, strategy at the given shares, everything else 0.
  void reset(std::uint32_t brands, double ad, double sponsorship);
};

/// The marketplace's per-creator state, grown to CreatorStore::count each tick (creators join during a run).
/// A creator holds at most one open deal: the brand whose sponsored item it posts next.
struct CreatorDeals {
  std::vector<std::uint32_t> brand;             ///< brand of the open deal, kNoBrand if none
  std::vector<Micros> price;                    ///< price of the open deal
  std::vector<Tick> made;                       ///< tick the open deal was made
  std::vector<Tick> filled;                     ///< tick the deal's sponsored item was posted, kNever-like if not
  std::vector<std::uint32_t> sponsored_posted;  ///< sponsored items posted so far (the commercial load)

  std::uint32_t size() const { return static_cast<std::uint32_t>(brand.size()); }
  /// Grows every column to `creators` entries (new creators have no deal).
  void grow(std::uint32_t creators);
};

}  // namespace fanflow::state
