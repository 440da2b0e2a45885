// Writes one run to one HDF5 file while it goes: provenance first, a row per tick, summaries at the end.
// The layout is documented in docs/output-format.md.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "io/brand_recorder.hpp"
#include "io/hdf5_file.hpp"
#include "params/scenario.hpp"
#include "phases/events.hpp"
#include "phases/metrics.hpp"
#include "sim/profile.hpp"
#include "sim/timeline.hpp"
#include "state/state.hpp"

namespace fanflow::io {

/// Output format version written as the root attribute `format_version`.
inline constexpr std::int64_t kRunFormatVersion = 1;

class RunRecorder {
 public:
  /// Creates `<path>.partial` (InputError if it cannot) and writes provenance and the static tables.
  RunRecorder(const std::filesystem::path& path, const params::Scenario& scenario, const state::State& state,
              int threads);

  /// Appends tick `tick`'s aggregates and every creator's follower count.
  void record(Tick tick, const phases::TickMetrics& metrics, const std::vector<phases::Event>& events,
              const state::State& state);

  /// Writes the /timeline table: one row per parameter change the timeline made (call once, before finish).
  void write_timeline(const std::vector<sim::AppliedChange>& changes);

  /// Writes the summary tables, the profile and the wall time, then renames the file into place.
  void finish(const state::State& state, const sim::Profile& profile);

  const std::filesystem::path& path() const { return file_.final_path(); }

 private:
  OutputFile file_;
  std::chrono::steady_clock::time_point started_;
  GrowingDataset impressions_, views_, likes_, shares_, follows_, unfollows_, true_fans_, starting_follows_,
      group_members_;
  GrowingDataset adopters_, new_adopters_;
  GrowingDataset active_users_, share_deliveries_, items_posted_, active_creators_, follow_edges_, items_alive_;
  GrowingDataset creator_followers_, creator_true_fans_;
  GrowingDataset event_tick_, event_kind_, event_subject_, event_value_;
  GrowingDataset items_by_tier_, items_promoted_, items_left_pools_, top_creator_share_;  ///< traffic pools
  bool has_creators_ = false;
  // Creator lifecycle: time series, and [tick x creator] rows padded to every creator that can exist.
  GrowingDataset creator_income_total_, creator_cost_total_, creators_alive_, creator_exits_, creator_entrants_;
  GrowingDataset creator_income_, creator_morale_, creator_stage_;
  GrowingDataset knowledge_sales_, knowledge_revenue_, platform_knowledge_commission_;  ///< paid knowledge
  std::uint32_t creator_columns_ = 0;  ///< columns of the [tick x creator] datasets: CreatorStore::capacity
  /// /creators/summary columns of the creator lifecycle (called by finish()).
  void write_lifecycle_summary(const state::State& state);
  BrandRecorder brands_;  ///< brands' money, ads and deals (brand_recorder.hpp)
};

/// Library versions built into this program: "boost 1.74.0, oneTBB 2021.8.0, HDF5 1.10.8, yaml-cpp 0.7.0, ...".
std::string library_versions();

}  // namespace fanflow::io
