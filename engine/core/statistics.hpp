// Concentration statistics of non-negative values (followers, impressions), shared by the output schema's
// end-of-run metrics and the validation cases. Equations in docs/analysis.md (Gini coefficient).
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

}  // namespace fanflow
