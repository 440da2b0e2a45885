// Tests of the independent-cascade kernel: p = 0 and p = 1, mean size and depth on small graphs against the exact
// live-edge expectation (validation/live_edge.hpp), the draws against rng::Stream, repeatability, the parallel variant,
// bad input.
#include <catch2/catch.hpp>

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "graph/generators.hpp"
#include "rng/stream.hpp"
#include "validation/cascade.hpp"
#include "validation/live_edge.hpp"

namespace graph = fanflow::graph;
namespace validation = fanflow::validation;
using fanflow::graph::Edge;
using fanflow::graph::SocialGraph;
using fanflow::rng::Purpose;
using fanflow::rng::Stream;
using fanflow::validation::CascadeResult;
using fanflow::validation::CascadeWorkspace;
using Nodes = std::vector<std::uint32_t>;

namespace {

SocialGraph barabasi_albert(std::uint32_t num_nodes, std::uint32_t m, std::uint64_t seed) {
  Stream rng(seed, 0, 0, Purpose::Graph);
  return graph::barabasi_albert(num_nodes, m, rng);
}

Nodes sorted(std::span<const std::uint32_t> nodes) {
  Nodes copy(nodes.begin(), nodes.end());
  std::sort(copy.begin(), copy.end());
  return copy;
}

/// Hop of every node from the nearest seed over all edges (breadth-first), or kNotActivated if unreachable.
Nodes bfs_distances(const SocialGraph& g, const Nodes& seeds) {
  Nodes distance(g.num_nodes(), CascadeWorkspace::kNotActivated);
  Nodes queue;
  for (std::uint32_t s : seeds)
    if (distance[s] == CascadeWorkspace::kNotActivated) distance[s] = 0, queue.push_back(s);
  for (std::size_t head = 0; head < queue.size(); ++head)
    for (std::uint32_t v : g.friends(queue[head]))
      if (distance[v] == CascadeWorkspace::kNotActivated) distance[v] = distance[queue[head]] + 1, queue.push_back(v);
  return distance;
}

/// The cascade exactly as the header defines it, written plainly: a FIFO queue, and node u's attempt on its
/// i-th friend uses the i-th draw of rng::Stream(run_seed, cascade, u, Purpose::Cascade).
Nodes reference_activation_order(const SocialGraph& g, const Nodes& seeds, double p, std::uint64_t run_seed,
                                 std::uint32_t cascade) {
  const std::uint64_t threshold = validation::cascade_success_threshold(p);
  std::vector<bool> active(g.num_nodes(), false);
  Nodes order;
  for (std::uint32_t s : seeds)
    if (!active[s]) active[s] = true, order.push_back(s);
  for (std::size_t head = 0; head < order.size(); ++head) {
    const std::uint32_t u = order[head];
    Stream draws(run_seed, cascade, u, Purpose::Cascade);
    for (std::uint32_t v : g.friends(u))
      if (draws() < threshold && !active[v]) active[v] = true, order.push_back(v);
  }
  return order;
}

struct Moments {
  double size = 0;
  double depth = 0;
};

/// Mean and standard error of the size and depth of `runs` cascades (cascade indices 0 .. runs - 1).
struct Sample {
  Moments mean;
  Moments standard_error;
};

Sample sample_cascades(const SocialGraph& g, const Nodes& seeds, double p, std::uint64_t run_seed, int runs) {
  CascadeWorkspace workspace;
  double size_sum = 0, size_squares = 0, depth_sum = 0, depth_squares = 0;
  for (int k = 0; k < runs; ++k) {
    const CascadeResult r =
        validation::independent_cascade(g, seeds, p, run_seed, workspace, static_cast<std::uint32_t>(k));
    size_sum += r.activated, size_squares += double(r.activated) * r.activated;
    depth_sum += r.depth, depth_squares += double(r.depth) * r.depth;
  }
  auto standard_error = [runs](double sum, double squares) {
    const double mean = sum / runs;
    return std::sqrt(std::max(0.0, (squares - runs * mean * mean) / (runs - 1)) / runs);
  };
  return {{size_sum / runs, depth_sum / runs},
          {standard_error(size_sum, size_squares), standard_error(depth_sum, depth_squares)}};
}

}  // namespace

TEST_CASE("cascade: p = 0 activates only the seeds", "[cascade]") {
  const SocialGraph g = barabasi_albert(500, 3, 11);
  const Nodes seeds = {3, 7, 7, 100};
  CascadeWorkspace workspace;
  const CascadeResult r = validation::independent_cascade(g, seeds, 0.0, 42, workspace);
  CHECK(r.activated == 3);
  CHECK(r.depth == 0);
  CHECK(r.edges_visited == std::uint64_t{g.degree(3)} + g.degree(7) + g.degree(100));
  CHECK(Nodes(workspace.activated_nodes().begin(), workspace.activated_nodes().end()) == Nodes{3, 7, 100});
  CHECK(Nodes(workspace.hop_sizes().begin(), workspace.hop_sizes().end()) == Nodes{3});

  const CascadeResult none = validation::independent_cascade(g, {}, 0.5, 42, workspace);
  CHECK(none == CascadeResult{});
  CHECK(workspace.activated_nodes().empty());
  CHECK(workspace.hop_sizes().empty());
}

TEST_CASE("cascade: p = 1 activates exactly the seeds' components, each node at its distance", "[cascade]") {
  // A sparse random graph: many components, some isolated nodes.
  Stream rng(5, 0, 0, Purpose::Graph);
  const SocialGraph g = graph::erdos_renyi(3000, 1.2, rng);
  const Nodes seeds = {0, 17, 17, 2500, 2999};
  const Nodes distance = bfs_distances(g, seeds);
  Nodes reachable;
  std::uint64_t degree_sum = 0;
  std::uint32_t farthest = 0;
  for (std::uint32_t v = 0; v < g.num_nodes(); ++v)
    if (distance[v] != CascadeWorkspace::kNotActivated)
      reachable.push_back(v), degree_sum += g.degree(v), farthest = std::max(farthest, distance[v]);
  REQUIRE(reachable.size() > 10);
  REQUIRE(reachable.size() < g.num_nodes() / 2);

  CascadeWorkspace workspace;
  const CascadeResult r = validation::independent_cascade(g, seeds, 1.0, 42, workspace);
  CHECK(r.activated == reachable.size());
  CHECK(r.depth == farthest);
  CHECK(r.edges_visited == degree_sum);
  CHECK(sorted(workspace.activated_nodes()) == reachable);
  CHECK(workspace.hop_by_node(g.num_nodes()) == distance);
  CHECK(workspace.hop_sizes().size() == farthest + 1);
}

TEST_CASE("cascade: mean size and depth on small graphs match the exact live-edge expectation", "[cascade]") {
  struct Case {
    const char* name;
    std::uint32_t num_nodes;
    std::vector<Edge> edges;
    Nodes seeds;
  };
  const std::vector<Edge> path = {{0, 1}, {1, 2}, {2, 3}, {3, 4}};
  const std::vector<Edge> star = {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}};
  const std::vector<Edge> triangle_with_tail = {{0, 1}, {1, 2}, {2, 0}, {2, 3}, {3, 4}};
  const std::vector<Case> cases = {
      {"path from an end", 5, path, {0}},
      {"path from the middle", 5, path, {2}},
      {"star from the centre", 6, star, {0}},
      {"star from a leaf", 6, star, {3}},
      {"triangle with tail from a triangle node", 5, triangle_with_tail, {0}},
      {"triangle with tail from the tail end", 5, triangle_with_tail, {4}},
      {"triangle with tail from both ends", 5, triangle_with_tail, {1, 4}},
  };
  constexpr int kRuns = 20000;
  for (const Case& c : cases) {
    const SocialGraph g = SocialGraph::from_edges(c.num_nodes, c.edges);
    for (double p : {0.2, 0.5, 0.8}) {
      INFO(c.name << ", p = " << p);
      const validation::CascadeMoments exact = validation::exact_cascade_moments(c.num_nodes, c.edges, c.seeds, p);
      const Sample sample = sample_cascades(g, c.seeds, p, 2024, kRuns);
      // Standard errors from the exact variances: a sample's own variance understates that of rare outcomes
      // (a star from its centre at p = 0.8 has depth 0 with probability 0.2^5).
      const double se_size = std::sqrt(exact.size_variance() / kRuns);
      const double se_depth = std::sqrt(exact.depth_variance() / kRuns);
      CHECK(std::abs(sample.mean.size - exact.size) <= 3 * se_size);
      CHECK(std::abs(sample.mean.depth - exact.depth) <= 3 * se_depth);
      CHECK(sample.standard_error.size == Approx(se_size).epsilon(0.2).margin(1e-4));
    }
  }
  // The enumeration itself, on a case known by hand: from the end of a path, depth is the run of live edges.
  const validation::CascadeMoments from_end = validation::exact_cascade_moments(5, path, Nodes{0}, 0.5);
  CHECK(from_end.depth == Approx(0.5 + 0.25 + 0.125 + 0.0625));
  CHECK(from_end.size == Approx(1 + 0.5 + 0.25 + 0.125 + 0.0625));
}

TEST_CASE("cascade: attempts use the draws of rng::Stream for each activated node", "[cascade]") {
  const SocialGraph g = barabasi_albert(3000, 3, 7);
  const Nodes seeds = {5, 900, 2999};
  CascadeWorkspace workspace;
  for (std::uint32_t cascade : {0u, 1u, 77u}) {
    for (double p : {0.1, 0.3}) {
      INFO("cascade " << cascade << ", p = " << p);
      const Nodes expected = reference_activation_order(g, seeds, p, 99, cascade);
      const CascadeResult r = validation::independent_cascade(g, seeds, p, 99, workspace, cascade);
      CHECK(r.activated == expected.size());
      CHECK(Nodes(workspace.activated_nodes().begin(), workspace.activated_nodes().end()) == expected);
    }
  }
}

TEST_CASE("cascade: repeated runs and reused workspaces give identical results", "[cascade]") {
  const SocialGraph g = barabasi_albert(5000, 5, 3);
  const Nodes seeds = {1, 2, 3, 4000};
  CascadeWorkspace fresh, reused;
  const CascadeResult first = validation::independent_cascade(g, seeds, 0.15, 8, fresh, 4);
  const Nodes first_order(fresh.activated_nodes().begin(), fresh.activated_nodes().end());
  const Nodes first_hops = fresh.hop_by_node(g.num_nodes());
  REQUIRE(first.activated > 100);  // a real cascade, not the seeds alone

  const CascadeResult other = validation::independent_cascade(g, seeds, 0.15, 8, reused, 5);
  // Another cascade index, or another run seed, draws differently.
  CHECK(other != first);
  CHECK(validation::independent_cascade(g, seeds, 0.15, 9, reused, 4) != first);
  const CascadeResult again = validation::independent_cascade(g, seeds, 0.15, 8, reused, 4);
  CHECK(again == first);
  CHECK(Nodes(reused.activated_nodes().begin(), reused.activated_nodes().end()) == first_order);
  CHECK(reused.hop_by_node(g.num_nodes()) == first_hops);
}

TEST_CASE("cascade: independent_cascades matches single cascades whatever the thread count", "[cascade]") {
  const SocialGraph g = barabasi_albert(4000, 4, 21);
  std::vector<Nodes> seed_sets;
  for (std::uint32_t k = 0; k < 24; ++k) seed_sets.push_back({k * 97 % 4000, (k * 131 + 7) % 4000});
  std::vector<CascadeResult> expected;
  CascadeWorkspace workspace;
  for (std::uint32_t k = 0; k < seed_sets.size(); ++k)
    expected.push_back(validation::independent_cascade(g, seed_sets[k], 0.12, 31, workspace, k));
  for (int threads : {1, 2}) {
    INFO(threads << " threads");
    tbb::task_arena arena(threads);
    const std::vector<CascadeResult> results =
        arena.execute([&] { return validation::independent_cascades(g, seed_sets, 0.12, 31); });
    CHECK(results == expected);
  }
}

TEST_CASE("cascade: rejects seeds outside the graph and probabilities outside 0 to 1", "[cascade]") {
  const SocialGraph g = barabasi_albert(100, 2, 1);
  CascadeWorkspace workspace;
  CHECK_THROWS_AS(validation::independent_cascade(g, Nodes{1, 2, 100}, 0.5, 1, workspace), std::invalid_argument);
  CHECK_THROWS_AS(validation::independent_cascade(g, Nodes{1}, -0.1, 1, workspace), std::invalid_argument);
  CHECK_THROWS_AS(validation::independent_cascade(g, Nodes{1}, 1.5, 1, workspace), std::invalid_argument);
  CHECK_THROWS_AS(validation::independent_cascade(g, Nodes{1}, std::nan(""), 1, workspace), std::invalid_argument);
  CHECK_THROWS_AS(validation::independent_cascades(g, std::vector<Nodes>{{1}}, 2.0, 1), std::invalid_argument);
  // The workspace is still sound after a rejected seed: p = 0 activates exactly the seeds given.
  const CascadeResult r = validation::independent_cascade(g, Nodes{5}, 0.0, 1, workspace);
  CHECK(r.activated == 1);
  CHECK(sorted(workspace.activated_nodes()) == Nodes{5});
  CHECK(workspace.hop_by_node(g.num_nodes())[1] == CascadeWorkspace::kNotActivated);
}
