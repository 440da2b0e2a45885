// Case "preferential_attachment" of the validation suite: with popularity-driven discovery
// (recommendation.follower_exponent = 1) and creators joining at a constant rate, follows attach in proportion
// to followers + a, as in Price's model (Barabasi and Albert 1999 for a = m): the follower distribution has
// the tail P(F + a) ~ (F + a)^-(2 + a/m), exponent 3 when a = m. The tail exponent is fitted by maximum
// likelihood above the xmin that minimises the Kolmogorov-Smirnov distance (Clauset, Shalizi and Newman 2009).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "sim/simulation.hpp"
#include "validation/validation.hpp"

namespace fanflow::validation {
namespace {

/// Days of the attachment runs and new creators a day: about 10,000 creators at the end.
constexpr int kDays = 100;
constexpr int kEntrantsPerDay = 100;
/// Offset a of the recommender's weight, equal to the follows each new creator brings (m, about 19 with these
/// rates: 150,000 recommended impressions a day, a follow on about 1.25% of them, 100 new creators a day).
constexpr double kOffset = 19;
/// Accuracy expected of the fitted exponent against the asymptotic 2 + a/m at this size: a finite network's
/// tail fit falls below the asymptote (Price's model itself, simulated with these sizes and daily batches of
/// follows, gives 2.95 for 3.01), well inside this margin.
constexpr double kPriceTolerance = 0.1;

}  // namespace

params::Scenario attachment_scenario(double follower_exponent, std::uint64_t seed) {
  return default_scenario_with(
      "preferential attachment",
      {"run.days=" + std::to_string(kDays), "run.seed=" + std::to_string(seed), "population.users=30000",
       "population.creators=" + std::to_string(kEntrantsPerDay), "population.brands=0", "population.topics=1",
       // Alike creators: one topic, equal skill, packaging and posting rate, no improvement, nobody quits.
       "creators.big_ip_share=0", "creators.skill_concentration=10000", "creators.packaging_concentration=10000",
       "creators.posting_rate_mean=1", "creators.posting_rate_sigma=0", "creators.quality_sd=0",
       "lifecycle.learning_rate=0", "lifecycle.quit_line=0",
       // Creators join at a constant rate.
       "lifecycle.entry_base_rate=" + std::to_string(kEntrantsPerDay), "lifecycle.entry_traffic_elasticity=0",
       "lifecycle.max_entrants=" + std::to_string(2 * kDays * kEntrantsPerDay),
       // Every slot is public and shows one of today's items, weighted by (followers + a)^beta only.
       "users.attention_distribution=constant", "users.attention_mean=5", "users.daily_active_probability=1",
       "feed.private_share_max=0", "content.max_age_days=1", "pools.enabled=false", "recommendation.quality_exponent=0",
       "recommendation.engagement_exponent=0", "recommendation.follower_exponent=" + real_text(follower_exponent),
       "recommendation.follower_offset=" + real_text(kOffset),
       // Follows only from recommended views, and they last.
       "engagement.share_rate=0", "engagement.follow_rate=0.013", "groups.join_probability=0",
       "trust.unfollow_threshold=0"});
}

std::vector<Row> attachment_rows(double follower_exponent, int replicates) {
  double alpha_sum = 0, error_sum = 0, theory_sum = 0, xmin_sum = 0, tail_sum = 0, m_sum = 0;
  for (int k = 0; k < replicates; ++k) {
    const params::Scenario scenario = attachment_scenario(follower_exponent, 1 + static_cast<std::uint64_t>(k));
    sim::Simulation simulation(scenario);
    for (int day = 0; day < kDays; ++day) simulation.step();
    const auto& creators = simulation.state().creators;
    std::vector<double> degree(creators.count);
    double follows = 0;
    for (std::uint32_t c = 0; c < creators.count; ++c) {
      degree[c] = double(creators.followers[c]) + kOffset;  // Barabasi-Albert's degree: in-degree + m
      follows += creators.followers[c];
    }
    const double m = follows / creators.count;
    const PowerLawFit fit = fit_power_law(degree, kOffset + 1);
    alpha_sum += fit.exponent;
    error_sum += fit.standard_error;
    theory_sum += 2 + kOffset / m;
    xmin_sum += fit.xmin;
    tail_sum += double(fit.tail);
    m_sum += m;
  }
  const double n = replicates;
  const double alpha = alpha_sum / n, theory = theory_sum / n;
  // The fits are independent: the mean's standard error is the mean fit's over sqrt(replicates).
  const double standard_error = error_sum / n / std::sqrt(n);
  char context[240];
  std::snprintf(context, sizeof context,
                "follower_exponent %g, a = %g, m = %.2f follows per creator, ~%.0f creators; MLE over F + a >= xmin "
                "(mean xmin %.1f, %.0f creators in the tail), mean of %d seeds",
                follower_exponent, kOffset, m_sum / n, double(kDays * kEntrantsPerDay), xmin_sum / n, tail_sum / n,
                replicates);
  Row band = accuracy_row("preferential_attachment", std::string("tail exponent in [2.7, 3.2]: ") + context, alpha,
                          2.95, 0.25);
  Row price = accuracy_row("preferential_attachment", std::string("tail exponent against Price's 2 + a/m: ") + context,
                           alpha, theory, kPriceTolerance);
  band.standard_error = price.standard_error = standard_error;
  return {band, price};
}

}  // namespace fanflow::validation
