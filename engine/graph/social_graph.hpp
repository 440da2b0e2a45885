// The friendship graph between users: undirected, stored as CSR (Boost.Graph's compressed_sparse_row_graph)
// with every edge in both directions, so a user's friends are one contiguous, sorted run of ids.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace fanflow::graph {

/// An undirected edge between two dense node ids.
using Edge = std::pair<std::uint32_t, std::uint32_t>;

class SocialGraph {
 public:
  using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                 boost::no_property, std::uint32_t, std::uint64_t>;

  SocialGraph() = default;

  // The cached pointers into csr_ are re-pointed on every copy and move (a moved-from graph is empty).
  SocialGraph(const SocialGraph& other);
  SocialGraph(SocialGraph&& other) noexcept;
  SocialGraph& operator=(const SocialGraph& other);
  SocialGraph& operator=(SocialGraph&& other) noexcept;
  ~SocialGraph() = default;

  /// Builds the graph on nodes [0, num_nodes) from undirected edges; drops self-loops and duplicates
  /// (a-b and b-a are the same edge). Every edge must name nodes below num_nodes (std::invalid_argument
  /// otherwise: a bug in the caller, not a user error). O(edges + nodes): a radix sort, then Boost's CSR
  /// construction from the sorted, deduplicated edges in both directions.
  static SocialGraph from_edges(std::uint32_t num_nodes, std::vector<Edge> edges);

  std::uint32_t num_nodes() const;  ///< number of users in the graph
  std::uint64_t num_edges() const;  ///< number of undirected edges (each stored twice)
  /// Number of friends of `node`.
  std::uint32_t degree(std::uint32_t node) const {
    return static_cast<std::uint32_t>(row_start_[node + 1] - row_start_[node]);
  }
  /// Sorted friend ids of `node`.
  std::span<const std::uint32_t> friends(std::uint32_t node) const {
    return {column_ + row_start_[node], column_ + row_start_[node + 1]};
  }

  /// Cache hints for kernels that know which nodes they will visit next: fetch the row offsets of `node`, or
  /// (once those are cached) the start of its friend list. No effect on results.
  void prefetch_row(std::uint32_t node) const { __builtin_prefetch(row_start_ + node); }
  void prefetch_friends(std::uint32_t node) const { __builtin_prefetch(column_ + row_start_[node]); }

  /// Bytes held by the CSR arrays.
  std::uint64_t memory_bytes() const;

  /// The underlying Boost.Graph CSR (directed, each undirected edge stored in both directions), for
  /// Boost algorithms.
  const Csr& csr() const { return csr_; }

 private:
  void bind();              // points row_start_ and column_ at csr_'s arrays
  void release() noexcept;  // leaves a moved-from graph with no nodes

  Csr csr_;
  const std::uint64_t* row_start_ = nullptr;  // csr_'s row offsets (num_nodes + 1)
  const std::uint32_t* column_ = nullptr;     // csr_'s column ids (2 * num_edges)
  std::uint32_t num_nodes_ = 0;
};

}  // namespace fanflow::graph
