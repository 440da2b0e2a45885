// Tests of the concentration statistics (core/statistics.hpp) on distributions with known values.
#include <catch2/catch.hpp>

#include "core/statistics.hpp"

using namespace fanflow;

TEST_CASE("Gini and top share of known distributions", "[core]") {
  CHECK(gini({5, 5, 5, 5}) == Approx(0).margin(1e-15));
  CHECK(gini({0, 0, 0, 4}) == Approx(0.75));  // one of n holds everything: (n - 1) / n
  CHECK(gini({1, 2, 3, 4}) == Approx(0.25));
  CHECK(gini({}) == 0);
  CHECK(gini({0, 0}) == 0);
  std::vector<double> hundred(100, 1.0);
  hundred[7] = 101;  // 3% of 100 creators = 3 creators: 101 + 1 + 1 of 200
  CHECK(top_share(hundred, 0.03) == Approx(103.0 / 200.0));
  CHECK(top_share({3, 1}, 0.03) == Approx(0.75));  // at least one creator
}
