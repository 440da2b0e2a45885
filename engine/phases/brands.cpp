// Brands, paid ads and the sponsorship marketplace (docs/model.md, "Brands", "Paid ads", "Marketplace",
// "Money"). brands_prepare runs before post: deals that went stale lapse, each brand's budget for the day is set
// (an adaptive strategy first moves its split toward the better channel), the day's ad tables are built from the
// brands' impression targets, and the marketplace matches brands' orders with creators. consume shows ads
// (show_ad) and counts impressions of sponsored items; settle_brands, part of commit, charges and pays.
// Everything here is serial and in id order, with integer money, so results do not depend on threads.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "phases/phases.hpp"

namespace fanflow::phases {
namespace {

constexpr Tick kNotFilled = std::numeric_limits<Tick>::max();
/// Engagement-rate prior of the marketplace score: one engagement over this many impressions.
constexpr double kPriorImpressions = 100;

/// Vose's alias method over `weights` (positive sum): writes `keep` and `alias` (indices within the list).
void build_alias(const std::vector<double>& weights, float* keep, std::uint32_t* alias) {
  const std::size_t n = weights.size();
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  for (std::size_t k = 0; k < n; ++k) {
    scaled[k] = weights[k] * double(n) / total;
    (scaled[k] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(k));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back(), l = large.back();
    small.pop_back();
    keep[s] = static_cast<float>(scaled[s]);
    alias[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (std::uint32_t k : large) keep[k] = 1.0f, alias[k] = k;
  for (std::uint32_t k : small) keep[k] = 1.0f, alias[k] = k;  // rounding residue
}

/// The brand's strategy for today (reset on a parameter change, or moved by the adaptive rule), then today's
/// budgets and ad target; clears today's outcome counters.
void plan_budgets(const TickContext& ctx, state::State& state) {
  const auto& p = ctx.params.brands;
  auto& acc = state.brand_accounts;
  const std::uint32_t n = state.brands.count;
  if (acc.size() != n) {
    acc.reset(n, p.ad_share, p.sponsorship_share);
  } else if (p.ad_share != acc.param_ad_share || p.sponsorship_share != acc.param_sponsorship_share) {
    std::fill(acc.ad_share.begin(), acc.ad_share.end(), p.ad_share);  // a timeline entry set a new strategy
    std::fill(acc.sponsorship_share.begin(), acc.sponsorship_share.end(), p.sponsorship_share);
    acc.param_ad_share = p.ad_share;
    acc.param_sponsorship_share = p.sponsorship_share;
  } else if (p.adaptive_rate > 0) {
    // Adaptive strategy: the ads' part x of the paid budget moves toward r_ads / (r_ads + r_sponsorship), the
    // channels' smoothed engagements per money spent; only once both channels have been spent on.
    for (std::uint32_t b = 0; b < n; ++b) {
      if (acc.ema_ad_spend[b] <= 0 || acc.ema_sponsorship_spend[b] <= 0) continue;
      const double r_ads = acc.ema_ad_engagements[b] / acc.ema_ad_spend[b];
      const double r_sponsorship = acc.ema_sponsorship_engagements[b] / acc.ema_sponsorship_spend[b];
      const double paid = acc.ad_share[b] + acc.sponsorship_share[b];
      if (r_ads + r_sponsorship <= 0 || paid <= 0) continue;
      double x = acc.ad_share[b] / paid;
      x += p.adaptive_rate * (r_ads / (r_ads + r_sponsorship) - x);
      acc.ad_share[b] = paid * x;
      acc.sponsorship_share[b] = paid * (1 - x);
    }
  }
  const double cpm = double(to_micros(ctx.params.platform.ad_cpm));
  for (std::uint32_t b = 0; b < n; ++b) {
    const Micros budget = to_micros(p.budget_mean * double(state.brands.budget_scale[b]));
    acc.ad_budget[b] = static_cast<Micros>(std::floor(double(budget) * acc.ad_share[b]));
    acc.sponsorship_budget[b] =
        std::min(budget - acc.ad_budget[b], static_cast<Micros>(std::floor(double(budget) * acc.sponsorship_share[b])));
    acc.ad_target[b] = static_cast<std::uint64_t>(std::floor(double(acc.ad_budget[b]) * 1000.0 / cpm));
    acc.spend_ads[b] = acc.spend_sponsorship[b] = 0;
    acc.ad_impressions[b] = acc.ad_engagements[b] = acc.sponsored_impressions[b] = acc.sponsored_engagements[b] = 0;
    acc.deals[b] = 0;
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
  tables.keep.clear();
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
  for (std::size_t t = 0; t < topics; ++t) {
    tables.topic_begin[t] = static_cast<std::uint32_t>(tables.brand.size());
    if (by_topic[t].empty()) continue;
    weights.clear();
    for (const auto& [brand, target] : by_topic[t]) tables.brand.push_back(brand), weights.push_back(target);
    const double demand = std::accumulate(weights.begin(), weights.end(), 0.0);
    tables.probability[t] = static_cast<float>(std::min(ctx.params.platform.ad_load, demand / supply(t)));
    tables.keep.resize(tables.brand.size());
    tables.alias.resize(tables.brand.size());
    build_alias(weights, tables.keep.data() + tables.topic_begin[t], tables.alias.data() + tables.topic_begin[t]);
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

/// The marketplace. Candidates: creators on the platform with at least min_followers, no open deal, and room
/// under their commercial-load limit (S + 1 <= l (N + 1): S sponsored items of N posted, l = sponsored_share).
/// Score s_c = fit * F^a * e^b / price^c; brands in id order, starting with brand (tick mod brands), walk the
/// candidates by descending score (ties: lower id) and make a deal with each they can still afford from today's
/// sponsorship budget.
void run_marketplace(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  const auto& m = ctx.params.marketplace;
  const auto& creators = state.creators;
  const auto& lc = state.lifecycle;
  auto& deals = state.deals;
  auto& acc = state.brand_accounts;
  const std::size_t topics = static_cast<std::size_t>(ctx.params.population.topics);
  const Micros floor_price = to_micros(m.price_floor);

  std::vector<std::uint32_t> candidates;
  std::vector<double> score(creators.count, 0.0);
  std::vector<Micros> price(creators.count, 0);
  for (std::uint32_t c = 0; c < creators.count; ++c) {
    if ((c < lc.size() && !lc.alive(c)) || deals.brand[c] != state::kNoBrand) continue;
    if (creators.followers[c] < static_cast<std::uint64_t>(std::max<std::int64_t>(1, m.min_followers))) continue;
    if (double(deals.sponsored_posted[c]) + 1 >
        double(creators.sponsored_share[c]) * (double(creators.items_posted[c]) + 1))
      continue;  // commercial load: one more sponsored item would exceed the creator's limit
    const double followers = creators.followers[c];
    const double rate = (double(creators.likes[c]) + double(creators.shares[c]) + 1) /
                        (double(creators.impressions[c]) + kPriorImpressions);
    price[c] = to_micros(m.price_floor + m.price_per_1000_followers * followers / 1000.0);
    score[c] = std::pow(followers, m.follower_exponent) * std::pow(rate, m.engagement_exponent) /
               std::pow(to_money(price[c]), m.price_exponent);
    if (score[c] > 0) candidates.push_back(c);
  }
  if (candidates.empty()) return;
  std::sort(candidates.begin(), candidates.end(),
            [&](std::uint32_t a, std::uint32_t b) { return score[a] != score[b] ? score[a] > score[b] : a < b; });
  // The same order split by topic (counting sort keeps it).
  std::vector<std::uint32_t> topic_begin(topics + 1, 0), by_topic(candidates.size());
  for (std::uint32_t c : candidates) topic_begin[creators.topic[c] + 1]++;
  for (std::size_t t = 0; t < topics; ++t) topic_begin[t + 1] += topic_begin[t];
  {
    std::vector<std::uint32_t> fill(topic_begin.begin(), topic_begin.end() - 1);
    for (std::uint32_t c : candidates) by_topic[fill[creators.topic[c]]++] = c;
  }
  std::vector<std::uint8_t> taken(creators.count, 0);
  const double off_fit = m.off_topic_fit;
  const std::uint32_t n = state.brands.count;
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint32_t b = (ctx.tick + k) % n;  // brands take turns choosing first, one day each
    Micros left = acc.sponsorship_budget[b];
    const std::uint16_t topic = state.brands.topic[b];
    std::size_t i = topic_begin[topic];
    const std::size_t i_end = topic_begin[topic + 1];
    std::size_t j = 0;
    while (left >= floor_price) {
      // The next candidate of the brand's topic and the next off-topic one (score scaled by the fit).
      while (j < candidates.size() && creators.topic[candidates[j]] == topic) ++j;
      const bool has_same = i < i_end, has_other = j < candidates.size() && off_fit > 0;
      if (!has_same && !has_other) break;
      bool same = has_same;
      if (has_same && has_other) {
        const std::uint32_t a = by_topic[i], o = candidates[j];
        const double sa = score[a], so = off_fit * score[o];
        same = sa != so ? sa > so : a < o;
      }
      const std::uint32_t c = same ? by_topic[i++] : candidates[j++];
      if (taken[c] || price[c] > left) continue;
      taken[c] = 1;
      left -= price[c];
      deals.brand[c] = b;
      deals.price[c] = price[c];
      deals.made[c] = ctx.tick;
      deals.filled[c] = kNotFilled;
      acc.deals[b]++;
      buffers.metrics.brands.deals++;
      buffers.events.push_back({ctx.tick, EventKind::MarketplaceDeal, c, static_cast<std::int64_t>(b)});
    }
  }
}

}  // namespace

void brands_prepare(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  plan_budgets(ctx, state);
  build_ad_tables(ctx, state, buffers.ads);
  lapse_deals(ctx, state, buffers.metrics.brands);
  run_marketplace(ctx, state, buffers);
}

void show_ad(const TickContext& ctx, state::State& state, ThreadBuffers& local, std::uint32_t user, std::uint32_t brand,
             rng::Stream& stream, std::uint32_t slot) {
  const auto& e = ctx.params.engagement;
  const double quality = ctx.params.brands.ad_quality;
  const double match = state.users.match(user, state.brands.topic[brand]);
  // Four uniforms, as for an item's reactions (share and follow are not used: an ad has no item, no creator).
  const double u_view = stream.uniform(), u_like = stream.uniform();
  stream.uniform();
  stream.uniform();
  constexpr std::size_t ch = index(Channel::Ads);
  std::uint64_t* counts = local.brand_counts.data() + std::size_t(brand) * kBrandCounters;
  local.metrics.impressions[ch]++;
  state.users.impressions[user]++;
  counts[kAdImpressions]++;
  const double p_view = std::clamp(
      e.view_base + e.view_quality_weight * (quality - 0.5) + e.view_interest_weight * (match - 0.5), 0.0, 1.0);
  if (u_view >= p_view) return;
  local.metrics.views[ch]++;
  state.users.views[user]++;
  counts[kAdEngagements]++;
  const bool liked = u_like < std::min(1.0, e.like_rate * (0.5 + quality) * (0.5 + match));
  if (liked) {
    local.metrics.likes[ch]++;
    state.users.likes[user]++;
    counts[kAdEngagements]++;
  }
  journey_contact(ctx, state, local, {user, brand, Channel::Ads, slot, 0.0, liked, false, false});
}

void settle_brands(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  auto& acc = state.brand_accounts;
  BrandTotals& totals = buffers.metrics.brands;
  const std::uint32_t n = state.brands.count;
  if (acc.size() != n) acc.reset(n, ctx.params.brands.ad_share, ctx.params.brands.sponsorship_share);
  for (ThreadBuffers& local : buffers.local) {
    if (local.brand_counts.size() != std::size_t(n) * kBrandCounters) continue;
    for (std::uint32_t b = 0; b < n; ++b) {
      const std::uint64_t* counts = local.brand_counts.data() + std::size_t(b) * kBrandCounters;
      acc.ad_impressions[b] += counts[kAdImpressions];
      acc.ad_engagements[b] += counts[kAdEngagements];
      acc.sponsored_impressions[b] += counts[kSponsoredImpressions];
      acc.sponsored_engagements[b] += counts[kSponsoredEngagements];
      acc.new_customers[b] += counts[kNewCustomers];
      acc.repeat_purchases[b] += counts[kRepeatPurchases];
    }
    std::fill(local.brand_counts.begin(), local.brand_counts.end(), 0);
  }
  // Ads: charged for the impressions delivered at platform.ad_cpm, never more than the day's ad budget.
  const double cpm = double(to_micros(ctx.params.platform.ad_cpm));
  for (std::uint32_t b = 0; b < n; ++b) {
    const Micros charge =
        std::min(acc.ad_budget[b], static_cast<Micros>(std::llround(double(acc.ad_impressions[b]) * cpm / 1000.0)));
    acc.spend_ads[b] = charge;
    totals.ad_spend += charge;
    totals.platform_ad_revenue += charge;
  }
  // Sponsored items posted today: the brand pays the price; the creator gets it less the commission.
  auto& deals = state.deals;
  const double commission = ctx.params.marketplace.commission;
  for (std::uint32_t c = 0; c < deals.size(); ++c) {
    if (deals.brand[c] == state::kNoBrand || deals.filled[c] != ctx.tick) continue;
    const std::uint32_t b = deals.brand[c];
    const Micros price = deals.price[c];
    const Micros fee = std::clamp<Micros>(std::llround(double(price) * commission), 0, price);
    acc.spend_sponsorship[b] += price;
    totals.sponsorship_spend += price;
    totals.platform_commission += fee;
    totals.creator_brand_income += price - fee;
    totals.sponsored_items++;
    if (c < state.lifecycle.size())
      state.lifecycle.income_pending[std::size_t(c) * state::kIncomeSources +
                                     static_cast<std::size_t>(state::IncomeSource::BrandOrders)] +=
          to_money(price - fee);
    deals.sponsored_posted[c]++;
    deals.brand[c] = state::kNoBrand;
    deals.filled[c] = kNotFilled;
  }
  // Sales: customers pay the brand's price, sicas.price times its price scale (rounded once), per purchase
  // (outside the identity of brands' spend).
  for (std::uint32_t b = 0; b < n; ++b) {
    acc.price[b] = to_micros(ctx.params.sicas.price * double(state.brands.price_scale[b]));
    acc.revenue[b] = acc.price[b] * static_cast<Micros>(acc.new_customers[b] + acc.repeat_purchases[b]);
    totals.new_customers += acc.new_customers[b];
    totals.repeat_purchases += acc.repeat_purchases[b];
    totals.revenue += acc.revenue[b];
  }
  // Smoothed returns and totals.
  const double w = ctx.params.brands.return_smoothing;
  auto smooth = [w](double& average, double today) { average += w * (today - average); };
  for (std::uint32_t b = 0; b < n; ++b) {
    smooth(acc.ema_ad_spend[b], to_money(acc.spend_ads[b]));
    smooth(acc.ema_ad_engagements[b], double(acc.ad_engagements[b]));
    smooth(acc.ema_sponsorship_spend[b], to_money(acc.spend_sponsorship[b]));
    smooth(acc.ema_sponsorship_engagements[b], double(acc.sponsored_engagements[b]));
    acc.total_spend_ads[b] += acc.spend_ads[b];
    acc.total_spend_sponsorship[b] += acc.spend_sponsorship[b];
    acc.total_ad_impressions[b] += acc.ad_impressions[b];
    acc.total_sponsored_impressions[b] += acc.sponsored_impressions[b];
    acc.total_engagements[b] += acc.ad_engagements[b] + acc.sponsored_engagements[b];
    acc.total_deals[b] += acc.deals[b];
    acc.total_new_customers[b] += acc.new_customers[b];
    acc.total_repeat_purchases[b] += acc.repeat_purchases[b];
    acc.total_revenue[b] += acc.revenue[b];
  }
  buffers.ads.public_slots_yesterday = totals.public_slots;
}

}  // namespace fanflow::phases
