// The facts table: stylized facts of content platforms (concentration of views, the follower tail, creator
// survival and thresholds, channel shares, shallow cascades of shares, the purchase funnel, returns on spend), each
// computed from a run file and shown beside its published reference and a documented band (docs/facts.md,
// generated from the declarations in facts.cpp). The same facts come from a run in memory (RunCollector), so
// that calibrations, sweeps and the facts table share one definition of each.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/channel.hpp"
#include "io/output_schema.hpp"
#include "phases/metrics.hpp"
#include "state/brands.hpp"
#include "state/cascades.hpp"
#include "state/journeys.hpp"

namespace fanflow::facts {

/// What the facts are computed from, read from a run file. Creators exclude brands' own accounts.
struct RunData {
  std::filesystem::path path;
  std::uint32_t ticks = 0;
  std::vector<double> views, likes, items, followers;  ///< per creator: over the run (items posted) / at the end
  std::vector<std::uint32_t> joined, exit_tick, feedback_passed, income_passed;
  std::array<double, kChannelCount> impressions{};         ///< over the run, by channel
  std::array<double, state::kJourneyStages> funnel{};      ///< journeys reaching sense .. share, all brands
  double brand_spend = 0, brand_revenue = 0;               ///< over the run: all four budget lines; purchases
  std::array<double, state::kBudgetLines> line_spend{};    ///< over the run, per budget line, all brands
  std::array<double, state::kBudgetLines> line_revenue{};  ///< revenue of the purchases each line paid for
  /// Cascades of shares that ended during the run, by depth and by size (state::kCascadeDepthNames, SizeNames).
  std::array<double, state::kCascadeBuckets> cascades_by_depth{}, cascades_by_size{};
};

/// Reads a complete run file; InputError (one line naming the file) when it is not one.
RunData read_run(const std::filesystem::path& path);

/// Where RunData is assembled from: a run's datasets by their run-file paths (io/output_schema.hpp), each as
/// doubles: a per-creator or per-brand column as it is, a per-tick dataset summed over the ticks (one value per
/// column: channel, cascade bucket, brand).
class RunSource {
 public:
  virtual ~RunSource() = default;
  virtual bool contains(const std::string& path) const = 0;
  virtual std::vector<double> values(const std::string& path) const = 0;
};

/// RunData from a source (the run file's reader and RunCollector share it).
RunData assemble_run(const RunSource& source, std::uint32_t ticks);

/// Collects what the facts read from a run in memory, tick by tick, computing each dataset with the output
/// schema's own code, so that a run's facts in memory equal those of its run file.
class RunCollector {
 public:
  RunCollector();
  /// After each tick, with its metrics and the state at its end.
  void record(const phases::TickMetrics& metrics, const state::State& state);
  /// The facts' data at the end of the run.
  RunData finish(const state::State& state, std::uint32_t ticks) const;

 private:
  std::vector<const io::OutputSpec*> per_tick_;  ///< the per-tick datasets assemble_run reads
  std::vector<std::vector<double>> sums_;        ///< their sums over ticks, per column
};

/// The range a fact should fall in, from its sources.
struct Band {
  double lo, hi;
};

/// One fact: how it is computed, its reference and band, and where they come from.
struct FactSpec {
  std::string name;
  std::string meaning;
  bool has_band = false;
  Band band{0, 0};
  std::string reference;                        ///< the published figure(s), or why there is none
  std::string source;                           ///< citation; where sources differ, how
  double (*compute)(const RunData&) = nullptr;  ///< NaN when the run cannot tell (too short, no such creators)
};

/// Every fact, in the order of the table.
const std::vector<FactSpec>& fact_specs();

/// A fact's value in one run.
struct FactValue {
  const FactSpec* spec;
  double value;  ///< NaN when undefined
  bool inside() const;
};

std::vector<FactValue> compute_facts(const RunData& run);

/// The table of a run's facts: fact, value, band, inside (blank without a band or a value), reference; plain text
/// or Markdown.
std::string facts_table(const RunData& run, const std::vector<FactValue>& values, bool markdown);

/// The facts of a run as one JSON object: {"file", "ticks", "creators", "facts": [{"name", "meaning", "value"
/// (null when undefined), "band" ([lo, hi] or null), "inside" (null without a band or a value), "reference",
/// "source"}]}.
std::string facts_json(const RunData& run, const std::vector<FactValue>& values);

/// docs/facts.md: every fact's meaning, band, reference and source (no run needed).
std::string facts_reference_markdown();

}  // namespace fanflow::facts
