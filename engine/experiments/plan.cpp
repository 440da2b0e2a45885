// Building a sweep plan from a definition: points, values, runs, seeds, and the canonical definition text.
#include "experiments/plan.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/version.hpp"

namespace fanflow::experiments {

std::string number_text(double value, bool integer) {
  if (integer) return std::to_string(static_cast<std::int64_t>(std::llround(value)));
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

std::string fingerprint(const std::string& text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

std::vector<std::string> SweepPlan::assignments(std::size_t point) const {
  std::vector<std::string> out;
  for (std::size_t j = 0; j < factors(); ++j) {
    const Factor& factor = definition.factors[j];
    out.push_back(factor.path + "=" + number_text(value(point, j), factor.integer));
  }
  return out;
}

params::Scenario SweepPlan::scenario(std::size_t run) const {
  params::Scenario scenario = definition.base;
  for (const std::string& assignment : assignments(runs[run].point)) params::apply_override(scenario, assignment);
  scenario.params.run.seed = static_cast<std::int64_t>(runs[run].seed);
  return scenario;
}

namespace {

std::string canonical_text(const SweepPlan& plan) {
  const SweepDefinition& d = plan.definition;
  std::string text = "fanflow sweep definition 1\n";
  // The engine is part of the definition: results from another version must not be mixed into one file.
  text += "fanflow: " + std::string(kVersion) + " (" + kGitRevision + ")\n";
  text += "design: " + std::string(design_name(d.design)) + "\n";
  text += "samples: " + std::to_string(d.samples) + "\ntrajectories: " + std::to_string(d.trajectories) +
          "\nlevels: " + std::to_string(d.levels) + "\nreplicates: " + std::to_string(d.replicates) +
          "\nseed: " + std::to_string(d.seed) + "\nseeds: " + (d.seeds == SeedMode::Shared ? "shared" : "independent") +
          "\nfactors:\n";
  for (const Factor& f : d.factors) {
    text += "  " + f.path + ":";
    if (!f.values.empty()) {
      text += " values";
      // Appended piece by piece: `" " + number_text(...)` trips GCC 12's -Wrestrict false positive (inlined insert).
      for (double v : f.values) text.append(" ").append(number_text(v, f.integer));
    } else {
      text += " range " + number_text(f.lo, f.integer) + " " + number_text(f.hi, f.integer) +
              (f.scale == Scale::Log ? " log" : " linear");
    }
    text += "\n";
  }
  text += "base scenario:\n" + params::to_yaml(d.base);
  return text;
}

}  // namespace

SweepPlan make_plan(SweepDefinition definition) {
  SweepPlan plan;
  plan.definition = std::move(definition);
  const SweepDefinition& d = plan.definition;
  plan.unit = unit_design(d);
  const std::size_t k = plan.factors();
  plan.values.resize(plan.points() * k);
  std::vector<std::size_t> grid_index(k, 0);
  for (std::size_t p = 0; p < plan.points(); ++p) {
    if (d.design == DesignKind::Grid) grid_index = grid_indices(d, p);
    for (std::size_t j = 0; j < k; ++j)
      plan.values[p * k + j] = factor_value(d.factors[j], plan.unit.at(p, j), grid_index[j]);
  }
  plan.runs.reserve(plan.points() * d.replicates);
  for (std::uint64_t p = 0; p < plan.points(); ++p)
    for (std::uint64_t r = 0; r < d.replicates; ++r) {
      const std::uint64_t run = p * d.replicates + r;
      plan.runs.push_back({p, r, derive_run_seed(d.seed, d.seeds == SeedMode::Shared ? r : run)});
    }
  // Every point's scenario must pass the same checks as a scenario file.
  for (std::size_t p = 0; p < plan.points(); ++p) {
    params::Scenario scenario = d.base;
    std::string listed;
    try {
      for (const std::string& assignment : plan.assignments(p)) {
        listed += (listed.empty() ? "" : ", ") + assignment;
        params::apply_override(scenario, assignment);
      }
      params::check_consistency(scenario);
    } catch (const InputError& error) {
      throw InputError(d.source + ": design point " + std::to_string(p) + " (" + listed + "): " + error.what());
    }
    plan.max_days = std::max(plan.max_days, static_cast<std::uint32_t>(scenario.params.run.days));
  }
  plan.definition_text = canonical_text(plan);
  return plan;
}

std::string plan_table(const SweepPlan& plan) {
  const SweepDefinition& d = plan.definition;
  std::string out = std::string(design_name(d.design)) + " design: " + std::to_string(plan.points()) + " points x " +
                    std::to_string(d.replicates) + " replicate" + (d.replicates == 1 ? "" : "s") + " = " +
                    std::to_string(plan.runs.size()) + " runs; base scenario " + d.scenario_path.string() + "; seeds " +
                    (d.seeds == SeedMode::Shared ? "shared across points" : "independent") + "\n";
  char cell[64];
  std::snprintf(cell, sizeof cell, "%8s %8s %9s %17s", "run", "point", "replicate", "seed");
  out += cell;
  for (const Factor& f : d.factors) out += "  " + f.path;
  out += "\n";
  for (std::size_t run = 0; run < plan.runs.size(); ++run) {
    const PlannedRun& r = plan.runs[run];
    std::snprintf(cell, sizeof cell, "%8zu %8llu %9llu %17llu", run, static_cast<unsigned long long>(r.point),
                  static_cast<unsigned long long>(r.replicate), static_cast<unsigned long long>(r.seed));
    out += cell;
    for (std::size_t j = 0; j < plan.factors(); ++j) {
      const std::string value = number_text(plan.value(r.point, j), d.factors[j].integer);
      const std::size_t width = std::max(d.factors[j].path.size(), value.size());
      out += "  " + std::string(width - value.size(), ' ') + value;
    }
    out += "\n";
  }
  return out;
}

}  // namespace fanflow::experiments
