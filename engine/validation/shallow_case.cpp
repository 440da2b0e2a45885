// Case "shallow_cascades" of the validation suite: at default share rates, more than 90% of share cascades
// stop within one hop of their source (Goel, Watts and Goldstein 2012, "The structure of online diffusion
// networks"), measured on the engine's own share mechanism.
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/channel.hpp"
#include "sim/simulation.hpp"
#include "validation/validation.hpp"

namespace fanflow::validation {

params::Scenario shallow_cascade_scenario(double share_rate, std::uint64_t seed) {
  return default_scenario_with("shallow cascades", {"run.days=10", "population.users=20000", "population.creators=200",
                                                    "groups.join_probability=0", "run.seed=" + std::to_string(seed),
                                                    "engagement.share_rate=" + real_text(share_rate)});
}

Row shallow_cascade_row(double share_rate, int replicates) {
  std::vector<double> bounds;
  for (int k = 0; k < replicates; ++k) {
    const params::Scenario scenario = shallow_cascade_scenario(share_rate, 1 + static_cast<std::uint64_t>(k));
    sim::Simulation simulation(scenario);
    double reshares = 0, roots = 0;
    for (std::int64_t day = 0; day < scenario.params.run.days; ++day) {
      simulation.step();
      const auto& shares = simulation.last_metrics().shares;
      for (std::size_t c = 0; c < kChannelCount; ++c)
        (c == index(Channel::FriendShare) ? reshares : roots) += double(shares[c]);
    }
    bounds.push_back(roots > 0 ? 1.0 - reshares / roots : 0.0);
  }
  const double n = double(bounds.size());
  const double mean = std::accumulate(bounds.begin(), bounds.end(), 0.0) / n;
  double squares = 0;
  for (double b : bounds) squares += (b - mean) * (b - mean);
  Row row;
  row.case_name = "shallow_cascades";
  char setup[160];
  std::snprintf(setup, sizeof setup,
                "share of cascades that stop within one hop (lower bound), share_rate %g, mean of %d seeds", share_rate,
                replicates);
  row.setup = setup;
  row.measured = mean;
  row.expected = 0.9;
  row.standard_error = replicates > 1 ? std::sqrt(squares / (n - 1) / n) : 0.0;
  row.allowed_errors = 3;
  row.at_least = true;
  row.passed = row.measured - row.allowed_errors * row.standard_error >= row.expected;
  return row;
}

}  // namespace fanflow::validation
