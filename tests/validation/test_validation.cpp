// The validation suite's fast cases, run through the same code as `fanflow validate-suite`, and checks that a
// case fails when its mechanism or reference is wrong.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/statistics.hpp"
#include "graph/generators.hpp"
#include "rng/stream.hpp"
#include "validation/validation.hpp"

namespace validation = fanflow::validation;

namespace {

void require_all_pass(const std::vector<validation::Row>& rows) {
  REQUIRE_FALSE(rows.empty());
  for (const validation::Row& row : rows) {
    if (row.skipped) continue;  // external data not available here
    INFO(row.setup << ": measured " << row.measured << ", reference " << row.expected << ", standard error "
                   << row.standard_error);
    CHECK(row.passed);
  }
}

}  // namespace

TEST_CASE("validation: platform adoption follows the Bass curve, and not with one step a day", "[validation]") {
  const auto rows = validation::run_suite("bass_diffusion");
  CHECK(rows.size() == 4);
  require_all_pass(rows);
  // One sub-step a day is the discrete Bass recursion: it runs ahead of the continuous curve by about 0.07.
  const auto coarse = validation::bass_rows(0.03, 0.38, 1, 2);
  CHECK_FALSE(coarse[0].passed);
  CHECK(coarse[0].measured > 0.04);
}

TEST_CASE("validation: cascades stay small below the epidemic threshold and spread above it", "[validation]") {
  const auto rows = validation::run_suite("epidemic_threshold");  // without --data: email-Enron's rows skipped
  CHECK(rows.size() == 8);
  CHECK(std::count_if(rows.begin(), rows.end(), [](const auto& row) { return row.skipped; }) == 4);
  require_all_pass(rows);
  // Just below the threshold (0.9 T_c) cascades do not reach a finite fraction: the "above" row fails there.
  const auto near =
      validation::threshold_rows({"graph.kind=erdos_renyi", "graph.mean_degree=6"}, "Erdos-Renyi", 0.8, 0.9);
  CHECK(near[0].passed);
  CHECK_FALSE(near[1].passed);
}

TEST_CASE("validation: independent cascade on small graphs matches the exact expectation", "[validation]") {
  const auto rows = validation::run_suite("independent_cascade");
  CHECK(rows.size() == 12);
  require_all_pass(rows);
}

TEST_CASE("validation: conservation of impressions and money holds on every tick", "[validation]") {
  const auto rows = validation::run_suite("conservation");
  CHECK(rows.size() == 5);
  require_all_pass(rows);
  // Every side carries traffic or money, so the identities compare something.
  for (const validation::Row& row : rows) CHECK(row.measured > 0);
}

TEST_CASE("validation: share cascades stop within one hop at the default share rate, not at a high one",
          "[validation]") {
  const auto rows = validation::run_suite("shallow_cascades");
  REQUIRE(rows.size() == 1);
  require_all_pass(rows);
  CHECK(rows[0].at_least);
  // Viewers who share half of what they like reshare what friends sent them: cascades go deeper, and the case
  // reports it.
  const validation::Row viral = validation::shallow_cascade_row(0.5, 2);
  CHECK(viral.measured < rows[0].measured);
  CHECK_FALSE(viral.passed);
}

TEST_CASE("validation: results are identical at 1, 2 and 4 threads", "[validation]") {
  require_all_pass(validation::run_suite("determinism"));
}

TEST_CASE("validation: the cascade case fails against a wrong probability", "[validation]") {
  validation::CascadeCheck check = validation::small_graph_cascade_checks().at(4);  // a tree at p = 0.5
  REQUIRE(validation::run_cascade_check(check).passed);
  check.reference_p = check.p - 0.03;  // the kernel at 0.5, the reference at 0.47
  const validation::Row wrong = validation::run_cascade_check(check);
  CHECK_FALSE(wrong.passed);
  CHECK(std::abs(wrong.measured - wrong.expected) > wrong.allowed_errors * wrong.standard_error);
  CHECK_FALSE(validation::all_passed({wrong}));
  CHECK(validation::table_text({wrong}).find("FAIL") != std::string::npos);
}

TEST_CASE("validation: an unknown case name is rejected and tables list every row", "[validation]") {
  CHECK_THROWS_AS(validation::run_suite("no_such_case"), std::invalid_argument);
  validation::Row row;
  row.case_name = "demo";
  row.setup = "setup";
  row.exact = true;
  row.passed = true;
  const std::string markdown = validation::table_markdown({row, row});
  CHECK(markdown.find("| demo | setup | 0 | 0 | - | exact | pass |") != std::string::npos);
  CHECK(validation::table_text({row}).find("1 of 1 rows pass") != std::string::npos);
}

TEST_CASE("validation: the power-law fit finds the exponent and the start of the tail", "[validation]") {
  // 20,000 draws of a discrete power law with alpha = 2.5 from x = 10 on (rounded continuous draws), and 5,000
  // uniform values below 10 that are not part of the tail.
  std::vector<double> values;
  fanflow::rng::Stream stream(99, 0, 0, fanflow::rng::Purpose::Cascade, 7);
  for (int i = 0; i < 20000; ++i) values.push_back(std::floor(9.5 * std::pow(1 - stream.uniform(), -1 / 1.5) + 0.5));
  for (int i = 0; i < 5000; ++i) values.push_back(1 + stream.below(9));
  const fanflow::PowerLawFit fit = fanflow::fit_power_law(values);
  INFO("alpha " << fit.exponent << " +- " << fit.standard_error << ", xmin " << fit.xmin << ", tail " << fit.tail);
  CHECK(std::abs(fit.exponent - 2.5) < 3 * fit.standard_error);
  CHECK(fit.xmin >= 10);
  CHECK(fit.xmin <= 14);
}

TEST_CASE("validation: follows attached by popularity give a tail exponent near 3, popularity-blind ones do not",
          "[validation]") {
  const auto rows = validation::run_suite("preferential_attachment");
  CHECK(rows.size() == 2);
  require_all_pass(rows);
  // Without popularity in the recommender every creator of an age gets the same traffic: followers pile up by
  // age alone and the tail is far steeper than a power law with exponent 3.
  const auto blind = validation::attachment_rows(0, 1);
  INFO("popularity-blind exponent " << blind[0].measured);
  CHECK_FALSE(blind[0].passed);
  CHECK(blind[0].measured > 3.5);
}

TEST_CASE("validation: Gini and unpredictability match hand-computed values", "[validation]") {
  CHECK(fanflow::gini({1, 1, 1, 1}) == Approx(0.0));
  CHECK(fanflow::gini({0, 0, 0, 4}) == Approx(0.75));  // (n - 1) / n when one holds everything
  CHECK(fanflow::gini({1, 2, 3, 4}) == Approx(0.25));  // (2*1-5)*1 + (-1)*2 + 1*3 + 3*4 = 10; 10 / (4*10)
  // Two items, three worlds: |0.5-0.7| + |0.5-0.2| + |0.7-0.2| = 1.0 for each item, over 3 pairs and 2 items.
  CHECK(validation::unpredictability({{0.5, 0.5}, {0.7, 0.3}, {0.2, 0.8}}) == Approx(1.0 / 3));
  CHECK(validation::unpredictability({{0.4, 0.6}, {0.4, 0.6}}) == Approx(0.0));
}

TEST_CASE("validation: popularity-driven recommendation is more unequal and less predictable than blind",
          "[validation]") {
  const auto rows = validation::run_suite("social_influence");
  CHECK(rows.size() == 2);
  require_all_pass(rows);
  // A "driven" arm that is itself blind never beats the blind arm: both rows fail.
  const auto same = validation::influence_rows(validation::popularity_blind_settings(), 3, 2);
  CHECK_FALSE(same[0].passed);
  CHECK_FALSE(same[1].passed);
}

TEST_CASE("validation: the giant outbreak of bond percolation matches the Erdos-Renyi closed form", "[validation]") {
  // On an Erdos-Renyi graph with mean degree c, S solves S = 1 - exp(-c T S).
  const auto scenario = validation::default_scenario_with(
      "test", {"graph.kind=erdos_renyi", "graph.mean_degree=6", "population.users=100000"});
  const fanflow::graph::SocialGraph g = fanflow::graph::make_social_graph(scenario, 100000);
  double mean = 0;
  for (std::uint32_t v = 0; v < g.num_nodes(); ++v) mean += double(g.degree(v)) / g.num_nodes();
  for (double t : {0.1, 0.25, 0.5}) {
    double s = 0.5;
    for (int i = 0; i < 1000; ++i) s = 1 - std::exp(-mean * t * s);
    if (mean * t <= 1) s = 0;
    INFO("T = " << t << ", closed form " << s);
    CHECK(validation::giant_outbreak(g, t) == Approx(s).margin(0.005));
  }
}

TEST_CASE("validation: without its data the email-Enron rows are skipped and say how to get the file", "[validation]") {
  const auto rows = validation::enron_threshold_rows("/nonexistent-folder");
  REQUIRE(rows.size() == 4);
  for (const auto& row : rows) {
    CHECK(row.skipped);
    CHECK(row.setup.find("scripts/fetch_email_enron.py") != std::string::npos);
  }
  CHECK(validation::all_passed(rows));
  CHECK(validation::table_text(rows).find("0 of 0 rows pass (4 skipped)") != std::string::npos);
}
