// A sweep definition: the base scenario, the factors (parameter paths with value lists or ranges), the design
// and its size, replicates and seeds, as read from a sweep YAML file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "params/scenario.hpp"

namespace fanflow::experiments {

/// How design points are laid out in the unit cube (docs/experiments.md).
enum class DesignKind { Grid, Random, LatinHypercube, Sobol, Saltelli, Morris };

/// The name written in sweep files and YAML: "grid", "random", "lhs", "sobol", "saltelli", "morris".
const char* design_name(DesignKind kind);

/// How a unit coordinate u in [0, 1] maps onto a range [lo, hi].
enum class Scale { Linear, Log };

/// One factor: a numeric scenario parameter the sweep varies.
struct Factor {
  std::string path;            ///< parameter path, e.g. "engagement.share_rate"
  bool integer = false;        ///< the parameter is an integer: mapped values are rounded to the nearest
  std::vector<double> values;  ///< grid designs: the values, in the order written
  double lo = 0, hi = 0;       ///< other designs: the range
  Scale scale = Scale::Linear;
};

/// Whether replicate r of every design point shares one seed (common random numbers across points).
enum class SeedMode { Independent, Shared };

/// Everything a sweep file says, checked.
struct SweepDefinition {
  std::string source;                   ///< the sweep file's path as given, for messages
  std::string text;                     ///< the sweep file's text, recorded in the output for provenance
  params::Scenario base;                ///< the base scenario, loaded and checked
  std::filesystem::path scenario_path;  ///< the base scenario's path (relative to the sweep file's folder)
  DesignKind design = DesignKind::Grid;
  std::uint64_t samples = 0;       ///< random, lhs, sobol: design points; saltelli: base samples N
  std::uint64_t trajectories = 0;  ///< morris: trajectories r
  std::uint64_t levels = 0;        ///< morris: grid levels p (even)
  std::uint64_t replicates = 1;    ///< runs per design point
  std::uint64_t seed = 0;          ///< sweep seed; run seeds derive from it
  SeedMode seeds = SeedMode::Independent;
  std::vector<Factor> factors;  ///< in the order written
};

/// Reads one factor as sweep files write it, `path: {values: [...]}` (grid) or `path: {range: [lo, hi], scale:
/// log}` (other designs), checking the path, its kind and every value against params.def; calibration files'
/// free parameters use the range form. Messages name the key as SECTION.PATH.
Factor read_factor(const std::string& source, const YAML::Node& key, const YAML::Node& body, DesignKind design,
                   std::string_view section = "factors");

/// A node's scalar text, or InputError "source:line:col: path: expected EXPECTED, got ...".
const std::string& read_scalar(const std::string& source, const YAML::Node& node, const YAML::Node& key,
                               std::string_view path, std::string_view expected);

/// An integer in [lo, hi], or InputError naming the node and the range.
std::uint64_t read_count(const std::string& source, const YAML::Node& node, const YAML::Node& key,
                         std::string_view path, std::uint64_t lo, std::uint64_t hi);

/// Reads and checks a sweep file and its base scenario. Throws InputError "file:line:col: key: message".
SweepDefinition load_sweep_file(const std::filesystem::path& path);

/// The same from text; `source` names it in messages and relative paths resolve against `base_dir`.
SweepDefinition load_sweep_text(const std::string& text, const std::string& source,
                                const std::filesystem::path& base_dir);

}  // namespace fanflow::experiments
