// Collecting a run's headline series and summaries from the Simulation, in memory.
#include "experiments/run_metrics.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <numeric>
#include <stdexcept>

#include "core/money.hpp"
#include "sim/simulation.hpp"

namespace fanflow::experiments {
namespace {

using phases::TickMetrics;

std::uint64_t total(const TickMetrics::PerChannel& per_channel) {
  return std::accumulate(per_channel.begin(), per_channel.end(), std::uint64_t{0});
}

double platform_take(const TickMetrics& m) { return to_money(m.brands.platform_take() + m.knowledge_commission); }

/// A series metric: its description and how to read it from a tick's metrics.
struct SeriesSpec {
  MetricInfo info;
  double (*read)(const TickMetrics&);
};

const std::vector<SeriesSpec>& series_specs() {
  static const std::vector<SeriesSpec> specs = {
      {{"impressions", "items", "items shown today, all channels"},
       [](const TickMetrics& m) { return double(total(m.impressions)); }},
      {{"views", "items", "items viewed today, all channels"},
       [](const TickMetrics& m) { return double(total(m.views)); }},
      {{"likes", "actions", "likes today"}, [](const TickMetrics& m) { return double(total(m.likes)); }},
      {{"shares", "actions", "share actions today"}, [](const TickMetrics& m) { return double(total(m.shares)); }},
      {{"follows", "edges", "new follows today"}, [](const TickMetrics& m) { return double(total(m.follows)); }},
      {{"unfollows", "edges", "unfollows today"}, [](const TickMetrics& m) { return double(total(m.unfollows)); }},
      {{"follow_edges", "edges", "follow edges at the end of the day"},
       [](const TickMetrics& m) { return double(m.follow_edges); }},
      {{"true_fans", "edges", "follow edges with trust at least trust.true_fan_threshold"},
       [](const TickMetrics& m) { return double(m.true_fans); }},
      {{"active_users", "users", "users who opened the app today"},
       [](const TickMetrics& m) { return double(m.active_users); }},
      {{"creators_alive", "creators", "creators on the platform at the end of the day"},
       [](const TickMetrics& m) { return double(m.creators_alive); }},
      {{"purchases", "purchases", "purchases today, all channels"},
       [](const TickMetrics& m) { return double(total(m.purchases)); }},
      {{"creator_income", "money", "income paid to creators today, all sources"},
       [](const TickMetrics& m) { return m.creator_income; }},
      {{"brand_spend", "money", "brands' spend today: ads, sponsorships, live sessions"},
       [](const TickMetrics& m) { return to_money(m.brands.brand_spend()); }},
      {{"brand_sales_revenue", "money", "brands' revenue from today's purchases"},
       [](const TickMetrics& m) { return to_money(m.brands.revenue); }},
      {{"platform_take", "money", "the platform's ad revenue and commissions today (brands and paid knowledge)"},
       platform_take},
  };
  return specs;
}

std::vector<MetricInfo> make_summary_infos() {
  std::vector<MetricInfo> infos;
  for (std::size_t c = 0; c < kChannelCount; ++c)
    infos.push_back({"impressions_" + std::string(kChannelNames[c]), "items",
                     "impressions over the run through channel " + std::string(kChannelNames[c])});
  infos.push_back({"impressions", "items", "impressions over the run, all channels"});
  infos.push_back({"views", "items", "views over the run"});
  infos.push_back({"likes", "actions", "likes over the run"});
  infos.push_back({"shares", "actions", "share actions over the run"});
  infos.push_back({"follows_gained", "edges", "new follows over the run"});
  infos.push_back({"unfollows", "edges", "unfollows over the run"});
  infos.push_back({"follows_end", "edges", "follow edges at the end"});
  infos.push_back({"true_fans_end", "edges", "true-fan follow edges at the end"});
  infos.push_back({"followers_gini_end", "1", "Gini coefficient of followers across creators alive at the end"});
  infos.push_back(
      {"top3pct_follower_share_end", "1", "share of alive creators' followers held by the top 3% of them at the end"});
  infos.push_back({"creators_alive_end", "creators", "creators on the platform at the end"});
  infos.push_back({"creators_exited", "creators", "creators who exited during the run"});
  infos.push_back({"creators_entered", "creators", "creators who joined during the run"});
  infos.push_back({"purchases", "purchases", "purchases over the run"});
  infos.push_back({"brand_spend", "money", "brands' spend over the run: ads, sponsorships, live sessions"});
  infos.push_back({"brand_sales_revenue", "money", "brands' revenue from purchases over the run"});
  infos.push_back({"creator_income", "money", "income paid to creators over the run, all sources"});
  infos.push_back({"platform_take", "money", "the platform's ad revenue and commissions over the run"});
  return infos;
}

}  // namespace

std::span<const MetricInfo> series_metrics() {
  static const std::vector<MetricInfo> infos = [] {
    std::vector<MetricInfo> out;
    for (const SeriesSpec& spec : series_specs()) out.push_back(spec.info);
    return out;
  }();
  return infos;
}

std::span<const MetricInfo> summary_metrics() {
  static const std::vector<MetricInfo> infos = make_summary_infos();
  return infos;
}

std::size_t summary_index(const std::string& name) {
  auto infos = summary_metrics();
  for (std::size_t i = 0; i < infos.size(); ++i)
    if (infos[i].name == name) return i;
  throw std::out_of_range("no summary metric " + name);
}

double gini(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const double sum = std::accumulate(values.begin(), values.end(), 0.0);
  if (values.empty() || sum <= 0) return 0.0;
  double weighted = 0;
  for (std::size_t i = 0; i < values.size(); ++i) weighted += double(i + 1) * values[i];
  const double n = double(values.size());
  return 2 * weighted / (n * sum) - (n + 1) / n;
}

double top_share(std::vector<double> values, double fraction) {
  const double sum = std::accumulate(values.begin(), values.end(), 0.0);
  if (values.empty() || sum <= 0) return 0.0;
  const auto top = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(fraction * double(values.size()))));
  std::partial_sort(values.begin(), values.begin() + top, values.end(), std::greater<>());
  return std::accumulate(values.begin(), values.begin() + top, 0.0) / sum;
}

RunMetrics run_in_memory(const params::Scenario& scenario, int threads) {
  const auto started = std::chrono::steady_clock::now();
  sim::Simulation simulation(scenario);
  const auto& specs = series_specs();
  std::vector<std::vector<double>> series(specs.size());
  TickMetrics totals;  // sums over the run
  sim::run_ticks(simulation,
                 [&](sim::Simulation& sim) {
                   const TickMetrics& m = sim.last_metrics();
                   for (std::size_t i = 0; i < specs.size(); ++i) series[i].push_back(specs[i].read(m));
                   totals.add(m);
                 },
                 {});
  RunMetrics result;
  result.ticks = simulation.tick();
  for (const auto& column : series) result.series.insert(result.series.end(), column.begin(), column.end());

  const state::State& state = simulation.state();
  std::vector<double> followers;
  for (std::uint32_t c = 0; c < state.creators.count; ++c)
    if (state.lifecycle.alive(c)) followers.push_back(state.creators.followers[c]);
  const TickMetrics& last = simulation.last_metrics();
  std::vector<double>& s = result.summary;
  for (std::size_t c = 0; c < kChannelCount; ++c) s.push_back(double(totals.impressions[c]));
  s.push_back(double(total(totals.impressions)));
  s.push_back(double(total(totals.views)));
  s.push_back(double(total(totals.likes)));
  s.push_back(double(total(totals.shares)));
  s.push_back(double(total(totals.follows)));
  s.push_back(double(total(totals.unfollows)));
  s.push_back(double(state.follows.edges()));
  s.push_back(double(result.ticks ? last.true_fans : 0));
  s.push_back(gini(followers));
  s.push_back(top_share(followers, 0.03));
  s.push_back(double(followers.size()));
  s.push_back(double(totals.creator_exits));
  s.push_back(double(totals.creator_entrants));
  s.push_back(double(total(totals.purchases)));
  s.push_back(to_money(totals.brands.brand_spend()));
  s.push_back(to_money(totals.brands.revenue));
  s.push_back(totals.creator_income);
  s.push_back(platform_take(totals));
  if (s.size() != summary_metrics().size()) throw std::logic_error("summary metrics and their values disagree");
  result.threads = threads;
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace fanflow::experiments
