// BrandAccounts and CreatorDeals: sizing the columns.
#include "state/brands.hpp"

namespace fanflow::state {

Micros BrandAccounts::spend_so_far(std::uint32_t b) const {
  Micros total = 0;
  for (std::size_t line = 0; line < kBudgetLines; ++line) total += total_spend[b * kBudgetLines + line];
  return total;
}

void BrandAccounts::reset(std::uint32_t brands, const std::array<double, kBudgetLines>& shares) {
  const std::size_t n = brands, per_line = n * kBudgetLines;
  share.resize(per_line);
  for (std::size_t k = 0; k < per_line; ++k) share[k] = shares[k % kBudgetLines];
  for (auto* column : {&budget, &total_budget, &spend, &total_spend}) column->assign(per_line, 0);
  held.clear();
  sales.assign(per_line, 0);
  idle_days.assign(per_line, 0);
  budget_days.assign(per_line, 0);
  for (auto* column : {&ema_spend, &ema_revenue}) column->assign(per_line, 0.0);
  impressions.assign(n * kChannelCount, 0);
  for (auto* column : {&price, &revenue, &total_revenue}) column->assign(n, 0);
  budget_override.assign(n, -1);
  for (auto* column :
       {&ad_target, &ad_impressions, &ad_engagements, &sponsored_impressions, &sponsored_engagements, &live_attendees,
        &total_ad_impressions, &total_sponsored_impressions, &total_engagements, &total_deals, &total_lives,
        &total_live_attendees, &new_customers, &repeat_purchases, &total_new_customers, &total_repeat_purchases})
    column->assign(n, 0);
  deals.assign(n, 0);
  lives.assign(n, 0);
}

std::string_view why_unspent(BudgetLine line, bool has_accounts) {
  switch (line) {
    case BudgetLine::Ads:
      return "the public slots on the brand's topics ran out: at most platform.ad_load of them show an ad, and "
             "they were fewer than the impressions the budgets buy at platform.ad_cpm";
    case BudgetLine::Sponsorship:
      return "too few creators at marketplace.min_stage with room under their sponsored share had a price the day's "
             "budget covered (prices rise with followers; marketplace.price_floor is the least)";
    case BudgetLine::Content:
      return has_accounts ? "the brand's own account posted fewer items than the budget pays for at "
                            "brands.content_cost_per_item"
                          : "brands have no own accounts (brands.own_accounts is off), so the content line buys "
                            "nothing";
    case BudgetLine::Live:
      return "no creator who sells live (creators.live_selling_share) at live.min_stage, and free that day, had a "
             "fee (live.fee_multiplier times the price) the day's live budget covered";
  }
  return "";
}

void CreatorDeals::grow(std::uint32_t creators) {
  if (creators <= size()) return;
  brand.resize(creators, kNoBrand);
  price.resize(creators, 0);
  made.resize(creators, 0);
  filled.resize(creators, std::numeric_limits<Tick>::max());
  sponsored_posted.resize(creators, 0);
}

}  // namespace fanflow::state
