#include "core/suggest.hpp"

#include <algorithm>
#include <cstdint>

namespace fanflow {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string closest_match(std::string_view key, std::span<const std::string> candidates) {
  std::string best;
  std::size_t best_distance = SIZE_MAX;
  for (const std::string& candidate : candidates) {
    std::size_t d = edit_distance(key, candidate);
    // A key that is a suffix of a candidate ("mean_degree" for "graph.mean_degree") is a good guess too.
    if (candidate.size() > key.size() && candidate.ends_with(key) &&
        candidate[candidate.size() - key.size() - 1] == '.')
      d = 1;
    if (d < best_distance) best_distance = d, best = candidate;
  }
  std::size_t limit = std::max<std::size_t>(2, (std::max(key.size(), best.size()) + 2) / 3);
  return best_distance <= limit ? best : "";
}

std::string did_you_mean(std::string_view key, const std::vector<std::string>& candidates) {
  const std::string guess = closest_match(key, candidates);
  return guess.empty() ? "" : "; did you mean '" + guess + "'?";
}

}  // namespace fanflow
