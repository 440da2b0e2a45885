// run_comparison: both scenarios at the same seeds through the run scheduler, then one HDF5 file and a table.
#include "experiments/compare.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/number_text.hpp"
#include "core/version.hpp"
#include "experiments/designs.hpp"
#include "experiments/journal.hpp"
#include "experiments/scheduler.hpp"
#include "io/hdf5_file.hpp"
#include "io/output_schema.hpp"
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

/// The focal brands both scenarios name (the same names for the same ids), or InputError.
std::vector<FocalComparison> focal_brands_of(const params::Scenario& baseline, const params::Scenario& plan) {
  auto listed = [](const params::Scenario& scenario) {
    std::string out;
    for (const params::NamedBrand* brand : scenario.actors.focal_brands())
      out += (out.empty() ? "" : ", ") + brand->name + " (brand " + std::to_string(brand->id) + ")";
    return out.empty() ? std::string("none") : out;
  };
  if (listed(baseline) != listed(plan))
    throw InputError(plan.source + ": its focal brands are " + listed(plan) + " but the baseline's (" +
                     baseline.source + ") are " + listed(baseline) +
                     "; a comparison reports the same focal brands in both scenarios");
  std::vector<FocalComparison> focal;
  for (const params::NamedBrand* brand : baseline.actors.focal_brands()) focal.push_back({brand->name, brand->id, {}});
  return focal;
}

/// Writes focal brand f's figures of one scenario under `group`: /summary/<metric> [replicate] and
/// /series/<series> [replicate x tick].
void write_focal_side(io::OutputFile& file, const std::string& group, const std::string& name,
                      const std::vector<RunMetrics>& runs, std::size_t f) {
  const auto& metrics = io::focal_brand_metrics();
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    std::vector<double> column;
    for (const RunMetrics& run : runs) column.push_back(run.focal[f * metrics.size() + m]);
    file.write_column(group + "/summary/" + metrics[m].name, column, metrics[m].unit,
                      name + ": " + metrics[m].description + " [replicate]");
  }
  const auto& series = io::focal_brand_series();
  const std::uint32_t ticks = runs.front().ticks;
  for (std::size_t s = 0; s < series.size(); ++s) {
    io::GrowingDataset dataset =
        file.create_growing<double>(group + "/series/" + series[s].name, ticks, {}, series[s].unit,
                                    name + ": " + series[s].description + " [replicate x tick]");
    for (const RunMetrics& run : runs)
      dataset.append(std::span<const double>(run.focal_series.data() + (f * series.size() + s) * ticks, ticks));
  }
}

/// Writes focal brand f's paired differences: /summary/<metric> [replicate] with attributes mean and
/// ci95_half_width, and /band/<series> [3 x tick]: per day the mean paired difference and its 95% interval.
void write_focal_difference(io::OutputFile& file, const std::string& group, const CompareResult& result,
                            std::size_t f) {
  const FocalComparison& focal = result.focal[f];
  const auto& metrics = io::focal_brand_metrics();
  const std::size_t n = result.baseline.size();
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    std::vector<double> difference;
    for (std::size_t r = 0; r < n; ++r)
      difference.push_back(result.plan[r].focal[f * metrics.size() + m] -
                           result.baseline[r].focal[f * metrics.size() + m]);
    const std::string path = group + "/summary/" + metrics[m].name;
    file.write_column(path, difference, metrics[m].unit,
                      "plan minus baseline, replicate by replicate: " + focal.name + ": " + metrics[m].description);
    file.set_attribute(path, "mean", focal.rows[m].difference_mean);
    file.set_attribute(path, "ci95_half_width", focal.rows[m].difference_half_ci);
  }
  const auto& series = io::focal_brand_series();
  const std::uint32_t ticks = result.baseline.front().ticks;
  for (std::size_t s = 0; s < series.size(); ++s) {
    std::vector<double> mean(ticks), low(ticks), high(ticks);
    for (std::uint32_t t = 0; t < ticks; ++t) {
      std::vector<double> base_values, plan_values;
      for (std::size_t r = 0; r < n; ++r) {
        const std::size_t at = (f * series.size() + s) * ticks + t;
        base_values.push_back(result.baseline[r].focal_series[at]);
        plan_values.push_back(result.plan[r].focal_series[at]);
      }
      const MetricComparison day = compare_metric(series[s].name, base_values, plan_values);
      mean[t] = day.difference_mean;
      low[t] = day.difference_mean - day.difference_half_ci;
      high[t] = day.difference_mean + day.difference_half_ci;
    }
    const std::string path = group + "/band/" + series[s].name;
    io::GrowingDataset band = file.create_growing<double>(
        path, ticks, {}, series[s].unit,
        "plan minus baseline on each day, over the replicates: mean, then the low and high ends of its 95% "
        "interval: " +
            focal.name + ": " + series[s].description + " [3 x tick]");
    for (const auto* row : {&mean, &low, &high}) band.append(std::span<const double>(*row));
    file.set_attribute(path, "rows", std::vector<std::string>{"mean", "ci95_low", "ci95_high"});
  }
}

}  // namespace

const std::vector<std::string>& headline_focal_metric_names() {
  static const std::vector<std::string> names = {"purchases",        "revenue",          "spend",
                                                 "return_on_spend",  "acquisition_cost", "new_customers",
                                                 "repeat_purchases", "own_followers"};
  return names;
}

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

std::string comparison_definition(const params::Scenario& baseline, const params::Scenario& plan,
                                  const CompareOptions& options) {
  return std::string("fanflow comparison\nfanflow ") + kVersion + " (" + kGitRevision +
         ")\nreplicates: " + std::to_string(options.replicates) + "\nseed: " + std::to_string(options.seed) +
         "\n--- baseline\n" + params::to_yaml(baseline) + "\n--- plan\n" + params::to_yaml(plan);
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
  if (std::filesystem::equivalent(options.output, baseline.source, ec) ||
      std::filesystem::equivalent(options.output, plan.source, ec))
    throw InputError(options.output.string() + ": is an input of the comparison; choose another output path");
  std::vector<FocalComparison> focal = focal_brands_of(baseline, plan);
  if (options.fork_at >= 0) {
    if (options.fork_at >= baseline.params.run.days)
      throw InputError("--fork-at: " + std::to_string(options.fork_at) + " is not a day of the run (0 to " +
                       std::to_string(baseline.params.run.days - 1) + ")");
    params::Scenario base_copy = baseline, plan_copy = plan;
    plan_copy.params.run.seed = base_copy.params.run.seed;
    const std::string difference = params::fork_difference(base_copy, plan_copy, options.fork_at);
    if (!difference.empty()) throw InputError("--fork-at " + std::to_string(options.fork_at) + ": " + difference);
  }
  std::filesystem::path journal_path = options.output;
  journal_path += ".journal";
  const bool resuming = std::filesystem::exists(journal_path, ec);
  if (!resuming && std::filesystem::exists(options.output, ec) && !options.force)
    throw InputError(options.output.string() + ": exists; write to another -o, or give --force to replace it");
  // Probe the output before any run (creates and, uncommitted, removes output.partial), so an unwritable path fails
  // at once; the file itself is written once every run is done, so an interrupted comparison leaves only its journal.
  io::OutputFile(options.output).flush();
  const auto started = std::chrono::steady_clock::now();

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
  // The journal keeps every finished run: an interrupted comparison resumes from it, and a changed definition
  // (replicates, seed, either scenario, fanflow version) is refused.
  Journal journal(journal_path, options.output, comparison_definition(baseline, plan, options),
                  static_cast<std::uint32_t>(baseline.params.run.days), JournalOf::Comparison,
                  static_cast<std::uint32_t>(focal.size()));
  // Forked (options.fork_at >= 0), a job is a replicate: the shared warm-up, then both arms; its two runs are
  // journaled together. Otherwise a job is one run.
  const bool forked = options.fork_at >= 0;
  const auto& completed = journal.completed();
  std::vector<std::uint64_t> todo;
  for (std::uint64_t run = 0; run < (forked ? n : 2 * n); ++run) {
    const bool kept = completed.count(run) && (!forked || completed.count(n + run));
    if (!kept) todo.push_back(run);
  }
  for (const auto& [run, metrics] : completed)
    if (run < 2 * n && (!forked || (completed.count(run % n) && completed.count(n + run % n))))
      (run < n ? result.baseline[run] : result.plan[run - n]) = metrics, ++result.resumed;
  const params::Scenario& largest = plan.params.population.users > baseline.params.population.users ? plan : baseline;
  const Parallelism parallelism =
      choose_parallelism(largest, std::max<std::size_t>(1, todo.size()), options.jobs, options.threads);
  Progress progress("fanflow compare", result.resumed, 2 * n, options.quiet);
  std::uint64_t done = result.resumed;
  std::vector<RunMetrics> forked_plans(forked ? n : 0);  // slot r is written by replicate r's job only
  auto run_one = [&](std::uint64_t run, int threads) {
    if (!forked) return run_in_memory(scenario_of(run), threads);
    InMemoryRun warm(scenario_of(run));
    warm.run_until(static_cast<Tick>(options.fork_at));
    InMemoryRun plan_arm = warm.fork(scenario_of(n + run));
    const auto days = static_cast<Tick>(baseline.params.run.days);
    warm.run_until(days);
    plan_arm.run_until(days);
    forked_plans[run] = plan_arm.finish(threads);
    return warm.finish(threads);
  };
  auto keep = [&](std::uint64_t run, RunMetrics&& metrics) {
    journal.append(run, metrics);  // the journal first: it is what a resumed comparison trusts
    (run < n ? result.baseline[run] : result.plan[run - n]) = std::move(metrics);
    ++done;
    progress.advance();
  };
  try {
    run_all(todo, parallelism, run_one, [&](std::uint64_t run, RunMetrics&& metrics) {
      keep(run, std::move(metrics));
      if (forked) keep(n + run, std::move(forked_plans[run]));
    });
  } catch (const Interrupted&) {
    progress.finish();
    throw Interrupted("interrupted; " + std::to_string(done) + " of " + std::to_string(2 * n) + " runs are kept in " +
                      journal_path.string() + "; run the same command again to finish the comparison");
  }
  progress.finish();
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const auto summaries = summary_metrics();
  for (std::size_t m = 0; m < summaries.size(); ++m) {
    std::vector<double> base_values, plan_values;
    for (std::uint64_t r = 0; r < n; ++r) {
      base_values.push_back(result.baseline[r].summary[m]);
      plan_values.push_back(result.plan[r].summary[m]);
    }
    result.rows.push_back(compare_metric(summaries[m].name, base_values, plan_values));
  }
  const auto& focal_metrics = io::focal_brand_metrics();
  for (std::size_t f = 0; f < focal.size(); ++f)
    for (std::size_t m = 0; m < focal_metrics.size(); ++m) {
      std::vector<double> base_values, plan_values;
      for (std::uint64_t r = 0; r < n; ++r) {
        base_values.push_back(result.baseline[r].focal[f * focal_metrics.size() + m]);
        plan_values.push_back(result.plan[r].focal[f * focal_metrics.size() + m]);
      }
      focal[f].rows.push_back(compare_metric(focal_metrics[m].name, base_values, plan_values));
    }
  result.focal = std::move(focal);

  io::OutputFile file(options.output);
  file.set_attribute("/", "format", std::string_view("fanflow-comparison"));
  file.set_attribute("/", "format_version", std::int64_t{2});  // 2: /focal, wall time as an attribute
  file.set_attribute("/", "fanflow_version", std::string_view(std::string(kVersion) + " (" + kGitRevision + ")"));
  file.set_attribute("/", "replicates", static_cast<std::int64_t>(n));
  file.set_attribute("/", "seed", static_cast<std::int64_t>(options.seed));
  file.write_column("/replicates/seed", result.seeds, "", "run.seed of replicate r, for both scenarios");
  write_side(file, "/baseline", result.baseline);
  write_side(file, "/plan", result.plan);
  for (std::size_t f = 0; f < result.focal.size(); ++f) {
    const std::string group = "/focal/" + result.focal[f].name;
    write_focal_side(file, group + "/baseline", result.focal[f].name, result.baseline, f);
    write_focal_side(file, group + "/plan", result.focal[f].name, result.plan, f);
    write_focal_difference(file, group + "/difference", result, f);
    file.set_attribute(group, "brand", static_cast<std::int64_t>(result.focal[f].id));
  }
  std::vector<std::string> focal_names;
  for (const FocalComparison& brand : result.focal) focal_names.push_back(brand.name);
  if (!focal_names.empty()) file.set_attribute("/", "focal_brands", focal_names);
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
  file.set_attribute("/provenance", "wall_seconds", result.wall_seconds);
  file.write_column("/provenance/run_seconds", wall, "s",
                    "time of each run (setup and ticks): baseline replicates, then plan's; runs go side by side, "
                    "so these add up to more than the comparison's wall time (attribute wall_seconds)");
  file.write_column("/provenance/threads", threads, "", "threads each run could use: baseline, then plan");
  file.set_attribute("/provenance", "resumed_runs", static_cast<std::int64_t>(result.resumed));
  file.commit();
  journal.remove();
  return result;
}

namespace {

/// A relative change in percent with two decimals and its sign ("+20.40%", "-0.01%"; "+0.00%" below 0.005%).
std::string percent_change(double percent) {
  char text[64];
  std::snprintf(text, sizeof text, "%+.2f%%", percent);
  return std::string(text) == "-0.00%" ? "+0.00%" : text;
}

/// One printed row: metric, baseline mean, plan mean, difference +- CI, relative change.
std::string table_row(const std::string& label, const MetricComparison& row) {
  const std::string difference =
      signed_number(row.difference_mean) + " +- " + readable_number(row.difference_half_ci, 3);
  std::string relative = "-";
  if (row.baseline_mean != 0 && std::isfinite(row.difference_mean))
    relative = percent_change(100 * row.difference_mean / std::fabs(row.baseline_mean));
  char line[320];
  std::snprintf(line, sizeof line, "%-24s %16s %16s %28s %10s\n", label.c_str(),
                readable_number(row.baseline_mean).c_str(), readable_number(row.plan_mean).c_str(), difference.c_str(),
                relative.c_str());
  return line;
}

std::string table_header(const std::string& first) {
  char line[320];
  std::snprintf(line, sizeof line, "%-24s %16s %16s %28s %10s\n", first.c_str(), "baseline mean", "plan mean",
                "plan - baseline (95% CI)", "relative");
  return line;
}

}  // namespace

std::string comparison_table(const CompareResult& result) {
  std::string out;
  const auto& focal_metrics = io::focal_brand_metrics();
  for (const FocalComparison& brand : result.focal) {
    out += "what happens to " + brand.name + " (brand " + std::to_string(brand.id) + "):\n";
    out += table_header("  metric");
    for (const std::string& name : headline_focal_metric_names())
      for (std::size_t m = 0; m < focal_metrics.size(); ++m)
        if (focal_metrics[m].name == name) out += table_row("  " + name, brand.rows[m]);
    out += "\n";
  }
  const std::string indent = result.focal.empty() ? "" : "  ";
  if (!result.focal.empty()) out += "the platform:\n";
  out += table_header(indent + "metric");
  for (const std::string& name : headline_metric_names())
    out += table_row(indent + name, result.rows[summary_index(name)]);
  return out;
}

}  // namespace fanflow::experiments
