// Tests of the run scheduler, the journal and the comparison statistics: the parallelism rule, every run
// delivered once with results independent of the jobs, failures propagated, torn journal records dropped.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

#include "core/error.hpp"
#include "experiments/compare.hpp"
#include "experiments/journal.hpp"
#include "experiments/scheduler.hpp"

using namespace fanflow;
using namespace fanflow::experiments;

namespace {

params::Scenario scenario_with_users(std::int64_t users) {
  params::Scenario s = params::default_scenario();
  s.params.population.users = users;
  s.params.population.creators = 10;
  return s;
}

RunMetrics fake_metrics(std::uint64_t run) {
  RunMetrics m;
  m.ticks = 2;
  m.series.assign(series_metrics().size() * 2, double(run));
  m.summary.assign(summary_metrics().size(), double(run) + 0.5);
  m.wall_seconds = 1.25;
  m.threads = 3;
  return m;
}

}  // namespace

TEST_CASE("Parallelism: small runs side by side, large runs alone, never more threads than the budget",
          "[experiments]") {
  const auto small = choose_parallelism(scenario_with_users(2000), 50, 0, 8);
  CHECK(small.jobs == 8);
  CHECK(small.threads_per_run == 1);
  const auto large = choose_parallelism(scenario_with_users(kLargeRunUsers), 50, 0, 8);
  CHECK(large.jobs == 1);
  CHECK(large.threads_per_run == 8);
  const auto asked = choose_parallelism(scenario_with_users(2000), 50, 3, 8);
  CHECK(asked.jobs == 3);
  CHECK(asked.threads_per_run == 2);
  const auto capped = choose_parallelism(scenario_with_users(2000), 50, 16, 4);
  CHECK(capped.jobs == 4);
  CHECK(capped.threads_per_run == 1);
  CHECK(choose_parallelism(scenario_with_users(2000), 2, 0, 8).jobs == 2);  // no more jobs than runs
}

TEST_CASE("run_all delivers every run once, one at a time, the same whatever the jobs", "[experiments]") {
  params::Scenario s =
      params::load_scenario_text("run: {days: 4}\npopulation: {users: 1500, creators: 20}\n", "runner.yaml", ".");
  params::check_consistency(s);
  std::vector<std::uint64_t> todo = {0, 1, 2, 3, 4, 5};
  auto collect = [&](Parallelism p) {
    std::map<std::uint64_t, RunMetrics> results;
    run_all(
        todo, p,
        [&](std::uint64_t run, int threads) {
          params::Scenario r = s;
          r.params.run.seed = static_cast<std::int64_t>(run + 1);
          return run_in_memory(r, threads);
        },
        [&](std::uint64_t run, RunMetrics&& m) { REQUIRE(results.emplace(run, std::move(m)).second); });
    return results;
  };
  const auto one = collect({1, 1});
  const auto three = collect({3, 1});
  REQUIRE(one.size() == 6);
  REQUIRE(three.size() == 6);
  for (const auto& [run, m] : one) {
    CHECK(m.summary == three.at(run).summary);
    CHECK(m.series == three.at(run).series);
  }
  CHECK(one.at(0).summary != one.at(1).summary);  // the seeds differ
}

TEST_CASE("run_all stops handing out runs after a failure and rethrows it", "[experiments]") {
  // One job: runs are handed out in order, so exactly runs 0..3 start.
  std::vector<std::uint64_t> todo(100);
  std::iota(todo.begin(), todo.end(), 0);
  std::atomic<int> started{0};
  CHECK_THROWS_AS(run_all(
                      todo, {1, 1},
                      [&](std::uint64_t run, int) {
                        ++started;
                        if (run == 3) throw InputError("run 3 failed");
                        return fake_metrics(run);
                      },
                      [](std::uint64_t, RunMetrics&&) {}),
                  InputError);
  CHECK(started.load() == 4);
}

TEST_CASE("The journal keeps complete records, drops a torn one and refuses another definition", "[experiments]") {
  const auto dir = std::filesystem::temp_directory_path() / "fanflow_journal_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto path = dir / "s.h5.journal";
  {
    Journal journal(path, dir / "s.h5", "definition A", 2);
    CHECK(journal.completed().empty());
    journal.append(4, fake_metrics(4));
    journal.append(1, fake_metrics(1));
  }
  const auto complete_size = std::filesystem::file_size(path);
  {
    std::ofstream torn(path, std::ios::app | std::ios::binary);
    torn << "half a record";
  }
  {
    Journal journal(path, dir / "s.h5", "definition A", 2);
    REQUIRE(journal.completed().size() == 2);
    const RunMetrics& m = journal.completed().at(4);
    CHECK(m.summary == fake_metrics(4).summary);
    CHECK(m.series == fake_metrics(4).series);
    CHECK(m.wall_seconds == 1.25);
    CHECK(m.threads == 3);
  }
  CHECK(std::filesystem::file_size(path) == complete_size);  // the torn tail was cut
  {
    // A flipped byte inside the last record fails its checksum: that record is dropped.
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(complete_size - 20));
    file.put('\x7f');
  }
  CHECK(Journal(path, dir / "s.h5", "definition A", 2).completed().size() == 1);
  CHECK_THROWS_WITH(Journal(path, dir / "s.h5", "definition B", 2),
                    Catch::Contains("different sweep definition") && Catch::Contains("another -o"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("Paired difference: mean and Student-t 95% interval", "[experiments]") {
  const MetricComparison row = compare_metric("x", {10, 20, 30, 40}, {11, 22, 33, 44});
  CHECK(row.baseline_mean == 25);
  CHECK(row.plan_mean == 27.5);
  CHECK(row.difference_mean == 2.5);
  // Differences 1, 2, 3, 4: sd 1.29099, se 0.645497, t(0.975, 3) = 3.182446.
  CHECK(row.difference_half_ci == Approx(3.182446 * 0.645497).epsilon(1e-5));
}
