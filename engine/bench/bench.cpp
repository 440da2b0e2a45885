// The benchmark harness: standard scenarios, a timed run per thread count, memory measured and reported.
#include "bench/bench.hpp"

#include <oneapi/tbb/global_control.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "core/channel.hpp"
#include "core/error.hpp"
#include "params/default_scenario.hpp"
#include "sim/memory.hpp"
#include "sim/simulation.hpp"

namespace fanflow::bench {
namespace {

/// The process's peak resident memory so far (VmHWM of /proc/self/status), in bytes; 0 where unknown.
std::uint64_t peak_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

/// Starts a new peak: writing 5 to /proc/self/clear_refs resets VmHWM to the current resident size (Linux).
void reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  if (clear) clear << "5";
}

struct CaseSpec {
  const char* name;
  const char* description;
  std::int64_t standard_days, quick_days;
  std::vector<std::string> overrides;  // over the default scenario
};

const std::vector<CaseSpec>& specs() {
  static const std::vector<CaseSpec> kSpecs = {
      {"S", "the default scenario: 100k users, 1,000 creators, 20 brands", 90, 10, {}},
      {"M",
       "1M users, 10k creators, 100 brands, 20 impressions per user per day",
       365,
       7,
       {"population.users=1000000", "population.creators=10000", "population.brands=100",
        "users.attention_distribution=constant", "users.attention_mean=20", "users.daily_active_probability=1",
        "lifecycle.max_entrants=10000"}},
      {"L",
       "10M users, 100M social edges (memory check), 100k creators, 1,000 brands",
       30,
       1,
       {"population.users=10000000", "graph.mean_degree=20", "population.creators=100000", "population.brands=1000",
        "users.attention_distribution=constant", "users.attention_mean=20", "users.daily_active_probability=1",
        "lifecycle.max_entrants=10000"}},
  };
  return kSpecs;
}

std::string fixed(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

}  // namespace

std::vector<BenchCase> standard_cases(const std::vector<std::string>& names, bool quick, std::int64_t days) {
  std::vector<BenchCase> cases;
  for (const std::string& name : names) {
    auto spec = std::find_if(specs().begin(), specs().end(), [&](const CaseSpec& s) { return name == s.name; });
    if (spec == specs().end()) throw InputError("bench: unknown case '" + name + "'; expected S, M or L");
    BenchCase c{spec->name, spec->description,
                params::load_scenario_text(params::kDefaultScenarioYaml, std::string("bench ") + spec->name, "."),
                quick, spec->standard_days};
    for (const std::string& assignment : spec->overrides) params::apply_override(c.scenario, assignment);
    const std::int64_t horizon = days > 0 ? days : quick ? spec->quick_days : spec->standard_days;
    params::apply_override(c.scenario, "run.days=" + std::to_string(horizon));
    c.quick = horizon < spec->standard_days;
    params::check_consistency(c.scenario);
    cases.push_back(std::move(c));
  }
  return cases;
}

BenchResult run_case(const BenchCase& bench_case, int threads) {
  const params::Params& p = bench_case.scenario.params;
  BenchResult r;
  r.name = bench_case.name;
  r.threads = threads;
  r.users = p.population.users;
  r.creators = p.population.creators;
  r.brands = p.population.brands;
  r.days = p.run.days;
  r.standard_days = bench_case.standard_days;
  r.estimated_bytes = sim::estimate_memory(bench_case.scenario).total();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  reset_peak_rss();
  const auto clock = [] { return std::chrono::steady_clock::now(); };
  const auto start = clock();
  std::unique_ptr<sim::Simulation> simulation;
  try {
    simulation = std::make_unique<sim::Simulation>(bench_case.scenario);
  } catch (const InputError& error) {
    r.refused = true;
    r.message = error.what();
    return r;
  }
  const auto set_up = clock();
  for (std::int64_t day = 0; day < p.run.days; ++day) {
    simulation->step();
    for (std::size_t c = 0; c < kChannelCount; ++c) r.impressions += simulation->last_metrics().impressions[c];
  }
  const auto done = clock();
  r.setup_seconds = std::chrono::duration<double>(set_up - start).count();
  r.run_seconds = std::chrono::duration<double>(done - set_up).count();
  r.impressions_per_second = r.run_seconds > 0 ? double(r.impressions) / r.run_seconds : 0;
  r.ns_per_impression = r.impressions > 0 ? r.run_seconds * 1e9 / double(r.impressions) : 0;
  r.agent_days_per_second = r.run_seconds > 0 ? double(r.users) * double(r.days) / r.run_seconds : 0;
  const sim::MemoryUse use = sim::measure_memory(simulation->state());
  r.state_bytes = use.total();
  r.user_bytes = use.users_bytes;
  r.graph_bytes = use.graph_bytes;
  r.social_edges = simulation->state().friends.num_edges();
  r.bytes_per_user = r.users > 0 ? double(use.users_bytes) / double(r.users) : 0;
  r.bytes_per_edge = r.social_edges > 0 ? double(use.graph_bytes) / double(r.social_edges) : 0;
  r.peak_rss_bytes = peak_rss_bytes();
  r.phases = simulation->profile().entries();
  return r;
}

std::string table(const std::vector<BenchResult>& results) {
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-4s %7s %11s %5s %8s %9s %12s %8s %12s %9s %9s %9s %10s\n", "case", "threads",
                "users", "days", "setup s", "run s", "impr/s", "ns/impr", "agent-days/s", "B/user", "B/edge",
                "peak RSS", "speed-up");
  out << line;
  std::map<std::string, double> one_thread;  // run seconds at 1 thread, by case
  for (const BenchResult& r : results)
    if (r.threads == 1 && !r.refused) one_thread[r.name] = r.run_seconds;
  for (const BenchResult& r : results) {
    if (r.refused) {
      out << r.name << "    refused up front: " << r.message << "\n";
      continue;
    }
    const auto base = one_thread.find(r.name);
    const std::string speedup =
        base != one_thread.end() && r.run_seconds > 0 ? fixed(base->second / r.run_seconds, 2) + "x" : std::string("-");
    std::snprintf(line, sizeof line, "%-4s %7d %11lld %5lld %8.1f %9.2f %12.3g %8.1f %12.3g %9.1f %9.1f %9s %10s\n",
                  r.name.c_str(), r.threads, static_cast<long long>(r.users), static_cast<long long>(r.days),
                  r.setup_seconds, r.run_seconds, r.impressions_per_second, r.ns_per_impression,
                  r.agent_days_per_second, r.bytes_per_user, r.bytes_per_edge,
                  sim::format_bytes(r.peak_rss_bytes).c_str(), speedup.c_str());
    out << line;
  }
  // Time per phase, per case and thread count.
  out << "\ntime per phase (s):\n";
  for (const BenchResult& r : results) {
    if (r.refused) continue;
    out << "  " << r.name << " x" << r.threads << ":";
    for (const auto& phase : r.phases) out << " " << phase.phase << " " << fixed(phase.seconds, 2);
    out << "\n";
  }
  std::string noted;
  for (const BenchResult& r : results)
    if (!r.refused && r.days < r.standard_days && noted.find(r.name) == std::string::npos && (noted += r.name, true))
      out << "note: " << r.name << " ran " << r.days << " days of its standard " << r.standard_days
          << " (quick mode); rates are per day run.\n";
  return out.str();
}

std::string json(const std::vector<BenchResult>& results) {
  std::ostringstream out;
  auto quoted = [](const std::string& text) {
    std::string q = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q + "\"";
  };
  out << "{\"format\": \"fanflow-bench\", \"results\": [";
  for (std::size_t k = 0; k < results.size(); ++k) {
    const BenchResult& r = results[k];
    out << (k ? ", " : "") << "{\"case\": " << quoted(r.name) << ", \"threads\": " << r.threads
        << ", \"users\": " << r.users << ", \"creators\": " << r.creators << ", \"brands\": " << r.brands
        << ", \"days\": " << r.days << ", \"standard_days\": " << r.standard_days
        << ", \"refused\": " << (r.refused ? "true" : "false") << ", \"message\": " << quoted(r.message)
        << ", \"social_edges\": " << r.social_edges << ", \"setup_seconds\": " << r.setup_seconds
        << ", \"run_seconds\": " << r.run_seconds << ", \"impressions\": " << r.impressions
        << ", \"impressions_per_second\": " << r.impressions_per_second
        << ", \"ns_per_impression\": " << r.ns_per_impression
        << ", \"agent_days_per_second\": " << r.agent_days_per_second << ", \"estimated_bytes\": " << r.estimated_bytes
        << ", \"state_bytes\": " << r.state_bytes << ", \"user_bytes\": " << r.user_bytes
        << ", \"graph_bytes\": " << r.graph_bytes << ", \"peak_rss_bytes\": " << r.peak_rss_bytes
        << ", \"bytes_per_user\": " << r.bytes_per_user << ", \"bytes_per_edge\": " << r.bytes_per_edge
        << ", \"phases\": {";
    for (std::size_t i = 0; i < r.phases.size(); ++i)
      out << (i ? ", " : "") << quoted(r.phases[i].phase) << ": " << r.phases[i].seconds;
    out << "}}";
  }
  out << "]}\n";
  return out.str();
}

}  // namespace fanflow::bench
