// Exact moments of an independent cascade on a small graph, by enumerating its live-edge subgraphs: the
// reference the cascade kernel is checked against (unit tests and `fanflow validate-suite`).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "graph/social_graph.hpp"

namespace fanflow::validation {

/// Exact first and second moments of a cascade's size (nodes activated, seeds included) and depth.
struct CascadeMoments {
  double size = 0;          ///< E[size]
  double depth = 0;         ///< E[depth]
  double size_square = 0;   ///< E[size^2]
  double depth_square = 0;  ///< E[depth^2]

  double size_variance() const { return size_square - size * size; }
  double depth_variance() const { return depth_square - depth * depth; }
};

/// The most edges exact_cascade_moments accepts: it visits 2^edges subgraphs.
inline constexpr std::size_t kMaxLiveEdgeEnumerationEdges = 20;

/// Each subset of the edges is the live set with probability p^live (1 - p)^dead; the cascade is then the set
/// of nodes joined to a seed by live edges, and its depth the largest distance from the seeds over live edges.
/// Sums size, depth and their squares over all 2^edges subsets. Throws std::invalid_argument when there are
/// more than kMaxLiveEdgeEnumerationEdges edges, p lies outside [0, 1] or a seed or edge end is not a node.
CascadeMoments exact_cascade_moments(std::uint32_t num_nodes, std::span<const graph::Edge> edges,
                                     std::span<const std::uint32_t> seeds, double p);

}  // namespace fanflow::validation
