// Brand settlement, after commit (docs/model.md, "Money", "Brand accounts and live sessions"): sums the threads'
// brand and live counters, charges brands for the ad impressions delivered and their accounts' content, pays creators
// for the sponsored items posted and the live sessions held today, and moves the smoothed returns per budget line.
// Serial and in id order, with integer money, so results do not depend on threads.
#include <algorithm>
#include <cmath>

#include "phases/brands/common.hpp"
#include "phases/phases.hpp"

namespace fanflow::phases {

void settle_brands(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  auto& acc = state.brand_accounts;
  BrandTotals& totals = buffers.metrics.brands;
  const std::uint32_t n = state.brands.count;
  if (acc.size() != n) acc.reset(n, strategy(ctx.params.brands));
  constexpr std::size_t L = state::kBudgetLines;
  const LiveTables& lives = buffers.lives;
  std::vector<std::uint64_t> live_counts(lives.sessions.size() * kLiveCounters, 0);
  for (ThreadBuffers& local : buffers.local) {
    if (local.brand_counts.size() == std::size_t(n) * kBrandCounters) {
      for (std::uint32_t b = 0; b < n; ++b) {
        const std::uint64_t* counts = local.brand_counts.data() + std::size_t(b) * kBrandCounters;
        acc.ad_impressions[b] += counts[kAdImpressions];
        acc.ad_engagements[b] += counts[kAdEngagements];
        acc.sponsored_impressions[b] += counts[kSponsoredImpressions];
        acc.sponsored_engagements[b] += counts[kSponsoredEngagements];
        acc.new_customers[b] += counts[kNewCustomers];
        acc.repeat_purchases[b] += counts[kRepeatPurchases];
        for (std::size_t k = 0; k < L; ++k) acc.sales[b * L + k] += counts[kSales + k];
        for (std::size_t ch = 0; ch < kChannelCount; ++ch)
          acc.impressions[b * kChannelCount + ch] += counts[kImpressions + ch];
      }
      std::fill(local.brand_counts.begin(), local.brand_counts.end(), 0);
    }
    if (local.live_counts.size() == live_counts.size())
      for (std::size_t k = 0; k < live_counts.size(); ++k) live_counts[k] += local.live_counts[k];
    local.live_counts.clear();
  }
  auto spend = [&](std::uint32_t b, state::BudgetLine line) -> Micros& { return acc.spend[b * L + index(line)]; };
  // Ads: charged for the impressions delivered at platform.ad_cpm, never more than the day's ad budget.
  const double cpm = double(to_micros(ctx.params.platform.ad_cpm));
  for (std::uint32_t b = 0; b < n; ++b) {
    const Micros charge = std::min(acc.budget[b * L + index(state::BudgetLine::Ads)],
                                   static_cast<Micros>(std::llround(double(acc.ad_impressions[b]) * cpm / 1000.0)));
    spend(b, state::BudgetLine::Ads) = charge;
    totals.ad_spend += charge;
    totals.platform_ad_revenue += charge;
  }
  // A payment from a brand to a creator: the platform keeps round(amount * marketplace.commission), times
  // marketplace.harvest_commission_share for a creator at stage 2 (harvest) or later.
  const auto& market = ctx.params.marketplace;
  auto pay_creator = [&](std::uint32_t c, Micros amount, state::IncomeSource source) {
    const double commission = reached_stage(state.lifecycle, c, static_cast<std::int64_t>(state::Stage::Harvest))
                                  ? market.commission * market.harvest_commission_share
                                  : market.commission;
    const Micros fee = std::clamp<Micros>(std::llround(double(amount) * commission), 0, amount);
    totals.platform_commission += fee;
    totals.creator_brand_income += amount - fee;
    if (c < state.lifecycle.size())
      state.lifecycle.income_pending[std::size_t(c) * state::kIncomeSources + static_cast<std::size_t>(source)] +=
          to_money(amount - fee);
  };
  // Sponsored items posted today: the brand pays the price; the creator gets it less the commission.
  auto& deals = state.deals;
  for (std::uint32_t c = 0; c < deals.size(); ++c) {
    if (deals.brand[c] == state::kNoBrand || deals.filled[c] != ctx.tick) continue;
    const std::uint32_t b = deals.brand[c];
    const Micros price = deals.price[c];
    spend(b, state::BudgetLine::Sponsorship) += price;
    totals.sponsorship_spend += price;
    totals.sponsored_items++;
    pay_creator(c, price, state::IncomeSource::BrandOrders);
    deals.sponsored_posted[c]++;
    deals.brand[c] = state::kNoBrand;
    deals.filled[c] = kNotFilled;
  }
  // Customers pay the brand's price, sicas.price times its price scale (rounded once), per purchase (outside the
  // identity of brands' spend).
  for (std::uint32_t b = 0; b < n; ++b)
    acc.price[b] = to_micros(ctx.params.sicas.price * double(state.brands.price_scale[b]));
  // Live sessions: the brand pays the host's fee plus live.sales_commission of the session's sales.
  for (std::size_t s = 0; s < lives.sessions.size(); ++s) {
    const LiveSession& session = lives.sessions[s];
    const std::uint64_t attendees = live_counts[s * kLiveCounters + kLiveAttendees];
    const std::uint64_t sales = live_counts[s * kLiveCounters + kLiveSales];
    const Micros amount =
        session.fee + static_cast<Micros>(std::llround(double(acc.price[session.brand]) * double(sales) *
                                                       ctx.params.live.sales_commission));
    spend(session.brand, state::BudgetLine::Live) += amount;
    totals.live_spend += amount;
    totals.lives++;
    totals.live_attendees += attendees;
    acc.lives[session.brand]++;
    acc.live_attendees[session.brand] += attendees;
    pay_creator(session.host, amount, state::IncomeSource::LiveSelling);
  }
  // Brand accounts' content: produced off the platform at brands.content_cost_per_item an item.
  if (state.brands.has_accounts) {
    const Micros cost = to_micros(ctx.params.brands.content_cost_per_item);
    for (std::uint32_t b = 0; b < n; ++b) {
      const std::uint32_t account = state.brands.account(b);
      const std::uint32_t posts = account < buffers.posts_per_creator.size() ? buffers.posts_per_creator[account] : 0;
      spend(b, state::BudgetLine::Content) = cost * static_cast<Micros>(posts);
      totals.content_spend += cost * static_cast<Micros>(posts);
    }
  }
  for (std::uint32_t b = 0; b < n; ++b) {
    acc.revenue[b] = acc.price[b] * static_cast<Micros>(acc.new_customers[b] + acc.repeat_purchases[b]);
    totals.new_customers += acc.new_customers[b];
    totals.repeat_purchases += acc.repeat_purchases[b];
    totals.revenue += acc.revenue[b];
  }
  // Smoothed spend and revenue per line (behind the adaptive strategy's returns) and totals.
  const double w = ctx.params.brands.return_smoothing;
  auto smooth = [w](double& average, double today) { average += w * (today - average); };
  for (std::uint32_t b = 0; b < n; ++b) {
    for (std::size_t k = 0; k < L; ++k) {
      smooth(acc.ema_spend[b * L + k], to_money(acc.spend[b * L + k]));
      smooth(acc.ema_revenue[b * L + k], to_money(acc.price[b] * static_cast<Micros>(acc.sales[b * L + k])));
      acc.total_spend[b * L + k] += acc.spend[b * L + k];
    }
    const bool bought[L] = {acc.ad_impressions[b] > 0, acc.deals[b] > 0,
                            acc.spend[b * L + index(state::BudgetLine::Content)] > 0, acc.lives[b] > 0};
    for (std::size_t k = 0; k < L; ++k) {
      if (acc.budget[b * L + k] <= 0) continue;
      acc.budget_days[b * L + k]++;
      if (!bought[k]) acc.idle_days[b * L + k]++;
    }
    acc.total_ad_impressions[b] += acc.ad_impressions[b];
    acc.total_sponsored_impressions[b] += acc.sponsored_impressions[b];
    acc.total_engagements[b] += acc.ad_engagements[b] + acc.sponsored_engagements[b];
    acc.total_deals[b] += acc.deals[b];
    acc.total_lives[b] += acc.lives[b];
    acc.total_live_attendees[b] += acc.live_attendees[b];
    acc.total_new_customers[b] += acc.new_customers[b];
    acc.total_repeat_purchases[b] += acc.repeat_purchases[b];
    acc.total_revenue[b] += acc.revenue[b];
  }
  buffers.ads.public_slots_yesterday = totals.public_slots;
}

}  // namespace fanflow::phases
