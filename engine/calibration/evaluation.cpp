// Running a batch of trials and scoring them against the targets.
#include "calibration/evaluation.hpp"

#include <cmath>
#include <stdexcept>

#include "core/error.hpp"
#include "experiments/plan.hpp"

namespace fanflow::calibration {
namespace {

/// What one run contributes: each target's statistic and each curve's series on the curve's days.
struct RunValues {
  std::vector<double> targets;
  std::vector<std::vector<double>> curves;
};

RunValues values_of(const CalibrationDefinition& d, const experiments::RunMetrics& run) {
  RunValues v;
  for (const Target& t : d.targets) v.targets.push_back(experiments::end_value(*t.statistic, run));
  for (const Curve& c : d.curves) {
    std::vector<double> points;
    for (std::uint32_t day : c.days) points.push_back(experiments::series_value(*c.series, run, day));
    v.curves.push_back(std::move(points));
  }
  return v;
}

double mean_of(const std::vector<double>& xs) {
  double sum = 0;
  for (double x : xs) sum += x;
  return sum / double(xs.size());
}

double sd_of(const std::vector<double>& xs) {
  if (xs.size() < 2) return 0;
  const double m = mean_of(xs);
  double squares = 0;
  for (double x : xs) squares += (x - m) * (x - m);
  return std::sqrt(squares / double(xs.size() - 1));
}

}  // namespace

params::Scenario trial_scenario(const CalibrationDefinition& d, const std::vector<double>& values,
                                std::uint64_t replicate) {
  params::Scenario scenario = d.base;
  for (std::size_t k = 0; k < d.parameters.size(); ++k)
    params::apply_override(scenario,
                           d.parameters[k].path + "=" + experiments::number_text(values[k], d.parameters[k].integer));
  scenario.params.run.seed = static_cast<std::int64_t>(replicate_seed(d, replicate));
  return scenario;
}

void score(const CalibrationDefinition& d, TrialResult& r) {
  double squares = 0;
  bool accepted = true;
  for (std::size_t k = 0; k < d.targets.size(); ++k) {
    const double z = (r.mean[k] - d.targets[k].value) / d.targets[k].tolerance;
    squares += z * z;
    accepted = accepted && std::abs(z) <= 1;
  }
  r.curve_rms.clear();
  for (std::size_t c = 0; c < d.curves.size(); ++c) {
    const Curve& curve = d.curves[c];
    double sum = 0;
    for (std::size_t k = 0; k < curve.days.size(); ++k) {
      const double z = (r.curve_mean[c][k] - curve.values[k]) / curve.tolerance;
      sum += z * z;
    }
    const double mean_square = sum / double(curve.days.size());
    r.curve_rms.push_back(std::sqrt(mean_square));
    squares += mean_square;
    accepted = accepted && mean_square <= 1;
  }
  r.distance = std::sqrt(squares / double(d.targets.size() + d.curves.size()));
  r.accepted = accepted;
}

RunBatch run_here(experiments::Parallelism parallelism) {
  return [parallelism](const std::vector<std::uint64_t>& todo,
                       const std::function<experiments::RunMetrics(std::uint64_t, int)>& run_one,
                       const experiments::Assignment&,
                       const std::function<void(std::uint64_t, experiments::RunMetrics &&)>& deliver) {
    experiments::run_all(todo, parallelism, run_one, deliver);
  };
}

params::Scenario assigned_scenario(const CalibrationDefinition& d, const std::vector<double>& assignment) {
  if (assignment.size() != d.parameters.size() + 1)
    throw std::logic_error("a calibration run's assignment has " + std::to_string(assignment.size()) + " values, not " +
                           std::to_string(d.parameters.size() + 1));
  return trial_scenario(d, std::vector<double>(assignment.begin() + 1, assignment.end()),
                        static_cast<std::uint64_t>(assignment[0]));
}

std::vector<TrialResult> evaluate(const CalibrationDefinition& d, const std::vector<TrialRequest>& trials,
                                  const RunBatch& run_batch) {
  const std::uint64_t replicates = d.replicates;
  std::vector<TrialResult> results(trials.size());
  std::vector<std::vector<RunValues>> runs(trials.size(), std::vector<RunValues>(replicates));
  std::vector<std::uint64_t> todo;
  for (std::size_t t = 0; t < trials.size(); ++t) {
    results[t].number = trials[t].number;
    try {
      params::check_consistency(trial_scenario(d, trials[t].values, 0));
    } catch (const Interrupted&) {
      throw;
    } catch (const InputError& error) {
      results[t].error = error.what();
      continue;
    }
    for (std::uint64_t r = 0; r < replicates; ++r) todo.push_back(t * replicates + r);
  }
  run_batch(
      todo,
      [&](std::uint64_t run, int threads) {
        return experiments::run_in_memory(trial_scenario(d, trials[run / replicates].values, run % replicates),
                                          threads);
      },
      [&](std::uint64_t run) {
        std::vector<double> assignment{static_cast<double>(run % replicates)};
        const std::vector<double>& values = trials[run / replicates].values;
        assignment.insert(assignment.end(), values.begin(), values.end());
        return assignment;
      },
      [&](std::uint64_t run, experiments::RunMetrics&& metrics) {
        runs[run / replicates][run % replicates] = values_of(d, metrics);
      });

  for (std::size_t t = 0; t < trials.size(); ++t) {
    TrialResult& r = results[t];
    if (!r.error.empty()) continue;
    for (std::size_t k = 0; k < d.targets.size(); ++k) {
      std::vector<double> xs;
      for (const RunValues& v : runs[t]) xs.push_back(v.targets[k]);
      r.mean.push_back(mean_of(xs));
      r.sd.push_back(sd_of(xs));
      if (std::isnan(r.mean.back()) && r.error.empty())
        r.error = d.targets[k].statistic->name + " is undefined in a replicate (the run cannot tell it)";
    }
    for (std::size_t c = 0; c < d.curves.size(); ++c) {
      std::vector<double> points(d.curves[c].days.size(), 0.0);
      for (const RunValues& v : runs[t])
        for (std::size_t k = 0; k < points.size(); ++k) points[k] += v.curves[c][k] / double(replicates);
      r.curve_mean.push_back(std::move(points));
    }
    if (r.error.empty()) score(d, r);
  }
  return results;
}

}  // namespace fanflow::calibration
