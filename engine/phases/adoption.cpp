// Platform adoption (Bass diffusion; docs/model.md, "Platform adoption"): users who are not on the platform join
// it with hazard p + q F, F the share of users already on it (complete mixing), integrated over the day in
// adoption.substeps sub-steps. Only users on the platform open the app. Each sub-step is parallel over users,
// each decision a draw of the user's own Adoption stream, and the joiners are counted with integer sums, so the
// result does not depend on threads.
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>

#include <cmath>

#include "phases/phases.hpp"

namespace fanflow::phases {

void seed_adoption(const params::Params& params, state::State& state) {
  auto& users = state.users;
  if (!params.adoption.enabled) return;
  const double share = params.adoption.initial_share;
  state.adopters = 0;
  for (std::uint32_t user = 0; user < users.count; ++user) {
    rng::Stream stream(params::world_seed(params), 0, user, rng::Purpose::Adoption, kInitialAdoptionSubstream);
    users.on_platform[user] = stream.uniform() < share ? 1 : 0;
    state.adopters += users.on_platform[user];
  }
}

void adopt(const TickContext& ctx, state::State& state, TickBuffers& buffers) {
  const auto& a = ctx.params.adoption;
  auto& users = state.users;
  if (!a.enabled || users.count == 0) {
    buffers.metrics.adopters = users.count;
    return;
  }
  const auto substeps = static_cast<std::uint32_t>(a.substeps);
  const double dt = 1.0 / double(substeps), n = double(users.count);
  for (std::uint32_t s = 0; s < substeps; ++s) {
    // Probability of joining within the sub-step at the hazard of its start: 1 - exp(-(p + q F) dt).
    const double hazard = a.innovation + a.imitation * double(state.adopters) / n;
    const double join = -std::expm1(-hazard * dt);
    tbb::enumerable_thread_specific<std::uint64_t> joined(0);
    tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, users.count, 4096), [&](const auto& range) {
      std::uint64_t& mine = joined.local();
      for (std::uint32_t user = range.begin(); user != range.end(); ++user) {
        if (users.on_platform[user]) continue;
        rng::Stream stream(ctx.seed, ctx.tick, user, rng::Purpose::Adoption, s);
        if (stream.uniform() < join) users.on_platform[user] = 1, ++mine;
      }
    });
    const std::uint64_t today = joined.combine(std::plus<>());
    state.adopters += today;
    buffers.metrics.new_adopters += today;
  }
  buffers.metrics.adopters = state.adopters;
}

}  // namespace fanflow::phases
