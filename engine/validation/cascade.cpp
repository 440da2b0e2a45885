// Independent cascade kernel: breadth-first over a flat frontier (a range of the activation order, its CSR rows
// prefetched a few places ahead), byte marks for activation, and the Philox draws of each activated node
// computed eight at a time, a block straight from the counter, as rng::Stream would produce them.
#include "validation/cascade.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <algorithm>

#include <cmath>
#include <stdexcept>
#include <string>

#include "rng/stream.hpp"

namespace fanflow::validation {
namespace {

/// How many frontier places ahead the kernel fetches row offsets (and half as far, friend lists).
constexpr std::uint32_t kPrefetchDistance = 16;

}  // namespace

CascadeWorkspace::CascadeWorkspace(std::uint32_t num_nodes) { prepare(num_nodes); }

void CascadeWorkspace::prepare(std::uint32_t num_nodes) {
  for (std::uint32_t i = 0; i < activated_count_; ++i) active_[order_[i]] = 0;
  activated_count_ = 0;
  hop_sizes_.clear();
  if (active_.size() < num_nodes) {
    active_.resize(num_nodes, 0);
    order_.resize(num_nodes);
  }
}

std::vector<std::uint32_t> CascadeWorkspace::hop_by_node(std::uint32_t num_nodes) const {
  std::vector<std::uint32_t> hops(num_nodes, kNotActivated);
  std::uint32_t position = 0;
  for (std::uint32_t hop = 0; hop < hop_sizes_.size(); ++hop)
    for (std::uint32_t i = 0; i < hop_sizes_[hop]; ++i, ++position) {
      const std::uint32_t node = order_[position];
      if (node < num_nodes) hops[node] = hop;
    }
  return hops;
}

std::uint64_t cascade_success_threshold(double p) {
  if (!(p >= 0.0 && p <= 1.0))
    throw std::invalid_argument("independent cascade: probability " + std::to_string(p) + " is outside [0, 1]");
  return static_cast<std::uint64_t>(std::llround(p * 4294967296.0));  // p * 2^32, exact before rounding
}

CascadeResult independent_cascade(const graph::SocialGraph& graph, std::span<const std::uint32_t> seeds, double p,
                                  std::uint64_t run_seed, CascadeWorkspace& workspace, std::uint32_t cascade) {
  const std::uint64_t threshold = cascade_success_threshold(p);
  const std::uint32_t num_nodes = graph.num_nodes();
  workspace.prepare(num_nodes);
  std::uint8_t* const active = workspace.active_.data();
  std::uint32_t* const order = workspace.order_.data();
  std::uint32_t count = 0;

  for (const std::uint32_t seed : seeds) {
    if (seed >= num_nodes) {
      workspace.activated_count_ = count;  // the marks set so far are cleared by the next prepare()
      throw std::invalid_argument("independent cascade: seed " + std::to_string(seed) + " is not a node of the " +
                                  std::to_string(num_nodes) + "-node graph");
    }
    if (!active[seed]) {
      active[seed] = 1;
      order[count++] = seed;
    }
  }

  std::uint64_t edges_visited = 0;
  auto try_friend = [&](std::uint32_t draw, std::uint32_t node) {
    if (draw < threshold && !active[node]) {
      active[node] = 1;
      order[count++] = node;
    }
  };

  std::uint32_t level_begin = 0;
  while (level_begin < count) {
    const std::uint32_t level_end = count;
    workspace.hop_sizes_.push_back(level_end - level_begin);
    for (std::uint32_t position = level_begin; position < level_end; ++position) {
      // The frontier is known ahead: fetch the row offsets of the node kPrefetchDistance places on, and the
      // friend list of the node half as far on (its row offsets were fetched earlier).
      if (position + kPrefetchDistance < count) graph.prefetch_row(order[position + kPrefetchDistance]);
      if (position + kPrefetchDistance / 2 < count) graph.prefetch_friends(order[position + kPrefetchDistance / 2]);
      const std::uint32_t node = order[position];
      const std::span<const std::uint32_t> friends = graph.friends(node);
      const std::uint32_t* const friend_ids = friends.data();
      const std::size_t degree = friends.size();
      edges_visited += degree;
      // The draws of rng::Stream(run_seed, cascade, node, Purpose::Cascade), eight per Philox block.
      std::size_t i = 0;
      for (std::uint64_t k = 0; i < degree; ++k, i += 8) {
        const rng::Stream::Block block = rng::Stream::block(run_seed, cascade, node, rng::Purpose::Cascade, 0, k);
        const std::size_t n = std::min<std::size_t>(8, degree - i);
        for (std::size_t j = 0; j < n; ++j) try_friend(rng::Stream::draw(block, int(j)), friend_ids[i + j]);
      }
    }
    level_begin = level_end;
  }

  workspace.activated_count_ = count;
  CascadeResult result;
  result.activated = count;
  result.depth = workspace.hop_sizes_.empty() ? 0 : static_cast<std::uint32_t>(workspace.hop_sizes_.size() - 1);
  result.edges_visited = edges_visited;
  return result;
}

std::vector<CascadeResult> independent_cascades(const graph::SocialGraph& graph,
                                                std::span<const std::vector<std::uint32_t>> seed_sets, double p,
                                                std::uint64_t run_seed) {
  cascade_success_threshold(p);  // checks p before any work starts
  if (seed_sets.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("independent cascades: more than 2^32 - 1 cascades");
  std::vector<CascadeResult> results(seed_sets.size());
  tbb::enumerable_thread_specific<CascadeWorkspace> workspaces([&] { return CascadeWorkspace(graph.num_nodes()); });
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, seed_sets.size(), 1), [&](const tbb::blocked_range<std::size_t>& range) {
        CascadeWorkspace& workspace = workspaces.local();
        for (std::size_t k = range.begin(); k != range.end(); ++k)
          results[k] = independent_cascade(graph, seed_sets[k], p, run_seed, workspace, static_cast<std::uint32_t>(k));
      });
  return results;
}

}  // namespace fanflow::validation
