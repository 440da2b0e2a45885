// The power-law tail fit (Clauset, Shalizi and Newman 2009): maximum likelihood above each candidate xmin, the
// xmin with the smallest Kolmogorov-Smirnov distance.
#include "core/statistics.hpp"

namespace fanflow {

PowerLawFit fit_power_law(std::vector<double> values, double smallest_xmin, std::size_t min_tail) {
  std::sort(values.begin(), values.end());
  PowerLawFit best;
  double best_distance = 2;
  // Candidate xmin: each distinct value at or above smallest_xmin that leaves at least min_tail values above it.
  for (std::size_t first = 0; first < values.size(); ++first) {
    const double xmin = values[first];
    if (xmin < smallest_xmin || (first > 0 && values[first - 1] == xmin)) continue;
    const std::size_t n = values.size() - first;
    if (n < min_tail) break;
    // Discrete data, continuous approximation (Clauset et al. eq. 3.7): alpha = 1 + n / sum ln(x / (xmin - 1/2)).
    double logs = 0;
    for (std::size_t i = first; i < values.size(); ++i) logs += std::log(values[i] / (xmin - 0.5));
    const double alpha = 1 + double(n) / logs;
    // Kolmogorov-Smirnov distance between the tail's empirical CDF and the fitted one,
    // P(X <= x) = 1 - ((x + 1/2) / (xmin - 1/2))^(1 - alpha), at each distinct value's last occurrence.
    double distance = 0;
    for (std::size_t i = first; i < values.size(); ++i) {
      if (i + 1 < values.size() && values[i + 1] == values[i]) continue;
      const double empirical = double(i + 1 - first) / double(n);
      const double model = 1 - std::pow((values[i] + 0.5) / (xmin - 0.5), 1 - alpha);
      distance = std::max(distance, std::abs(empirical - model));
    }
    if (distance < best_distance) {
      best_distance = distance;
      best = {alpha, (alpha - 1) / std::sqrt(double(n)), xmin, n, distance};
    }
  }
  return best;
}

}  // namespace fanflow
