// Experiment designs in the unit cube and their mapping onto factor values (see designs.hpp).
#include "experiments/designs.hpp"

#include <Random123/philox.h>

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <numeric>

namespace fanflow::experiments {
namespace {

/// What a Philox block of the design is drawn for; part of the counter, so two uses never share draws.
enum class DesignDraw : std::uint64_t {
  RunSeed = 1,
  Uniform = 2,
  Stratum = 3,
  Permutation = 4,
  MorrisStart = 5,
  MorrisOrder = 6
};

/// 64 random bits, a pure function of (sweep seed, purpose, a, b).
std::uint64_t draw_bits(std::uint64_t seed, DesignDraw purpose, std::uint64_t a, std::uint64_t b) {
  using Philox = r123::Philox4x64;
  Philox::ctr_type counter{{static_cast<std::uint64_t>(purpose), a, b, 0}};
  return Philox()(counter, Philox::key_type{{seed, 0x66616e666c6f77ULL}})[0];
}

/// Uniform in [0, 1) with 53 random bits.
double draw_unit(std::uint64_t seed, DesignDraw purpose, std::uint64_t a, std::uint64_t b) {
  return std::ldexp(static_cast<double>(draw_bits(seed, purpose, a, b) >> 11), -53);
}

/// Uniform integer in [0, n) (Lemire's multiply-shift on 64 bits; the bias is below 2^-40 for the sizes used).
std::uint64_t draw_below(std::uint64_t n, std::uint64_t seed, DesignDraw purpose, std::uint64_t a, std::uint64_t b) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(draw_bits(seed, purpose, a, b)) * n) >> 64);
}

/// A random permutation of 0..n-1 (Fisher-Yates with keyed draws).
std::vector<std::uint64_t> permutation(std::uint64_t n, std::uint64_t seed, DesignDraw purpose, std::uint64_t which) {
  std::vector<std::uint64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  for (std::uint64_t i = n; i > 1; --i) std::swap(order[i - 1], order[draw_below(i, seed, purpose, which, i)]);
  return order;
}

/// The first `count` points of the `dimension`-dimensional Sobol sequence, row-major.
std::vector<double> sobol_points(std::size_t count, std::size_t dimension) {
  boost::random::sobol sequence(dimension);
  std::vector<double> points(count * dimension);
  for (double& x : points) x = std::ldexp(static_cast<double>(sequence()), -64);
  return points;
}

}  // namespace

UnitDesign unit_design(const SweepDefinition& sweep) {
  const std::size_t k = sweep.factors.size();
  UnitDesign design;
  design.factors = k;
  auto resize = [&](std::size_t points) {
    design.points = points;
    design.coordinates.assign(points * k, 0.0);
  };
  auto cell = [&](std::size_t point, std::size_t factor) -> double& { return design.coordinates[point * k + factor]; };
  switch (sweep.design) {
    case DesignKind::Grid: {
      std::size_t points = 1;
      for (const Factor& f : sweep.factors) points *= f.values.size();
      resize(points);
      for (std::size_t p = 0; p < points; ++p) {
        const std::vector<std::size_t> index = grid_indices(sweep, p);
        for (std::size_t j = 0; j < k; ++j) {
          const std::size_t n = sweep.factors[j].values.size();
          cell(p, j) = n > 1 ? static_cast<double>(index[j]) / static_cast<double>(n - 1) : 0.0;
        }
      }
      break;
    }
    case DesignKind::Random:
      resize(sweep.samples);
      for (std::size_t p = 0; p < design.points; ++p)
        for (std::size_t j = 0; j < k; ++j) cell(p, j) = draw_unit(sweep.seed, DesignDraw::Uniform, p, j);
      break;
    case DesignKind::LatinHypercube: {
      resize(sweep.samples);
      const std::uint64_t n = sweep.samples;
      for (std::size_t j = 0; j < k; ++j) {
        const std::vector<std::uint64_t> strata = permutation(n, sweep.seed, DesignDraw::Permutation, j);
        for (std::size_t p = 0; p < n; ++p)
          cell(p, j) = (static_cast<double>(strata[p]) + draw_unit(sweep.seed, DesignDraw::Stratum, p, j)) /
                       static_cast<double>(n);
      }
      break;
    }
    case DesignKind::Sobol:
      resize(sweep.samples);
      design.coordinates = sobol_points(sweep.samples, k);
      break;
    case DesignKind::Saltelli: {
      const std::size_t n = sweep.samples;
      resize(n * (k + 2));
      const std::vector<double> ab = sobol_points(n, 2 * k);
      for (std::size_t base = 0; base < n; ++base) {
        const double* a = &ab[base * 2 * k];
        const double* b = a + k;
        const std::size_t first = base * (k + 2);
        for (std::size_t j = 0; j < k; ++j) {
          cell(first, j) = a[j];
          for (std::size_t i = 0; i < k; ++i) cell(first + 1 + i, j) = i == j ? b[j] : a[j];
          cell(first + k + 1, j) = b[j];
        }
      }
      break;
    }
    case DesignKind::Morris: {
      const std::size_t r = sweep.trajectories;
      const std::uint64_t p = sweep.levels;
      const std::uint64_t jump = p / 2;  // delta = p / (2 (p - 1)) is p/2 steps of the grid
      resize(r * (k + 1));
      for (std::size_t t = 0; t < r; ++t) {
        const std::size_t first = t * (k + 1);
        std::vector<std::uint64_t> level(k);
        for (std::size_t j = 0; j < k; ++j) level[j] = draw_below(p, sweep.seed, DesignDraw::MorrisStart, t, j);
        const std::vector<std::uint64_t> order = permutation(k, sweep.seed, DesignDraw::MorrisOrder, t);
        for (std::size_t step = 0; step <= k; ++step) {
          if (step > 0) {
            std::uint64_t& moved = level[order[step - 1]];
            moved = moved + jump <= p - 1 ? moved + jump : moved - jump;  // one direction always stays on the grid
          }
          for (std::size_t j = 0; j < k; ++j)
            cell(first + step, j) = static_cast<double>(level[j]) / static_cast<double>(p - 1);
        }
      }
      break;
    }
  }
  return design;
}

std::vector<std::size_t> grid_indices(const SweepDefinition& sweep, std::size_t point) {
  std::vector<std::size_t> index(sweep.factors.size());
  for (std::size_t j = sweep.factors.size(); j-- > 0;) {
    index[j] = point % sweep.factors[j].values.size();
    point /= sweep.factors[j].values.size();
  }
  return index;
}

double factor_value(const Factor& factor, double u, std::size_t grid_index) {
  if (!factor.values.empty()) return factor.values[grid_index];
  double value = factor.scale == Scale::Log
                     ? std::exp(std::log(factor.lo) + u * (std::log(factor.hi) - std::log(factor.lo)))
                     : factor.lo + u * (factor.hi - factor.lo);
  if (factor.integer) value = std::round(value);
  return std::clamp(value, factor.lo, factor.hi);
}

std::uint64_t derive_run_seed(std::uint64_t sweep_seed, std::uint64_t index) {
  return draw_bits(sweep_seed, DesignDraw::RunSeed, index, 0) & ((std::uint64_t{1} << 53) - 1);
}

}  // namespace fanflow::experiments
