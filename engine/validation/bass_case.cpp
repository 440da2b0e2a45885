// Case "bass_diffusion" of the validation suite: the platform-adoption mode (adoption.enabled) against the
// closed form of the Bass model (Bass 1969): the share of users on the platform and the time of peak adoption.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/simulation.hpp"
#include "validation/validation.hpp"

namespace fanflow::validation {
namespace {

constexpr std::uint32_t kUsers = 10000;
constexpr int kDays = 30;

double bass_share(double p, double q, double t) {
  const double e = std::exp(-(p + q) * t);
  return (1 - e) / (1 + (q / p) * e);
}

}  // namespace

std::vector<Row> bass_rows(double p, double q, int substeps, int replicates) {
  std::vector<double> share(kDays, 0.0), joiners(kDays, 0.0);  // means over the replicates
  for (int k = 0; k < replicates; ++k) {
    sim::Simulation simulation(default_scenario_with(
        "bass diffusion", {"population.users=" + std::to_string(kUsers), "population.creators=0", "population.brands=0",
                           "lifecycle.max_entrants=0", "run.days=" + std::to_string(kDays), "adoption.enabled=true",
                           "adoption.innovation=" + real_text(p), "adoption.imitation=" + real_text(q),
                           "adoption.substeps=" + std::to_string(substeps), "run.seed=" + std::to_string(k + 1)}));
    for (int day = 0; day < kDays; ++day) {
      simulation.step();
      share[day] += double(simulation.last_metrics().adopters) / kUsers / replicates;
      joiners[day] += double(simulation.last_metrics().new_adopters) / replicates;
    }
  }
  // Day d covers the time [d, d + 1]: its end-of-day share is F(d + 1).
  double largest = 0;
  for (int day = 0; day < kDays; ++day) largest = std::max(largest, std::abs(share[day] - bass_share(p, q, day + 1)));
  // Peak: the vertex of the parabola through the day with most joiners and its neighbours (bin centres d + 1/2).
  const int d = static_cast<int>(std::max_element(joiners.begin(), joiners.end()) - joiners.begin());
  double peak = d + 0.5;
  if (d > 0 && d + 1 < kDays) {
    const double a = joiners[d - 1], b = joiners[d], c = joiners[d + 1];
    if (a - 2 * b + c < 0) peak += 0.5 * (a - c) / (a - 2 * b + c);
  }
  char setup[160];
  std::snprintf(setup, sizeof setup, "p = %g, q = %g, %u users, %d sub-steps a day, mean of %d seeds", p, q, kUsers,
                substeps, replicates);
  return {accuracy_row("bass_diffusion", std::string("largest |F(t) - Bass F(t)| over 30 days, ") + setup, largest, 0,
                       0.02),
          accuracy_row("bass_diffusion", std::string("peak of adoption (days), ") + setup, peak,
                       std::log(q / p) / (p + q), 0.3)};
}

}  // namespace fanflow::validation
