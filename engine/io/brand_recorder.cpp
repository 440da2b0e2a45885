// BrandRecorder: the brands' datasets of a run file (docs/output-format.md, "/brands" and the money series).
#include "io/brand_recorder.hpp"

#include <limits>
#include <string>
#include <vector>

#include "phases/phases.hpp"

namespace fanflow::io {
namespace {

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
  purchases_ = file.create_growing<std::uint64_t>(
      "/timeseries/purchases", kChannelCount, std::vector<std::string>(kChannelNames.begin(), kChannelNames.end()),
      "purchases/day", "purchases (new and repeat), by the channel of the exposure that sold");
  new_customers_ = file.create_growing<std::uint64_t>("/timeseries/new_customers", 1, {}, "customers/day",
                                                      "first purchases from a brand, all brands");
  repeat_purchases_ = file.create_growing<std::uint64_t>("/timeseries/repeat_purchases", 1, {}, "purchases/day",
                                                         "purchases by a brand's past customers, all brands");
  revenue_ =
      series("revenue", "money/day", "brands' revenue from purchases (customers' money, the brand's price each)");
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
  per_new_customers_ = per_brand(std::uint64_t{}, "new_customers", "customers/day", "each brand's first-time buyers");
  per_repeat_purchases_ =
      per_brand(std::uint64_t{}, "repeat_purchases", "purchases/day", "purchases by each brand's past customers");
  per_revenue_ = per_brand(double{}, "revenue", "money/day", "each brand's revenue from purchases");
  per_return_on_spend_ = per_brand(double{}, "return_on_spend", "",
                                   "each brand's revenue over its spend so far, cumulative (0 before any spend)");
  per_acquisition_cost_ = per_brand(double{}, "acquisition_cost", "money/customer",
                                    "each brand's spend over its new customers so far, cumulative (inf before the "
                                    "first customer, 0 before any spend)");
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
  purchases_.append(std::span<const std::uint64_t>(metrics.purchases));
  new_customers_.append(std::span<const std::uint64_t>(&t.new_customers, 1));
  repeat_purchases_.append(std::span<const std::uint64_t>(&t.repeat_purchases, 1));
  one(revenue_, to_money(t.revenue));
  if (!has_brands_) return;
  const auto& a = state.brand_accounts;
  if (a.size() != brands_) return;  // no tick has run the brands phase (cannot happen after a step)
  per_spend_ads_.append(money(a.spend_ads));
  per_spend_sponsorship_.append(money(a.spend_sponsorship));
  per_ad_impressions_.append(a.ad_impressions);
  per_sponsored_impressions_.append(a.sponsored_impressions);
  std::vector<std::uint64_t> engagements(brands_);
  for (std::uint32_t b = 0; b < brands_; ++b) engagements[b] = a.ad_engagements[b] + a.sponsored_engagements[b];
  per_engagements_.append(engagements);
  per_deals_.append(a.deals);
  per_new_customers_.append(a.new_customers);
  per_repeat_purchases_.append(a.repeat_purchases);
  per_revenue_.append(money(a.revenue));
  // No NaN (files compare equal across runs): nothing spent means nothing sold yet, so a return of 0; spend
  // without a customer yet is an infinite acquisition cost.
  constexpr double infinity = std::numeric_limits<double>::infinity();
  std::vector<double> ros(brands_), cac(brands_);
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const double spend = to_money(a.total_spend_ads[b] + a.total_spend_sponsorship[b]);
    ros[b] = spend > 0 ? to_money(a.total_revenue[b]) / spend : 0.0;
    cac[b] = a.total_new_customers[b] > 0 ? spend / double(a.total_new_customers[b]) : spend > 0 ? infinity : 0.0;
  }
  per_return_on_spend_.append(ros);
  per_acquisition_cost_.append(cac);
}

void BrandRecorder::finish(OutputFile& file, const state::State& state) const {
  const auto& a = state.brand_accounts;
  const std::uint32_t n = state.brands.count;
  if (a.size() != n) return;  // a run of 0 days
  std::vector<double> budget(n);
  for (std::uint32_t b = 0; b < n; ++b) budget[b] = double(state.brands.budget_scale[b]);
  file.write_column("/brands/summary/budget_scale", budget, "",
                    "the brand's daily budget relative to brands.budget_mean");
  file.write_column("/brands/summary/ad_share", a.ad_share, "", "share of the budget for ads at the end");
  file.write_column("/brands/summary/sponsorship_share", a.sponsorship_share, "",
                    "share of the budget for sponsorships at the end");
  file.write_column("/brands/summary/spend_ads", money(a.total_spend_ads), "money", "spend on ads over the run");
  file.write_column("/brands/summary/spend_sponsorship", money(a.total_spend_sponsorship), "money",
                    "spend on sponsored items over the run");
  file.write_column("/brands/summary/ad_impressions", a.total_ad_impressions, "impressions",
                    "ad impressions over the run");
  file.write_column("/brands/summary/sponsored_impressions", a.total_sponsored_impressions, "impressions",
                    "impressions of items carrying the brand over the run");
  file.write_column("/brands/summary/engagements", a.total_engagements, "engagements",
                    "attributable engagements over the run (ads and sponsored items)");
  file.write_column("/brands/summary/deals", a.total_deals, "deals", "marketplace deals over the run");
  file.write_column("/brands/summary/new_customers", a.total_new_customers, "customers",
                    "customers who bought from the brand over the run");
  file.write_column("/brands/summary/repeat_purchases", a.total_repeat_purchases, "purchases",
                    "repeat purchases over the run");
  file.write_column("/brands/summary/revenue", money(a.total_revenue), "money", "revenue over the run");
  file.write_column("/brands/summary/price", money(a.price), "money/purchase",
                    "the brand's price on the last day: sicas.price times its price scale");
  // The purchase funnel: journeys that reached each stage, one [brands] column per stage.
  const std::vector<std::uint64_t> funnel = phases::journey_funnel(state);
  for (std::size_t k = 0; k < state::kJourneyStages; ++k) {
    std::vector<std::uint64_t> column(n);
    for (std::uint32_t b = 0; b < n; ++b) column[b] = funnel[std::size_t(b) * state::kJourneyStages + k];
    const std::string stage = state::kJourneyStageNames[k];
    file.write_column(std::string("/brands/summary/funnel_").append(stage), column, "journeys",
                      std::string("users whose purchase journey with the brand reached the stage ").append(stage));
  }
}

}  // namespace fanflow::io
