// Collecting a run's headline series and summaries from the Simulation, in memory, as the output schema
// (io/output_schema.hpp) computes them.
#include "experiments/run_metrics.hpp"

#include <chrono>
#include <stdexcept>

#include "facts/facts.hpp"
#include "io/output_schema.hpp"
#include "sim/simulation.hpp"

namespace fanflow::experiments {
namespace {

std::vector<MetricInfo> infos_of(const std::vector<io::RunMetricSpec>& specs) {
  std::vector<MetricInfo> infos;
  for (const io::RunMetricSpec& spec : specs) infos.push_back({spec.name, spec.unit, spec.description});
  return infos;
}

}  // namespace

std::span<const MetricInfo> series_metrics() {
  static const std::vector<MetricInfo> infos = infos_of(io::run_series());
  return infos;
}

std::span<const MetricInfo> summary_metrics() {
  static const std::vector<MetricInfo> infos = infos_of(io::run_summaries());
  return infos;
}

std::size_t summary_index(const std::string& name) {
  auto infos = summary_metrics();
  for (std::size_t i = 0; i < infos.size(); ++i)
    if (infos[i].name == name) return i;
  throw std::out_of_range("no summary metric " + name);
}

RunMetrics run_in_memory(const params::Scenario& scenario, int threads) {
  const auto started = std::chrono::steady_clock::now();
  sim::Simulation simulation(scenario);
  const auto& specs = io::run_series();
  std::vector<std::vector<double>> series(specs.size());
  std::vector<std::uint32_t> focal_ids;
  for (const params::NamedBrand* brand : scenario.actors.focal_brands()) focal_ids.push_back(brand->id);
  const auto& focal_specs = io::focal_brand_series();
  // [focal brand x focal series] columns, each a value per tick
  std::vector<std::vector<double>> focal_series(focal_ids.size() * focal_specs.size());
  phases::TickMetrics totals;  // sums over the run
  facts::RunCollector collector;
  sim::run_ticks(simulation,
                 [&](sim::Simulation& sim) {
                   const phases::TickMetrics& m = sim.last_metrics();
                   for (std::size_t i = 0; i < specs.size(); ++i) series[i].push_back(specs[i].series(m));
                   totals.add(m);
                   collector.record(m, sim.state());
                   for (std::size_t f = 0; f < focal_ids.size(); ++f)
                     for (std::size_t i = 0; i < focal_specs.size(); ++i)
                       focal_series[f * focal_specs.size() + i].push_back(
                           focal_specs[i].compute(sim.state(), focal_ids[f], focal_specs[i].member));
                 },
                 {});
  RunMetrics result;
  result.ticks = simulation.tick();
  for (const auto& column : series) result.series.insert(result.series.end(), column.begin(), column.end());

  const state::State& state = simulation.state();
  std::vector<double> alive_followers;
  for (std::uint32_t c = 0; c < state.creators.count; ++c)
    if (state.lifecycle.alive(c)) alive_followers.push_back(state.creators.followers[c]);
  const io::RunEnd end{totals, simulation.last_metrics(), state, result.ticks, alive_followers};
  for (const io::RunMetricSpec& spec : io::run_summaries()) result.summary.push_back(spec.summary(end, spec.member));
  for (std::uint32_t brand : focal_ids)
    for (const io::FocalMetricSpec& spec : io::focal_brand_metrics())
      result.focal.push_back(spec.compute(state, brand, spec.member));
  for (const auto& column : focal_series)
    result.focal_series.insert(result.focal_series.end(), column.begin(), column.end());
  for (const facts::FactValue& fact : facts::compute_facts(collector.finish(state, result.ticks)))
    result.facts.push_back(fact.value);
  result.threads = threads;
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace fanflow::experiments
