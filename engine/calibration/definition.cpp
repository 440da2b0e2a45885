// Reading calibration files with yaml-cpp, with the sweep files' messages (file:line:column, the key) and their
// factor syntax for the free parameters.
#include "calibration/definition.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "core/error.hpp"
#include "experiments/designs.hpp"
#include "experiments/plan.hpp"
#include "params/yaml_text.hpp"

namespace fanflow::calibration {
namespace {

using experiments::read_count;
using experiments::read_scalar;
using params::did_you_mean;
using params::yaml_fail;
using params::yaml_node_kind;

constexpr std::uint64_t kMaxSeed = (std::uint64_t{1} << 53) - 1;
constexpr std::uint64_t kMaxTrials = 100'000;
constexpr std::uint64_t kMaxReplicates = 1'000;
constexpr std::uint64_t kMaxRuns = 10'000'000;
constexpr std::size_t kMaxCurveRows = 1'000'000;

const std::vector<std::string> kTopKeys = {"scenario", "parameters", "targets", "curves", "replicates",
                                           "trials",   "batch",      "method",  "seed"};
const std::vector<std::string> kMethodNames = {"tpe", "cmaes"};

using Keys = std::map<std::string, std::pair<YAML::Node, YAML::Node>>;  // name -> (key, value)

/// The keys of a mapping, each among `allowed` and given once.
Keys mapping_keys(const std::string& source, const YAML::Node& map, const std::string& where,
                  const std::vector<std::string>& allowed) {
  Keys keys;
  for (const auto& entry : map) {
    const std::string name = entry.first.IsScalar() ? entry.first.Scalar() : "?";
    const std::string path = where.empty() ? name : where + "." + name;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      yaml_fail(source, entry.first.Mark(), path, "unknown key" + did_you_mean(name, allowed));
    if (!keys.emplace(name, std::make_pair(entry.first, entry.second)).second)
      yaml_fail(source, entry.first.Mark(), path, "duplicate key");
  }
  return keys;
}

double read_number(const std::string& source, const YAML::Node& node, const YAML::Node& key, std::string_view path) {
  const std::string& text = read_scalar(source, node, key, path, "a number");
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    yaml_fail(source, node.Mark(), path, "expected a finite number, got '" + text + "'");
  return value;
}

/// `value` and `tolerance` (> 0) of a target or curve entry.
double read_tolerance(const std::string& source, const Keys& keys, const YAML::Node& entry_key,
                      const std::string& where) {
  auto found = keys.find("tolerance");
  if (found == keys.end())
    yaml_fail(source, entry_key.Mark(), where + ".tolerance",
              "missing; expected the distance that counts as a match (> 0, in the statistic's unit)");
  const double tolerance = read_number(source, found->second.second, found->second.first, where + ".tolerance");
  if (!(tolerance > 0)) yaml_fail(source, found->second.second.Mark(), where + ".tolerance", "expected a number > 0");
  return tolerance;
}

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

/// A curve's CSV: a header `day,value`, then one row per day given (0-based days, increasing, within the run).
void read_curve_csv(Curve& curve, std::uint32_t days) {
  const std::string name = curve.file.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(curve.file, ec))
    throw InputError(name + ": no curve file there (curves' paths are relative to the calibration file)");
  std::ifstream in(curve.file);
  if (!in) throw InputError(name + ": cannot read the curve file");
  std::string line;
  std::size_t number = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = name + ":" + std::to_string(number) + ": ";
    if (!header) {
      std::string compact;
      for (char c : line)
        if (c != ' ' && c != '\t') compact += c;
      if (compact != "day,value") throw InputError(where + "expected the header 'day,value', got '" + line + "'");
      header = true;
      continue;
    }
    const auto comma = line.find(',');
    if (comma == std::string::npos || line.find(',', comma + 1) != std::string::npos)
      throw InputError(where + "expected 'day,value', got '" + line + "'");
    const std::string day_text = trim(line.substr(0, comma)), value_text = trim(line.substr(comma + 1));
    std::uint32_t day = 0;
    double value = 0;
    auto [day_end, day_ec] = std::from_chars(day_text.data(), day_text.data() + day_text.size(), day);
    if (day_ec != std::errc() || day_end != day_text.data() + day_text.size() || day >= days)
      throw InputError(where + "day: expected an integer in [0, " + std::to_string(days - 1) +
                       "] (day 0 is the run's first day; run.days is " + std::to_string(days) + "), got '" + day_text +
                       "'");
    auto [value_end, value_ec] = std::from_chars(value_text.data(), value_text.data() + value_text.size(), value);
    if (value_ec != std::errc() || value_end != value_text.data() + value_text.size() || !std::isfinite(value))
      throw InputError(where + "value: expected a finite number, got '" + value_text + "'");
    if (!curve.days.empty() && day <= curve.days.back())
      throw InputError(where + "day " + std::to_string(day) + " does not follow day " +
                       std::to_string(curve.days.back()) + "; days must increase");
    if (curve.days.size() == kMaxCurveRows)
      throw InputError(where + "more than " + std::to_string(kMaxCurveRows) + " rows");
    curve.days.push_back(day);
    curve.values.push_back(value);
  }
  if (in.bad()) throw InputError(name + ": error while reading the curve file");
  if (curve.days.empty()) throw InputError(name + ": no rows; expected a header 'day,value' and one row per day");
}

}  // namespace

const char* method_name(Method method) { return method == Method::CmaEs ? "cmaes" : "tpe"; }

CalibrationDefinition load_calibration_text(const std::string& text, const std::string& source,
                                            const std::filesystem::path& base_dir) {
  CalibrationDefinition d;
  d.source = source;
  d.text = text;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    yaml_fail(source, error.mark, "", "malformed YAML: " + error.msg);
  }
  if (!root.IsMap())
    yaml_fail(source, root.Mark(), "",
              "expected a mapping with 'scenario:', 'parameters:', 'targets:' and 'trials:', got " +
                  (root.IsNull() ? std::string("an empty file") : yaml_node_kind(root)));
  const Keys keys = mapping_keys(source, root, "", kTopKeys);
  auto required = [&](const std::string& name, const std::string& what) -> const std::pair<YAML::Node, YAML::Node>& {
    auto found = keys.find(name);
    if (found == keys.end()) yaml_fail(source, root.Mark(), name, "missing; " + what);
    return found->second;
  };

  {
    const auto& [key, value] = required("scenario", "expected the base scenario's path");
    d.scenario_path = base_dir / read_scalar(source, value, key, "scenario", "a file path");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(d.scenario_path, ec))
      yaml_fail(source, value.Mark(), "scenario",
                "no scenario file at " + d.scenario_path.string() + " (paths are relative to the calibration file)");
  }
  {
    const auto& [key, value] = required("trials", "expected the trial budget, an integer in [1, 100000]");
    d.trials = read_count(source, value, key, "trials", 1, kMaxTrials);
  }
  if (auto found = keys.find("replicates"); found != keys.end())
    d.replicates = read_count(source, found->second.second, found->second.first, "replicates", 1, kMaxReplicates);
  if (auto found = keys.find("batch"); found != keys.end())
    d.batch = read_count(source, found->second.second, found->second.first, "batch", 1, 10'000);
  if (d.trials * d.replicates > kMaxRuns)
    yaml_fail(source, root.Mark(), "",
              "trials x replicates is " + std::to_string(d.trials * d.replicates) + " runs, more than " +
                  std::to_string(kMaxRuns) + "; split the calibration");
  {
    const auto& [key, value] = required("seed", "expected the sampler's seed, an integer in [0, 2^53-1]");
    d.seed = read_count(source, value, key, "seed", 0, kMaxSeed);
  }
  if (auto found = keys.find("method"); found != keys.end()) {
    const std::string& name = read_scalar(source, found->second.second, found->second.first, "method", "tpe or cmaes");
    if (name == "cmaes")
      d.method = Method::CmaEs;
    else if (name != "tpe")
      yaml_fail(source, found->second.second.Mark(), "method",
                "expected tpe or cmaes, got '" + name + "'" + did_you_mean(name, kMethodNames));
  }

  {
    const auto& [key, parameters] =
        required("parameters", "expected a mapping of parameter paths to 'range: [lo, hi]' (and 'scale: log')");
    if (!parameters.IsMap() || parameters.size() == 0)
      yaml_fail(source, parameters.IsNull() ? key.Mark() : parameters.Mark(), "parameters",
                "expected a non-empty mapping of parameter paths to ranges, got " + yaml_node_kind(parameters));
    std::set<std::string> seen;
    for (const auto& entry : parameters) {
      experiments::Factor factor =
          experiments::read_factor(source, entry.first, entry.second, experiments::DesignKind::Random, "parameters");
      if (factor.path == "run.days")
        yaml_fail(source, entry.first.Mark(), "parameters.run.days",
                  "the days are fixed in a calibration: curves and statistics are read on them");
      if (!seen.insert(factor.path).second)
        yaml_fail(source, entry.first.Mark(), "parameters." + factor.path, "duplicate parameter");
      d.parameters.push_back(std::move(factor));
    }
  }

  d.base = params::load_scenario_file(d.scenario_path);
  params::check_consistency(d.base);
  const auto days = static_cast<std::uint32_t>(d.base.params.run.days);

  if (auto found = keys.find("targets"); found != keys.end()) {
    const auto& [key, targets] = found->second;
    if (!targets.IsMap() || targets.size() == 0)
      yaml_fail(source, targets.IsNull() ? key.Mark() : targets.Mark(), "targets",
                "expected a mapping of statistic names to {value, tolerance}, got " + yaml_node_kind(targets));
    for (const auto& entry : targets) {
      const std::string name = entry.first.IsScalar() ? entry.first.Scalar() : "?";
      const std::string where = "targets." + name;
      Target target;
      target.statistic = experiments::find_statistic(experiments::end_statistics(), name);
      if (!target.statistic) {
        const bool series = experiments::find_statistic(experiments::series_statistics(), name) != nullptr;
        yaml_fail(source, entry.first.Mark(), where,
                  series ? "a daily series, not an end-of-run statistic; give it as a curve (curves: NAME: {series: " +
                               name + ", file: ..., tolerance: ...})"
                         : "unknown statistic" + experiments::suggest_statistic(experiments::end_statistics(), name) +
                               " (fanflow calibrate --statistics lists them)");
      }
      for (const Target& other : d.targets)
        if (other.statistic == target.statistic) yaml_fail(source, entry.first.Mark(), where, "duplicate target");
      if (!entry.second.IsMap())
        yaml_fail(source, entry.second.IsNull() ? entry.first.Mark() : entry.second.Mark(), where,
                  "expected {value: V, tolerance: T}, got " + yaml_node_kind(entry.second));
      const Keys fields = mapping_keys(source, entry.second, where, {"value", "tolerance"});
      auto value = fields.find("value");
      if (value == fields.end())
        yaml_fail(source, entry.first.Mark(), where + ".value", "missing; expected the target value");
      target.value = read_number(source, value->second.second, value->second.first, where + ".value");
      target.tolerance = read_tolerance(source, fields, entry.first, where);
      d.targets.push_back(target);
    }
  }

  if (auto found = keys.find("curves"); found != keys.end()) {
    const auto& [key, curves] = found->second;
    if (!curves.IsMap() || curves.size() == 0)
      yaml_fail(source, curves.IsNull() ? key.Mark() : curves.Mark(), "curves",
                "expected a mapping of curve names to {series, file, tolerance}, got " + yaml_node_kind(curves));
    for (const auto& entry : curves) {
      Curve curve;
      curve.name = entry.first.IsScalar() ? entry.first.Scalar() : "?";
      const std::string where = "curves." + curve.name;
      for (const Curve& other : d.curves)
        if (other.name == curve.name) yaml_fail(source, entry.first.Mark(), where, "duplicate curve");
      if (!entry.second.IsMap())
        yaml_fail(source, entry.second.IsNull() ? entry.first.Mark() : entry.second.Mark(), where,
                  "expected {series: NAME, file: CSV, tolerance: T}, got " + yaml_node_kind(entry.second));
      const Keys fields = mapping_keys(source, entry.second, where, {"series", "file", "tolerance"});
      auto series = fields.find("series");
      if (series == fields.end())
        yaml_fail(source, entry.first.Mark(), where + ".series", "missing; expected a headline series' name");
      const std::string& series_name =
          read_scalar(source, series->second.second, series->second.first, where + ".series", "a series name");
      curve.series = experiments::find_statistic(experiments::series_statistics(), series_name);
      if (!curve.series)
        yaml_fail(source, series->second.second.Mark(), where + ".series",
                  "unknown series '" + series_name + "'" +
                      experiments::suggest_statistic(experiments::series_statistics(), series_name) +
                      " (fanflow calibrate --statistics lists them)");
      auto file = fields.find("file");
      if (file == fields.end())
        yaml_fail(source, entry.first.Mark(), where + ".file", "missing; expected a CSV file with 'day,value'");
      curve.file = base_dir / read_scalar(source, file->second.second, file->second.first, where + ".file", "a path");
      curve.tolerance = read_tolerance(source, fields, entry.first, where);
      read_curve_csv(curve, days);
      d.curves.push_back(std::move(curve));
    }
  }
  if (d.targets.empty() && d.curves.empty())
    yaml_fail(source, root.Mark(), "targets", "missing; a calibration needs at least one target or curve");
  return d;
}

CalibrationDefinition load_calibration_file(const std::filesystem::path& path) {
  return load_calibration_text(params::read_yaml_file(path, "calibration file"), path.string(), path.parent_path());
}

std::uint64_t replicate_seed(const CalibrationDefinition& definition, std::uint64_t replicate) {
  return experiments::derive_run_seed(definition.seed, replicate);
}

std::string canonical_text(const CalibrationDefinition& d) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict) on long chains of + of strings.
  std::string text = "base:\n";
  text += params::to_yaml(d.base);
  text += "parameters:\n";
  for (const experiments::Factor& f : d.parameters) {
    text += "  ";
    text += f.path;
    text += ": [";
    text += experiments::number_text(f.lo, f.integer);
    text += ", ";
    text += experiments::number_text(f.hi, f.integer);
    text += f.scale == experiments::Scale::Log ? "] log\n" : "] linear\n";
  }
  text += "targets:\n";
  for (const Target& t : d.targets) {
    text += "  ";
    text += t.statistic->name;
    text += ": ";
    text += experiments::number_text(t.value, false);
    text += " +- ";
    text += experiments::number_text(t.tolerance, false);
    text += "\n";
  }
  text += "curves:\n";
  for (const Curve& c : d.curves) {
    text += "  ";
    text += c.name;
    text += ": ";
    text += c.series->name;
    text += " +- ";
    text += experiments::number_text(c.tolerance, false);
    text += ":";
    for (std::size_t k = 0; k < c.days.size(); ++k) {
      text += " ";
      text += std::to_string(c.days[k]);
      text += "=";
      text += experiments::number_text(c.values[k], false);
    }
    text += "\n";
  }
  text += "replicates: ";
  text += std::to_string(d.replicates);
  text += "\nbatch: ";
  text += std::to_string(d.batch);
  text += "\nmethod: ";
  text += method_name(d.method);
  text += "\nseed: ";
  text += std::to_string(d.seed);
  text += "\n";
  return text;
}

}  // namespace fanflow::calibration
