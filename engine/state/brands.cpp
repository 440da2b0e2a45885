// BrandAccounts and CreatorDeals: sizing the columns.
#include "state/brands.hpp"

namespace fanflow::state {

void BrandAccounts::reset(std::uint32_t brands, double ad, double sponsorship) {
  const std::size_t n = brands;
  ad_share.assign(n, ad);
  sponsorship_share.assign(n, sponsorship);
  param_ad_share = ad;
  param_sponsorship_share = sponsorship;
  for (auto* column : {&ad_budget, &sponsorship_budget, &spend_ads, &spend_sponsorship, &total_spend_ads,
                       &total_spend_sponsorship, &price, &revenue, &total_revenue})
    column->assign(n, 0);
  for (auto* column : {&ad_target, &ad_impressions, &ad_engagements, &sponsored_impressions, &sponsored_engagements,
                       &total_ad_impressions, &total_sponsored_impressions, &total_engagements, &total_deals,
                       &new_customers, &repeat_purchases, &total_new_customers, &total_repeat_purchases})
    column->assign(n, 0);
  deals.assign(n, 0);
  for (auto* column : {&ema_ad_spend, &ema_ad_engagements, &ema_sponsorship_spend, &ema_sponsorship_engagements})
    column->assign(n, 0.0);
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
