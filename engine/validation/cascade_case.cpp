// Case "independent_cascade": mean cascade size on small graphs against the exact live-edge expectation.
#include <cmath>
#include <cstdio>

#include "validation/cascade.hpp"
#include "validation/live_edge.hpp"
#include "validation/validation.hpp"

namespace fanflow::validation {

namespace {

struct SmallGraph {
  std::string name;
  std::uint32_t num_nodes;
  std::vector<graph::Edge> edges;
  std::vector<std::uint32_t> seeds;
};

std::vector<SmallGraph> small_graphs() {
  std::vector<SmallGraph> graphs;
  SmallGraph path{"path of 10 from an end", 10, {}, {0}};
  for (std::uint32_t v = 0; v + 1 < 10; ++v) path.edges.push_back({v, v + 1});
  graphs.push_back(path);
  SmallGraph tree{"binary tree of 11 from the root", 11, {}, {0}};
  for (std::uint32_t v = 1; v < 11; ++v) tree.edges.push_back({(v - 1) / 2, v});
  graphs.push_back(tree);
  SmallGraph cycle{"cycle of 12 with 4 chords from node 0", 12, {}, {0}};
  for (std::uint32_t v = 0; v < 12; ++v) cycle.edges.push_back({v, (v + 1) % 12});
  for (graph::Edge chord : {graph::Edge{0, 6}, graph::Edge{2, 9}, graph::Edge{3, 7}, graph::Edge{5, 11}})
    cycle.edges.push_back(chord);
  graphs.push_back(cycle);
  SmallGraph grid{"3x3 grid from a corner and the centre", 9, {}, {0, 4}};
  for (std::uint32_t r = 0; r < 3; ++r)
    for (std::uint32_t c = 0; c < 3; ++c) {
      if (c + 1 < 3) grid.edges.push_back({r * 3 + c, r * 3 + c + 1});
      if (r + 1 < 3) grid.edges.push_back({r * 3 + c, (r + 1) * 3 + c});
    }
  graphs.push_back(grid);
  return graphs;
}

}  // namespace

std::vector<CascadeCheck> small_graph_cascade_checks() {
  std::vector<CascadeCheck> checks;
  for (const SmallGraph& g : small_graphs())
    for (double p : {0.2, 0.5, 0.8}) checks.push_back({g.name, g.num_nodes, g.edges, g.seeds, p, p});
  return checks;
}

Row run_cascade_check(const CascadeCheck& check, int replicates, std::uint64_t run_seed) {
  const graph::SocialGraph g = graph::SocialGraph::from_edges(check.num_nodes, check.edges);
  validation::CascadeWorkspace workspace;
  double size_sum = 0;
  for (int k = 0; k < replicates; ++k)
    size_sum +=
        validation::independent_cascade(g, check.seeds, check.p, run_seed, workspace, static_cast<std::uint32_t>(k))
            .activated;
  const validation::CascadeMoments exact =
      validation::exact_cascade_moments(check.num_nodes, check.edges, check.seeds, check.reference_p);
  Row row;
  row.case_name = "independent_cascade";
  char p_text[64];
  std::snprintf(p_text, sizeof p_text, ", p = %g, %d runs", check.p, replicates);
  row.setup = check.name + p_text;
  if (check.reference_p != check.p) row.setup += " (reference at p = " + std::to_string(check.reference_p) + ")";
  row.measured = size_sum / replicates;
  row.expected = exact.size;
  row.standard_error = std::sqrt(std::max(0.0, exact.size_variance()) / replicates);
  row.allowed_errors = kCascadeAllowedErrors;
  row.passed = std::abs(row.measured - row.expected) <= row.allowed_errors * row.standard_error;
  return row;
}

}  // namespace fanflow::validation
