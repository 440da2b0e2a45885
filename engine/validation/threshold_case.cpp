// Case "epidemic_threshold" of the validation suite: share cascades with transmissibility T on random graphs with
// a given degree sequence stay small below T_c = <k> / (<k^2> - <k>) and reach a finite fraction of the graph
// above it (Newman 2002, "Spread of epidemic disease on networks"), checked at 0.8 T_c and 1.25 T_c on graphs the
// scenario's graph section builds (Erdos-Renyi: Poisson degrees; power law: Boost's PLOD generator).
#include <cmath>
#include <cstdio>

#include "graph/cascade.hpp"
#include "graph/generators.hpp"
#include "rng/stream.hpp"
#include "validation/validation.hpp"

namespace fanflow::validation {
namespace {

constexpr std::uint32_t kNodes = 100000;
constexpr int kCascades = 400;

}  // namespace

std::vector<Row> threshold_rows(const std::vector<std::string>& graph_settings, const std::string& graph_name,
                                double below_factor, double above_factor) {
  std::vector<std::string> assignments = graph_settings;
  assignments.push_back("population.users=" + std::to_string(kNodes));
  const params::Scenario scenario = default_scenario_with("epidemic threshold", assignments);
  const graph::SocialGraph g = graph::make_social_graph(scenario, kNodes);
  double k1 = 0, k2 = 0;
  for (std::uint32_t v = 0; v < g.num_nodes(); ++v) k1 += g.degree(v), k2 += double(g.degree(v)) * g.degree(v);
  k1 /= g.num_nodes();
  k2 /= g.num_nodes();
  const double critical = k1 / (k2 - k1);
  // Single random seeds, fixed.
  std::vector<std::vector<std::uint32_t>> seeds(kCascades);
  rng::Stream pick(77, 0, 0, rng::Purpose::Cascade, 1);
  for (auto& s : seeds) s = {pick.below(g.num_nodes())};
  std::vector<Row> rows;
  for (const bool below : {true, false}) {
    const double factor = below ? below_factor : above_factor;
    const double t = factor * critical;
    double total = 0, squares = 0;
    for (const graph::CascadeResult& r : graph::independent_cascades(g, seeds, t, 4242)) {
      const double fraction = double(r.activated) / g.num_nodes();
      total += fraction;
      squares += fraction * fraction;
    }
    const double mean = total / kCascades;
    Row row;
    row.case_name = "epidemic_threshold";
    char setup[200];
    std::snprintf(setup, sizeof setup,
                  "%s, %u nodes, <k> = %.2f, T_c = %.4f: mean fraction reached from one seed at T = %.2f T_c, %d "
                  "cascades",
                  graph_name.c_str(), g.num_nodes(), k1, critical, factor, kCascades);
    row.setup = setup;
    row.measured = mean;
    row.standard_error = std::sqrt(std::max(0.0, squares / kCascades - mean * mean) / (kCascades - 1));
    row.allowed_errors = 3;
    if (below) {  // small: below 0.1% of the graph, with 3 standard errors to spare
      row.expected = 0.001;
      row.at_most = true;
      row.passed = row.measured + row.allowed_errors * row.standard_error <= row.expected;
    } else {  // a finite fraction: at least 2% of the graph, with 3 standard errors to spare
      row.expected = 0.02;
      row.at_least = true;
      row.passed = row.measured - row.allowed_errors * row.standard_error >= row.expected;
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace fanflow::validation
