// CreatorLifecycle: reserving and appending the per-creator lifecycle columns.
#include "state/lifecycle.hpp"

namespace fanflow::state {

void CreatorLifecycle::reserve(std::uint32_t capacity) {
  const std::size_t n = capacity;
  joined.reserve(n);
  exit_tick.reserve(n);
  exit_reason.reserve(n);
  stage.reserve(n);
  stage_tick.reserve(n * kStages);
  skill_at_join.reserve(n);
  morale.reserve(n);
  feedback_signal.reserve(n);
  income_signal.reserve(n);
  days_below.reserve(n);
  ema_engagement.reserve(n);
  ema_items.reserve(n);
  ema_income.reserve(n);
  ema_cost.reserve(n);
  income_pending.reserve(n * kIncomeSources);
  income_by_source.reserve(n * kIncomeSources);
  income_total.reserve(n);
  cost_total.reserve(n);
  income_today.reserve(n);
  views_seen.reserve(n);
  likes_seen.reserve(n);
  shares_seen.reserve(n);
  followers_seen.reserve(n);
}

void CreatorLifecycle::add(std::uint32_t n, Tick tick, const float* skills) {
  const std::size_t total = std::size_t(size()) + n;
  for (std::uint32_t k = 0; k < n; ++k) {
    stage_tick.push_back(tick);  // stage 0, departure, is where every creator starts
    stage_tick.insert(stage_tick.end(), kStages - 1, kNever);
    skill_at_join.push_back(skills[k]);
  }
  joined.resize(total, tick);
  exit_tick.resize(total, kNever);
  exit_reason.resize(total, static_cast<std::uint8_t>(ExitReason::None));
  stage.resize(total, static_cast<std::uint8_t>(Stage::Departure));
  morale.resize(total, 1.0f);
  feedback_signal.resize(total, 1.0f);
  income_signal.resize(total, 1.0f);
  days_below.resize(total, 0);
  ema_engagement.resize(total, 0.0);
  ema_items.resize(total, 0.0);
  ema_income.resize(total, 0.0);
  ema_cost.resize(total, 0.0);
  income_pending.resize(total * kIncomeSources, 0.0);
  income_by_source.resize(total * kIncomeSources, 0.0);
  income_total.resize(total, 0.0);
  cost_total.resize(total, 0.0);
  income_today.resize(total, 0.0);
  views_seen.resize(total, 0);
  likes_seen.resize(total, 0);
  shares_seen.resize(total, 0);
  followers_seen.resize(total, 0);
}

}  // namespace fanflow::state
