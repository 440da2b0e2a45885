// Case "social_influence" of the validation suite, after Salganik, Dodds and Watts (2006), "Experimental study
// of inequality and unpredictability in an artificial cultural market": the same creators in several
// independent "worlds" (one world seed, several run seeds), once with the popularity-driven recommender (the
// default: observed engagement in the weight, traffic pools) and once popularity-blind (quality and freshness
// only). Social influence should make attention more unequal (Gini across creators) and a creator's outcome
// less predictable from one world to the next (Salganik's unpredictability U).
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/statistics.hpp"
#include "sim/simulation.hpp"
#include "validation/validation.hpp"

namespace fanflow::validation {

double unpredictability(const std::vector<std::vector<double>>& shares) {
  const std::size_t worlds = shares.size();
  if (worlds < 2) return 0;
  const std::size_t items = shares[0].size();
  double total = 0;
  for (std::size_t c = 0; c < items; ++c)
    for (std::size_t j = 0; j < worlds; ++j)
      for (std::size_t k = j + 1; k < worlds; ++k) total += std::abs(shares[j][c] - shares[k][c]);
  return total / (double(items) * double(worlds * (worlds - 1) / 2));
}

const std::vector<std::string>& popularity_blind_settings() {
  static const std::vector<std::string> settings = {"recommendation.engagement_exponent=0", "pools.enabled=false",
                                                    "recommendation.follower_exponent=0"};
  return settings;
}

params::Scenario influence_scenario(const std::vector<std::string>& recommender, std::uint64_t world_seed,
                                    std::uint64_t seed) {
  std::vector<std::string> assignments = {
      "run.days=30",           "run.seed=" + std::to_string(seed), "run.world_seed=" + std::to_string(world_seed),
      "population.users=3000", "population.creators=60",           "population.brands=0",
      "population.topics=4",   "lifecycle.entry_base_rate=0"};  // the same creators in every world
  assignments.insert(assignments.end(), recommender.begin(), recommender.end());
  return default_scenario_with("social influence", assignments);
}

InfluenceOutcome influence_outcome(const std::vector<std::string>& recommender, std::uint64_t world_seed, int worlds) {
  std::vector<std::vector<double>> shares;
  double gini_sum = 0;
  for (int w = 0; w < worlds; ++w) {
    const params::Scenario scenario = influence_scenario(recommender, world_seed, 1 + static_cast<std::uint64_t>(w));
    sim::Simulation simulation(scenario);
    for (std::int64_t day = 0; day < scenario.params.run.days; ++day) simulation.step();
    const auto& impressions = simulation.state().creators.impressions;
    std::vector<double> attention(impressions.begin(), impressions.end());
    const double total = std::accumulate(attention.begin(), attention.end(), 0.0);
    gini_sum += gini(attention);
    for (double& a : attention) a = total > 0 ? a / total : 0;
    shares.push_back(std::move(attention));
  }
  return {gini_sum / worlds, unpredictability(shares)};
}

std::vector<Row> influence_rows(const std::vector<std::string>& recommender, int world_seeds, int worlds) {
  int more_unequal = 0, less_predictable = 0;
  double gini_driven = 0, gini_blind = 0, u_driven = 0, u_blind = 0;
  for (int s = 0; s < world_seeds; ++s) {
    const std::uint64_t world_seed = 1000 + static_cast<std::uint64_t>(s);
    const InfluenceOutcome driven = influence_outcome(recommender, world_seed, worlds);
    const InfluenceOutcome blind = influence_outcome(popularity_blind_settings(), world_seed, worlds);
    more_unequal += driven.gini > blind.gini;
    less_predictable += driven.unpredictability > blind.unpredictability;
    gini_driven += driven.gini, gini_blind += blind.gini;
    u_driven += driven.unpredictability, u_blind += blind.unpredictability;
  }
  const double n = world_seeds;
  auto row = [&](const char* what, int wins, double driven_mean, double blind_mean) {
    Row r;
    r.case_name = "social_influence";
    char setup[260];
    std::snprintf(setup, sizeof setup,
                  "share of %d world seeds where %s is higher popularity-driven (mean %.4f) than blind (%.4f); %d "
                  "worlds each",
                  world_seeds, what, driven_mean / n, blind_mean / n, worlds);
    r.setup = setup;
    r.measured = wins / n;
    r.expected = 0.95;
    r.at_least = true;
    r.passed = r.measured >= r.expected;
    return r;
  };
  return {row("the Gini of impressions across creators", more_unequal, gini_driven, gini_blind),
          row("the unpredictability U of creators' impression shares", less_predictable, u_driven, u_blind)};
}

}  // namespace fanflow::validation
