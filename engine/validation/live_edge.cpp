// Exact cascade moments by enumeration of live-edge subgraphs (see live_edge.hpp).
#include "validation/live_edge.hpp"

#include <algorithm>
#include <stdexcept>

namespace fanflow::validation {

CascadeMoments exact_cascade_moments(std::uint32_t num_nodes, std::span<const graph::Edge> edges,
                                     std::span<const std::uint32_t> seeds, double p) {
  if (edges.size() > kMaxLiveEdgeEnumerationEdges)
    throw std::invalid_argument("exact_cascade_moments: too many edges to enumerate");
  if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("exact_cascade_moments: p must lie in [0, 1]");
  for (std::uint32_t s : seeds)
    if (s >= num_nodes) throw std::invalid_argument("exact_cascade_moments: seed outside the graph");
  for (const graph::Edge& e : edges)
    if (e.first >= num_nodes || e.second >= num_nodes)
      throw std::invalid_argument("exact_cascade_moments: edge end outside the graph");

  CascadeMoments moments;
  std::vector<int> distance(num_nodes);
  std::vector<std::uint32_t> queue;
  queue.reserve(num_nodes);
  for (std::uint64_t live = 0; live < (std::uint64_t{1} << edges.size()); ++live) {
    double probability = 1;
    for (std::size_t e = 0; e < edges.size(); ++e) probability *= (live >> e & 1) ? p : 1 - p;
    if (probability == 0) continue;
    std::fill(distance.begin(), distance.end(), -1);
    queue.clear();
    for (std::uint32_t s : seeds)
      if (distance[s] < 0) distance[s] = 0, queue.push_back(s);
    int depth = 0;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const std::uint32_t u = queue[head];
      for (std::size_t e = 0; e < edges.size(); ++e) {
        if (!(live >> e & 1)) continue;
        const auto [a, b] = edges[e];
        const std::uint32_t other = a == u ? b : b == u ? a : u;
        if (other != u && distance[other] < 0) {
          distance[other] = distance[u] + 1;
          depth = std::max(depth, distance[other]);
          queue.push_back(other);
        }
      }
    }
    const double size = static_cast<double>(queue.size());
    moments.size += probability * size;
    moments.depth += probability * depth;
    moments.size_square += probability * size * size;
    moments.depth_square += probability * depth * depth;
  }
  return moments;
}

}  // namespace fanflow::validation
