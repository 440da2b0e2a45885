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
/// probability proportional to their degree; starts from a clique of m + 1 nodes. Mean degree ~ 2m.
SocialGraph barabasi_albert(std::uint32_t num_nodes, std::uint32_t m, rng::Stream& rng);

/// Erdos-Renyi G(n, p) with p = mean_degree / (n - 1) (boost::sorted_erdos_renyi_iterator).
SocialGraph erdos_renyi(std::uint32_t num_nodes, double mean_degree, rng::Stream& rng);

/// Watts-Strogatz small world: ring lattice where each node links to its k nearest neighbours (k even),
/// each edge rewired with probability p (boost::small_world_iterator).
SocialGraph small_world(std::uint32_t num_nodes, std::uint32_t k, double rewire_probability, rng::Stream& rng);

/// Power-law degree graph (boost::plod_iterator) with exponent alpha, scaled to the requested mean degree.
SocialGraph power_law(std::uint32_t num_nodes, double alpha, double mean_degree, rng::Stream& rng);

/// Stochastic block model: `communities` equal blocks (node i is in block i * communities / n); mean degree
/// split into (1 - mixing) inside the block and mixing across blocks; Erdos-Renyi per block pair.
SocialGraph stochastic_block(std::uint32_t num_nodes, std::uint32_t communities, double mean_degree,
                             double mixing, rng::Stream& rng);

/// A graph read from an edge-list file, with the original node ids of the dense ids.
struct LoadedGraph {
  SocialGraph graph;
  std::vector<std::uint64_t> original_ids;  ///< original_ids[dense id] = id in the file (ascending)
};

/// Reads "a b" or "a,b" per line (extra columns ignored, '#' starts a comment, blank lines skipped). Node ids
/// are non-negative integers remapped densely in ascending order; nodes beyond those in the file, up to
/// num_users, have no friends. Throws InputError "path:line: message" for a bad line, a missing or
/// unreadable file, or more distinct nodes than num_users.
LoadedGraph load_edge_list(const std::filesystem::path& path, std::uint32_t num_users);

/// Builds the social graph a scenario asks for (graph.kind), for `num_users` users, deterministically from
/// the run seed.
SocialGraph make_social_graph(const params::Scenario& scenario, std::uint32_t num_users);

/// Expected number of undirected edges of the scenario's generated graph, for the memory estimate made
/// before anything is allocated (for edge_list: an upper bound from the file size).
std::uint64_t expected_edge_count(const params::Scenario& scenario, std::uint32_t num_users);

}  // namespace fanflow::graph
