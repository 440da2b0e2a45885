// Phase 5, the creator lifecycle, run after commit: each creator's money (income by source, paid knowledge sold
// to its true fans, cost of the items posted), morale from its two thresholds and exits, growth stages,
// improvement of skill with practice; then new creators join. Equations in docs/model.md, "Creator lifecycle".
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "core/money.hpp"
#include "phases/phases.hpp"

namespace fanflow::phases {
namespace {

/// a / (a + b): 0.5 when a equals b, towards 1 when a outweighs b; 1 when both are 0 (nothing to outweigh).
double balance(double a, double b) { return a + b > 0 ? a / (a + b) : 1.0; }

/// What stage k (1..3) needs: followers and smoothed daily income, both at least these.
struct StageRule {
  double followers;
  double income;
};

std::array<StageRule, state::kStages> stage_rules(const params::Params::lifecycle_section& p) {
  return {{{0, 0},
           {static_cast<double>(p.exploration_followers), p.exploration_income},
           {static_cast<double>(p.harvest_followers), p.harvest_income},
           {static_cast<double>(p.on_the_road_followers), p.on_the_road_income}}};
}

/// What customers pay for `sales` paid-knowledge items and the platform's commission on it, in micro-money:
/// the price is rounded once, the commission once per creator and day.
struct KnowledgeMoney {
  Micros revenue = 0;
  Micros commission = 0;
};

KnowledgeMoney knowledge_money(std::uint64_t sales, const params::Params::knowledge_section& k) {
  const Micros revenue = to_micros(k.price) * static_cast<Micros>(sales);
  return {revenue, std::clamp<Micros>(std::llround(double(revenue) * k.platform_commission), 0, revenue)};
}

/// Paid-knowledge items creator `c` sells today: Binomial(true fans, knowledge.purchase_probability) when it has
/// the lever (its Knowledge stream of the day), else 0.
std::uint32_t sell_knowledge(const TickContext& ctx, const state::CreatorStore& creators, std::uint32_t c) {
  const double p = ctx.params.knowledge.purchase_probability;
  if (!creators.sells_knowledge[c] || creators.true_fans[c] == 0 || p <= 0) return 0;
  rng::Stream stream(ctx.seed, ctx.tick, c, rng::Purpose::Knowledge);
  boost::random::binomial_distribution<std::int64_t, double> binomial(creators.true_fans[c], p);
  return static_cast<std::uint32_t>(binomial(stream));
}

/// Daily probability that a creator with morale `morale` exits, with the exit hazard on (exit_hazard > 0):
/// H ((q - m) / q)^k below the quit line q, 0 at or above it.
double exit_probability(const params::Params::lifecycle_section& p, double morale) {
  if (!(morale < p.quit_line)) return 0;
  return p.exit_hazard * std::pow((p.quit_line - morale) / p.quit_line, p.exit_hazard_shape);
}

/// Whether creator `c` exits today. With exit_hazard 0, the patience rule: `days_below` (today included) reached
/// patience_days. Otherwise the hazard: one uniform of its CreatorExit stream of the day, drawn only below the line.
bool exits_today(const TickContext& ctx, std::uint64_t days_below, double morale, std::uint32_t c) {
  const auto& p = ctx.params.lifecycle;
  if (p.exit_hazard <= 0) return days_below >= static_cast<std::uint64_t>(p.patience_days);
  const double h = exit_probability(p, morale);
  if (h <= 0) return false;
  rng::Stream stream(ctx.seed, ctx.tick, c, rng::Purpose::CreatorExit);
  return stream.bernoulli(h);
}

/// One creator's day: money, moving averages, morale, stage, exit, skill. Touches only creator `c`'s slots
/// (and its entry of buffers.knowledge_sales).
void update_creator(const TickContext& ctx, state::State& state, TickBuffers& buffers,
                    const std::array<StageRule, state::kStages>& rules, std::uint32_t c) {
  const auto& p = ctx.params.lifecycle;
  auto& creators = state.creators;
  auto& lc = state.lifecycle;
  const std::uint32_t posts = c < buffers.posts_per_creator.size() ? buffers.posts_per_creator[c] : 0;

  // Today's deltas of the counters commit() summed into the creator.
  const std::uint64_t views = creators.views[c] - lc.views_seen[c];
  const std::uint64_t likes = creators.likes[c] - lc.likes_seen[c];
  const std::uint64_t shares = creators.shares[c] - lc.shares_seen[c];
  const std::int64_t follower_change = std::int64_t(creators.followers[c]) - std::int64_t(lc.followers_seen[c]);
  lc.views_seen[c] = creators.views[c];
  lc.likes_seen[c] = creators.likes[c];
  lc.shares_seen[c] = creators.shares[c];
  lc.followers_seen[c] = creators.followers[c];
  const double engagement = std::max<double>(0.0, double(likes) + double(shares) + double(follower_change));

  // Money: income is the sum of the sources credited today; the platform share and paid knowledge are credited
  // here. A brand account earns nothing and costs its brand (the content budget line), not itself.
  const bool brand_account = creators.type[c] == static_cast<std::uint8_t>(state::CreatorType::BrandAccount);
  double* pending = lc.income_pending.data() + std::size_t(c) * state::kIncomeSources;
  double* by_source = lc.income_by_source.data() + std::size_t(c) * state::kIncomeSources;
  if (!brand_account)
    pending[static_cast<std::size_t>(state::IncomeSource::PlatformShare)] +=
        double(views) * ctx.params.platform.revenue_per_1000_views / 1000.0;
  const std::uint32_t sold = sell_knowledge(ctx, creators, c);
  buffers.knowledge_sales[c] = sold;
  if (sold > 0) {
    const KnowledgeMoney money = knowledge_money(sold, ctx.params.knowledge);
    pending[static_cast<std::size_t>(state::IncomeSource::PaidKnowledge)] += to_money(money.revenue - money.commission);
  }
  double income = 0;
  for (std::size_t s = 0; s < state::kIncomeSources; ++s) {
    income += pending[s];
    by_source[s] += pending[s];
    pending[s] = 0;
  }
  const double cost = brand_account ? 0.0 : double(posts) * p.cost_per_item;
  lc.income_total[c] += income;
  lc.cost_total[c] += cost;
  lc.income_today[c] = income;

  // Moving averages, then the two signals and morale.
  const double w = p.morale_smoothing;
  auto smooth = [w](double& average, double today) { average += w * (today - average); };
  smooth(lc.ema_engagement[c], engagement);
  smooth(lc.ema_items[c], double(posts));
  smooth(lc.ema_income[c], income);
  smooth(lc.ema_cost[c], cost);
  const double feedback = balance(lc.ema_engagement[c], p.feedback_reference * lc.ema_items[c]);
  const double earning = balance(lc.ema_income[c], lc.ema_cost[c]);
  const double weights = p.feedback_weight + p.income_weight;
  const double morale = weights > 0 ? (p.feedback_weight * feedback + p.income_weight * earning) / weights : 1.0;
  lc.feedback_signal[c] = static_cast<float>(feedback);
  lc.income_signal[c] = static_cast<float>(earning);
  lc.morale[c] = static_cast<float>(morale);
  // The first day each threshold is passed: smoothed engagement (income) at least what the creator's smoothed
  // effort (cost) calls for, from real engagement on real items (real income).
  if (lc.feedback_passed[c] == state::kNever && lc.ema_engagement[c] > 0 && lc.ema_items[c] > 0 &&
      lc.ema_engagement[c] >= p.feedback_reference * lc.ema_items[c])
    lc.feedback_passed[c] = ctx.tick;
  if (lc.income_passed[c] == state::kNever && lc.ema_income[c] > 0 && lc.ema_income[c] >= lc.ema_cost[c])
    lc.income_passed[c] = ctx.tick;

  // Growth stages: advance one at a time while the next stage's thresholds are met; never back.
  while (lc.stage[c] + 1u < state::kStages) {
    const StageRule& next = rules[lc.stage[c] + 1u];
    if (double(creators.followers[c]) < next.followers || lc.ema_income[c] < next.income) break;
    lc.stage[c]++;
    lc.stage_tick[std::size_t(c) * state::kStages + lc.stage[c]] = ctx.tick;
  }

  // Exit, below the quit line: after patience_days consecutive days there, or on a day the exit hazard strikes
  // (exits_today); the reason is the weaker signal. Brand accounts stay as long as their brand.
  lc.days_below[c] = morale < p.quit_line ? lc.days_below[c] + 1 : 0;
  if (!brand_account && exits_today(ctx, lc.days_below[c], morale, c)) {
    const bool feedback_weaker = p.income_weight <= 0 || (p.feedback_weight > 0 && feedback <= earning);
    lc.exit_tick[c] = ctx.tick;
    lc.exit_reason[c] =
        static_cast<std::uint8_t>(feedback_weaker ? state::ExitReason::Feedback : state::ExitReason::Income);
  }

  // Improvement: each item posted closes learning_rate of the gap to the ceiling (departure_learning_boost times
  // that, at most all of it, at stage 0: novice tasks and courses).
  const double ceiling = p.skill_ceiling;
  const double learning_rate = lc.stage[c] == static_cast<std::uint8_t>(state::Stage::Departure)
                                   ? std::min(1.0, p.learning_rate * p.departure_learning_boost)
                                   : p.learning_rate;
  if (posts > 0 && learning_rate > 0 && creators.skill[c] < ceiling)
    creators.skill[c] = static_cast<float>(ceiling - (ceiling - creators.skill[c]) *
                                                         std::pow(1.0 - learning_rate, static_cast<double>(posts)));
}

/// New creators today: Poisson(base_rate * (traffic per creator / reference)^elasticity), capped by the room
/// left. Traffic per creator is today's recommended impressions over the creators that were alive for them.
std::uint32_t draw_entrants(const TickContext& ctx, const state::State& state, const TickMetrics& metrics,
                            std::uint32_t alive_today) {
  const auto& p = ctx.params.lifecycle;
  const std::uint32_t room = state.creators.capacity - state.creators.count;
  if (room == 0 || p.entry_base_rate <= 0) return 0;
  const double traffic = double(metrics.impressions[index(Channel::Recommendation)]) / std::max(1u, alive_today);
  const double rate =
      std::min(1e9, p.entry_base_rate * std::pow(traffic / p.entry_reference_traffic, p.entry_traffic_elasticity));
  if (!(rate > 0)) return 0;
  rng::Stream stream(ctx.seed, ctx.tick, 0, rng::Purpose::CreatorEntry);
  boost::random::poisson_distribution<std::uint32_t, double> poisson(rate);
  return std::min(room, poisson(stream));
}

}  // namespace

void creators_update(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  auto& lc = state.lifecycle;
  const std::uint32_t count = state.creators.count;
  const auto rules = stage_rules(ctx.params.lifecycle);
  std::uint32_t alive_today = 0;
  for (std::uint32_t c = 0; c < count; ++c) alive_today += lc.alive(c);
  buffers.knowledge_sales.assign(count, 0);

  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, count, 1024), [&](const auto& range) {
    for (std::uint32_t c = range.begin(); c != range.end(); ++c)
      if (lc.alive(c)) update_creator(ctx, state, buffers, rules, c);
  });

  // Serial, in id order: events and money totals (so the double sums do not depend on threads).
  TickMetrics& metrics = buffers.metrics;
  for (std::uint32_t c = 0; c < count; ++c) {
    if (lc.exit_tick[c] == ctx.tick) {
      buffers.events.push_back({ctx.tick, EventKind::CreatorExited, c, lc.exit_reason[c]});
      metrics.creator_exits++;
    } else if (!lc.alive(c)) {
      lc.income_today[c] = 0;  // exited earlier: no money (the daily table shows none), no stages
      continue;
    }
    for (std::size_t s = 1; s < state::kStages; ++s)
      if (lc.stage_tick[std::size_t(c) * state::kStages + s] == ctx.tick)
        buffers.events.push_back({ctx.tick, EventKind::StageReached, c, static_cast<std::int64_t>(s)});
    metrics.creator_income += lc.income_today[c];
    if (buffers.knowledge_sales[c] > 0) {
      const KnowledgeMoney money = knowledge_money(buffers.knowledge_sales[c], ctx.params.knowledge);
      metrics.knowledge_sales += buffers.knowledge_sales[c];
      metrics.knowledge_revenue += money.revenue;
      metrics.knowledge_commission += money.commission;
    }
    if (state.creators.type[c] != static_cast<std::uint8_t>(state::CreatorType::BrandAccount))
      metrics.creator_cost += double(buffers.posts_per_creator.size() > c ? buffers.posts_per_creator[c] : 0) *
                              ctx.params.lifecycle.cost_per_item;
  }

  // Entry: the new creators exist from the end of today and post from tomorrow.
  const std::uint32_t entrants = draw_entrants(ctx, state, metrics, alive_today);
  if (entrants > 0) {
    state::add_creators(ctx.params, state.creators, entrants);
    lc.add(entrants, ctx.tick, state.creators.skill.data() + count);
    metrics.starting_follows += state.welcome_creators(ctx.params, count, count + entrants);
    metrics.follow_edges = state.follows.edges();
    for (std::uint32_t c = count; c < count + entrants; ++c)
      buffers.events.push_back({ctx.tick, EventKind::CreatorJoined, c, state.creators.type[c]});
  }
  metrics.creator_entrants = entrants;
  metrics.creators_alive = alive_today - metrics.creator_exits + entrants;
}

}  // namespace fanflow::phases
