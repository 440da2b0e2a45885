// Vose's construction of an alias table segment (see alias_table.hpp).
#include "rng/alias_table.hpp"

namespace fanflow::rng {

void AliasTable::build(std::uint32_t begin, std::span<const double> weights, double total, Scratch& scratch) {
  const auto size = static_cast<std::uint32_t>(weights.size());
  float* keep = keep_.data() + begin;
  std::uint32_t* alias = alias_.data() + begin;
  auto& scaled = scratch.scaled;
  auto& small = scratch.small;
  auto& large = scratch.large;
  scaled.resize(size);
  for (std::uint32_t j = 0; j < size; ++j) scaled[j] = total > 0 ? weights[j] * size / total : 1.0;
  small.clear();
  large.clear();
  for (std::uint32_t j = 0; j < size; ++j) (scaled[j] < 1.0 ? small : large).push_back(j);
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back(), l = large.back();
    small.pop_back();
    keep[s] = static_cast<float>(scaled[s]);
    alias[s] = l;
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  for (std::uint32_t j : large) keep[j] = 1.0f, alias[j] = j;
  for (std::uint32_t j : small) keep[j] = 1.0f, alias[j] = j;  // rounding residue
}

}  // namespace fanflow::rng
