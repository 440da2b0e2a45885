// `fanflow bench [CASES]`: times the standard scenarios S, M (and L) at 1 and all threads; prints a table (and JSON).
#include <oneapi/tbb/info.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "app/command.hpp"
#include "bench/bench.hpp"
#include "core/error.hpp"

namespace fanflow::app {
namespace {

struct BenchCommandOptions {
  std::vector<std::string> cases{"S", "M"};
  std::vector<int> threads;  // empty: 1 and all cores
  bool full = false;
  std::int64_t days = 0;
  std::string json;
};

int run_bench(const BenchCommandOptions& o) {
  std::vector<int> thread_counts = o.threads;
  if (thread_counts.empty()) {
    thread_counts = {1};
    if (tbb::info::default_concurrency() > 1) thread_counts.push_back(tbb::info::default_concurrency());
  }
  const std::vector<bench::BenchCase> cases = bench::standard_cases(o.cases, !o.full, o.days);
  std::vector<bench::BenchResult> results;
  for (const bench::BenchCase& c : cases)
    for (int threads : thread_counts) {
      std::fprintf(stderr, "fanflow bench: %s (%s), %lld days, %d thread%s\n", c.name.c_str(), c.description.c_str(),
                   static_cast<long long>(c.scenario.params.run.days), threads, threads == 1 ? "" : "s");
      results.push_back(bench::run_case(c, threads));
      if (results.back().refused) break;  // the same refusal at every thread count
    }
  std::fputs(bench::table(results).c_str(), stdout);
  if (!o.json.empty()) {
    const std::string partial = o.json + ".partial";
    std::ofstream out(partial);
    out << bench::json(results);
    out.close();
    if (!out) throw InputError(o.json + ": cannot write the JSON results");
    std::filesystem::rename(partial, o.json);
    std::printf("wrote %s\n", o.json.c_str());
  }
  return 0;
}

}  // namespace

Command add_bench_command(CLI::App& program) {
  auto o = std::make_shared<BenchCommandOptions>();
  CLI::App* bench = program.add_subcommand(
      "bench", "Time the standard scenarios S, M (and L) at 1 and all threads; print a table (and JSON)");
  bench->add_option("cases", o->cases, "Cases to run: S, M, L (default: S M)")->check(CLI::IsMember({"S", "M", "L"}));
  bench->add_flag("--full", o->full, "Run the standard horizons (S 90 days, M 365, L 30) instead of quick ones");
  bench->add_option("--days", o->days, "Run every case for this many days")->check(CLI::Range(1, 100000));
  bench->add_option("--threads", o->threads, "Thread counts to time (default: 1 and all cores)")
      ->check(CLI::Range(1, 1024));
  bench->add_option("--json", o->json, "Also write the results as JSON to this file");
  return {bench, [o] { return run_bench(*o); }};
}

}  // namespace fanflow::app
