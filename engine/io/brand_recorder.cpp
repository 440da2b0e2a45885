// BrandRecorder: the brands' datasets of a run file (docs/output-format.md, "/brands" and the money series).
#include "io/brand_recorder.hpp"

#include <string>
#include <vector>

namespace fanflow::io {
namespace {

template <typename T>
std::span<const T> view(const std::vector<T>& values) {
  return {values.data(), values.size()};
}

/// Money columns (micro-money internally) as money.
std::vector<double> money(const std::vector<Micros>& values) {
  std::vector<double> out(values.size());
  for (std::size_t k = 0; k < values.size(); ++k) out[k] = to_money(values[k]);
  return out;
}

}  // namespace

BrandRecorder::BrandRecorder(OutputFile& file, const state::State& state) : brands_(state.brands.count) {
  auto series = [&](const char* name, const char* unit, const char* description) {
    return file.create_growing<double>(std::string("/timeseries/").append(name), 1, {}, unit, description);
  };
  brand_spend_ = series("brand_spend", "money/day", "brands' spend that day: ads + sponsorships");
  ad_spend_ = series("brand_ad_spend", "money/day", "brands' spend on ads (= the platform's ad revenue)");
  sponsorship_spend_ = series("brand_sponsorship_spend", "money/day", "brands' spend on sponsored items posted");
  platform_take_ = series("platform_take", "money/day", "the platform's take: ad revenue + marketplace commissions");
  platform_commission_ = series("platform_commission", "money/day", "the platform's commission on sponsored items");
  creator_brand_income_ =
      series("creator_brand_income", "money/day", "paid to creators for sponsored items (price less commission)");
  deals_ = file.create_growing<std::uint64_t>("/timeseries/deals", 1, {}, "deals/day", "marketplace deals made");
  sponsored_items_ = file.create_growing<std::uint64_t>("/timeseries/sponsored_items", 1, {}, "items/day",
                                                        "sponsored items posted (deals filled)");
  has_brands_ = brands_ > 0;
  if (!has_brands_) return;
  // With a single brand the datasets stay 2-D: they get a column name.
  const std::vector<std::string> names = brands_ == 1 ? std::vector<std::string>{"0"} : std::vector<std::string>{};
  auto per_brand = [&]<typename T>(T, const char* name, const char* unit, const char* description) {
    return file.create_growing<T>(std::string("/brands/").append(name), brands_, names, unit,
                                  std::string(description).append(" [tick x brand]"));
  };
  per_spend_ads_ = per_brand(double{}, "spend_ads", "money/day", "each brand's spend on ads");
  per_spend_sponsorship_ =
      per_brand(double{}, "spend_sponsorship", "money/day", "each brand's spend on sponsored items posted");
  per_ad_impressions_ = per_brand(std::uint64_t{}, "ad_impressions", "impressions/day", "each brand's ad impressions");
  per_sponsored_impressions_ = per_brand(std::uint64_t{}, "sponsored_impressions", "impressions/day",
                                         "impressions of items carrying each brand, all channels");
  per_engagements_ =
      per_brand(std::uint64_t{}, "engagements", "engagements/day",
                "views + likes of each brand's ads, plus views + likes + follows of its sponsored items");
  per_deals_ = per_brand(std::uint32_t{}, "deals", "deals/day", "marketplace deals each brand made");
}

void BrandRecorder::record(const phases::TickMetrics& metrics, const state::State& state) {
  const phases::BrandTotals& t = metrics.brands;
  auto one = [](GrowingDataset& dataset, double value) { dataset.append(std::span<const double>(&value, 1)); };
  one(brand_spend_, to_money(t.brand_spend()));
  one(ad_spend_, to_money(t.ad_spend));
  one(sponsorship_spend_, to_money(t.sponsorship_spend));
  one(platform_take_, to_money(t.platform_take()));
  one(platform_commission_, to_money(t.platform_commission));
  one(creator_brand_income_, to_money(t.creator_brand_income));
  deals_.append(std::span<const std::uint64_t>(&t.deals, 1));
  sponsored_items_.append(std::span<const std::uint64_t>(&t.sponsored_items, 1));
  if (!has_brands_) return;
  const auto& a = state.brand_accounts;
  if (a.size() != brands_) return;  // no tick has run the brands phase (cannot happen after a step)
  per_spend_ads_.append(view(money(a.spend_ads)));
  per_spend_sponsorship_.append(view(money(a.spend_sponsorship)));
  per_ad_impressions_.append(view(a.ad_impressions));
  per_sponsored_impressions_.append(view(a.sponsored_impressions));
  std::vector<std::uint64_t> engagements(brands_);
  for (std::uint32_t b = 0; b < brands_; ++b) engagements[b] = a.ad_engagements[b] + a.sponsored_engagements[b];
  per_engagements_.append(view(engagements));
  per_deals_.append(view(a.deals));
}

void BrandRecorder::finish(OutputFile& file, const state::State& state) const {
  const auto& a = state.brand_accounts;
  const std::uint32_t n = state.brands.count;
  if (a.size() != n) return;  // a run of 0 days
  std::vector<double> budget(n);
  for (std::uint32_t b = 0; b < n; ++b) budget[b] = double(state.brands.budget_scale[b]);
  file.write_column("/brands/summary/budget_scale", view(budget), "",
                    "the brand's daily budget relative to brands.budget_mean");
  file.write_column("/brands/summary/ad_share", view(a.ad_share), "", "share of the budget for ads at the end");
  file.write_column("/brands/summary/sponsorship_share", view(a.sponsorship_share), "",
                    "share of the budget for sponsorships at the end");
  file.write_column("/brands/summary/spend_ads", view(money(a.total_spend_ads)), "money", "spend on ads over the run");
  file.write_column("/brands/summary/spend_sponsorship", view(money(a.total_spend_sponsorship)), "money",
                    "spend on sponsored items over the run");
  file.write_column("/brands/summary/ad_impressions", view(a.total_ad_impressions), "impressions",
                    "ad impressions over the run");
  file.write_column("/brands/summary/sponsored_impressions", view(a.total_sponsored_impressions), "impressions",
                    "impressions of items carrying the brand over the run");
  file.write_column("/brands/summary/engagements", view(a.total_engagements), "engagements",
                    "attributable engagements over the run (ads and sponsored items)");
  file.write_column("/brands/summary/deals", view(a.total_deals), "deals", "marketplace deals over the run");
}

}  // namespace fanflow::io
