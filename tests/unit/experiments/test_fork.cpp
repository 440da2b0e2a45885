// Tests of forking a run (sim::Simulation::fork, experiments::InMemoryRun::fork, compare --fork-at): a baseline
// run forked at day D under a plan whose differences start at D goes on exactly as the plan run from day 0 does, bit
// for bit, with 1 and 2 threads; a plan that differs before D is refused with the first difference named; a
// forked comparison gives the figures of an unforked one.
#include <oneapi/tbb/global_control.h>

#include <catch2/catch.hpp>

#include <cmath>

#include "core/error.hpp"
#include "experiments/compare.hpp"
#include "experiments/run_metrics.hpp"
#include "support/scenario.hpp"
#include "support/temp_dir.hpp"

using namespace fanflow;

namespace {

const std::string kWorld =
    "run: {seed: 9, days: 24}\n"
    "population: {users: 3000, creators: 40, topics: 8, brands: 4}\n"
    "graph: {kind: barabasi_albert, mean_degree: 8}\n"
    "marketplace: {min_followers: 10}\n"
    "actors: {brands: [{name: Acme, focal: true, budget: 120}]}\n";
// Both share an entry on day 3; the plan adds a shift on day 10 and a rule change from day 14 to 18.
const std::string kShared = "timeline:\n  - {at: 3, set: {engagement.share_rate: 0.02}}\n";
const std::string kPlanned =
    kShared +
    "  - {at: 10, event: {kind: shift, brand: Acme, from: ads, to: sponsorship, fraction: 0.6}}\n"
    "  - {from: 14, until: 18, set: {recommendation.explore_probability: 0.3}}\n";

void require_same(const experiments::RunMetrics& a, const experiments::RunMetrics& b) {
  REQUIRE(a.ticks == b.ticks);
  CHECK(a.series == b.series);
  CHECK(a.summary == b.summary);
  CHECK(a.focal == b.focal);
  CHECK(a.focal_series == b.focal_series);
  REQUIRE(a.facts.size() == b.facts.size());
  for (std::size_t i = 0; i < a.facts.size(); ++i)
    CHECK((a.facts[i] == b.facts[i] || (std::isnan(a.facts[i]) && std::isnan(b.facts[i]))));
}

}  // namespace

TEST_CASE("fork: a run forked at day D under the plan is the plan's own run, with 1 and 2 threads", "[fork]") {
  const params::Scenario baseline = testing::make_scenario(kWorld + kShared, "");
  const params::Scenario plan = testing::make_scenario(kWorld + kPlanned, "");
  for (int threads : {1, 2}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    const experiments::RunMetrics from_scratch = experiments::run_in_memory(plan, threads);
    for (Tick day : {Tick{0}, Tick{10}}) {
      INFO("threads " << threads << ", fork at day " << day);
      experiments::InMemoryRun warm(baseline);
      warm.run_until(day);
      experiments::InMemoryRun forked = warm.fork(plan);
      forked.run_until(24);
      require_same(forked.finish(threads), from_scratch);
      // The warm-up run goes on as the baseline.
      warm.run_until(24);
      require_same(warm.finish(threads), experiments::run_in_memory(baseline, threads));
    }
  }
  // The plan really differs from day 10 on, so the identity above is not the baseline's.
  CHECK(experiments::run_in_memory(plan, 1).focal != experiments::run_in_memory(baseline, 1).focal);
}

TEST_CASE("fork: a plan that differs before the fork day is refused, naming the difference", "[fork]") {
  const params::Scenario baseline = testing::make_scenario(kWorld + kShared, "");
  const params::Scenario plan = testing::make_scenario(kWorld + kPlanned, "");
  CHECK(params::fork_difference(baseline, plan, 10).empty());
  CHECK(params::fork_difference(baseline, plan, 0).empty());  // nothing differs before day 0
  const std::string late = params::fork_difference(baseline, plan, 11);
  CHECK(late.find("the plan differs from the baseline before day 11") != std::string::npos);
  CHECK(late.find("nothing in the baseline, '  - at: 10' in the plan") != std::string::npos);
  const params::Scenario other_rule = testing::make_scenario(kWorld + kShared, "engagement.like_rate=0.2");
  CHECK(params::fork_difference(baseline, other_rule, 10).find("like_rate") != std::string::npos);
  const params::Scenario out_of_order =
      testing::make_scenario(kWorld +
                                 "timeline:\n  - {at: 12, set: {engagement.share_rate: 0.03}}\n  - {at: 3, set: "
                                 "{engagement.share_rate: 0.02}}\n",
                             "");
  CHECK(
      params::fork_difference(out_of_order, out_of_order, 10).find("list the entries that start before day 10 first") !=
      std::string::npos);
}

TEST_CASE("fork: compare --fork-at gives the figures of the unforked comparison", "[fork]") {
  testing::TempDir folder("fanflow_fork_");
  const params::Scenario baseline = testing::make_scenario(kWorld + kShared, "");
  const params::Scenario plan = testing::make_scenario(kWorld + kPlanned, "");
  experiments::CompareOptions options;
  options.replicates = 3;
  options.seed = 4;
  options.quiet = true;
  options.output = folder.path() / "plain.h5";
  const experiments::CompareResult plain = experiments::run_comparison(baseline, plan, options);
  options.output = folder.path() / "forked.h5";
  options.fork_at = 10;
  const experiments::CompareResult forked = experiments::run_comparison(baseline, plan, options);
  for (std::size_t r = 0; r < 3; ++r) {
    require_same(forked.baseline[r], plain.baseline[r]);
    require_same(forked.plan[r], plain.plan[r]);
  }
  options.fork_at = 11;
  options.output = folder.path() / "late.h5";
  CHECK_THROWS_WITH(experiments::run_comparison(baseline, plan, options),
                    Catch::Contains("--fork-at 11: the plan differs from the baseline before day 11"));
  options.fork_at = 24;
  CHECK_THROWS_WITH(experiments::run_comparison(baseline, plan, options),
                    Catch::Contains("--fork-at: 24 is not a day of the run (0 to 23)"));
}
