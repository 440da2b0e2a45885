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

/// Column `k` of a [brand * stride + k] array, one entry per brand.
template <typename T>
std::vector<T> column_of(const std::vector<T>& values, std::size_t stride, std::size_t k) {
  std::vector<T> out(values.size() / stride);
  for (std::size_t b = 0; b < out.size(); ++b) out[b] = values[b * stride + k];
  return out;
}

}  // namespace

BrandRecorder::BrandRecorder(OutputFile& file, const state::State& state) : brands_(state.brands.count) {
  auto series = [&](const char* name, const char* unit, const char* description) {
    return file.create_growing<double>(std::string("/timeseries/").append(name), 1, {}, unit, description);
  };
  auto count = [&](const char* name, const char* unit, const char* description) {
    return file.create_growing<std::uint64_t>(std::string("/timeseries/").append(name), 1, {}, unit, description);
  };
  brand_spend_ =
      series("brand_spend", "money/day", "brands' spend into the platform: ads + sponsorships + live sessions");
  ad_spend_ = series("brand_ad_spend", "money/day", "brands' spend on ads (= the platform's ad revenue)");
  sponsorship_spend_ = series("brand_sponsorship_spend", "money/day", "brands' spend on sponsored items posted");
  live_spend_ = series("brand_live_spend", "money/day", "brands' spend on live sessions: fees and sales commissions");
  content_spend_ =
      series("brand_content_spend", "money/day", "brands' cost of producing their accounts' items (off the platform)");
  platform_take_ = series("platform_take", "money/day", "the platform's take: ad revenue + marketplace commissions");
  platform_commission_ =
      series("platform_commission", "money/day", "the platform's commission on sponsored items and live sessions");
  creator_brand_income_ = series("creator_brand_income", "money/day",
                                 "paid to creators for sponsored items and live sessions (less commission)");
  deals_ = count("deals", "deals/day", "marketplace deals made");
  sponsored_items_ = count("sponsored_items", "items/day", "sponsored items posted (deals filled)");
  lives_ = count("lives", "sessions/day", "live-selling sessions held");
  live_attendees_ = count("live_attendees", "viewers/day", "viewers of the day's live sessions");
  purchases_ = file.create_growing<std::uint64_t>(
      "/timeseries/purchases", kChannelCount, std::vector<std::string>(kChannelNames.begin(), kChannelNames.end()),
      "purchases/day", "purchases (new and repeat), by the channel of the exposure that sold");
  new_customers_ = count("new_customers", "customers/day", "first purchases from a brand, all brands");
  repeat_purchases_ = count("repeat_purchases", "purchases/day", "purchases by a brand's past customers, all brands");
  revenue_ =
      series("revenue", "money/day", "brands' revenue from purchases (customers' money, the brand's price each)");
  has_brands_ = brands_ > 0;
  if (!has_brands_) return;
  // With a single brand the datasets stay 2-D: they get a column name.
  const std::vector<std::string> names = brands_ == 1 ? std::vector<std::string>{"0"} : std::vector<std::string>{};
  auto per_brand = [&]<typename T>(T, const std::string& name, const char* unit, const std::string& description) {
    return file.create_growing<T>(std::string("/brands/").append(name), brands_, names, unit,
                                  std::string(description).append(" [tick x brand]"));
  };
  for (std::size_t k = 0; k < state::kBudgetLines; ++k) {
    const std::string line(state::kBudgetLineNames[k]);
    per_spend_[k] = per_brand(double{}, "spend_" + line, "money/day", "each brand's spend on its " + line + " line");
    per_sales_[k] = per_brand(std::uint64_t{}, "sales_" + line, "purchases/day",
                              "each brand's purchases from exposures its " + line + " line paid for");
  }
  for (std::size_t ch = 0; ch < kChannelCount; ++ch) {
    const std::string channel(kChannelNames[ch]);
    per_impressions_[ch] =
        per_brand(std::uint64_t{}, "impressions_" + channel, "impressions/day",
                  "each brand's exposures (ads, items carrying it, live sessions) through " + channel);
  }
  per_ad_impressions_ = per_brand(std::uint64_t{}, "ad_impressions", "impressions/day", "each brand's ad impressions");
  per_sponsored_impressions_ = per_brand(std::uint64_t{}, "sponsored_impressions", "impressions/day",
                                         "impressions of sponsored items carrying each brand, all channels");
  per_engagements_ =
      per_brand(std::uint64_t{}, "engagements", "engagements/day",
                "views + likes of each brand's ads, plus views + likes + follows of its sponsored items");
  per_deals_ = per_brand(std::uint32_t{}, "deals", "deals/day", "marketplace deals each brand made");
  per_lives_ = per_brand(std::uint32_t{}, "lives", "sessions/day", "live sessions selling each brand");
  per_live_attendees_ = per_brand(std::uint64_t{}, "live_attendees", "viewers/day", "viewers of those sessions");
  per_own_followers_ = per_brand(std::uint32_t{}, "own_followers", "followers",
                                 "followers of each brand's own account at the end of the day (0 without accounts)");
  per_new_customers_ = per_brand(std::uint64_t{}, "new_customers", "customers/day", "each brand's first-time buyers");
  per_repeat_purchases_ =
      per_brand(std::uint64_t{}, "repeat_purchases", "purchases/day", "purchases by each brand's past customers");
  per_revenue_ = per_brand(double{}, "revenue", "money/day", "each brand's revenue from purchases");
  per_return_on_spend_ = per_brand(double{}, "return_on_spend", "",
                                   "each brand's revenue over its spend (all lines) so far, cumulative (0 before any "
                                   "spend)");
  per_acquisition_cost_ = per_brand(double{}, "acquisition_cost", "money/customer",
                                    "each brand's spend (all lines) over its new customers so far, cumulative (inf "
                                    "before the first customer, 0 before any spend)");
}

void BrandRecorder::record(const phases::TickMetrics& metrics, const state::State& state) {
  const phases::BrandTotals& t = metrics.brands;
  auto one = [](GrowingDataset& dataset, double value) { dataset.append(std::span<const double>(&value, 1)); };
  auto count = [](GrowingDataset& dataset, const std::uint64_t& value) {
    dataset.append(std::span<const std::uint64_t>(&value, 1));
  };
  one(brand_spend_, to_money(t.brand_spend()));
  one(ad_spend_, to_money(t.ad_spend));
  one(sponsorship_spend_, to_money(t.sponsorship_spend));
  one(live_spend_, to_money(t.live_spend));
  one(content_spend_, to_money(t.content_spend));
  one(platform_take_, to_money(t.platform_take()));
  one(platform_commission_, to_money(t.platform_commission));
  one(creator_brand_income_, to_money(t.creator_brand_income));
  count(deals_, t.deals);
  count(sponsored_items_, t.sponsored_items);
  count(lives_, t.lives);
  count(live_attendees_, t.live_attendees);
  purchases_.append(std::span<const std::uint64_t>(metrics.purchases));
  count(new_customers_, t.new_customers);
  count(repeat_purchases_, t.repeat_purchases);
  one(revenue_, to_money(t.revenue));
  if (!has_brands_) return;
  const auto& a = state.brand_accounts;
  if (a.size() != brands_) return;  // no tick has run the brands phase (cannot happen after a step)
  for (std::size_t k = 0; k < state::kBudgetLines; ++k) {
    per_spend_[k].append(money(column_of(a.spend, state::kBudgetLines, k)));
    per_sales_[k].append(column_of(a.sales, state::kBudgetLines, k));
  }
  for (std::size_t ch = 0; ch < kChannelCount; ++ch)
    per_impressions_[ch].append(column_of(a.impressions, kChannelCount, ch));
  per_ad_impressions_.append(a.ad_impressions);
  per_sponsored_impressions_.append(a.sponsored_impressions);
  std::vector<std::uint64_t> engagements(brands_);
  for (std::uint32_t b = 0; b < brands_; ++b) engagements[b] = a.ad_engagements[b] + a.sponsored_engagements[b];
  per_engagements_.append(engagements);
  per_deals_.append(a.deals);
  per_lives_.append(a.lives);
  per_live_attendees_.append(a.live_attendees);
  std::vector<std::uint32_t> own_followers(brands_, 0);
  if (state.brands.has_accounts)
    for (std::uint32_t b = 0; b < brands_; ++b) own_followers[b] = state.creators.followers[state.brands.account(b)];
  per_own_followers_.append(own_followers);
  per_new_customers_.append(a.new_customers);
  per_repeat_purchases_.append(a.repeat_purchases);
  per_revenue_.append(money(a.revenue));
  // No NaN (files compare equal across runs): nothing spent means nothing sold yet, so a return of 0; spend
  // without a customer yet is an infinite acquisition cost.
  constexpr double infinity = std::numeric_limits<double>::infinity();
  std::vector<double> ros(brands_), cac(brands_);
  for (std::uint32_t b = 0; b < brands_; ++b) {
    const double spend = to_money(a.spend_so_far(b));
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
  std::vector<std::int64_t> account(n, -1);
  if (state.brands.has_accounts)
    for (std::uint32_t b = 0; b < n; ++b) account[b] = state.brands.account(b);
  file.write_column("/brands/summary/account", account, "creator",
                    "creator id of the brand's own account (-1 without brands.own_accounts)");
  for (std::size_t k = 0; k < state::kBudgetLines; ++k) {
    const std::string line(state::kBudgetLineNames[k]);
    file.write_column("/brands/summary/share_" + line, column_of(a.share, state::kBudgetLines, k), "",
                      "share of the budget for the " + line + " line at the end");
    file.write_column("/brands/summary/spend_" + line, money(column_of(a.total_spend, state::kBudgetLines, k)), "money",
                      "spend on the " + line + " line over the run");
  }
  file.write_column("/brands/summary/ad_impressions", a.total_ad_impressions, "impressions",
                    "ad impressions over the run");
  file.write_column("/brands/summary/sponsored_impressions", a.total_sponsored_impressions, "impressions",
                    "impressions of sponsored items carrying the brand over the run");
  file.write_column("/brands/summary/engagements", a.total_engagements, "engagements",
                    "attributable engagements over the run (ads and sponsored items)");
  file.write_column("/brands/summary/deals", a.total_deals, "deals", "marketplace deals over the run");
  file.write_column("/brands/summary/lives", a.total_lives, "sessions", "live sessions selling the brand over the run");
  file.write_column("/brands/summary/live_attendees", a.total_live_attendees, "viewers",
                    "viewers of those sessions over the run");
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
