// Writes one run to one HDF5 file while it goes: provenance first, a row per tick, summaries at the end. The
// datasets of the model follow the output schema (io/output_schema.hpp, declared in phases/outputs.def); the
// layout is documented in docs/output-format.md.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "io/hdf5_file.hpp"
#include "io/output_schema.hpp"
#include "params/scenario.hpp"
#include "phases/events.hpp"
#include "phases/metrics.hpp"
#include "sim/profile.hpp"
#include "sim/timeline_schedule.hpp"
#include "state/state.hpp"

namespace fanflow::io {

/// Output format version written as the root attribute `format_version`.
inline constexpr std::int64_t kRunFormatVersion = 1;

class RunRecorder {
 public:
  /// Creates `<path>.partial` (InputError if it cannot) and writes provenance and the columns known at setup.
  RunRecorder(const std::filesystem::path& path, const params::Scenario& scenario, const state::State& state,
              int threads);

  /// Appends tick `tick`'s row of every per-tick dataset and its events.
  void record(Tick tick, const phases::TickMetrics& metrics, const std::vector<phases::Event>& events,
              const state::State& state);

  /// Writes the /timeline table: one row per parameter change the timeline made (call once, before finish).
  void write_timeline(const std::vector<sim::AppliedChange>& changes);

  /// Writes the end-of-run columns, the profile and the wall time, then renames the file into place.
  void finish(const state::State& state, const sim::Profile& profile);

  const std::filesystem::path& path() const { return file_.final_path(); }

 private:
  OutputFile file_;
  std::chrono::steady_clock::time_point started_;
  std::uint64_t ticks_ = 0;
  std::uint32_t creator_columns_ = 0;  ///< columns of the [tick x creator] datasets: CreatorStore::capacity
  std::uint32_t brands_ = 0;
  std::vector<std::string> brand_names_;                              ///< actors.brands[].name, or "brand k"
  std::vector<std::pair<const OutputSpec*, GrowingDataset>> series_;  ///< the per-tick datasets of this run
  GrowingDataset event_tick_, event_kind_, event_subject_, event_value_;
  /// Whether the run has the entities a dataset of this shape is indexed by (creator slots, brands).
  bool has_columns(Shape shape) const;
  /// Writes every Per* column of the schema that is written at setup (at_setup) or at the end.
  void write_columns(const state::State& state, bool at_setup);
};

/// Library versions built into this program: "boost 1.74.0, oneTBB 2021.8.0, HDF5 1.10.8, yaml-cpp 0.7.0, ...".
std::string library_versions();

}  // namespace fanflow::io
