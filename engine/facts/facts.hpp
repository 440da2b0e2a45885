// The facts table: stylized facts of content platforms (concentration of views, the follower tail, creator
// survival and thresholds, channel shares, shallow cascades of shares, the purchase funnel, returns on spend), each
// computed from a run file and shown beside its published reference and a documented band (docs/facts.md,
// generated from the declarations in facts.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/channel.hpp"
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
