// Reading sweep files with yaml-cpp: every message names file:line:column and the key, like scenario files.
#include "experiments/sweep_definition.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "params/yaml_text.hpp"

namespace fanflow::experiments {
namespace {

using params::yaml_node_kind;
using params::yaml_where;

constexpr std::uint64_t kMaxSeed = (std::uint64_t{1} << 53) - 1;
constexpr std::uint64_t kMaxRuns = 10'000'000;  // far beyond any sweep; keeps sizes and products in range

const std::vector<std::string> kTopKeys = {"scenario", "design",     "samples", "base_samples", "trajectories",
                                           "levels",   "replicates", "seed",    "seeds",        "factors"};
const std::vector<std::string> kDesignNames = {"grid", "random", "lhs", "sobol", "saltelli", "morris"};

using params::did_you_mean;

std::string one_of(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) text += (i ? ", " : "") + names[i];
  return text;
}

}  // namespace

const std::string& read_scalar(const std::string& source, const YAML::Node& node, const YAML::Node& key,
                               std::string_view path, std::string_view expected) {
  if (!node.IsScalar())
    params::yaml_fail(source, node.IsNull() ? key.Mark() : node.Mark(), path,
                      "expected " + std::string(expected) + ", got " + yaml_node_kind(node));
  return node.Scalar();
}

std::uint64_t read_count(const std::string& source, const YAML::Node& node, const YAML::Node& key,
                         std::string_view path, std::uint64_t lo, std::uint64_t hi) {
  const std::string expected = "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  const std::string& text = read_scalar(source, node, key, path, expected);
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < lo || value > hi)
    params::yaml_fail(source, node.Mark(), path, expected + ", got '" + text + "'");
  return value;
}

namespace {

/// A numeric value of a factor's parameter, checked against the parameter's kind and range.
double read_value(const std::string& source, const YAML::Node& node, const YAML::Node& key, std::string_view path,
                  const params::Spec& spec) {
  const std::string expected =
      std::string(spec.kind == params::Kind::Int ? "an integer in " : "a number in ") + params::allowed_text(spec);
  const std::string& text = read_scalar(source, node, key, path, expected);
  params::Params scratch;
  std::string message = params::assign_from_text(spec, scratch, text);
  if (!message.empty()) params::yaml_fail(source, node.Mark(), path, message);
  params::ValueRef ref = spec.ref(scratch);
  if (auto* integer = std::get_if<std::int64_t*>(&ref)) return static_cast<double>(**integer);
  return *std::get<double*>(ref);
}

}  // namespace

Factor read_factor(const std::string& source, const YAML::Node& key, const YAML::Node& body, DesignKind design,
                   std::string_view section) {
  const std::string prefix = std::string(section) + ".";
  Factor factor;
  factor.path = key.IsScalar() ? key.Scalar() : "?";
  const std::string& path = factor.path;
  // One value of the factor, checked against the parameter's (or the timeline knob's) kind and range.
  std::function<double(const YAML::Node&, const YAML::Node&, const std::string&)> read_one;
  const params::Spec* spec = nullptr;
  params::TimelineKnob knob;
  if (params::is_timeline_path(path)) {  // a timeline entry's day or amount: timeline[i].at, ...event.fraction
    try {
      knob = params::timeline_knob(path, "");
    } catch (const InputError& error) {
      const std::string message = error.what();
      params::yaml_fail(source, key.Mark(), prefix + path, message.substr(message.find(": ", 2) + 2));
    }
    factor.integer = knob.integer;
    read_one = [&](const YAML::Node& node, const YAML::Node& at, const std::string& where) {
      char expected[96];
      std::snprintf(expected, sizeof expected, "%s in [%g, %g]", knob.integer ? "an integer" : "a number", knob.lo,
                    knob.hi);
      const std::string& text = read_scalar(source, node, at, where, expected);
      char* end = nullptr;
      const double value = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || !(value >= knob.lo && value <= knob.hi) ||
          (knob.integer && value != std::floor(value)))
        params::yaml_fail(source, node.Mark(), where, std::string("expected ") + expected + ", got '" + text + "'");
      return value;
    };
  } else {
    spec = params::find_spec(path);
    if (!spec) {
      std::vector<std::string> paths;
      for (const params::Spec& s : params::all_specs()) paths.emplace_back(s.path);
      params::yaml_fail(source, key.Mark(), prefix + path, "unknown parameter" + did_you_mean(path, paths));
    }
    if (spec->kind != params::Kind::Int && spec->kind != params::Kind::Real)
      params::yaml_fail(source, key.Mark(), prefix + path,
                        "only integer or number parameters can be factors; this one is " +
                            std::string(params::kind_name(spec->kind)));
    if (path == "run.seed")
      params::yaml_fail(source, key.Mark(), prefix + path, "run seeds come from the sweep's 'seed' and 'seeds' keys");
    factor.integer = spec->kind == params::Kind::Int;
    read_one = [&](const YAML::Node& node, const YAML::Node& at, const std::string& where) {
      return read_value(source, node, at, where, *spec);
    };
  }
  const std::string where = prefix + path;
  if (!body.IsMap())
    params::yaml_fail(
        source, body.IsNull() ? key.Mark() : body.Mark(), where,
        "expected a mapping with 'values: [...]' (grid) or 'range: [lo, hi]', got " + yaml_node_kind(body));
  std::map<std::string, std::pair<YAML::Node, YAML::Node>> keys;  // name -> (key, value)
  for (const auto& entry : body) {
    std::string name = entry.first.IsScalar() ? entry.first.Scalar() : "?";
    if (name != "values" && name != "range" && name != "scale")
      params::yaml_fail(source, entry.first.Mark(), where + "." + name,
                        "unknown key" + did_you_mean(name, {"values", "range", "scale"}));
    if (!keys.emplace(name, std::make_pair(entry.first, entry.second)).second)
      params::yaml_fail(source, entry.first.Mark(), where + "." + name, "duplicate key");
  }
  const bool has_values = keys.count("values"), has_range = keys.count("range"), has_scale = keys.count("scale");
  const YAML::Node values = has_values ? keys.at("values").second : YAML::Node();
  const YAML::Node values_key = has_values ? keys.at("values").first : YAML::Node();
  const YAML::Node range = has_range ? keys.at("range").second : YAML::Node();
  const YAML::Node range_key = has_range ? keys.at("range").first : YAML::Node();
  const YAML::Node scale = has_scale ? keys.at("scale").second : YAML::Node();
  const YAML::Node scale_key = has_scale ? keys.at("scale").first : YAML::Node();
  if (design == DesignKind::Grid) {
    if (!has_values)
      params::yaml_fail(source, key.Mark(), where, "a grid design needs 'values: [...]' for every factor");
    if (has_range)
      params::yaml_fail(source, range_key.Mark(), where + ".range", "a grid design takes 'values', not a range");
    if (has_scale)
      params::yaml_fail(source, scale_key.Mark(), where + ".scale", "a grid design takes 'values', not a scale");
    if (!values.IsSequence() || values.size() == 0)
      params::yaml_fail(source, values.IsNull() ? values_key.Mark() : values.Mark(), where + ".values",
                        "expected a non-empty list of values, got " + yaml_node_kind(values));
    std::set<double> distinct;
    for (const YAML::Node& item : values) {
      double value = read_one(item, values_key, where + ".values");
      if (!distinct.insert(value).second) params::yaml_fail(source, item.Mark(), where + ".values", "repeated value");
      factor.values.push_back(value);
    }
    return factor;
  }
  if (has_values)
    params::yaml_fail(
        source, values_key.Mark(), where + ".values",
        "a " + std::string(design_name(design)) + " design takes 'range: [lo, hi]', not a list of values");
  if (!has_range) params::yaml_fail(source, key.Mark(), where, "expected 'range: [lo, hi]'");
  if (!range.IsSequence() || range.size() != 2)
    params::yaml_fail(source, range.IsNull() ? range_key.Mark() : range.Mark(), where + ".range",
                      "expected a list of two values [lo, hi]");
  factor.lo = read_one(range[0], range_key, where + ".range");
  factor.hi = read_one(range[1], range_key, where + ".range");
  if (!(factor.lo < factor.hi)) params::yaml_fail(source, range.Mark(), where + ".range", "expected lo < hi");
  if (has_scale) {
    const std::string& text = read_scalar(source, scale, scale_key, where + ".scale", "linear or log");
    if (text == "log")
      factor.scale = Scale::Log;
    else if (text != "linear")
      params::yaml_fail(source, scale.Mark(), where + ".scale", "expected linear or log, got '" + text + "'");
    if (factor.scale == Scale::Log && factor.lo <= 0)
      params::yaml_fail(source, range.Mark(), where + ".range", "a log scale needs lo > 0");
  }
  return factor;
}

const char* design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::Grid:
      return "grid";
    case DesignKind::Random:
      return "random";
    case DesignKind::LatinHypercube:
      return "lhs";
    case DesignKind::Sobol:
      return "sobol";
    case DesignKind::Saltelli:
      return "saltelli";
    case DesignKind::Morris:
      return "morris";
  }
  return "?";
}

SweepDefinition load_sweep_text(const std::string& text, const std::string& source,
                                const std::filesystem::path& base_dir) {
  SweepDefinition sweep;
  sweep.source = source;
  sweep.text = text;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    params::yaml_fail(source, error.mark, "", "malformed YAML: " + error.msg);
  }
  if (!root.IsMap())
    params::yaml_fail(source, root.Mark(), "",
                      "expected a mapping with 'scenario:', 'design:' and 'factors:', got " +
                          (root.IsNull() ? std::string("an empty file") : yaml_node_kind(root)));
  std::map<std::string, std::pair<YAML::Node, YAML::Node>> keys;  // name -> (key, value)
  for (const auto& entry : root) {
    std::string name = entry.first.IsScalar() ? entry.first.Scalar() : "?";
    if (std::find(kTopKeys.begin(), kTopKeys.end(), name) == kTopKeys.end())
      params::yaml_fail(source, entry.first.Mark(), name, "unknown key" + did_you_mean(name, kTopKeys));
    if (!keys.emplace(name, std::make_pair(entry.first, entry.second)).second)
      params::yaml_fail(source, entry.first.Mark(), name, "duplicate key");
  }
  auto required = [&](const std::string& name, const std::string& what) -> const std::pair<YAML::Node, YAML::Node>& {
    auto found = keys.find(name);
    if (found == keys.end()) params::yaml_fail(source, root.Mark(), name, "missing; " + what);
    return found->second;
  };

  const auto& [design_key, design_node] = required("design", "expected one of " + one_of(kDesignNames));
  const std::string& design_text =
      read_scalar(source, design_node, design_key, "design", "one of " + one_of(kDesignNames));
  auto named = std::find(kDesignNames.begin(), kDesignNames.end(), design_text);
  if (named == kDesignNames.end())
    params::yaml_fail(source, design_node.Mark(), "design",
                      "expected one of " + one_of(kDesignNames) + ", got '" + design_text + "'" +
                          did_you_mean(design_text, kDesignNames));
  sweep.design = static_cast<DesignKind>(named - kDesignNames.begin());

  // Size keys: exactly those the design uses.
  std::vector<std::string> size_keys;
  switch (sweep.design) {
    case DesignKind::Grid:
      break;
    case DesignKind::Saltelli:
      size_keys = {"base_samples"};
      break;
    case DesignKind::Morris:
      size_keys = {"trajectories", "levels"};
      break;
    default:
      size_keys = {"samples"};
      break;
  }
  for (const std::string name : {"samples", "base_samples", "trajectories", "levels"}) {
    bool used = std::find(size_keys.begin(), size_keys.end(), name) != size_keys.end();
    auto found = keys.find(name);
    if (found != keys.end() && !used)
      params::yaml_fail(source, found->second.first.Mark(), name,
                        std::string("not used by a ") + design_text + " design" +
                            (size_keys.empty() ? "" : "; it takes " + one_of(size_keys)));
  }
  for (const std::string& name : size_keys) {
    const auto& [key, value] = required(name, "a " + design_text + " design needs it");
    if (name == "levels") {
      sweep.levels = read_count(source, value, key, name, 2, 1000);
      if (sweep.levels % 2)
        params::yaml_fail(source, value.Mark(), name, "expected an even number of levels, got " + value.Scalar());
    } else {
      std::uint64_t count = read_count(source, value, key, name, 1, kMaxRuns);
      (name == "trajectories" ? sweep.trajectories : sweep.samples) = count;
    }
  }
  if (auto found = keys.find("replicates"); found != keys.end())
    sweep.replicates = read_count(source, found->second.second, found->second.first, "replicates", 1, kMaxRuns);
  {
    const auto& [key, value] = required("seed", "expected the sweep seed, an integer in [0, 2^53-1]");
    sweep.seed = read_count(source, value, key, "seed", 0, kMaxSeed);
  }
  if (auto found = keys.find("seeds"); found != keys.end()) {
    const std::string& mode =
        read_scalar(source, found->second.second, found->second.first, "seeds", "independent or shared");
    if (mode == "shared")
      sweep.seeds = SeedMode::Shared;
    else if (mode != "independent")
      params::yaml_fail(source, found->second.second.Mark(), "seeds",
                        "expected independent or shared, got '" + mode + "'");
  }

  const auto& [factors_key, factors] = required("factors", "expected a mapping of parameter paths to values or ranges");
  if (!factors.IsMap() || factors.size() == 0)
    params::yaml_fail(
        source, factors.IsNull() ? factors_key.Mark() : factors.Mark(), "factors",
        "expected a non-empty mapping of parameter paths to values or ranges, got " + yaml_node_kind(factors));
  std::set<std::string> seen;
  for (const auto& entry : factors) {
    Factor factor = read_factor(source, entry.first, entry.second, sweep.design);
    if (!seen.insert(factor.path).second)
      params::yaml_fail(source, entry.first.Mark(), "factors." + factor.path, "duplicate factor");
    sweep.factors.push_back(std::move(factor));
  }

  // Design size, checked before anything is allocated.
  long double points = 1;
  const long double k = static_cast<long double>(sweep.factors.size());
  switch (sweep.design) {
    case DesignKind::Grid:
      for (const Factor& f : sweep.factors) points *= static_cast<long double>(f.values.size());
      break;
    case DesignKind::Saltelli:
      points = static_cast<long double>(sweep.samples) * (k + 2);
      break;
    case DesignKind::Morris:
      points = static_cast<long double>(sweep.trajectories) * (k + 1);
      break;
    default:
      points = static_cast<long double>(sweep.samples);
      break;
  }
  if (points * static_cast<long double>(sweep.replicates) > static_cast<long double>(kMaxRuns))
    params::yaml_fail(source, root.Mark(), "",
                      "the sweep has more than " + std::to_string(kMaxRuns) + " runs; split it");

  const auto& [scenario_key, scenario_node] = required("scenario", "expected the base scenario's path");
  const std::string& scenario_text = read_scalar(source, scenario_node, scenario_key, "scenario", "a file path");
  sweep.scenario_path = base_dir / scenario_text;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(sweep.scenario_path, ec))
    params::yaml_fail(
        source, scenario_node.Mark(), "scenario",
        "no scenario file at " + sweep.scenario_path.string() + " (paths are relative to the sweep file)");
  sweep.base = params::load_scenario_file(sweep.scenario_path);
  params::check_consistency(sweep.base);
  return sweep;
}

SweepDefinition load_sweep_file(const std::filesystem::path& path) {
  return load_sweep_text(params::read_yaml_file(path, "sweep file"), path.string(), path.parent_path());
}

}  // namespace fanflow::experiments
