// Social graph generators (Boost.Graph's where Boost has one) and the edge-list loader.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "graph/social_graph.hpp"
#include "params/scenario.hpp"
#include "rng/stream.hpp"

namespace fanflow::graph {

/// Barabasi-Albert preferential attachment: each new node links to m distinct earlier nodes chosen with
/// probability proportional to their degree; starts from a clique of m + 1 nodes. Mean degree ~ 2m, every
/// degree >= m. With n <= m + 1 the result is the complete graph on n nodes; with m = 0, no edges.
SocialGraph barabasi_albert(std::uint32_t num_nodes, std::uint32_t m, rng::Stream& rng);

/// Erdos-Renyi G(n, p) with p = mean_degree / (n - 1), capped at 1 (boost::sorted_erdos_renyi_iterator).
SocialGraph erdos_renyi(std::uint32_t num_nodes, double mean_degree, rng::Stream& rng);

/// Watts-Strogatz small world: ring lattice where each node links to its k nearest neighbours (k even),
/// each edge rewired with probability p (boost::small_world_iterator). An odd k is rounded down and a k of
/// n or more is lowered to the largest even number below n (k = 0: no edges). A rewired edge that repeats
/// an existing one is dropped, so the mean degree can fall slightly below k.
SocialGraph small_world(std::uint32_t num_nodes, std::uint32_t k, double rewire_probability, rng::Stream& rng);

/// Power-law degree graph (boost::plod_iterator) with exponent alpha, scaled to the requested mean degree.
/// PLOD gives node i out-degree floor(beta * x_i^-a), x_i uniform in [0, n), to uniformly random targets;
/// its out-degrees follow P(d) ~ d^-(1 + 1/a), so a = 1 / (alpha - 1). beta is solved (bisection) so that
/// the expected number of distinct edges is n * mean_degree / 2, limited to 8 times that many draws.
/// For alpha <= ~2.2 a handful of hubs carry much of the degree, so one graph's mean degree can differ
/// noticeably from the request (its expectation matches); for larger alpha it is within a few percent.
SocialGraph power_law(std::uint32_t num_nodes, double alpha, double mean_degree, rng::Stream& rng);

/// Stochastic block model: `communities` equal blocks (node i is in block i * communities / n); mean degree
/// split into (1 - mixing) inside the block and mixing across blocks; Erdos-Renyi per block pair.
/// With mean block size s = n / communities: p_in = (1 - mixing) * mean_degree / (s - 1) and
/// p_out = mixing * mean_degree / (n - s), each capped at 1. One community puts every friend inside it and
/// n communities every friend outside, whatever the mixing. Drawn in O(n + edges): G(n, p_out) over all
/// pairs with same-block pairs thinned to p_in, or, when p_in > p_out, topped up per block.
SocialGraph stochastic_block(std::uint32_t num_nodes, std::uint32_t communities, double mean_degree, double mixing,
                             rng::Stream& rng);

/// A graph read from an edge-list file, with the original node ids of the dense ids.
struct LoadedGraph {
  SocialGraph graph;
  std::vector<std::uint64_t> original_ids;  ///< original_ids[dense id] = id in the file (ascending)
};

/// Reads "a b" or "a,b" per line (extra columns ignored, '#' starts a comment, blank lines skipped). Node ids
/// are non-negative integers remapped densely in ascending order; nodes beyond those in the file, up to
/// num_users, have no friends. Self-loops and repeated edges are dropped. Throws InputError with a
/// one-line message: "path:line: expected two node ids, got '...'", "path:line: node id '...' is not a
/// non-negative integer" (or "is too large"), "path: cannot read the edge file (missing or unreadable)", or
/// "path: the edge file names N distinct nodes but population.users is M; set population.users to at
/// least N".
LoadedGraph load_edge_list(const std::filesystem::path& path, std::uint32_t num_users);

/// Builds the social graph a scenario asks for (graph.kind), for `num_users` users, deterministically from
/// the run seed (one rng::Stream(run.seed, 0, 0, Purpose::Graph)). barabasi_albert uses
/// m = max(1, round(mean_degree / 2)) (0 for mean degree 0); small_world uses k = the even number nearest
/// mean_degree, at least 2 (0 for mean degree 0); edge_list reads graph.edge_file relative to the scenario.
SocialGraph make_social_graph(const params::Scenario& scenario, std::uint32_t num_users);

/// Expected number of undirected edges of the scenario's generated graph, for the memory estimate made
/// before anything is allocated: n * m for barabasi_albert, n * k / 2 for small_world, n * mean_degree / 2
/// for the other generators; for edge_list an upper bound, file size / 4 (0 if the file is missing).
std::uint64_t expected_edge_count(const params::Scenario& scenario, std::uint32_t num_users);

}  // namespace fanflow::graph
