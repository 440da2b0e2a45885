// A calibration file: the base scenario, the free parameters with their ranges, the targets (end-of-run
// statistics with a value and a tolerance, and curves of a headline series read from CSV), replicates, the trial
// budget, the batch size, the search method and the sampler seed, as read and checked from YAML.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "experiments/statistics.hpp"
#include "experiments/sweep_definition.hpp"
#include "params/scenario.hpp"

namespace fanflow::calibration {

/// Points of each parameter's one-at-a-time slice through the best search trial, ends included (docs/calibration.md).
inline constexpr std::uint64_t kSlicePoints = 7;

/// How trials are proposed (Optuna's samplers).
enum class Method { Tpe, CmaEs };

/// "tpe" or "cmaes".
const char* method_name(Method method);

/// An end-of-run statistic to match: |fitted - value| <= tolerance is "within tolerance".
struct Target {
  const experiments::Statistic* statistic = nullptr;
  double value = 0;
  double tolerance = 0;
};

/// A headline series to match day by day: its root-mean-square distance over the days given, in tolerances, <= 1
/// is "within tolerance".
struct Curve {
  std::string name;  ///< the key the file gives it
  const experiments::Statistic* series = nullptr;
  std::filesystem::path file;       ///< the CSV (day,value), relative paths against the calibration file's folder
  std::vector<std::uint32_t> days;  ///< 0-based days (ticks), increasing
  std::vector<double> values;
  double tolerance = 0;
};

struct CalibrationDefinition {
  std::string source;                           ///< the file's path as given, for messages
  std::string text;                             ///< its text, kept in the output folder
  params::Scenario base;                        ///< loaded and checked
  std::filesystem::path scenario_path;          ///< as resolved
  std::vector<experiments::Factor> parameters;  ///< free parameters: range and scale (linear or log)
  std::vector<Target> targets;
  std::vector<Curve> curves;
  std::uint64_t replicates = 1;  ///< runs per trial; replicate r has the same seed in every trial
  std::uint64_t trials = 0;      ///< the trial budget
  std::uint64_t batch = 8;       ///< trials proposed and run together
  Method method = Method::Tpe;
  std::uint64_t seed = 0;  ///< the sampler's seed; the replicates' seeds derive from it too
};

/// Reads and checks a calibration file, its base scenario and its curves. Throws InputError
/// "file:line:col: key: message" (a curve's CSV: "file.csv:line: message").
CalibrationDefinition load_calibration_file(const std::filesystem::path& path);

/// The same from text; `source` names it in messages and relative paths resolve against `base_dir`.
CalibrationDefinition load_calibration_text(const std::string& text, const std::string& source,
                                            const std::filesystem::path& base_dir);

/// The run seed of replicate r (the same in every trial: common random numbers).
std::uint64_t replicate_seed(const CalibrationDefinition& definition, std::uint64_t replicate);

/// Canonical text of everything that decides the results: a folder holding another calibration is not resumed.
std::string canonical_text(const CalibrationDefinition& definition);

}  // namespace fanflow::calibration
