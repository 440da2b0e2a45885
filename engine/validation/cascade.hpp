// Independent cascade on the social graph: from a set of seed nodes, every newly activated node gets one chance
// to activate each of its friends that is still inactive, with probability p. The kernel behind share cascades:
// a flat frontier, one byte mark per node and no allocation per node, with counter-based draws so a cascade is
// a pure function of (graph, seeds, p, run seed, cascade index). Checked by the validation suite against theory
// (cascade_case.cpp, threshold_case.cpp) and timed by peers/cascade_kernel.cpp; the simulation does not run it.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "graph/social_graph.hpp"

namespace fanflow::validation {

/// What one cascade did.
struct CascadeResult {
  std::uint32_t activated = 0;      ///< nodes active at the end, seeds included (a repeated seed counts once)
  std::uint32_t depth = 0;          ///< hops from the seeds to the farthest activated node (0: the seeds alone)
  std::uint64_t edges_visited = 0;  ///< friends inspected from activated nodes: the sum of their degrees

  bool operator==(const CascadeResult&) const = default;
};

/// Memory reused from one cascade to the next (grown to the graph's size on first use, never per node); use
/// one per thread. After a cascade it describes that cascade: the activated nodes in order of activation and
/// how many were activated at each hop.
class CascadeWorkspace {
 public:
  static constexpr std::uint32_t kNotActivated = std::numeric_limits<std::uint32_t>::max();

  CascadeWorkspace() = default;
  explicit CascadeWorkspace(std::uint32_t num_nodes);

  /// The last cascade's activated nodes: the seeds first (in the order given), then hop 1, hop 2, ...
  std::span<const std::uint32_t> activated_nodes() const { return {order_.data(), activated_count_}; }

  /// hop_sizes()[k] = number of nodes the last cascade activated at hop k (k = 0: the distinct seeds); its
  /// size is depth + 1, or 0 when there were no seeds. The depth distribution of a cascade.
  std::span<const std::uint32_t> hop_sizes() const { return hop_sizes_; }

  /// The hop at which each node of a graph of num_nodes nodes was activated by the last cascade, or
  /// kNotActivated.
  std::vector<std::uint32_t> hop_by_node(std::uint32_t num_nodes) const;

 private:
  friend CascadeResult independent_cascade(const graph::SocialGraph&, std::span<const std::uint32_t>, double,
                                           std::uint64_t, CascadeWorkspace&, std::uint32_t);

  /// Clears the previous cascade's marks (only the nodes it activated) and grows the buffers to num_nodes.
  void prepare(std::uint32_t num_nodes);

  std::vector<std::uint8_t> active_;      // 1 for each node the last cascade activated, 0 elsewhere
  std::vector<std::uint32_t> order_;      // activated nodes in activation order; the frontier is a range of it
  std::uint32_t activated_count_ = 0;     // entries of order_ in use
  std::vector<std::uint32_t> hop_sizes_;  // nodes activated per hop
};

/// The 32-bit threshold below which a draw makes an attempt succeed: round(p * 2^32), so an attempt succeeds
/// with probability p to within 2^-33 (exactly for p = 0 and p = 1). p must lie in [0, 1]
/// (std::invalid_argument otherwise, NaN included).
std::uint64_t cascade_success_threshold(double p);

/// Runs one independent cascade from `seeds` with transmission probability p and returns its size, depth
/// and edges visited; `workspace` then holds the activated nodes and the hop sizes.
///
/// Draws: activated node u tries its friends in their sorted order, and its attempt on its i-th friend
/// succeeds iff the i-th 32-bit draw of rng::Stream(run_seed, cascade, u, Purpose::Cascade) is below
/// cascade_success_threshold(p). An attempt's outcome therefore depends only on (run seed, cascade, u, i),
/// never on the visit order or the thread: the activated set is the set reachable from the seeds over the
/// successful attempts, and each node's hop is its distance from the seeds over them.
/// Seeds must be nodes of the graph and p must lie in [0, 1] (std::invalid_argument otherwise).
CascadeResult independent_cascade(const graph::SocialGraph& graph, std::span<const std::uint32_t> seeds, double p,
                                  std::uint64_t run_seed, CascadeWorkspace& workspace, std::uint32_t cascade = 0);

/// Runs cascade k from seed_sets[k] with cascade index k, for every k, in parallel with oneTBB (one workspace
/// per thread, in the current task arena). Result k equals independent_cascade(graph, seed_sets[k], p,
/// run_seed, workspace, k) whatever the number of threads.
std::vector<CascadeResult> independent_cascades(const graph::SocialGraph& graph,
                                                std::span<const std::vector<std::uint32_t>> seed_sets, double p,
                                                std::uint64_t run_seed);

}  // namespace fanflow::validation
