// Tests of matched comparisons per focal brand (experiments/compare.hpp): a plan that moves one brand's money is a
// large, significant effect on that brand's own figures while the platform total barely moves; the file holds the
// focal groups and the per-day band; both scenarios must name the same focal brands; printed numbers carry a few
// significant digits and no float noise.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/error.hpp"
#include "core/number_text.hpp"
#include "experiments/compare.hpp"
#include "io/hdf5_file.hpp"
#include "io/output_schema.hpp"
#include "support/scenario.hpp"
#include "support/temp_dir.hpp"

using namespace fanflow;

namespace {

const std::string kWorld =
    "run: {seed: 5, days: 40}\n"
    "population: {users: 4000, creators: 60, topics: 8, brands: 8}\n"
    "graph: {kind: barabasi_albert, mean_degree: 8}\n"
    "marketplace: {min_followers: 10}\n"
    "actors: {brands: [{name: Acme, focal: true, budget: 100}]}\n";

const experiments::MetricComparison& focal_row(const experiments::CompareResult& result, const std::string& name) {
  const auto& specs = io::focal_brand_metrics();
  for (std::size_t m = 0; m < specs.size(); ++m)
    if (specs[m].name == name) return result.focal.at(0).rows.at(m);
  throw std::out_of_range(name);
}

}  // namespace

TEST_CASE("compare: moving one brand's money is a large effect on it, not on the platform", "[compare]") {
  const params::Scenario baseline = testing::make_scenario(kWorld, "");
  params::Scenario plan = testing::make_scenario(
      kWorld + "timeline:\n  - {at: 0, event: {kind: shift, brand: Acme, from: ads, to: sponsorship, fraction: 1}}\n",
      "");
  testing::TempDir folder("fanflow_compare_test_");
  experiments::CompareOptions options;
  options.output = folder.path() / "acme.h5";
  options.replicates = 10;
  options.seed = 3;
  options.quiet = true;
  const experiments::CompareResult result = experiments::run_comparison(baseline, plan, options);
  REQUIRE(result.focal.size() == 1);
  CHECK(result.focal[0].name == "Acme");
  // Acme's own revenue changes by more than a fifth, and its interval excludes 0 ...
  const auto& revenue = focal_row(result, "revenue");
  const double acme_change = revenue.difference_mean / revenue.baseline_mean;
  CHECK(std::fabs(acme_change) > 0.2);
  CHECK(std::fabs(revenue.difference_mean) > revenue.difference_half_ci);
  // ... while the platform's sales revenue, the sum over 8 brands, moves by less than a quarter as much.
  const auto& platform = result.rows[experiments::summary_index("brand_sales_revenue")];
  CHECK(std::fabs(platform.difference_mean / platform.baseline_mean) < std::fabs(acme_change) / 4);
  // No ads bought in the plan: its ad spend is 0 in every replicate.
  CHECK(focal_row(result, "spend_ads").plan_mean == 0);
  CHECK(focal_row(result, "spend_ads").baseline_mean > 0);

  const std::string table = experiments::comparison_table(result);
  CHECK(table.find("what happens to Acme (brand 0):") == 0);
  CHECK(table.find("the platform:") != std::string::npos);

  io::InputFile file(options.output);
  CHECK(file.read_integer_attribute("/", "format_version") == 2);
  CHECK(file.read_integer_attribute("/focal/Acme", "brand") == 0);
  const auto plan_revenue = file.read_column<double>("/focal/Acme/plan/summary/revenue");
  const auto base_revenue = file.read_column<double>("/focal/Acme/baseline/summary/revenue");
  const auto difference = file.read_column<double>("/focal/Acme/difference/summary/revenue");
  REQUIRE(difference.size() == 10);
  for (std::size_t r = 0; r < 10; ++r) CHECK(difference[r] == plan_revenue[r] - base_revenue[r]);
  std::uint64_t columns = 0;
  const auto band = file.read_table<double>("/focal/Acme/difference/band/revenue", columns);
  REQUIRE(columns == 40);
  REQUIRE(band.size() == 3 * 40);
  for (std::size_t t = 0; t < 40; ++t) {
    CHECK(band[40 + t] <= band[t]);  // low <= mean <= high
    CHECK(band[t] <= band[80 + t]);
  }
  // The series' days add up to the run's figure.
  const auto daily = file.read_table<double>("/focal/Acme/plan/series/revenue", columns);
  double day_sum = 0;
  for (std::size_t t = 0; t < 40; ++t) day_sum += daily[t];
  CHECK(day_sum == Approx(plan_revenue[0]));
}

TEST_CASE("compare: both scenarios must name the same focal brands", "[compare]") {
  const params::Scenario baseline = testing::make_scenario(kWorld, "");
  const params::Scenario plan = testing::make_scenario(
      "run: {seed: 5, days: 40}\npopulation: {users: 4000, creators: 60, topics: 8, brands: 8}\n", "");
  testing::TempDir folder("fanflow_compare_test_");
  experiments::CompareOptions options;
  options.output = folder.path() / "out.h5";
  options.replicates = 2;
  options.quiet = true;
  try {
    experiments::run_comparison(baseline, plan, options);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "test.yaml: its focal brands are none but the baseline's (test.yaml) are Acme (brand 0); a comparison "
          "reports the same focal brands in both scenarios");
  }
  CHECK_FALSE(std::filesystem::exists(options.output));
}

TEST_CASE("numbers: printed with a few significant digits, grouped, without float noise", "[compare]") {
  CHECK(readable_number(0.010000000000000004) == "0.01");
  CHECK(readable_number(42800912.4) == "42,800,912");
  CHECK(readable_number(-2307.4) == "-2,307");
  CHECK(readable_number(-0.835) == "-0.835");
  CHECK(readable_number(3.14159) == "3.142");
  CHECK(readable_number(0) == "0");
  CHECK(readable_number(-0.00001) == "-1.000e-05");
  CHECK(readable_number(2e16) == "2.000e+16");
  CHECK(readable_number(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(signed_number(5) == "+5");
  CHECK(signed_number(-0.5) == "-0.5");
  CHECK(signed_number(0) == "+0");
}
