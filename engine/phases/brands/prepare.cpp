// The brands phase, before post (docs/model.md, "Brands", "Paid ads", "Marketplace", "Brand accounts and live
// sessions"): deals that went stale lapse, each brand's budget per line for the day is set (an adaptive strategy
// first moves its split toward the line with the best return) with its account's posting rate, the day's ad tables
// are built from the brands' impression targets, the marketplace matches brands' orders with creators, and the day's
// live sessions are planned. Ads are shown in consume (ads.cpp); settle.cpp charges and pays after commit.
// Everything here is serial and in id order, with integer money, so results do not depend on threads.
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "phases/brands/common.hpp"
#include "phases/phases.hpp"

namespace fanflow::phases {
namespace {

/// Engagement-rate prior of the marketplace score: one engagement over this many impressions.
constexpr double kPriorImpressions = 100;

/// A creator's price for one sponsored item: marketplace.price_floor + price_per_1000_followers * F / 1000.
Micros item_price(const params::Params::marketplace_section& m, double followers) {
  return to_micros(m.price_floor + m.price_per_1000_followers * followers / 1000.0);
}

/// Adaptive strategy of brand b: among the lines it spends on (smoothed spend and share both positive), each
/// line's part x_k of their shares moves toward r_k / sum r, with r_k its smoothed revenue per money spent.
void adapt_shares(double rate, state::BrandAccounts& acc, std::uint32_t b) {
  double* share = acc.share.data() + std::size_t(b) * state::kBudgetLines;
  const double* spend = acc.ema_spend.data() + std::size_t(b) * state::kBudgetLines;
  const double* revenue = acc.ema_revenue.data() + std::size_t(b) * state::kBudgetLines;
  std::array<double, state::kBudgetLines> r{};
  double shares = 0, returns = 0;
  int lines = 0;
  for (std::size_t k = 0; k < state::kBudgetLines; ++k) {
    if (spend[k] <= 0 || share[k] <= 0) continue;
    r[k] = revenue[k] / spend[k];
    shares += share[k];
    returns += r[k];
    ++lines;
  }
  if (lines < 2 || returns <= 0) return;
  for (std::size_t k = 0; k < state::kBudgetLines; ++k) {
    if (spend[k] <= 0 || share[k] <= 0) continue;
    const double x = share[k] / shares;
    share[k] = shares * (x + rate * (r[k] / returns - x));
  }
}

/// The brand's strategy for today (reset on a parameter change, or moved by the adaptive rule, then set by the
/// day's brand_strategy events), then today's budget per line, ad target and its account's posting rate; clears
/// today's outcome counters.
void plan_budgets(const TickContext& ctx, state::State& state, const std::vector<params::TimelineEvent>& events) {
  const auto& p = ctx.params.brands;
  auto& acc = state.brand_accounts;
  const std::uint32_t n = state.brands.count;
  const auto native = strategy(p), established = established_strategy(p);
  std::array<double, 2 * state::kBudgetLines> shares;
  std::copy(native.begin(), native.end(), shares.begin());
  std::copy(established.begin(), established.end(), shares.begin() + state::kBudgetLines);
  if (acc.size() != n || shares != acc.param_share) {
    acc.param_share = shares;  // a timeline entry set a new strategy: every brand starts from its kind's
    if (acc.size() != n) acc.reset(n, native);
    for (std::uint32_t b = 0; b < n; ++b) {
      const auto& kind_shares = state.brands.established(b) ? established : native;
      std::copy(kind_shares.begin(), kind_shares.end(), acc.share.begin() + std::ptrdiff_t(b) * state::kBudgetLines);
    }
  } else if (p.adaptive_rate > 0) {
    for (std::uint32_t b = 0; b < n; ++b) adapt_shares(p.adaptive_rate, acc, b);
  }
  for (const params::TimelineEvent& event : events) {
    const auto b = static_cast<std::uint32_t>(event.brand);
    double* share = acc.share.data() + std::size_t(b) * state::kBudgetLines;
    if (event.kind == params::kBrandStrategy) {
      std::copy(event.shares.begin(), event.shares.end(), share);
      if (event.budget >= 0) acc.budget_override[b] = to_micros(event.budget);
      continue;
    }
    if (!params::holds(event.kind)) continue;
    if (event.ending) {  // the window ends: undo what the entry did
      auto held = std::find_if(acc.held.begin(), acc.held.end(),
                               [&](const auto& h) { return h.brand == b && h.entry == event.entry; });
      if (held == acc.held.end()) continue;
      const double back = std::min(held->moved, share[held->to]);
      share[held->to] -= back;
      share[held->from] += back;
      acc.held.erase(held);
      continue;
    }
    if (event.kind == params::kShift) {
      const auto from = std::size_t(event.from_line), to = std::size_t(event.to_line);
      const double moved = event.fraction * share[from];
      share[from] -= moved;
      share[to] += moved;
      acc.held.push_back({b, event.entry, from, to, moved, 1.0});
    } else {
      acc.held.push_back({b, event.entry, 0, 0, 0.0, event.factor});
    }
  }
  const double cpm = double(to_micros(ctx.params.platform.ad_cpm));
  for (std::uint32_t b = 0; b < n; ++b) {
    const auto& own = state.brands.own_budget;
    double daily = acc.budget_override[b] >= 0 ? double(acc.budget_override[b])
                   : b < own.size() && own[b] >= 0
                       ? double(to_micros(own[b]))
                       : double(to_micros(p.budget_mean * double(state.brands.budget_scale[b])));
    for (const auto& held : acc.held)
      if (held.brand == b) daily *= held.factor;
    const auto budget = static_cast<Micros>(std::floor(daily));
    Micros* line_budget = acc.budget.data() + std::size_t(b) * state::kBudgetLines;
    for (std::size_t k = 0; k < state::kBudgetLines; ++k) {
      line_budget[k] = static_cast<Micros>(std::floor(double(budget) * acc.share[b * state::kBudgetLines + k]));
      acc.total_budget[b * state::kBudgetLines + k] += line_budget[k];
    }
    acc.ad_target[b] =
        static_cast<std::uint64_t>(std::floor(double(line_budget[index(state::BudgetLine::Ads)]) * 1000.0 / cpm));
    if (state.brands.has_accounts)
      state.creators.posting_rate[state.brands.account(b)] =
          static_cast<float>(to_money(line_budget[index(state::BudgetLine::Content)]) / p.content_cost_per_item);
    std::fill_n(acc.spend.begin() + std::ptrdiff_t(b) * state::kBudgetLines, state::kBudgetLines, 0);
    std::fill_n(acc.sales.begin() + std::ptrdiff_t(b) * state::kBudgetLines, state::kBudgetLines, 0);
    std::fill_n(acc.impressions.begin() + std::ptrdiff_t(b) * kChannelCount, kChannelCount, 0);
    acc.ad_impressions[b] = acc.ad_engagements[b] = acc.sponsored_impressions[b] = acc.sponsored_engagements[b] = 0;
    acc.deals[b] = acc.lives[b] = 0;
    acc.live_attendees[b] = 0;
    acc.new_customers[b] = acc.repeat_purchases[b] = 0;
    acc.revenue[b] = 0;
  }
}

/// The day's ad tables. Expected public slots whose interest topic is t: S_t = P * A_t / A, with P the public
/// slots of yesterday (on the first day every active slot), A_t the attention users give topic t and A the
/// total. Brand b's target T_b is split over the topics it targets in proportion to S_t; a slot on topic t is
/// an ad with probability p_t = min(ad_load, sum_b T_bt / S_t), the brand drawn in proportion to T_bt.
void build_ad_tables(const TickContext& ctx, const state::State& state, AdTables& tables) {
  const auto& users = state.users;
  const std::size_t topics = static_cast<std::size_t>(ctx.params.population.topics);
  if (tables.topic_attention.size() != topics) {
    tables.topic_attention.assign(topics, 0.0);
    tables.total_attention = 0;
    for (std::uint32_t u = 0; u < users.count; ++u) {
      auto topic = users.topics_of(u);
      auto weight = users.weights_of(u);
      for (std::size_t k = 0; k < topic.size(); ++k) tables.topic_attention[topic[k]] += users.attention[u] * weight[k];
      tables.total_attention += users.attention[u];
    }
  }
  tables.active = false;
  tables.probability.assign(topics, 0.0f);
  tables.topic_begin.assign(topics + 1, 0);
  tables.brand.clear();
  tables.alias.clear();
  const auto& acc = state.brand_accounts;
  if (tables.total_attention <= 0 || ctx.params.platform.ad_load <= 0) return;
  const double public_slots = ctx.tick == 0 ? ctx.params.users.daily_active_probability * tables.total_attention
                                            : double(tables.public_slots_yesterday);
  auto supply = [&](std::size_t t) { return public_slots * tables.topic_attention[t] / tables.total_attention; };
  const std::int64_t reach = ctx.params.brands.ad_target_neighbors;
  // Targets per (topic, brand), brands in id order within a topic.
  std::vector<std::vector<std::pair<std::uint32_t, double>>> by_topic(topics);
  for (std::uint32_t b = 0; b < state.brands.count; ++b) {
    if (acc.ad_target[b] == 0) continue;
    const std::int64_t t0 = state.brands.topic[b];
    const std::int64_t lo = std::max<std::int64_t>(0, t0 - reach);
    const std::int64_t hi = std::min<std::int64_t>(std::int64_t(topics) - 1, t0 + reach);
    double total = 0;
    for (std::int64_t t = lo; t <= hi; ++t) total += supply(std::size_t(t));
    if (total <= 0) continue;
    for (std::int64_t t = lo; t <= hi; ++t)
      if (supply(std::size_t(t)) > 0)
        by_topic[std::size_t(t)].emplace_back(b, double(acc.ad_target[b]) * supply(std::size_t(t)) / total);
  }
  std::vector<double> weights;
  rng::AliasTable::Scratch scratch;
  for (std::size_t t = 0; t < topics; ++t) {
    tables.topic_begin[t] = static_cast<std::uint32_t>(tables.brand.size());
    if (by_topic[t].empty()) continue;
    weights.clear();
    for (const auto& [brand, target] : by_topic[t]) tables.brand.push_back(brand), weights.push_back(target);
    const double demand = std::accumulate(weights.begin(), weights.end(), 0.0);
    tables.probability[t] = static_cast<float>(std::min(ctx.params.platform.ad_load, demand / supply(t)));
    tables.alias.resize(tables.brand.size());
    tables.alias.build(tables.topic_begin[t], weights, demand, scratch);
    tables.active = true;
  }
  tables.topic_begin[topics] = static_cast<std::uint32_t>(tables.brand.size());
}

/// Lapses open deals of creators who exited or did not post the sponsored item within deal_expiry_days.
void lapse_deals(const TickContext& ctx, state::State& state, BrandTotals& totals) {
  auto& deals = state.deals;
  deals.grow(state.creators.count);
  const auto& lc = state.lifecycle;
  const auto expiry = static_cast<std::uint64_t>(ctx.params.marketplace.deal_expiry_days);
  for (std::uint32_t c = 0; c < deals.size(); ++c) {
    if (deals.brand[c] == state::kNoBrand) continue;
    const bool exited = c < lc.size() && !lc.alive(c);
    if (exited || std::uint64_t(ctx.tick - deals.made[c]) >= expiry) {
      deals.brand[c] = state::kNoBrand;
      deals.filled[c] = kNotFilled;
      totals.deals_lapsed++;
    }
  }
}

/// Creators ranked for brands' orders: score s_c = F^a * e^b / price^c over the eligible creators, by descending
/// score (ties: lower id), and the same order split by topic.
struct Ranking {
  std::vector<std::uint32_t> candidates;
  std::vector<std::uint32_t> topic_begin, by_topic;  ///< candidates of topic t: by_topic[topic_begin[t] ..)
  std::vector<double> score;                         ///< [creators]
  std::vector<Micros> price;                         ///< [creators]: price of a sponsored item
};

/// Ranks the creators on the platform with at least marketplace.min_followers for which `eligible(c)` holds;
/// brand accounts take no orders.
template <typename Eligible>
Ranking rank_creators(const TickContext& ctx, const state::State& state, Eligible eligible) {
  const auto& m = ctx.params.marketplace;
  const auto& creators = state.creators;
  const auto& lc = state.lifecycle;
  const std::size_t topics = static_cast<std::size_t>(ctx.params.population.topics);
  Ranking r;
  r.score.assign(creators.count, 0.0);
  r.price.assign(creators.count, 0);
  for (std::uint32_t c = 0; c < creators.count; ++c) {
    if ((c < lc.size() && !lc.alive(c)) || !eligible(c)) continue;
    if (creators.type[c] == static_cast<std::uint8_t>(state::CreatorType::BrandAccount)) continue;
    if (creators.followers[c] < static_cast<std::uint64_t>(std::max<std::int64_t>(1, m.min_followers))) continue;
    const double followers = creators.followers[c];
    const double rate = (double(creators.likes[c]) + double(creators.shares[c]) + 1) /
                        (double(creators.impressions[c]) + kPriorImpressions);
    r.price[c] = item_price(m, followers);
    r.score[c] = std::pow(followers, m.follower_exponent) * std::pow(rate, m.engagement_exponent) /
                 std::pow(to_money(r.price[c]), m.price_exponent);
    if (r.score[c] > 0) r.candidates.push_back(c);
  }
  std::sort(r.candidates.begin(), r.candidates.end(), [&](std::uint32_t a, std::uint32_t b) {
    return r.score[a] != r.score[b] ? r.score[a] > r.score[b] : a < b;
  });
  r.topic_begin.assign(topics + 1, 0);
  r.by_topic.resize(r.candidates.size());
  for (std::uint32_t c : r.candidates) r.topic_begin[creators.topic[c] + 1]++;
  for (std::size_t t = 0; t < topics; ++t) r.topic_begin[t + 1] += r.topic_begin[t];
  std::vector<std::uint32_t> fill(r.topic_begin.begin(), r.topic_begin.end() - 1);
  for (std::uint32_t c : r.candidates) r.by_topic[fill[creators.topic[c]]++] = c;  // keeps the order
  return r;
}

/// Offers brand candidates of `ranking` in the order of their score scaled by topic fit (1 in the brand's topic,
/// marketplace.off_topic_fit outside; ties: lower id) to `offer(c)`, until it returns false or none are left.
template <typename Offer>
void walk_candidates(const TickContext& ctx, const state::State& state, const Ranking& ranking, std::uint16_t topic,
                     Offer offer) {
  const double off_fit = ctx.params.marketplace.off_topic_fit;
  const auto& candidates = ranking.candidates;
  std::size_t i = ranking.topic_begin[topic], j = 0;
  const std::size_t i_end = ranking.topic_begin[topic + 1];
  for (;;) {
    // The next candidate of the brand's topic and the next off-topic one (score scaled by the fit).
    while (j < candidates.size() && state.creators.topic[candidates[j]] == topic) ++j;
    const bool has_same = i < i_end, has_other = j < candidates.size() && off_fit > 0;
    if (!has_same && !has_other) return;
    bool same = has_same;
    if (has_same && has_other) {
      const std::uint32_t a = ranking.by_topic[i], o = candidates[j];
      const double sa = ranking.score[a], so = off_fit * ranking.score[o];
      same = sa != so ? sa > so : a < o;
    }
    if (!offer(same ? ranking.by_topic[i++] : candidates[j++])) return;
  }
}

/// The sponsorship marketplace. Candidates: creators at marketplace.min_stage or later with no open deal and room
/// under their commercial-load limit (S + 1 <= l (N + 1): S sponsored items of N posted, l = sponsored_share). Brands
/// in id order, starting with brand (tick mod brands), walk the candidates and make a deal with each they can still
/// afford from today's sponsorship budget, until it is below the price floor.
void run_marketplace(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  const auto& creators = state.creators;
  auto& deals = state.deals;
  auto& acc = state.brand_accounts;
  const std::int64_t min_stage = ctx.params.marketplace.min_stage;
  const Ranking ranking = rank_creators(ctx, state, [&](std::uint32_t c) {
    return deals.brand[c] == state::kNoBrand && reached_stage(state.lifecycle, c, min_stage) &&
           double(deals.sponsored_posted[c]) + 1 <=
               double(creators.sponsored_share[c]) * (double(creators.items_posted[c]) + 1);
  });
  if (ranking.candidates.empty()) return;
  const Micros floor_price = to_micros(ctx.params.marketplace.price_floor);
  std::vector<std::uint8_t> taken(creators.count, 0);
  const std::uint32_t n = state.brands.count;
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint32_t b = (ctx.tick + k) % n;  // brands take turns choosing first, one day each
    Micros left = acc.budget[b * state::kBudgetLines + index(state::BudgetLine::Sponsorship)];
    if (left < floor_price) continue;
    walk_candidates(ctx, state, ranking, state.brands.topic[b], [&](std::uint32_t c) {
      if (taken[c] || ranking.price[c] > left) return true;
      taken[c] = 1;
      left -= ranking.price[c];
      deals.brand[c] = b;
      deals.price[c] = ranking.price[c];
      deals.made[c] = ctx.tick;
      deals.filled[c] = kNotFilled;
      acc.deals[b]++;
      buffers.metrics.brands.deals++;
      buffers.events.push_back({ctx.tick, EventKind::MarketplaceDeal, c, static_cast<std::int64_t>(b)});
      return left >= floor_price;
    });
  }
}

/// The day's live sessions. First the super brand days of the timeline, in entry order: each named host on the
/// platform (or the brand's top_creators best-matched creators) holds a promoted session for the brand. Then
/// live orders: brands in turn, as in the marketplace, walk the creators who sell live (creators.live_selling_share)
/// and have reached live.min_stage, and book a session with each they can afford from today's live budget, at
/// live.fee_multiplier times the creator's price. A creator hosts at most one session a day.
void plan_lives(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  LiveTables& lives = buffers.lives;
  lives.clear(state.creators.count);
  const double fee_multiplier = ctx.params.live.fee_multiplier;
  auto book = [&](std::uint32_t host, std::uint32_t brand, Micros price, bool promoted) {
    lives.of_host[host] = static_cast<std::uint32_t>(lives.sessions.size());
    lives.sessions.push_back(
        {host, brand, static_cast<Micros>(std::llround(double(price) * fee_multiplier)), promoted});
    buffers.events.push_back({ctx.tick, EventKind::LiveSession, host, static_cast<std::int64_t>(brand)});
  };
  const auto& lc = state.lifecycle;
  const bool super_days = std::any_of(buffers.timeline_events.begin(), buffers.timeline_events.end(),
                                      [](const params::TimelineEvent& e) { return e.kind == params::kSuperBrandDay; });
  if (super_days) {
    const Ranking anyone = rank_creators(ctx, state, [](std::uint32_t) { return true; });
    for (const params::TimelineEvent& event : buffers.timeline_events) {
      if (event.kind != params::kSuperBrandDay) continue;
      const auto brand = static_cast<std::uint32_t>(event.brand);
      const std::size_t first = lives.sessions.size();
      if (event.top_creators > 0) {
        std::int64_t left = event.top_creators;
        walk_candidates(ctx, state, anyone, state.brands.topic[brand], [&](std::uint32_t c) {
          if (lives.of_host[c] != LiveTables::kNoSession) return true;
          book(c, brand, anyone.price[c], true);
          return --left > 0;
        });
      } else {
        for (std::int64_t id : event.creators) {
          const auto c = static_cast<std::uint32_t>(id);
          if (c >= state.creators.count || !lc.alive(c) || lives.of_host[c] != LiveTables::kNoSession) continue;
          book(c, brand, item_price(ctx.params.marketplace, state.creators.followers[c]), true);
        }
      }
      if (lives.sessions.size() == first) continue;
      lives.promoted_brand.push_back(brand);
      for (std::size_t s = first; s < lives.sessions.size(); ++s)
        lives.promoted.push_back(static_cast<std::uint32_t>(s));
      lives.promoted_begin.push_back(static_cast<std::uint32_t>(lives.promoted.size()));
    }
  }
  const std::uint32_t n = state.brands.count;
  auto& acc = state.brand_accounts;
  const auto live = index(state::BudgetLine::Live);
  bool any_budget = false;
  for (std::uint32_t b = 0; b < n; ++b) any_budget = any_budget || acc.budget[b * state::kBudgetLines + live] > 0;
  if (!any_budget || fee_multiplier <= 0) return;
  const Ranking sellers = rank_creators(ctx, state, [&](std::uint32_t c) {
    return state.creators.sells_live[c] != 0 && reached_stage(lc, c, ctx.params.live.min_stage) &&
           lives.of_host[c] == LiveTables::kNoSession;
  });
  const auto cheapest =
      static_cast<Micros>(std::llround(double(to_micros(ctx.params.marketplace.price_floor)) * fee_multiplier));
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint32_t b = (ctx.tick + k) % n;
    Micros left = acc.budget[b * state::kBudgetLines + live];
    if (left < cheapest) continue;
    walk_candidates(ctx, state, sellers, state.brands.topic[b], [&](std::uint32_t c) {
      const auto fee = static_cast<Micros>(std::llround(double(sellers.price[c]) * fee_multiplier));
      if (lives.of_host[c] != LiveTables::kNoSession || fee > left) return true;
      left -= fee;
      book(c, b, sellers.price[c], false);
      return left >= cheapest;
    });
  }
}

}  // namespace

void brands_prepare(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  plan_budgets(ctx, state, buffers.timeline_events);
  build_ad_tables(ctx, state, buffers.ads);
  lapse_deals(ctx, state, buffers.metrics.brands);
  run_marketplace(ctx, state, buffers);
  plan_lives(ctx, state, buffers);
}

}  // namespace fanflow::phases
