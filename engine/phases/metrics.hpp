// Per-tick aggregate counters: what the run records as time series, attributed to channels, and the brands' money
// totals of the day. The fields of TickMetrics are declared once, with their outputs, in phases/outputs.def.
#pragma once

#include <array>
#include <cstdint>

#include "core/channel.hpp"
#include "core/money.hpp"
#include "core/pools.hpp"
#include "state/cascades.hpp"

namespace fanflow::phases {

/// The day's money flows and marketplace counts. Money is exact (integer micro-money), so
/// brand_spend() == creator_brand_income + platform_take() holds exactly every tick. A brand account's content is
/// produced off the platform: content_spend is the brands' cost of it, outside that identity.
struct BrandTotals {
  Micros ad_spend = 0;                ///< brands' spend on ads (charged for the impressions delivered)
  Micros sponsorship_spend = 0;       ///< brands' spend on sponsored items posted today
  Micros live_spend = 0;              ///< brands' spend on live sessions: hosts' fees and sales commissions
  Micros content_spend = 0;           ///< brands' cost of producing their accounts' items today
  Micros creator_brand_income = 0;    ///< paid to creators for sponsored items and live sessions (less commission)
  Micros platform_ad_revenue = 0;     ///< the platform's ad revenue (= ad_spend)
  Micros platform_commission = 0;     ///< the platform's commission on today's sponsored items and live sessions
  std::uint64_t deals = 0;            ///< marketplace deals made today
  std::uint64_t deals_lapsed = 0;     ///< open deals that lapsed today (not posted in time, or the creator exited)
  std::uint64_t sponsored_items = 0;  ///< sponsored items posted today (deals filled)
  std::uint64_t lives = 0;            ///< live-selling sessions held today
  std::uint64_t live_attendees = 0;   ///< viewers of today's live sessions
  std::uint64_t public_slots = 0;     ///< feed slots left to public traffic (recommendation or ads) today
  // Sales (purchase journey). Customers' money: not part of the identity above.
  std::uint64_t new_customers = 0;     ///< first purchases from a brand today
  std::uint64_t repeat_purchases = 0;  ///< purchases by a brand's past customers today
  Micros revenue = 0;                  ///< brands' revenue from today's purchases

  Micros brand_spend() const { return ad_spend + sponsorship_spend + live_spend; }
  Micros platform_take() const { return platform_ad_revenue + platform_commission; }
  void add(const BrandTotals& o) {
    ad_spend += o.ad_spend;
    sponsorship_spend += o.sponsorship_spend;
    live_spend += o.live_spend;
    content_spend += o.content_spend;
    creator_brand_income += o.creator_brand_income;
    platform_ad_revenue += o.platform_ad_revenue;
    platform_commission += o.platform_commission;
    deals += o.deals;
    deals_lapsed += o.deals_lapsed;
    sponsored_items += o.sponsored_items;
    lives += o.lives;
    live_attendees += o.live_attendees;
    public_slots += o.public_slots;
    new_customers += o.new_customers;
    repeat_purchases += o.repeat_purchases;
    revenue += o.revenue;
  }
};

/// The day's cascades of shares (docs/model.md, "Cascades of shares"), counted at commit.
struct CascadeCounts {
  using PerBucket = std::array<std::uint64_t, state::kCascadeBuckets>;
  PerBucket shares_by_depth{};    ///< today's shares by their hops from their cascade's seed (0: seeds)
  PerBucket cascades_by_depth{};  ///< cascades that ended today (shares yesterday, none today), by their depth
  PerBucket cascades_by_size{};   ///< the same cascades by their size (shares), in the buckets kCascadeSizeNames

  void add(const CascadeCounts& o) {
    for (std::size_t k = 0; k < state::kCascadeBuckets; ++k) {
      shares_by_depth[k] += o.shares_by_depth[k];
      cascades_by_depth[k] += o.cascades_by_depth[k];
      cascades_by_size[k] += o.cascades_by_size[k];
    }
  }
};

/// Counts of one tick. Integer sums, so adding per-thread parts in any order gives the same totals (the money
/// totals are set once per tick, not summed across threads).
struct TickMetrics {
  using PerChannel = std::array<std::uint64_t, kChannelCount>;
  using PerTier = std::array<std::uint64_t, kPoolTiers>;

#define FANFLOW_COUNTER(Type, name, doc) Type name{};
#define FANFLOW_TICK_COUNTER(Type, name, unit, doc) Type name{};
#include "phases/outputs.def"

  /// Adds another part of the tick (a thread's) or another tick (sums over a run), field by field.
  void add(const TickMetrics& other) {
#define FANFLOW_COUNTER(Type, name, doc) accumulate(name, other.name);
#define FANFLOW_TICK_COUNTER(Type, name, unit, doc) accumulate(name, other.name);
#include "phases/outputs.def"
  }

 private:
  template <typename T>
  static void accumulate(T& sum, const T& part) {
    sum += part;
  }
  template <typename T, std::size_t N>
  static void accumulate(std::array<T, N>& sum, const std::array<T, N>& part) {
    for (std::size_t k = 0; k < N; ++k) sum[k] += part[k];
  }
  static void accumulate(BrandTotals& sum, const BrandTotals& part) { sum.add(part); }
  static void accumulate(CascadeCounts& sum, const CascadeCounts& part) { sum.add(part); }
};

}  // namespace fanflow::phases
