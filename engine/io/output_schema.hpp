// The output schema: every dataset of the model that run, sweep and comparison files hold, expanded from the one
// list in phases/outputs.def, with the code that computes each from a tick's metrics and the state. The run
// recorder, the in-memory metrics of sweeps and comparisons, and the tables of docs/output-format.md follow it.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "phases/metrics.hpp"
#include "state/state.hpp"

namespace fanflow::io {

/// How a dataset is laid out: a row per tick ([ticks], [ticks x channels], [ticks x pools], [ticks x cascade
/// depths], [ticks x cascade sizes], [ticks x creator slots], [ticks x brands]) or one column at the end of the run
/// (or at setup) with an entry per creator, user or brand.
enum class Shape {
  Tick,
  TickByChannel,
  TickByTier,
  TickByDepth,
  TickBySize,
  TickByCreator,
  TickByBrand,
  PerCreator,
  PerUser,
  PerBrand
};

/// The stored element type, in the order of the alternatives of Values.
enum class ElementType { UInt8, UInt16, UInt32, UInt64, Int64, Float32, Float64 };

/// A row (or column) of values of a dataset's element type.
using Values =
    std::variant<std::vector<std::uint8_t>, std::vector<std::uint16_t>, std::vector<std::uint32_t>,
                 std::vector<std::uint64_t>, std::vector<std::int64_t>, std::vector<float>, std::vector<double>>;

/// Computes a dataset's row (Tick* shapes) or column (Per* shapes) from the tick's metrics and the state.
using ComputeValues = Values (*)(const phases::TickMetrics& metrics, const state::State& state, std::size_t member);

/// A family of datasets declared by one FANFLOW_OUTPUT_EACH line: one per channel, budget line, ...
enum class Family { None, Channel, BudgetLine, IncomeSource, JourneyStage, Stage };

/// One run-file dataset.
struct OutputSpec {
  std::string path;  ///< absolute path in the run file
  ElementType type;
  Shape shape;
  std::string unit;         ///< "" for dimensionless values
  std::string description;  ///< one line, with the shape appended for [tick x creator] and [tick x brand] tables
  bool at_setup = false;    ///< a Per* column written when the run starts rather than when it ends
  std::size_t member = 0;   ///< index of the family member (channel, budget line, ...), passed to compute
  ComputeValues compute = nullptr;
  bool per_tick() const { return shape <= Shape::TickByBrand; }
};

/// Every run-file dataset of the model, families expanded, in declaration order.
const std::vector<OutputSpec>& run_outputs();

/// The column names of a dataset's second dimension (channels, pools, cascade depths or sizes; "0" for a single
/// brand), or none.
std::vector<std::string> column_names(Shape shape, std::uint32_t brands);

/// What an end-of-run metric is computed from.
struct RunEnd {
  const phases::TickMetrics& totals;           ///< the run's TickMetrics summed over ticks
  const phases::TickMetrics& last;             ///< the last tick's
  const state::State& state;                   ///< the final state
  std::uint32_t ticks;                         ///< ticks run
  const std::vector<double>& alive_followers;  ///< followers of each creator alive at the end, in id order
};

/// A headline series ([run x tick]) or end-of-run metric ([run]) of sweep and comparison files, as float64.
struct RunMetricSpec {
  std::string name, unit, description;
  double (*series)(const phases::TickMetrics&) = nullptr;          ///< for series
  double (*summary)(const RunEnd&, std::size_t member) = nullptr;  ///< for summaries
  std::size_t member = 0;
};

/// The headline series, in declaration order.
const std::vector<RunMetricSpec>& run_series();

/// The end-of-run metrics, families expanded, in declaration order.
const std::vector<RunMetricSpec>& run_summaries();

/// An end-of-run metric or a daily value of one focal brand (actors.brands with focal: true) in comparison files,
/// as float64, computed from the state and the brand's id.
struct FocalMetricSpec {
  std::string name, unit, description;
  double (*compute)(const state::State& state, std::uint32_t brand, std::size_t member) = nullptr;
  std::size_t member = 0;
};

/// The focal brands' end-of-run metrics, families expanded, in declaration order.
const std::vector<FocalMetricSpec>& focal_brand_metrics();

/// The focal brands' daily series, in declaration order (evaluated on the state at the end of each day).
const std::vector<FocalMetricSpec>& focal_brand_series();

/// The Markdown tables of docs/output-format.md: each section as "<!-- outputs: NAME -->" then its table, for
/// the sections timeseries, creators, users, brands, sweep-series, sweep-summary, focal-brand and
/// focal-brand-series.
std::string outputs_markdown();

}  // namespace fanflow::io
