// The journal of a sweep's or a comparison's completed runs, beside its HDF5 file (`<file>.journal`): an
// append-only binary file, one fixed-size, checksummed record per run, synced to disk before the run counts as
// done. It survives any interruption (a torn last record is dropped), so a resumed sweep or comparison rebuilds
// its HDF5 file from it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "experiments/run_metrics.hpp"

namespace fanflow::experiments {

/// What a journal belongs to: a sweep (records carry the series and summary metrics, and each focal brand's
/// metrics) or a comparison (also each focal brand's series).
enum class JournalOf { Sweep, Comparison };

class Journal {
 public:
  /// Opens the journal at `path`, creating it if missing. An existing journal must have been written for the same
  /// definition text and record shape; otherwise InputError (naming `output`, the file it belongs to). Complete
  /// records are read into completed(); a torn tail is cut off. `focal_brands`: focal brands per record (a
  /// comparison's).
  Journal(std::filesystem::path path, const std::filesystem::path& output, const std::string& definition_text,
          std::uint32_t max_ticks, JournalOf of = JournalOf::Sweep, std::uint32_t focal_brands = 0);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// Runs already recorded, by run index (series padded with NaN to max_ticks).
  const std::map<std::uint64_t, RunMetrics>& completed() const { return completed_; }

  /// Appends the run's record and syncs it to disk (InputError if the disk refuses).
  void append(std::uint64_t run, const RunMetrics& metrics);

  /// Closes and deletes the journal (once the HDF5 file is complete and closed).
  void remove();

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint32_t max_ticks_;
  JournalOf of_;
  std::uint32_t focal_brands_;
  std::size_t record_bytes_;
  std::map<std::uint64_t, RunMetrics> completed_;
};

}  // namespace fanflow::experiments
