// A sweep plan: the design points with the parameter values they use, the runs (point x replicate) with their
// seeds, each run's scenario, and the canonical definition text whose fingerprint guards resumed sweeps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "experiments/designs.hpp"
#include "experiments/sweep_definition.hpp"

namespace fanflow::experiments {

/// One run of the sweep: runs are ordered point-major, run = point * replicates + replicate.
struct PlannedRun {
  std::uint64_t point = 0;
  std::uint64_t replicate = 0;
  std::uint64_t seed = 0;  ///< run.seed of this run
};

struct SweepPlan {
  SweepDefinition definition;
  UnitDesign unit;             ///< coordinates in [0, 1]
  std::vector<double> values;  ///< [points x factors]: the parameter values actually used
  std::vector<PlannedRun> runs;
  std::uint32_t max_days = 0;   ///< the longest run's days (run.days may be a factor): columns of the series
  std::string definition_text;  ///< canonical text of everything that decides the results (fingerprinted)

  std::size_t points() const { return unit.points; }
  std::size_t factors() const { return unit.factors; }
  double value(std::size_t point, std::size_t factor) const { return values[point * unit.factors + factor]; }
  /// "path=value" assignments of a point, in factor order (the text given to params::apply_override).
  std::vector<std::string> assignments(std::size_t point) const;
  /// The scenario of run `run`: the base with the point's assignments and the run's seed.
  params::Scenario scenario(std::size_t run) const;
};

/// Builds the plan and checks every point's scenario (cross-parameter rules); a point that breaks a rule throws
/// InputError "SWEEP: design point P (a=1, b=2): message".
SweepPlan make_plan(SweepDefinition definition);

/// The design table: one line per run (run, point, replicate, seed, factor values), with a header.
std::string plan_table(const SweepPlan& plan);

/// FNV-1a 64-bit hash of the text, as 16 hex digits: the fingerprint written in sweep files.
std::string fingerprint(const std::string& text);

/// A value written as in YAML: integers without a decimal point, numbers in their shortest exact form.
std::string number_text(double value, bool integer);

}  // namespace fanflow::experiments
