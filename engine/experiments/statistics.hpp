// The statistics of a run that calibration targets (and any tool comparing runs) name: every end-of-run summary of
// sweep and comparison files, every fact of the facts table, and every headline series (for curve targets), each
// declared once where it is computed (phases/outputs.def, facts/facts.cpp) and read here from a run's
// RunMetrics, in memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "experiments/run_metrics.hpp"

namespace fanflow::experiments {

/// Where a statistic comes from.
enum class StatisticKind {
  Summary,  ///< an end-of-run metric of sweep and comparison files (/summary)
  Fact,     ///< a fact of the facts table (docs/facts.md); NaN when the run cannot tell
  Series    ///< a headline series, one value per day (curve targets)
};

struct Statistic {
  std::string name, unit, meaning;
  StatisticKind kind = StatisticKind::Summary;
  std::size_t index = 0;  ///< in RunMetrics::summary, ::facts or the series
};

/// The end-of-run statistics (summaries, then facts); names are unique.
const std::vector<Statistic>& end_statistics();

/// The headline series, by name.
const std::vector<Statistic>& series_statistics();

/// The statistic of that name among `among`, or nullptr.
const Statistic* find_statistic(const std::vector<Statistic>& among, const std::string& name);

/// "; did you mean 'x'?" for the closest name among `among`, or empty.
std::string suggest_statistic(const std::vector<Statistic>& among, const std::string& name);

/// An end-of-run statistic's value in a run.
double end_value(const Statistic& statistic, const RunMetrics& run);

/// A series statistic's value on day `day` (0-based) of a run.
double series_value(const Statistic& statistic, const RunMetrics& run, std::uint32_t day);

/// The Markdown table of every statistic (name, kind, unit, meaning) for docs/calibration.md.
std::string statistics_markdown();

}  // namespace fanflow::experiments
