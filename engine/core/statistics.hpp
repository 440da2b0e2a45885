// Statistics of samples shared by the output schema's end-of-run metrics, the facts table and the validation
// cases: concentration of non-negative values (Gini, top share; docs/analysis.md) and the power-law tail fit of
// Clauset, Shalizi and Newman 2009 (docs/validation.md, preferential attachment).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <numeric>
#include <vector>

namespace fanflow {

/// Gini coefficient of non-negative values (0 when all are zero or there are none):
/// G = 2 sum_i i x_(i) / (n sum x) - (n + 1) / n over the values sorted ascending, i = 1..n.
inline double gini(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const double sum = std::accumulate(values.begin(), values.end(), 0.0);
  if (values.empty() || sum <= 0) return 0.0;
  double weighted = 0;
  for (std::size_t i = 0; i < values.size(); ++i) weighted += double(i + 1) * values[i];
  const double n = double(values.size());
  return 2 * weighted / (n * sum) - (n + 1) / n;
}

/// Share of the total held by the top `fraction` of values (at least one value; 0 when the total is 0).
inline double top_share(std::vector<double> values, double fraction) {
  const double sum = std::accumulate(values.begin(), values.end(), 0.0);
  if (values.empty() || sum <= 0) return 0.0;
  const auto top = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(fraction * double(values.size()))));
  std::partial_sort(values.begin(), values.begin() + top, values.end(), std::greater<>());
  return std::accumulate(values.begin(), values.begin() + top, 0.0) / sum;
}

/// A power law fitted to the tail of a sample of integers (Clauset, Shalizi and Newman 2009).
struct PowerLawFit {
  double exponent = 0;        ///< alpha of P(x) ~ x^-alpha for x >= xmin, maximum likelihood
  double standard_error = 0;  ///< (alpha - 1) / sqrt(tail)
  double xmin = 0;            ///< start of the tail: the candidate with the smallest KS distance
  std::size_t tail = 0;       ///< values at or above xmin
  double ks_distance = 0;     ///< Kolmogorov-Smirnov distance of the fit over the tail
};

/// Fits alpha at each distinct value >= smallest_xmin that leaves at least `min_tail` values (discrete data,
/// continuous approximation alpha = 1 + n / sum ln(x / (xmin - 1/2))) and keeps the xmin with the smallest
/// Kolmogorov-Smirnov distance.
PowerLawFit fit_power_law(std::vector<double> values, double smallest_xmin = 1, std::size_t min_tail = 50);

}  // namespace fanflow
