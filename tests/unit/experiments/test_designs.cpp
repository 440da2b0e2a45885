// Tests of the experiment designs: the structure each design promises (strata, blocks, trajectories), the
// mapping onto factor values, run seeds, and that everything is a deterministic function of the definition.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <set>

#include "experiments/designs.hpp"
#include "experiments/plan.hpp"

using namespace fanflow;
using namespace fanflow::experiments;

namespace {

SweepDefinition definition(DesignKind design, std::size_t factors) {
  SweepDefinition d;
  d.source = "test.yaml";
  d.design = design;
  d.seed = 99;
  for (std::size_t j = 0; j < factors; ++j) {
    Factor f;
    f.path = "engagement.share_rate";
    f.lo = 0;
    f.hi = 1;
    d.factors.push_back(f);
  }
  return d;
}

}  // namespace

TEST_CASE("Latin hypercube puts one point in each stratum of every factor", "[experiments]") {
  SweepDefinition d = definition(DesignKind::LatinHypercube, 3);
  d.samples = 17;
  const UnitDesign u = unit_design(d);
  REQUIRE(u.points == 17);
  for (std::size_t j = 0; j < 3; ++j) {
    std::set<int> strata;
    for (std::size_t p = 0; p < u.points; ++p) strata.insert(static_cast<int>(std::floor(u.at(p, j) * 17)));
    CHECK(strata.size() == 17);
  }
  d.seed = 100;
  CHECK(unit_design(d).coordinates != u.coordinates);  // the seed matters
}

TEST_CASE("Random design is uniform in the unit cube and reproducible", "[experiments]") {
  SweepDefinition d = definition(DesignKind::Random, 2);
  d.samples = 4000;
  const UnitDesign u = unit_design(d);
  double sum = 0;
  for (double x : u.coordinates) {
    REQUIRE(x >= 0);
    REQUIRE(x < 1);
    sum += x;
  }
  // Mean of 8000 uniforms: standard error 0.0032; 5 standard errors.
  CHECK(std::abs(sum / 8000 - 0.5) < 0.016);
  CHECK(unit_design(d).coordinates == u.coordinates);
}

TEST_CASE("Sobol design is Boost's Sobol sequence", "[experiments]") {
  SweepDefinition d = definition(DesignKind::Sobol, 2);
  d.samples = 4;
  const UnitDesign u = unit_design(d);
  const std::vector<double> expected = {0.5, 0.5, 0.75, 0.25, 0.25, 0.75, 0.375, 0.375};
  CHECK(u.coordinates == expected);
}

TEST_CASE("Saltelli blocks are A, AB(1..k), B from the 2k-dimensional Sobol sequence", "[experiments]") {
  const std::size_t k = 3, n = 5;
  SweepDefinition d = definition(DesignKind::Saltelli, k);
  d.samples = n;
  const UnitDesign u = unit_design(d);
  REQUIRE(u.points == n * (k + 2));
  boost::random::sobol sobol(2 * k);
  for (std::size_t base = 0; base < n; ++base) {
    std::vector<double> ab(2 * k);
    for (double& x : ab) x = std::ldexp(static_cast<double>(sobol()), -64);
    const std::size_t first = base * (k + 2);
    for (std::size_t j = 0; j < k; ++j) {
      CHECK(u.at(first, j) == ab[j]);                                                                     // A
      CHECK(u.at(first + k + 1, j) == ab[k + j]);                                                         // B
      for (std::size_t i = 0; i < k; ++i) CHECK(u.at(first + 1 + i, j) == (i == j ? ab[k + j] : ab[j]));  // AB(i)
    }
  }
}

TEST_CASE("Morris trajectories move one factor by delta at each step, each factor once", "[experiments]") {
  const std::size_t k = 4;
  for (std::uint64_t levels : {2u, 4u, 6u}) {
    SweepDefinition d = definition(DesignKind::Morris, k);
    d.trajectories = 7;
    d.levels = levels;
    const UnitDesign u = unit_design(d);
    REQUIRE(u.points == 7 * (k + 1));
    const double delta = double(levels) / (2.0 * double(levels - 1));
    for (std::size_t t = 0; t < 7; ++t) {
      std::set<std::size_t> moved;
      for (std::size_t step = 1; step <= k; ++step) {
        std::vector<std::size_t> changed;
        for (std::size_t j = 0; j < k; ++j) {
          const double a = u.at(t * (k + 1) + step - 1, j), b = u.at(t * (k + 1) + step, j);
          if (a != b) {
            changed.push_back(j);
            CHECK(std::abs(std::abs(b - a) - delta) < 1e-12);
          }
          CHECK(b >= 0);
          CHECK(b <= 1);
          const double on_grid = b * double(levels - 1);
          CHECK(std::abs(on_grid - std::round(on_grid)) < 1e-9);
        }
        REQUIRE(changed.size() == 1);
        moved.insert(changed[0]);
      }
      CHECK(moved.size() == k);
    }
  }
}

TEST_CASE("Grid design is the Cartesian product with the last factor fastest", "[experiments]") {
  SweepDefinition d = definition(DesignKind::Grid, 2);
  d.factors[0].path = "population.creators";
  d.factors[0].integer = true;
  d.factors[0].values = {1, 2, 3};
  d.factors[1].path = "users.attention_mean";
  d.factors[1].values = {10, 20};
  d.base = params::default_scenario();
  const SweepPlan plan = make_plan(d);
  REQUIRE(plan.points() == 6);
  const std::vector<double> values = {1, 10, 1, 20, 2, 10, 2, 20, 3, 10, 3, 20};
  CHECK(plan.values == values);
  const std::vector<double> unit = {0, 0, 0, 1, 0.5, 0, 0.5, 1, 1, 0, 1, 1};
  CHECK(plan.unit.coordinates == unit);
}

TEST_CASE("Factor values follow the scale and integer parameters are rounded", "[experiments]") {
  Factor linear{"x", false, {}, 2, 6, Scale::Linear};
  CHECK(factor_value(linear, 0.25, 0) == 3);
  Factor log{"x", false, {}, 0.01, 1, Scale::Log};
  CHECK(factor_value(log, 0.5, 0) == Approx(0.1).epsilon(1e-12));
  CHECK(factor_value(log, 1.0, 0) == 1);
  Factor integer{"x", true, {}, 10, 20, Scale::Linear};
  CHECK(factor_value(integer, 0.33, 0) == 13);
  CHECK(factor_value(integer, 0.999999, 0) == 20);
}

TEST_CASE("Run seeds are deterministic, distinct and within [0, 2^53 - 1]", "[experiments]") {
  std::set<std::uint64_t> seeds;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const std::uint64_t s = derive_run_seed(42, i);
    CHECK(s < (std::uint64_t{1} << 53));
    CHECK(s == derive_run_seed(42, i));
    seeds.insert(s);
  }
  CHECK(seeds.size() == 1000);
  CHECK(derive_run_seed(43, 0) != derive_run_seed(42, 0));
}

TEST_CASE("Shared seeds give replicate r the same seed at every point", "[experiments]") {
  SweepDefinition d = definition(DesignKind::LatinHypercube, 1);
  d.samples = 4;
  d.replicates = 3;
  d.base = params::default_scenario();
  const SweepPlan independent = make_plan(d);
  d.seeds = SeedMode::Shared;
  const SweepPlan shared = make_plan(d);
  std::set<std::uint64_t> all;
  for (std::size_t run = 0; run < 12; ++run) {
    CHECK(independent.runs[run].point == run / 3);
    CHECK(independent.runs[run].replicate == run % 3);
    all.insert(independent.runs[run].seed);
    CHECK(shared.runs[run].seed == shared.runs[run % 3].seed);
  }
  CHECK(all.size() == 12);
  CHECK(shared.definition_text != independent.definition_text);
  CHECK(fingerprint(shared.definition_text) != fingerprint(independent.definition_text));
}
