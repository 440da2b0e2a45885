// Tests of SocialGraph: building from undirected edges (dedupe, symmetry, sorted friends), copies and moves,
// and the memory count.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "graph/social_graph.hpp"

using fanflow::graph::Edge;
using fanflow::graph::SocialGraph;

namespace {

std::vector<std::uint32_t> friends_of(const SocialGraph& g, std::uint32_t node) {
  auto f = g.friends(node);
  return {f.begin(), f.end()};
}

}  // namespace

TEST_CASE("graph: from_edges drops self-loops and duplicates and stores both directions", "[graph]") {
  std::vector<Edge> edges = {{3, 1}, {1, 3}, {2, 2}, {0, 4}, {4, 1}, {1, 0}, {0, 1}, {3, 1}};
  SocialGraph g = SocialGraph::from_edges(6, edges);
  CHECK(g.num_nodes() == 6);
  CHECK(g.num_edges() == 4);  // 0-1, 0-4, 1-3, 1-4
  CHECK(friends_of(g, 0) == std::vector<std::uint32_t>{1, 4});
  CHECK(friends_of(g, 1) == std::vector<std::uint32_t>{0, 3, 4});
  CHECK(friends_of(g, 2).empty());
  CHECK(friends_of(g, 3) == std::vector<std::uint32_t>{1});
  CHECK(friends_of(g, 4) == std::vector<std::uint32_t>{0, 1});
  CHECK(friends_of(g, 5).empty());
  CHECK(g.degree(1) == 3);
  CHECK(g.degree(2) == 0);
}

TEST_CASE("graph: friend lists are sorted and symmetric for a shuffled dense input", "[graph]") {
  // Every pair of 40 nodes whose sum is divisible by 3, listed backwards and twice.
  std::vector<Edge> edges;
  for (std::uint32_t a = 40; a-- > 0;)
    for (std::uint32_t b = 40; b-- > 0;)
      if (a != b && (a + b) % 3 == 0) edges.emplace_back(a, b);
  SocialGraph g = SocialGraph::from_edges(40, edges);
  std::uint64_t total_degree = 0;
  for (std::uint32_t u = 0; u < 40; ++u) {
    auto f = g.friends(u);
    CHECK(std::is_sorted(f.begin(), f.end()));
    CHECK(std::adjacent_find(f.begin(), f.end()) == f.end());
    for (std::uint32_t v : f) {
      CHECK((u + v) % 3 == 0);
      auto back = g.friends(v);
      CHECK(std::binary_search(back.begin(), back.end(), u));
    }
    total_degree += g.degree(u);
  }
  CHECK(total_degree == 2 * g.num_edges());
  CHECK(g.num_edges() == edges.size() / 2);
}

TEST_CASE("graph: from_edges matches a set-based reference on a large random input", "[graph]") {
  // Large enough for the radix sort path, with node ids above 2^11 and 2^22 so every pass has work.
  for (std::uint32_t n : {3000u, 5000000u}) {
    CAPTURE(n);
    std::mt19937 gen(n);
    std::uniform_int_distribution<std::uint32_t> node(0, n - 1);
    std::vector<Edge> edges;
    for (int i = 0; i < 60000; ++i) {
      std::uint32_t a = node(gen);
      edges.emplace_back(a, i % 10 == 0 ? a : node(gen));  // some self-loops
    }
    for (int i = 0; i < 5000; ++i) edges.push_back(edges[i * 7]);  // and repeats
    std::set<Edge> reference;
    for (auto [a, b] : edges)
      if (a != b) reference.insert(std::minmax(a, b));
    SocialGraph g = SocialGraph::from_edges(n, edges);
    std::vector<Edge> forward, backward;  // each stored edge seen from its lower and from its higher end
    for (std::uint32_t u = 0; u < n; ++u)
      for (std::uint32_t v : g.friends(u)) (u < v ? forward : backward).emplace_back(std::minmax(u, v));
    std::sort(backward.begin(), backward.end());
    CHECK(forward == std::vector<Edge>(reference.begin(), reference.end()));  // sorted rows: already ordered
    CHECK(backward == forward);
    CHECK(g.num_edges() == reference.size());
  }
}

TEST_CASE("graph: from_edges rejects an edge naming a node outside the graph", "[graph]") {
  CHECK_THROWS_AS(SocialGraph::from_edges(3, {{0, 3}}), std::invalid_argument);
  CHECK_THROWS_AS(SocialGraph::from_edges(0, {{0, 0}}), std::invalid_argument);
}

TEST_CASE("graph: empty graphs have no edges", "[graph]") {
  SocialGraph none;
  CHECK(none.num_nodes() == 0);
  CHECK(none.num_edges() == 0);

  SocialGraph zero = SocialGraph::from_edges(0, {});
  CHECK(zero.num_nodes() == 0);
  CHECK(zero.num_edges() == 0);

  SocialGraph isolated = SocialGraph::from_edges(5, {});
  CHECK(isolated.num_nodes() == 5);
  CHECK(isolated.num_edges() == 0);
  for (std::uint32_t u = 0; u < 5; ++u) CHECK(isolated.friends(u).empty());
}

TEST_CASE("graph: copies and moves keep friend lists valid", "[graph]") {
  auto make = [] { return SocialGraph::from_edges(4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}}); };
  SocialGraph copy;
  {
    SocialGraph original = make();
    copy = original;  // copy assignment
    SocialGraph constructed(original);
    CHECK(friends_of(constructed, 0) == std::vector<std::uint32_t>{1, 3});
    CHECK(constructed.friends(0).data() != original.friends(0).data());
  }
  CHECK(friends_of(copy, 0) == std::vector<std::uint32_t>{1, 3});
  CHECK(friends_of(copy, 2) == std::vector<std::uint32_t>{1, 3});

  const std::uint32_t* storage = copy.friends(0).data();
  SocialGraph moved(std::move(copy));
  CHECK(moved.friends(0).data() == storage);  // a move steals the arrays
  CHECK(friends_of(moved, 3) == std::vector<std::uint32_t>{0, 2});
  CHECK(copy.num_nodes() == 0);  // NOLINT(bugprone-use-after-move): a moved-from graph is empty
  CHECK(copy.num_edges() == 0);

  SocialGraph assigned;
  assigned = std::move(moved);
  CHECK(assigned.num_edges() == 4);
  CHECK(friends_of(assigned, 1) == std::vector<std::uint32_t>{0, 2});

  std::vector<SocialGraph> many;
  for (int i = 0; i < 10; ++i) many.push_back(make());  // reallocation moves the graphs
  for (const SocialGraph& g : many) CHECK(friends_of(g, 2) == std::vector<std::uint32_t>{1, 3});
}

TEST_CASE("graph: memory_bytes counts the row offsets and the column ids", "[graph]") {
  SocialGraph g = SocialGraph::from_edges(10, {{0, 1}, {1, 2}, {5, 9}});
  CHECK(g.memory_bytes() == 11 * sizeof(std::uint64_t) + 6 * sizeof(std::uint32_t));
}

TEST_CASE("graph: the Boost CSR agrees with the friend lists", "[graph]") {
  SocialGraph g = SocialGraph::from_edges(5, {{0, 2}, {2, 4}, {1, 2}});
  const SocialGraph::Csr& csr = g.csr();
  CHECK(boost::num_vertices(csr) == 5);
  CHECK(boost::num_edges(csr) == 6);
  std::vector<std::uint32_t> targets;
  for (auto [it, end] = boost::adjacent_vertices(2u, csr); it != end; ++it) targets.push_back(*it);
  CHECK(targets == friends_of(g, 2));
  CHECK(targets == std::vector<std::uint32_t>{0, 1, 4});
}
