// The loop of ticks every run shares (a recorded run, a sweep's or comparison's in-memory run) and the flag that
// interrupts it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

namespace fanflow::sim {

/// Called after each tick with (ticks done, total ticks).
using ProgressCallback = std::function<void(std::uint32_t, std::uint32_t)>;

/// Set (from a signal handler) to stop a run after the current tick; the partial file is removed.
extern std::atomic<bool> interrupt_requested;

class Simulation;

/// The loop of ticks every run shares (a recorded run and a sweep's in-memory run): steps `simulation` through
/// run.days ticks, calling after_tick(simulation) and then progress (when set) after each. Throws Interrupted,
/// before the next tick, once interrupt_requested is set.
void run_ticks(Simulation& simulation, const std::function<void(Simulation&)>& after_tick,
               const ProgressCallback& progress);

}  // namespace fanflow::sim
