// The creator lifecycle's per-creator state: money (income by source, cost), morale and its two signals,
// exits, growth stages and joining. Structure-of-arrays columns parallel to CreatorStore, grown with it.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "core/ids.hpp"

namespace fanflow::state {

/// Where a creator's income comes from. Income is a sum over sources; phases that pay creators add into
/// CreatorLifecycle::income_pending under their source, and the creators_update phase accounts for it.
enum class IncomeSource : std::uint8_t {
  PlatformShare = 0,  ///< the platform's revenue share: money per 1000 views of the creator's items
  BrandOrders = 1,    ///< sponsored items sold through the marketplace: price less the platform's commission
  LiveSelling = 2,    ///< live sessions: the brand's fee and commission on the session's sales, less the platform's
  PaidKnowledge = 3,  ///< paid knowledge (courses, columns) sold to true fans: price less the platform's commission
};
inline constexpr std::size_t kIncomeSources = 4;
/// Names of the sources, indexed by IncomeSource, as used in output dataset names (income_<name>).
inline constexpr std::array<std::string_view, kIncomeSources> kIncomeSourceNames = {"platform_share", "brand_orders",
                                                                                    "live_selling", "paid_knowledge"};

/// Why a creator exited (written to files: /creators/summary/exit_reason and the event value).
enum class ExitReason : std::uint8_t {
  None = 0,      ///< still on the platform
  Feedback = 1,  ///< the feedback signal (engagement per item against the reference) was the weaker one
  Income = 2,    ///< the income signal (income against cost) was the weaker one
};

/// Growth stages, in order; a creator's stage never goes back.
enum class Stage : std::uint8_t { Departure = 0, Exploration = 1, Harvest = 2, OnTheRoad = 3 };
inline constexpr std::size_t kStages = 4;

/// Tick value meaning "never" (not exited, stage not reached).
inline constexpr Tick kNever = std::numeric_limits<Tick>::max();

/// Lifecycle columns, one entry per creator that exists (size() == CreatorStore::count). Written only by the
/// creators_update phase (one writer per creator), except income_pending which paying phases add into.
struct CreatorLifecycle {
  std::vector<Tick> joined;                   ///< tick the creator joined (0 for the initial population)
  std::vector<Tick> exit_tick;                ///< tick the creator exited, kNever while on the platform
  std::vector<std::uint8_t> exit_reason;      ///< ExitReason code
  std::vector<std::uint8_t> stage;            ///< Stage code reached so far
  std::vector<Tick> stage_tick;               ///< [creator * kStages + stage]: tick reached, kNever if not yet
  std::vector<float> skill_at_join;           ///< skill drawn at setup, before any improvement
  std::vector<float> morale;                  ///< in [0, 1]: weighted mean of the two signals
  std::vector<float> feedback_signal;         ///< in [0, 1]: E_eng / (E_eng + reference * E_items)
  std::vector<float> income_signal;           ///< in [0, 1]: E_income / (E_income + E_cost)
  std::vector<Tick> feedback_passed;          ///< tick E_eng first reached reference * E_items (both > 0), or kNever
  std::vector<Tick> income_passed;            ///< tick E_income first reached E_cost (> 0), or kNever
  std::vector<std::uint32_t> days_below;      ///< consecutive days with morale below the quit line
  std::vector<double> ema_engagement;         ///< EMA of daily likes + shares + net new followers
  std::vector<double> ema_items;              ///< EMA of daily items posted
  std::vector<double> ema_income;             ///< EMA of daily income (money/day)
  std::vector<double> ema_cost;               ///< EMA of daily cost (money/day)
  std::vector<double> income_pending;         ///< [creator * kIncomeSources + source]: income credited today
  std::vector<double> income_by_source;       ///< [creator * kIncomeSources + source]: income so far
  std::vector<double> income_total;           ///< income so far, all sources (money)
  std::vector<double> cost_total;             ///< cost so far (money)
  std::vector<double> income_today;           ///< income of the last tick, all sources (money/day)
  std::vector<std::uint64_t> views_seen;      ///< CreatorStore::views at the last update (for today's delta)
  std::vector<std::uint64_t> likes_seen;      ///< CreatorStore::likes at the last update
  std::vector<std::uint64_t> shares_seen;     ///< CreatorStore::shares at the last update
  std::vector<std::uint32_t> followers_seen;  ///< CreatorStore::followers at the last update

  std::uint32_t size() const { return static_cast<std::uint32_t>(joined.size()); }
  bool alive(std::uint32_t creator) const { return exit_tick[creator] == kNever; }

  /// Reserves room for `capacity` creators, so growing during the run does not reallocate.
  void reserve(std::uint32_t capacity);
  /// Appends `n` creators that join on tick `tick`: stage 0 reached at `tick`, morale 1, no money yet.
  /// `skills` are their drawn skills (size n).
  void add(std::uint32_t n, Tick tick, const float* skills);

 private:
  /// Calls `f(column, values per creator, value of a new creator)` for every column whose new entries are
  /// constant: the one list reserve() and add() use (stage_tick and skill_at_join are filled by add()).
  template <typename F>
  void for_each_uniform_column(F&& f, Tick tick) {
    f(joined, 1, tick);
    f(exit_tick, 1, kNever);
    f(exit_reason, 1, static_cast<std::uint8_t>(ExitReason::None));
    f(stage, 1, static_cast<std::uint8_t>(Stage::Departure));
    f(morale, 1, 1.0f);
    f(feedback_signal, 1, 1.0f);
    f(income_signal, 1, 1.0f);
    f(feedback_passed, 1, kNever);
    f(income_passed, 1, kNever);
    f(days_below, 1, 0);
    f(ema_engagement, 1, 0.0);
    f(ema_items, 1, 0.0);
    f(ema_income, 1, 0.0);
    f(ema_cost, 1, 0.0);
    f(income_pending, kIncomeSources, 0.0);
    f(income_by_source, kIncomeSources, 0.0);
    f(income_total, 1, 0.0);
    f(cost_total, 1, 0.0);
    f(income_today, 1, 0.0);
    f(views_seen, 1, 0);
    f(likes_seen, 1, 0);
    f(shares_seen, 1, 0);
    f(followers_seen, 1, 0);
  }
};

}  // namespace fanflow::state
