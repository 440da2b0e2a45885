// Tests of the counter-based streams: purity, independence of keys, and distribution moments.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "rng/stream.hpp"

using fanflow::rng::Purpose;
using fanflow::rng::Stream;

TEST_CASE("rng: a stream is a pure function of its key", "[rng]") {
  Stream a(42, 3, 17, Purpose::Consume, 5), b(42, 3, 17, Purpose::Consume, 5);
  for (int i = 0; i < 100; ++i) CHECK(a() == b());
}

TEST_CASE("rng: every part of the key changes the draws", "[rng]") {
  auto first = [](Stream s) { return std::make_tuple(s(), s(), s()); };
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> seen;
  seen.insert(first(Stream(1, 0, 0, Purpose::Consume, 0)));
  seen.insert(first(Stream(2, 0, 0, Purpose::Consume, 0)));
  seen.insert(first(Stream(1ull << 40, 0, 0, Purpose::Consume, 0)));
  seen.insert(first(Stream(1, 1, 0, Purpose::Consume, 0)));
  seen.insert(first(Stream(1, 0, 1, Purpose::Consume, 0)));
  seen.insert(first(Stream(1, 0, 0, Purpose::Post, 0)));
  seen.insert(first(Stream(1, 0, 0, Purpose::Consume, 1)));
  CHECK(seen.size() == 7);
}

TEST_CASE("rng: uniform and normal draws have the right moments within 4 standard errors", "[rng]") {
  const int n = 200000;
  Stream s(7, 0, 0, Purpose::Consume);
  double sum = 0, sum_sq = 0, nsum = 0, nsum_sq = 0;
  for (int i = 0; i < n; ++i) {
    double u = s.uniform();
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u, sum_sq += u * u;
    double z = s.normal();
    nsum += z, nsum_sq += z * z;
  }
  CHECK(std::abs(sum / n - 0.5) < 4 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(sum_sq / n - 1.0 / 3) < 4 * std::sqrt((1.0 / 5 - 1.0 / 9) / n));
  CHECK(std::abs(nsum / n) < 4 * std::sqrt(1.0 / n));
  CHECK(std::abs(nsum_sq / n - 1.0) < 4 * std::sqrt(2.0 / n));
}

TEST_CASE("rng: below(n) covers 0 to n-1 evenly", "[rng]") {
  Stream s(9, 0, 0, Purpose::ShareTargets);
  std::vector<int> counts(10, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    auto v = s.below(10);
    REQUIRE(v < 10u);
    counts[v]++;
  }
  for (int c : counts) CHECK(std::abs(c - n / 10) < 4 * std::sqrt(n * 0.1 * 0.9));
}
