// Profile: accumulation and the printed table.
#include "sim/profile.hpp"

#include <cstdio>

namespace fanflow::sim {

void Profile::add(const std::string& phase, double seconds) {
  for (Entry& entry : entries_)
    if (entry.phase == phase) {
      entry.seconds += seconds;
      entry.calls++;
      return;
    }
  entries_.push_back({phase, seconds, 1});
}

double Profile::total_seconds() const {
  double total = 0;
  for (const Entry& entry : entries_) total += entry.seconds;
  return total;
}

std::string Profile::table() const {
  std::string out = "phase                 seconds   share   ms/call\n";
  const double total = total_seconds();
  char line[160];
  for (const Entry& entry : entries_) {
    std::snprintf(line, sizeof line, "%-18s %10.3f  %5.1f%%  %8.3f\n", entry.phase.c_str(), entry.seconds,
                  total > 0 ? 100.0 * entry.seconds / total : 0.0,
                  entry.calls ? 1000.0 * entry.seconds / double(entry.calls) : 0.0);
    out += line;
  }
  std::snprintf(line, sizeof line, "%-18s %10.3f  100.0%%\n", "total", total);
  out += line;
  return out;
}

}  // namespace fanflow::sim
