// CreatorLifecycle: reserving and appending the per-creator lifecycle columns.
#include "state/lifecycle.hpp"

#include <type_traits>

namespace fanflow::state {

void CreatorLifecycle::reserve(std::uint32_t capacity) {
  const std::size_t n = capacity;
  for_each_uniform_column([n](auto& column, std::size_t width, auto) { column.reserve(n * width); }, 0);
  stage_tick.reserve(n * kStages);
  skill_at_join.reserve(n);
}

void CreatorLifecycle::add(std::uint32_t n, Tick tick, const float* skills) {
  const std::size_t total = std::size_t(size()) + n;
  for (std::uint32_t k = 0; k < n; ++k) {
    stage_tick.push_back(tick);  // stage 0, departure, is where every creator starts
    stage_tick.insert(stage_tick.end(), kStages - 1, kNever);
    skill_at_join.push_back(skills[k]);
  }
  for_each_uniform_column(
      [total](auto& column, std::size_t width, auto value) {
        column.resize(total * width, static_cast<typename std::decay_t<decltype(column)>::value_type>(value));
      },
      tick);
}

}  // namespace fanflow::state
