// Walker's alias method (Vose's construction): a discrete distribution drawn in O(1), one bounded integer and one
// uniform a draw. One table holds consecutive segments, each its own distribution (one per topic): recommendation
// draws items of a topic from it (phases/recommend.cpp), ads a brand of a topic (phases/brands/).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "rng/stream.hpp"

namespace fanflow::rng {

/// Alias tables over consecutive segments [begin, begin + size) of one array of columns.
class AliasTable {
 public:
  /// Memory build() reuses from one segment to the next; one per thread when segments are built in parallel.
  struct Scratch {
    std::vector<double> scaled;
    std::vector<std::uint32_t> small, large;
  };

  /// Sets the number of columns (their contents are undefined until their segment is built).
  void resize(std::size_t columns) {
    keep_.resize(columns);
    alias_.resize(columns);
  }
  void clear() {
    keep_.clear();
    alias_.clear();
  }
  std::size_t size() const { return keep_.size(); }

  /// Builds segment [begin, begin + weights.size()) (within size()) over `weights` (non-negative), whose sum in
  /// order is `total`; with total <= 0 every column is equally likely. Distinct segments may be built in parallel.
  void build(std::uint32_t begin, std::span<const double> weights, double total, Scratch& scratch);

  /// Draws a column of segment [begin, begin + size), size > 0, with probability proportional to its weight: a
  /// column below(size), then one uniform keeps it or takes its alias. Returns the column's index in the table.
  std::uint32_t draw(std::uint32_t begin, std::uint32_t size, Stream& stream) const {
    const std::uint32_t column = begin + stream.below(size);
    return stream.uniform() < keep_[column] ? column : begin + alias_[column];
  }

  /// Probability of keeping column k once drawn.
  float keep(std::size_t k) const { return keep_[k]; }
  /// The column, within k's segment, that a draw of k yields when it does not keep k.
  std::uint32_t alias(std::size_t k) const { return alias_[k]; }

 private:
  std::vector<float> keep_;
  std::vector<std::uint32_t> alias_;
};

}  // namespace fanflow::rng
