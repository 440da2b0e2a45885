// Phase 2, public-traffic candidates, and the recommender's end-of-day bookkeeping (docs/model.md, section 2).
// Per topic, a Walker alias table over the candidate items' weights
//   W_i = q_i^gamma * 2^(-a_i / h) * E_i^delta * B^tier_i * b_c * (F_c + a)^beta,
// with E_i the item's smoothed engagement relative to the platform mean, B = pools.tier_weight, b_c the
// new-creator boost and F_c the creator's followers (popularity-driven discovery); with exposure targets
// (pools.exposure_days > 0) an item in a quota pool weighs instead its pool's remaining quota over the pool's
// remaining days, as a share of its topic's expected draws. The consume phase draws a recommended item of a topic
// with probability W_i / sum of W in the topic, and shows it with probability f_c, its creator's concentration-cap
// factor, and within the cap's per-block quota (else draws again). With traffic pools on, candidates are the items
// that have not failed a pool's threshold; update_recommender() (run by commit) moves items through the pools.
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <span>

#include "phases/phases.hpp"

namespace fanflow::phases {
namespace {

/// Fixed-point iterations of the concentration cap's redrawn share.
constexpr int kCapIterations = 10;

/// Tick on which creator `c` joined the platform: the creator lifecycle's `joined` column (creators entering
/// during a run); a creator without an entry there (or a state without a lifecycle) counts as joined at tick 0.
template <typename State>
Tick joined_tick(const State& state, std::uint32_t c) {
  if constexpr (requires { state.lifecycle.joined[c]; })
    return c < state.lifecycle.joined.size() ? static_cast<Tick>(state.lifecycle.joined[c]) : Tick{0};
  else
    return Tick{0};
}

/// Platform support of creator `c`'s growth stage: lifecycle.<stage>_traffic_boost for stages 1..3, 1 in
/// departure (and for a creator without a lifecycle entry).
double stage_traffic_boost(const params::Params::lifecycle_section& p, const state::CreatorLifecycle& lc,
                           std::uint32_t c) {
  if (c >= lc.size()) return 1.0;
  switch (static_cast<state::Stage>(lc.stage[c])) {
    case state::Stage::Exploration:
      return p.exploration_traffic_boost;
    case state::Stage::Harvest:
      return p.harvest_traffic_boost;
    case state::Stage::OnTheRoad:
      return p.on_the_road_traffic_boost;
    default:
      return 1.0;
  }
}

/// Quotas (recommended impressions) and promotion thresholds (likes per recommended impression) of the quota
/// pools, from pools.tier1_* .. pools.tier4_*.
struct PoolRules {
  std::array<std::uint64_t, kQuotaTiers> size;
  std::array<double, kQuotaTiers> threshold;

  explicit PoolRules(const params::Params::pools_section& pools)
      : size{static_cast<std::uint64_t>(pools.tier1_size), static_cast<std::uint64_t>(pools.tier2_size),
             static_cast<std::uint64_t>(pools.tier3_size), static_cast<std::uint64_t>(pools.tier4_size)},
        threshold{pools.tier1_threshold, pools.tier2_threshold, pools.tier3_threshold, pools.tier4_threshold} {}
};

/// Observed engagement: (likes + k * shares) per impression, smoothed towards the platform mean.
struct EngagementModel {
  double share_weight = 0;       ///< k: one share counts as k likes
  double prior_impressions = 0;  ///< m0: pseudo-impressions at the platform mean
  double mean = 0;               ///< platform mean of (likes + k shares) per impression over the alive items

  EngagementModel(const params::Params::recommendation_section& rec, const state::ItemStore& items)
      : share_weight(rec.engagement_share_weight), prior_impressions(rec.engagement_prior_impressions) {
    double score = 0, impressions = 0;
    for (std::uint32_t s = 0; s < items.size(); ++s) {
      score += items.likes[s] + share_weight * items.shares[s];
      impressions += items.impressions[s];
    }
    mean = impressions > 0 ? score / impressions : 0.0;
  }

  /// E_i = ((likes + k shares) + mean * m0) / (impressions + m0) / mean; 1 while nothing is known.
  double relative(const state::ItemStore& items, std::uint32_t s) const {
    const double denominator = items.impressions[s] + prior_impressions;
    if (mean <= 0 || denominator <= 0) return 1.0;
    return (items.likes[s] + share_weight * items.shares[s] + mean * prior_impressions) / denominator / mean;
  }
};

/// Expected share of recommendation draws that pick each topic: a user's slot explores (a uniform topic among
/// those with candidates) with probability explore, else picks topic t with the user's interest weight, falling
/// back to a uniform topic when t has no candidates (as consume does); users weighted by their attention.
std::vector<double> topic_demand(const state::UserStore& users, const RecommendationTables& tables, double explore) {
  const std::size_t topics = tables.topic_begin.size() - 1;
  std::vector<double> demand(topics, 0.0);
  double total = 0, uniform = 0;
  for (std::uint32_t u = 0; u < users.count; ++u) {
    const double attention = users.attention[u];
    auto topic = users.topics_of(u);
    auto weight = users.weights_of(u);
    double matched = 0;
    for (std::size_t k = 0; k < topic.size(); ++k)
      if (tables.has_items(topic[k])) demand[topic[k]] += attention * (1 - explore) * weight[k], matched += weight[k];
    uniform += attention * (explore + (1 - explore) * (1 - matched));
    total += attention;
  }
  const double per_topic = uniform / double(tables.topics_with_items.size());
  for (std::uint16_t t : tables.topics_with_items) demand[t] += per_topic;
  if (total > 0)
    for (double& d : demand) d /= total;
  return demand;
}

/// Today's recommended impressions, as the recommender expects them: yesterday's; on the first day (nothing
/// measured yet) the attention of the users on the platform times the daily active probability.
double expected_recommended_draws(const params::Params& params, const state::State& state) {
  if (state.recommended_yesterday > 0) return double(state.recommended_yesterday);
  double attention = 0;
  for (std::uint32_t u = 0; u < state.users.count; ++u)
    if (state.users.on_platform[u]) attention += state.users.attention[u];
  return attention * params.users.daily_active_probability;
}

/// Exposure targets (pools.exposure_days = D > 0): an item i in quota pool k of topic t asks for
///   T_i = (S_k - n_i) / max(1, D - a_i)
/// recommended impressions today (its pool's remaining quota over the pool window's remaining days, a_i the days
/// it has been in the pool), i.e. the share tau_i = T_i / N_t of the topic's expected draws N_t = d_t * N. Its
/// weight becomes sigma_t * tau_i, sigma_t = min(1, phi / sum tau) (phi = pools.target_share_max); the top pool's
/// items share the rest, 1 - sigma_t * sum tau, by their organic weights. A topic without top-pool items gives all
/// its draws to its pooled items, in proportion to their targets. Replaces `weight` and `topic_weight`.
void apply_exposure_targets(const TickContext& ctx, const state::State& state, const RecommendationTables& tables,
                            const std::vector<double>& demand, std::vector<double>& weight,
                            std::vector<double>& topic_weight) {
  const auto& items = state.items;
  const PoolRules rules(ctx.params.pools);
  const double window = double(ctx.params.pools.exposure_days);
  const double share_max = ctx.params.pools.target_share_max;
  const double draws = expected_recommended_draws(ctx.params, state);
  const std::uint32_t topics = static_cast<std::uint32_t>(topic_weight.size());
  std::vector<double> target(weight.size(), 0.0);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, topics, 8), [&](const auto& range) {
    for (std::uint32_t t = range.begin(); t != range.end(); ++t) {
      const std::uint32_t begin = tables.topic_begin[t], end = tables.topic_begin[t + 1];
      if (begin == end) continue;
      const double topic_draws = std::max(demand[t] * draws, 1.0);
      double targets = 0, top_weight = 0;
      for (std::uint32_t j = begin; j < end; ++j) {
        const std::uint32_t slot = items.slot(tables.item[j]);
        const std::uint8_t tier = items.tier[slot];
        if (tier >= kQuotaTiers) {
          top_weight += weight[j];
          continue;
        }
        const double remaining =
            double(rules.size[tier]) - std::min<double>(items.tier_impressions[slot], rules.size[tier]);
        const double days_in_pool = double(std::int64_t(ctx.tick) - std::int64_t(items.tier_since[slot]));
        target[j] = remaining / std::max(1.0, window - days_in_pool) / topic_draws;
        targets += target[j];
      }
      if (targets <= 0) continue;  // only top-pool items: their organic weights
      const double scale = top_weight > 0 ? std::min(1.0, share_max / targets) : 1.0 / targets;
      const double top_scale = top_weight > 0 ? (1.0 - scale * targets) / top_weight : 0.0;
      double total = 0;
      for (std::uint32_t j = begin; j < end; ++j) {
        const bool top = items.tier[items.slot(tables.item[j])] >= kQuotaTiers;
        weight[j] = top ? weight[j] * top_scale : scale * target[j];
        total += weight[j];
      }
      topic_weight[t] = total;
    }
  });
}

}  // namespace

void prepare_recommendation(const TickContext& ctx, const state::State& state, TickBuffers& buffers) {
  const auto& items = state.items;
  const auto& creators = state.creators;
  const auto& rec = ctx.params.recommendation;
  const bool pools = ctx.params.pools.enabled;
  RecommendationTables& tables = buffers.recommendation;
  const std::uint32_t topics = static_cast<std::uint32_t>(ctx.params.population.topics);
  auto candidate = [&](std::uint32_t slot) { return !pools || items.left_pool[slot] == 0; };

  // Group the candidate items by topic (stable: ascending id within a topic).
  tables.topic_begin.assign(topics + 1, 0);
  for (std::uint32_t slot = 0; slot < items.size(); ++slot)
    if (candidate(slot)) ++tables.topic_begin[items.topic[slot] + 1];
  for (std::uint32_t t = 0; t < topics; ++t) tables.topic_begin[t + 1] += tables.topic_begin[t];
  const std::uint32_t candidates = tables.topic_begin[topics];
  tables.item.resize(candidates);
  tables.alias.resize(candidates);
  {
    std::vector<std::uint32_t> fill(tables.topic_begin.begin(), tables.topic_begin.end() - 1);
    for (std::uint32_t slot = 0; slot < items.size(); ++slot)
      if (candidate(slot)) tables.item[fill[items.topic[slot]]++] = items.first_id + slot;
  }
  tables.topics_with_items.clear();
  for (std::uint32_t t = 0; t < topics; ++t)
    if (tables.topic_begin[t + 1] > tables.topic_begin[t])
      tables.topics_with_items.push_back(static_cast<std::uint16_t>(t));

  // Per creator: the new-creator boost, its stage's traffic support and the popularity factor (F_c + a)^beta.
  std::vector<double> creator_factor(creators.count, 1.0);
  for (std::uint32_t c = 0; c < creators.count; ++c) {
    if (std::int64_t(ctx.tick) - std::int64_t(joined_tick(state, c)) < rec.new_creator_boost_days)
      creator_factor[c] = rec.new_creator_boost;
    creator_factor[c] *= stage_traffic_boost(ctx.params.lifecycle, state.lifecycle, c);
    if (rec.follower_exponent != 0)
      creator_factor[c] *= std::pow(double(creators.followers[c]) + rec.follower_offset, rec.follower_exponent);
  }
  const EngagementModel engagement(rec, items);
  const double tier_weight = ctx.params.pools.tier_weight;

  // Weights of the candidates, and their sum per topic.
  const double decay = std::log(2.0) / rec.freshness_half_life_days;
  std::vector<double> weight(candidates);
  std::vector<double> topic_weight(topics, 0.0);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, topics, 8), [&](const auto& range) {
    for (std::uint32_t t = range.begin(); t != range.end(); ++t) {
      double total = 0;
      for (std::uint32_t j = tables.topic_begin[t]; j < tables.topic_begin[t + 1]; ++j) {
        const std::uint32_t slot = items.slot(tables.item[j]);
        const double age = static_cast<double>(ctx.tick - items.posted[slot]);
        double w = std::pow(static_cast<double>(items.quality[slot]), rec.quality_exponent) * std::exp(-decay * age);
        if (rec.engagement_exponent != 0) w *= std::pow(engagement.relative(items, slot), rec.engagement_exponent);
        if (pools && items.tier[slot] > 0) w *= std::pow(tier_weight, items.tier[slot]);
        w *= creator_factor[items.creator[slot]];
        weight[j] = w;
        total += w;
      }
      topic_weight[t] = total;
    }
  });

  const double cap = rec.creator_share_cap;
  const bool targets = pools && ctx.params.pools.exposure_days > 0;
  std::vector<double> demand;
  if ((targets || cap > 0) && !tables.topics_with_items.empty())
    demand = topic_demand(state.users, tables, rec.explore_probability);
  if (targets && !demand.empty()) apply_exposure_targets(ctx, state, tables, demand, weight, topic_weight);

  // Concentration cap: creator c's expected share of today's recommended draws is
  //   s_c = sum over c's candidates i of (d_t + rho / T) * W_i / W_t,
  // d_t the share of draws that pick topic t (topic_demand), W_i / W_t the item's share of its topic's weight,
  // and rho / T the draws held back by the cap and redrawn from one of the T topics with candidates. A drawn
  // item of creator c is shown with probability f_c = min(1, cap / s_c), otherwise the slot draws again from a
  // random topic; rho = sum_c s_c (1 - f_c) and the f_c are found by fixed-point iteration. The prediction
  // cannot see what consume does (items a user has seen, empty slots, private traffic), so consume also holds
  // every creator to the cap within each block of users (RecommendationTables::creator_share_cap).
  tables.accept.clear();
  tables.accept_first_id = items.first_id;
  tables.creator_share_cap = 0;
  if (cap > 0 && !demand.empty()) {
    tables.creator_share_cap = cap;
    const double uniform = 1.0 / double(tables.topics_with_items.size());
    std::vector<double> base(creators.count, 0.0), redrawn(creators.count, 0.0);
    for (std::uint32_t t = 0; t < topics; ++t) {
      if (topic_weight[t] <= 0) continue;
      for (std::uint32_t j = tables.topic_begin[t]; j < tables.topic_begin[t + 1]; ++j) {
        const std::uint32_t c = items.creator[items.slot(tables.item[j])];
        base[c] += demand[t] * weight[j] / topic_weight[t];
        redrawn[c] += uniform * weight[j] / topic_weight[t];
      }
    }
    std::vector<double> factor(creators.count, 1.0);
    double rho = 0;
    for (int iteration = 0; iteration < kCapIterations; ++iteration) {
      double held_back = 0;
      for (std::uint32_t c = 0; c < creators.count; ++c) {
        const double share = base[c] + rho * redrawn[c];
        factor[c] = share > cap ? cap / share : 1.0;
        held_back += share * (1 - factor[c]);
      }
      rho = std::min(held_back, 1.0);
    }
    tables.accept.resize(items.size());
    for (std::uint32_t slot = 0; slot < items.size(); ++slot)
      tables.accept[slot] = static_cast<float>(factor[items.creator[slot]]);
  }

  // The alias table of each topic (rng/alias_table.hpp).
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, topics, 8), [&](const auto& range) {
    rng::AliasTable::Scratch scratch;
    for (std::uint32_t t = range.begin(); t != range.end(); ++t) {
      const std::uint32_t begin = tables.topic_begin[t];
      const std::uint32_t size = tables.topic_begin[t + 1] - begin;
      if (size == 0) continue;
      tables.alias.build(begin, std::span<const double>(weight).subspan(begin, size), topic_weight[t], scratch);
    }
  });
}

void update_recommender(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  auto& items = state.items;
  const std::uint32_t slots = items.size();
  const std::uint32_t creators = state.creators.count;
  TickMetrics& metrics = buffers.metrics;

  // The threads' recommendation counters, summed at commit (apply_item_counters).
  if (buffers.rec_impressions.size() != slots) buffers.rec_impressions.assign(slots, 0);
  if (buffers.rec_likes.size() != slots) buffers.rec_likes.assign(slots, 0);
  const std::vector<std::uint32_t>& impressions = buffers.rec_impressions;
  const std::vector<std::uint32_t>& likes = buffers.rec_likes;
  std::vector<std::uint64_t> by_creator(creators, 0);
  std::uint64_t recommended = 0;
  for (std::uint32_t s = 0; s < slots; ++s) {
    items.rec_impressions[s] += impressions[s];
    items.tier_impressions[s] += impressions[s];
    items.tier_likes[s] += likes[s];
    by_creator[items.creator[s]] += impressions[s];
    recommended += impressions[s];
  }
  state.recommended_yesterday = recommended;  // tomorrow's estimate of its recommended draws
  if (!by_creator.empty()) metrics.top_creator_recommended = *std::max_element(by_creator.begin(), by_creator.end());

  // Traffic pools: an item whose pool quota is used moves up if its likes per recommended impression in the
  // pool reach the pool's threshold, and otherwise leaves recommendation. At most one move a day.
  metrics.items_promoted[0] = metrics.items_posted;
  if (ctx.params.pools.enabled) {
    const PoolRules rules(ctx.params.pools);
    for (std::uint32_t s = 0; s < slots; ++s) {
      const std::uint8_t tier = items.tier[s];
      if (items.left_pool[s] || tier >= kQuotaTiers || items.tier_impressions[s] < rules.size[tier]) continue;
      const double rate = double(items.tier_likes[s]) / double(items.tier_impressions[s]);
      if (rate >= rules.threshold[tier]) {
        items.tier[s] = static_cast<std::uint8_t>(tier + 1);
        items.tier_impressions[s] = 0;
        items.tier_likes[s] = 0;
        items.tier_since[s] = ctx.tick + 1;  // in the new pool from tomorrow on
        metrics.items_promoted[tier + 1]++;
      } else {
        items.left_pool[s] = 1;
        metrics.items_left_pools++;
      }
    }
  }

  // Items by pool, over the items that stay alive after tonight's retirement (see commit).
  const std::int64_t oldest_kept = std::int64_t(ctx.tick) + 2 - ctx.params.content.max_age_days;
  for (std::uint32_t s = 0; s < slots; ++s)
    if (std::int64_t(items.posted[s]) >= oldest_kept) metrics.items_by_tier[items.tier[s]]++;
}

}  // namespace fanflow::phases
