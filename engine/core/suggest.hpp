// "Did you mean ...?": the closest known name to a mistyped one, by edit distance. Used for scenario and sweep
// keys (params/) and for the command names of the command line (app/).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fanflow {

/// Closest name to `key` among `candidates` by edit distance (Levenshtein), or empty if none is close: at most
/// about a third of the characters may differ (at least 2). A key that is the last dotted part of a candidate
/// ("mean_degree" for "graph.mean_degree") counts as close.
std::string closest_match(std::string_view key, std::span<const std::string> candidates);

/// "; did you mean 'x'?" for the candidate closest to `key`, or empty when none is close.
std::string did_you_mean(std::string_view key, const std::vector<std::string>& candidates);

}  // namespace fanflow
