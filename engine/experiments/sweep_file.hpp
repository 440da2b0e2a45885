// The single HDF5 file of a sweep (layout in docs/output-format.md): design, run table and provenance written
// first, then every per-run dataset created at full size, then SWMR writing, so that readers (h5py with
// swmr=True) see each run as soon as its `completed` flag is set.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "experiments/plan.hpp"
#include "experiments/run_metrics.hpp"
#include "io/hdf5_file.hpp"

namespace fanflow::experiments {

/// Format version written as the root attribute `format_version` of sweep files.
inline constexpr std::int64_t kSweepFormatVersion = 1;

class SweepFile {
 public:
  /// Creates (or truncates) `path` and writes everything known before the runs; then starts SWMR writing.
  /// Throws InputError when the file cannot be written.
  SweepFile(const std::filesystem::path& path, const SweepPlan& plan);
  ~SweepFile();
  SweepFile(const SweepFile&) = delete;
  SweepFile& operator=(const SweepFile&) = delete;

  /// Writes run `run`'s series, summaries and provenance, flushes them, then sets its `completed` flag and
  /// flushes that, so a reader never sees the flag before the data.
  void write_run(std::uint64_t run, const RunMetrics& metrics);

  /// Closes the file (clean close; afterwards it can be opened normally).
  void close();

 private:
  std::uint32_t max_ticks_ = 0;
  io::OutputFile file_;  // written in place, SWMR once the constructor returns
  std::vector<io::FixedDataset> series_, summary_;
  std::vector<io::FixedDataset> focal_summary_;  ///< [focal brand x focal metric], as /summary/NAME.metric
  io::FixedDataset completed_, wall_seconds_, threads_;
};

/// What an existing file says about itself, read without changing it.
struct SweepFileStatus {
  bool is_sweep = false;        ///< a complete-looking sweep file with a definition
  std::string definition_text;  ///< /provenance/definition
  std::uint64_t runs = 0;       ///< rows of /runs/completed
  std::uint64_t completed = 0;  ///< runs flagged completed
};

/// Reads the status of `path`; is_sweep is false when it cannot be read as a sweep file.
SweepFileStatus read_sweep_status(const std::filesystem::path& path);

}  // namespace fanflow::experiments
