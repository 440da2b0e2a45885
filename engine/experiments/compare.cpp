// run_comparison: both scenarios at the same seeds through the run scheduler, then one HDF5 file and a table.
#include "experiments/compare.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/version.hpp"
#include "experiments/designs.hpp"
#include "experiments/scheduler.hpp"
#include "io/hdf5_file.hpp"
#include "io/run_recorder.hpp"

namespace fanflow::experiments {
namespace {

void write_side(io::OutputFile& file, const std::string& group, const std::vector<RunMetrics>& runs) {
  const auto summaries = summary_metrics();
  for (std::size_t m = 0; m < summaries.size(); ++m) {
    std::vector<double> column;
    for (const RunMetrics& run : runs) column.push_back(run.summary[m]);
    file.write_column(group + "/summary/" + summaries[m].name, column, summaries[m].unit,
                      summaries[m].description + " [replicate]");
  }
  const auto series = series_metrics();
  const std::uint32_t ticks = runs.front().ticks;
  for (std::size_t m = 0; m < series.size(); ++m) {
    io::GrowingDataset dataset = file.create_growing<double>(
        group + "/series/" + series[m].name, ticks, {}, series[m].unit, series[m].description + " [replicate x tick]");
    for (const RunMetrics& run : runs) dataset.append(std::span<const double>(run.series.data() + m * ticks, ticks));
  }
}

}  // namespace

const std::vector<std::string>& headline_metric_names() {
  static const std::vector<std::string> names = {"impressions",
                                                 "views",
                                                 "likes",
                                                 "shares",
                                                 "follows_gained",
                                                 "follows_end",
                                                 "followers_gini_end",
                                                 "creators_alive_end",
                                                 "brand_spend",
                                                 "brand_sales_revenue",
                                                 "creator_income",
                                                 "platform_take"};
  return names;
}

MetricComparison compare_metric(const std::string& name, const std::vector<double>& baseline,
                                const std::vector<double>& plan) {
  MetricComparison row;
  row.name = name;
  const double n = static_cast<double>(baseline.size());
  double sum_difference = 0;
  for (std::size_t r = 0; r < baseline.size(); ++r) {
    row.baseline_mean += baseline[r] / n;
    row.plan_mean += plan[r] / n;
    sum_difference += plan[r] - baseline[r];
  }
  row.difference_mean = sum_difference / n;
  double squares = 0;
  for (std::size_t r = 0; r < baseline.size(); ++r) {
    const double deviation = plan[r] - baseline[r] - row.difference_mean;
    squares += deviation * deviation;
  }
  const double standard_error = std::sqrt(squares / (n - 1) / n);
  const boost::math::students_t t(n - 1);
  row.difference_half_ci = boost::math::quantile(boost::math::complement(t, 0.025)) * standard_error;
  return row;
}

CompareResult run_comparison(const params::Scenario& baseline, const params::Scenario& plan,
                             const CompareOptions& options) {
  if (options.replicates < 2) throw InputError("--replicates: at least 2 are needed for a confidence interval");
  if (baseline.params.run.days != plan.params.run.days)
    throw InputError(plan.source + ": run.days is " + std::to_string(plan.params.run.days) + " but the baseline's (" +
                     baseline.source + ") is " + std::to_string(baseline.params.run.days) +
                     "; a matched comparison needs the same horizon");
  std::error_code ec;
  if (std::filesystem::is_directory(options.output, ec))
    throw InputError(options.output.string() + ": is a folder; give a file path for the comparison's output");
  io::OutputFile file(options.output);  // fails now, before any run, if the output cannot be written

  const std::uint64_t n = options.replicates;
  CompareResult result;
  result.baseline.resize(n);
  result.plan.resize(n);
  for (std::uint64_t r = 0; r < n; ++r) result.seeds.push_back(derive_run_seed(options.seed, r));
  // Runs 0..n-1 are the baseline's replicates, n..2n-1 the plan's.
  auto scenario_of = [&](std::uint64_t run) {
    params::Scenario scenario = run < n ? baseline : plan;
    scenario.params.run.seed = static_cast<std::int64_t>(result.seeds[run % n]);
    return scenario;
  };
  std::vector<std::uint64_t> todo(2 * n);
  for (std::uint64_t run = 0; run < 2 * n; ++run) todo[run] = run;
  const params::Scenario& largest = plan.params.population.users > baseline.params.population.users ? plan : baseline;
  const Parallelism parallelism = choose_parallelism(largest, todo.size(), options.jobs, options.threads);
  Progress progress("fanflow compare", 0, todo.size(), options.quiet);
  run_all(
      todo, parallelism, [&](std::uint64_t run, int threads) { return run_in_memory(scenario_of(run), threads); },
      [&](std::uint64_t run, RunMetrics&& metrics) {
        (run < n ? result.baseline[run] : result.plan[run - n]) = std::move(metrics);
        progress.advance();
      });
  progress.finish();

  const auto summaries = summary_metrics();
  for (std::size_t m = 0; m < summaries.size(); ++m) {
    std::vector<double> base_values, plan_values;
    for (std::uint64_t r = 0; r < n; ++r) {
      base_values.push_back(result.baseline[r].summary[m]);
      plan_values.push_back(result.plan[r].summary[m]);
    }
    result.rows.push_back(compare_metric(summaries[m].name, base_values, plan_values));
  }

  file.set_attribute("/", "format", std::string_view("fanflow-comparison"));
  file.set_attribute("/", "format_version", std::int64_t{1});
  file.set_attribute("/", "fanflow_version", std::string_view(std::string(kVersion) + " (" + kGitRevision + ")"));
  file.set_attribute("/", "replicates", static_cast<std::int64_t>(n));
  file.set_attribute("/", "seed", static_cast<std::int64_t>(options.seed));
  file.write_column("/replicates/seed", result.seeds, "", "run.seed of replicate r, for both scenarios");
  write_side(file, "/baseline", result.baseline);
  write_side(file, "/plan", result.plan);
  for (std::size_t m = 0; m < summaries.size(); ++m) {
    std::vector<double> difference;
    for (std::uint64_t r = 0; r < n; ++r)
      difference.push_back(result.plan[r].summary[m] - result.baseline[r].summary[m]);
    file.write_column("/difference/summary/" + summaries[m].name, difference, summaries[m].unit,
                      "plan minus baseline, replicate by replicate: " + summaries[m].description);
    const MetricComparison& row = result.rows[m];
    file.set_attribute("/difference/summary/" + summaries[m].name, "mean", row.difference_mean);
    file.set_attribute("/difference/summary/" + summaries[m].name, "ci95_half_width", row.difference_half_ci);
  }
  file.write_text("/provenance/baseline_scenario", params::to_yaml(baseline), "the baseline, fully resolved");
  file.write_text("/provenance/plan_scenario", params::to_yaml(plan), "the plan, fully resolved");
  file.set_attribute("/provenance", "baseline_source", std::string_view(baseline.source));
  file.set_attribute("/provenance", "plan_source", std::string_view(plan.source));
  file.set_attribute("/provenance", "libraries", std::string_view(io::library_versions()));
  std::vector<double> wall;
  std::vector<std::int32_t> threads;
  for (const auto* side : {&result.baseline, &result.plan})
    for (const RunMetrics& run : *side) {
      wall.push_back(run.wall_seconds);
      threads.push_back(run.threads);
    }
  file.write_column("/provenance/wall_seconds", wall, "s", "wall time of each run: baseline replicates, then plan's");
  file.write_column("/provenance/threads", threads, "", "threads each run could use: baseline, then plan");
  file.commit();
  return result;
}

std::string comparison_table(const CompareResult& result) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-22s %16s %16s %32s\n", "metric", "baseline mean", "plan mean",
                "plan - baseline (95% CI)");
  out += line;
  for (const std::string& name : headline_metric_names()) {
    const MetricComparison& row = result.rows[summary_index(name)];
    char difference[64];
    std::snprintf(difference, sizeof difference, "%+.6g +- %.3g", row.difference_mean, row.difference_half_ci);
    std::snprintf(line, sizeof line, "%-22s %16.6g %16.6g %32s\n", name.c_str(), row.baseline_mean, row.plan_mean,
                  difference);
    out += line;
  }
  return out;
}

}  // namespace fanflow::experiments
