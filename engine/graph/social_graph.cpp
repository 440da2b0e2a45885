// SocialGraph: builds the CSR friendship graph from undirected edges (normalised, deduplicated, both
// directions) and serves each user's sorted friend list straight from the CSR arrays.
#include "graph/social_graph.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <stdexcept>
#include <string>

namespace fanflow::graph {
namespace {

/// A multi-pass iterator over a sorted, duplicate-free list of undirected edges (a < b) that yields each
/// edge twice: (a, b), then (b, a). Boost's histogram sort is stable, so feeding it this sequence leaves
/// every row of the CSR sorted: row v first receives the a < v (from edges (a, v), in ascending a), then the
/// b > v (from edges (v, b), in ascending b).
class BothDirections {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = std::pair<std::uint32_t, std::uint32_t>;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = value_type;

  BothDirections() = default;
  BothDirections(const Edge* edges, std::uint64_t index) : edges_(edges), index_(index) {}

  value_type operator*() const {
    const Edge& e = edges_[index_ >> 1];
    return (index_ & 1) ? value_type{e.second, e.first} : value_type{e.first, e.second};
  }
  BothDirections& operator++() {
    ++index_;
    return *this;
  }
  BothDirections operator++(int) {
    BothDirections old = *this;
    ++index_;
    return old;
  }
  bool operator==(const BothDirections& other) const { return index_ == other.index_; }
  bool operator!=(const BothDirections& other) const { return index_ != other.index_; }

 private:
  const Edge* edges_ = nullptr;
  std::uint64_t index_ = 0;
};

/// Sorts edges by (first, second): a least-significant-digit radix sort, 11 bits a pass, over the bits that
/// node ids below num_nodes can have (4 passes for a million nodes), so O(edges) rather than
/// O(edges log edges); small inputs use std::sort.
void sort_edges(std::vector<Edge>& edges, std::uint32_t num_nodes) {
  if (edges.size() < 4096) {
    std::sort(edges.begin(), edges.end());
    return;
  }
  constexpr unsigned kBits = 11;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  unsigned id_bits = 0;
  while (id_bits < 32 && (std::uint64_t{1} << id_bits) < num_nodes) ++id_bits;

  std::vector<Edge> buffer(edges.size());
  std::vector<std::size_t> start(kBuckets);
  // Passes over `second`, then over `first`: the last pass decides the major order.
  for (int field = 1; field >= 0; --field) {
    for (unsigned shift = 0; shift < id_bits; shift += kBits) {
      auto digit = [&](const Edge& e) { return ((field ? e.second : e.first) >> shift) & (kBuckets - 1); };
      std::fill(start.begin(), start.end(), 0);
      for (const Edge& e : edges) ++start[digit(e)];
      if (start[digit(edges.front())] == edges.size()) continue;  // every edge has this digit
      std::size_t offset = 0;
      for (std::size_t& s : start) offset += std::exchange(s, offset);
      for (const Edge& e : edges) buffer[start[digit(e)]++] = e;
      edges.swap(buffer);
    }
  }
}

}  // namespace

SocialGraph SocialGraph::from_edges(std::uint32_t num_nodes, std::vector<Edge> edges) {
  // Check, normalise to (min, max) and drop self-loops in one compacting pass.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    auto [a, b] = edges[i];
    if (a >= num_nodes || b >= num_nodes) {
      std::string message = "SocialGraph::from_edges: edge (";
      message += std::to_string(a);
      message += ", ";
      message += std::to_string(b);
      message += ") names a node outside [0, ";
      message += std::to_string(num_nodes);
      message += ")";
      throw std::invalid_argument(message);
    }
    if (a == b) continue;
    edges[kept++] = a < b ? Edge{a, b} : Edge{b, a};
  }
  edges.resize(kept);
  sort_edges(edges, num_nodes);
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());

  SocialGraph graph;
  const std::uint64_t directed = 2 * static_cast<std::uint64_t>(edges.size());
  graph.csr_ = Csr(boost::edges_are_unsorted_multi_pass, BothDirections(edges.data(), 0),
                   BothDirections(edges.data(), directed), num_nodes);
  graph.num_nodes_ = num_nodes;
  graph.bind();
  return graph;
}

SocialGraph::SocialGraph(const SocialGraph& other) : csr_(other.csr_), num_nodes_(other.num_nodes_) { bind(); }

SocialGraph::SocialGraph(SocialGraph&& other) noexcept : csr_(std::move(other.csr_)), num_nodes_(other.num_nodes_) {
  bind();
  other.release();
}

SocialGraph& SocialGraph::operator=(const SocialGraph& other) {
  if (this != &other) {
    csr_ = other.csr_;
    num_nodes_ = other.num_nodes_;
    bind();
  }
  return *this;
}

SocialGraph& SocialGraph::operator=(SocialGraph&& other) noexcept {
  if (this != &other) {
    csr_ = std::move(other.csr_);
    num_nodes_ = other.num_nodes_;
    bind();
    other.release();
  }
  return *this;
}

void SocialGraph::bind() {
  row_start_ = csr_.m_forward.m_rowstart.data();
  column_ = csr_.m_forward.m_column.data();
}

void SocialGraph::release() noexcept {
  // The vectors of a moved-from CSR are empty; forget them rather than allocate a fresh empty CSR.
  row_start_ = nullptr;
  column_ = nullptr;
  num_nodes_ = 0;
}

std::uint32_t SocialGraph::num_nodes() const { return num_nodes_; }

std::uint64_t SocialGraph::num_edges() const { return csr_.m_forward.m_column.size() / 2; }

std::uint64_t SocialGraph::memory_bytes() const {
  return csr_.m_forward.m_rowstart.capacity() * sizeof(std::uint64_t) +
         csr_.m_forward.m_column.capacity() * sizeof(std::uint32_t);
}

}  // namespace fanflow::graph
