// Collecting a run's headline series and summaries from the Simulation, in memory, as the output schema
// (io/output_schema.hpp) computes them.
#include "experiments/run_metrics.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "core/error.hpp"
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

InMemoryRun::InMemoryRun(const params::Scenario& scenario) : InMemoryRun(scenario, std::chrono::steady_clock::now()) {}

InMemoryRun::InMemoryRun(const params::Scenario& scenario, std::chrono::steady_clock::time_point started)
    : simulation_(scenario) {
  series_.resize(io::run_series().size());
  for (const params::NamedBrand* brand : scenario.actors.focal_brands()) focal_ids_.push_back(brand->id);
  focal_series_.resize(focal_ids_.size() * io::focal_brand_series().size());
  seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();  // the setup
}

void InMemoryRun::run_until(Tick ticks) {
  const auto started = std::chrono::steady_clock::now();
  const auto& specs = io::run_series();
  const auto& focal_specs = io::focal_brand_series();
  const auto end = std::min<Tick>(ticks, static_cast<Tick>(simulation_.params().run.days));
  while (simulation_.tick() < end) {
    if (sim::interrupt_requested.load())
      throw Interrupted("interrupted at day " + std::to_string(simulation_.tick()) + "; no file written");
    simulation_.step();
    const phases::TickMetrics& m = simulation_.last_metrics();
    for (std::size_t i = 0; i < specs.size(); ++i) series_[i].push_back(specs[i].series(m));
    totals_.add(m);
    collector_.record(m, simulation_.state());
    for (std::size_t f = 0; f < focal_ids_.size(); ++f)
      for (std::size_t i = 0; i < focal_specs.size(); ++i)
        focal_series_[f * focal_specs.size() + i].push_back(
            focal_specs[i].compute(simulation_.state(), focal_ids_[f], focal_specs[i].member));
  }
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

InMemoryRun InMemoryRun::fork(const params::Scenario& plan) const {
  InMemoryRun copy(*this);
  copy.simulation_ = simulation_.fork(plan);
  return copy;
}

RunMetrics InMemoryRun::finish(int threads) const {
  RunMetrics result;
  result.ticks = simulation_.tick();
  for (const auto& column : series_) result.series.insert(result.series.end(), column.begin(), column.end());
  const state::State& state = simulation_.state();
  std::vector<double> alive_followers;
  for (std::uint32_t c = 0; c < state.creators.count; ++c)
    if (state.lifecycle.alive(c)) alive_followers.push_back(state.creators.followers[c]);
  const io::RunEnd end{totals_, simulation_.last_metrics(), state, result.ticks, alive_followers};
  for (const io::RunMetricSpec& spec : io::run_summaries()) result.summary.push_back(spec.summary(end, spec.member));
  for (std::uint32_t brand : focal_ids_)
    for (const io::FocalMetricSpec& spec : io::focal_brand_metrics())
      result.focal.push_back(spec.compute(state, brand, spec.member));
  for (const auto& column : focal_series_)
    result.focal_series.insert(result.focal_series.end(), column.begin(), column.end());
  for (const facts::FactValue& fact : facts::compute_facts(collector_.finish(state, result.ticks)))
    result.facts.push_back(fact.value);
  result.threads = threads;
  result.wall_seconds = seconds_;
  return result;
}

RunMetrics run_in_memory(const params::Scenario& scenario, int threads) {
  InMemoryRun run(scenario);
  run.run_until(static_cast<Tick>(scenario.params.run.days));
  return run.finish(threads);
}

}  // namespace fanflow::experiments
