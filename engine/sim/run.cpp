// The loop of ticks and the interrupt flag.
#include "sim/run.hpp"

#include "core/error.hpp"
#include "sim/simulation.hpp"

namespace fanflow::sim {

std::atomic<bool> interrupt_requested{false};

void run_ticks(Simulation& simulation, const std::function<void(Simulation&)>& after_tick,
               const ProgressCallback& progress) {
  const auto days = static_cast<std::uint32_t>(simulation.params().run.days);
  for (std::uint32_t day = 0; day < days; ++day) {
    if (interrupt_requested.load())
      throw Interrupted("interrupted at day " + std::to_string(day) + "; no file written");
    simulation.step();
    after_tick(simulation);
    if (progress) progress(day + 1, days);
  }
}

}  // namespace fanflow::sim
