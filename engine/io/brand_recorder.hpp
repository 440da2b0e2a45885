// The brands' part of a run file: per-brand [tick x brand] time series, the day's money and marketplace totals
// under /timeseries, and /brands/summary. Owned and driven by RunRecorder; layout in docs/output-format.md.
#pragma once

#include <array>

#include "io/hdf5_file.hpp"
#include "phases/metrics.hpp"
#include "state/state.hpp"

namespace fanflow::io {

class BrandRecorder {
 public:
  BrandRecorder() = default;
  /// Creates the datasets in `file` (the [tick x brand] ones only when the run has brands).
  BrandRecorder(OutputFile& file, const state::State& state);

  /// Appends the tick's row of every dataset.
  void record(const phases::TickMetrics& metrics, const state::State& state);

  /// Writes /brands/summary (totals over the run, the final strategy and the purchase funnel).
  void finish(OutputFile& file, const state::State& state) const;

 private:
  bool has_brands_ = false;
  std::uint32_t brands_ = 0;
  GrowingDataset brand_spend_, ad_spend_, sponsorship_spend_, live_spend_, content_spend_, platform_take_;
  GrowingDataset platform_commission_, creator_brand_income_, deals_, sponsored_items_, lives_, live_attendees_;
  std::array<GrowingDataset, state::kBudgetLines> per_spend_, per_sales_;  ///< by budget line
  std::array<GrowingDataset, kChannelCount> per_impressions_;              ///< by channel
  GrowingDataset per_ad_impressions_, per_sponsored_impressions_, per_engagements_, per_deals_;
  GrowingDataset per_lives_, per_live_attendees_, per_own_followers_;
  // Sales (purchase journey).
  GrowingDataset purchases_, new_customers_, repeat_purchases_, revenue_;
  GrowingDataset per_new_customers_, per_repeat_purchases_, per_revenue_, per_return_on_spend_, per_acquisition_cost_;
};

}  // namespace fanflow::io
