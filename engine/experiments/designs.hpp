// Experiment designs: where the design points lie in the unit cube [0, 1]^k (grid, uniform random, Latin
// hypercube, Sobol sequence, Saltelli's design for Sobol indices, Morris trajectories), and their mapping onto the
// factors' values. Deterministic functions of the definition and the sweep seed.
#pragma once

#include <cstdint>
#include <vector>

#include "experiments/sweep_definition.hpp"

namespace fanflow::experiments {

/// Design points as rows of a [points x factors] row-major matrix.
struct UnitDesign {
  std::size_t points = 0;
  std::size_t factors = 0;
  std::vector<double> coordinates;  ///< [points x factors], each in [0, 1]
  double at(std::size_t point, std::size_t factor) const { return coordinates[point * factors + factor]; }
};

/// The design's points in the unit cube:
/// - grid: the Cartesian product of the factors' value lists (the last factor varies fastest); a coordinate is
///   the value's index scaled to [0, 1] (index / (count - 1); 0 for a single value);
/// - random: `samples` independent uniform points (Philox keyed by the sweep seed);
/// - lhs: `samples` points, one in each of `samples` equal strata per factor (random permutations, uniform
///   position within the stratum);
/// - sobol: the first `samples` points of the k-dimensional Sobol sequence (Boost.Random's, which starts after
///   the origin);
/// - saltelli: N = base_samples blocks of k + 2 points A_j, AB_j^(1..k), B_j, where A and B are the first and
///   last k columns of the 2k-dimensional Sobol sequence and AB^(i) is A with column i taken from B;
/// - morris: `trajectories` blocks of k + 1 points on the grid {0, 1/(p-1), ..., 1} (p = levels), each point
///   differing from the previous in one factor by +-delta = p / (2 (p - 1)), factors in a random order.
UnitDesign unit_design(const SweepDefinition& sweep);

/// Grid designs: the index into each factor's value list of point `point` (the last factor varies fastest).
std::vector<std::size_t> grid_indices(const SweepDefinition& sweep, std::size_t point);

/// A factor's value at unit coordinate u: lo + u (hi - lo), or geometric for a log scale, rounded to the nearest
/// integer for integer parameters (and kept within [lo, hi]); grid factors take their value list's entry.
double factor_value(const Factor& factor, double u, std::size_t grid_index);

/// A run's seed: Philox4x64 keyed by the sweep seed, applied to `index`, reduced to [0, 2^53 - 1].
std::uint64_t derive_run_seed(std::uint64_t sweep_seed, std::uint64_t index);

}  // namespace fanflow::experiments
