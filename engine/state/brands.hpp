// Brands' running state (strategy per budget line, today's budgets and ad targets, smoothed returns, totals) and the
// sponsorship marketplace's per-creator deals. Equations in docs/model.md, "Brands", "Paid ads", "Marketplace"
// and "Money". Written by the brands phases (engine/phases/brands/) and, for a deal being filled, by the
// post phase (one writer per creator).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "core/channel.hpp"
#include "core/ids.hpp"
#include "core/money.hpp"

namespace fanflow::state {

/// "No brand": the brand column of an item that carries none, or of a creator without an open deal.
inline constexpr std::uint32_t kNoBrand = std::numeric_limits<std::uint32_t>::max();

/// Where a brand's budget goes. Codes index the per-line columns of BrandAccounts ([brand * kBudgetLines + line]).
enum class BudgetLine : std::uint8_t {
  Ads = 0,          ///< paid ads (public traffic), charged per impression delivered
  Sponsorship = 1,  ///< sponsored items posted by creators (marketplace deals)
  Content = 2,      ///< the brand's own account: production of its items
  Live = 3,         ///< live-selling sessions: hosts' fees and commissions on the sessions' sales
};
inline constexpr std::size_t kBudgetLines = 4;
/// Names of the lines, indexed by BudgetLine, as used in output dataset names.
inline constexpr std::array<std::string_view, kBudgetLines> kBudgetLineNames = {"ads", "sponsorship", "content",
                                                                                "live"};
constexpr std::size_t index(BudgetLine line) { return static_cast<std::size_t>(line); }

/// Per-brand state, one entry per brand (size() == BrandStore::count once the brands phase has run). Columns
/// named "per line" hold kBudgetLines entries per brand: [brand * kBudgetLines + line].
struct BrandAccounts {
  /// Strategy per line: shares of the daily budget (the rest is not spent). Start at brands.ad_share,
  /// sponsorship_share, content_share and live_share (brands.established_*_share for an established brand); the
  /// adaptive strategy moves them; a change of any of those parameters (a timeline entry) resets every brand to the
  /// new values.
  std::vector<double> share;
  /// The parameters the shares were last reset to: native brands' four, then established brands' four.
  std::array<double, 2 * kBudgetLines> param_share{-1, -1, -1, -1, -1, -1, -1, -1};
  /// A brand's own daily budget set by a brand_strategy event (micro-money), or -1: brands.budget_mean times its
  /// budget scale.
  std::vector<Micros> budget_override;
  /// A timeline shift or scale_budget in force: brand `brand`, timeline entry `entry`; a shift moved `moved` of
  /// the share of line `from` to line `to`, a scale_budget multiplies the budget by `factor` (1 for a shift).
  struct HeldChange {
    std::uint32_t brand, entry;
    std::size_t from, to;
    double moved, factor;
  };
  std::vector<HeldChange> held;  ///< in the order made
  // Today's plan, set at the start of the tick.
  std::vector<Micros> budget;            ///< per line: money for the line today
  std::vector<Micros> total_budget;      ///< per line: the line's budgets summed over the run
  std::vector<std::uint64_t> ad_target;  ///< impressions the ad budget buys at platform.ad_cpm
  // Today's outcome, set at commit (and by the marketplace for deals).
  std::vector<Micros> spend;                         ///< per line: money spent today
  std::vector<std::uint64_t> sales;                  ///< per line: purchases today from exposures the line paid for
  std::vector<std::uint64_t> impressions;            ///< [brand * kChannelCount + channel]: the brand's exposures
  std::vector<std::uint64_t> ad_impressions;         ///< ad impressions delivered today
  std::vector<std::uint64_t> ad_engagements;         ///< views + likes of today's ad impressions
  std::vector<std::uint64_t> sponsored_impressions;  ///< impressions of items carrying the brand today
  std::vector<std::uint64_t> sponsored_engagements;  ///< views + likes + follows from those impressions
  std::vector<std::uint32_t> deals;                  ///< deals made today
  std::vector<std::uint32_t> lives;                  ///< live sessions selling the brand today
  std::vector<std::uint64_t> live_attendees;         ///< viewers of those sessions
  std::vector<std::uint64_t> new_customers;          ///< first purchases from the brand today (SICAS)
  std::vector<std::uint64_t> repeat_purchases;       ///< purchases by past customers today
  std::vector<Micros> price;                         ///< price per purchase today: sicas.price * price scale
  std::vector<Micros> revenue;                       ///< customers' money for today's purchases (price each)
  // Smoothed daily spend and revenue per line, behind the adaptive strategy's returns (money/day).
  std::vector<double> ema_spend, ema_revenue;
  // Totals over the run.
  std::vector<Micros> total_spend;  ///< per line
  /// Per line: days the line had a budget and bought nothing (no ad impression, no deal made, no item posted, no
  /// live session booked).
  std::vector<std::uint32_t> idle_days;
  std::vector<std::uint32_t> budget_days;  ///< per line: days the line had a budget
  std::vector<std::uint64_t> total_ad_impressions, total_sponsored_impressions, total_engagements;
  std::vector<std::uint64_t> total_deals, total_lives, total_live_attendees;
  std::vector<std::uint64_t> total_new_customers, total_repeat_purchases;
  std::vector<Micros> total_revenue;

  std::uint32_t size() const { return static_cast<std::uint32_t>(ad_target.size()); }
  /// Spend of brand b on all lines over the run.
  Micros spend_so_far(std::uint32_t b) const;
  /// Sizes every column for `brands` brands, strategy at the given shares (indexed by BudgetLine), the rest 0;
  /// param_share is left for the caller to set.
  void reset(std::uint32_t brands, const std::array<double, kBudgetLines>& shares);
};

/// Why budget on a line can go unspent, in the model's terms (for run output and reports): what the line buys and
/// what limits it. `has_accounts`: brands have own accounts (brands.own_accounts), without which content buys
/// nothing.
std::string_view why_unspent(BudgetLine line, bool has_accounts);

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
