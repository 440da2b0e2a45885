// Simulation setup and the tick pipeline.
#include "sim/simulation.hpp"

#include <algorithm>

#include "graph/generators.hpp"
#include "sim/memory.hpp"

namespace fanflow::sim {

Simulation::Simulation(const params::Scenario& scenario) : params_(scenario.params), timeline_(scenario) {
  const auto users = static_cast<std::uint32_t>(params_.population.users);
  check_memory(scenario);
  profile_.time("setup", [&] {
    state_.users = state::make_users(params_, users);
    // Creators [0, population.creators), then one account per brand, then room for entrants.
    const auto creators = static_cast<std::uint32_t>(params_.population.creators);
    const auto brands = static_cast<std::uint32_t>(params_.population.brands);
    const std::uint32_t accounts = params_.brands.own_accounts ? brands : 0;
    state_.creators = state::make_creators(
        params_, creators, creators + accounts + static_cast<std::uint32_t>(params_.lifecycle.max_entrants));
    state_.brands = state::make_brands(params_, brands, &scenario.actors);
    if (accounts > 0) state::add_brand_accounts(params_, state_.creators, state_.brands);
    state_.journeys = state::initial_journeys(params_, state_.brands, users);  // awareness of established brands
    state_.lifecycle.reserve(state_.creators.capacity);
    state_.lifecycle.add(state_.creators.count, 0, state_.creators.skill.data());
    state_.friends = graph::make_social_graph(scenario, users);
    state_.follows = state::FollowStore(users);
    state_.groups = state::FollowStore(users);
    setup_starting_follows_ = state_.welcome_creators(params_, 0, state_.creators.count);
    setup_starting_follows_ += state_.welcome_brand_accounts(params_);  // named brands' starting followers
    state_.inbox_offsets.assign(std::size_t(users) + 1, 0);
    state_.adopters = users;
    phases::seed_adoption(params_, state_);
    state_.posted_today_begin.assign(std::size_t(state_.creators.count) + 1, 0);
  });
}

Simulation Simulation::fork(const params::Scenario& plan) const {
  Simulation copy(*this);
  copy.timeline_ = TimelineSchedule(plan);
  copy.params_ = plan.params;
  std::vector<phases::Event> replayed;  // the events of days already run: this run logged them
  for (Tick t = 0; t < tick_; ++t) copy.timeline_.apply(t, copy.params_, replayed);
  return copy;
}

void Simulation::step() {
  const phases::TickContext ctx{params_, static_cast<std::uint64_t>(params_.run.seed), tick_};
  buffers_.metrics = phases::TickMetrics{};
  buffers_.events.clear();
  if (tick_ == 0) buffers_.metrics.starting_follows = setup_starting_follows_;  // reported with the first day
  // Phases read ctx.params, so changes hold from this tick on; the day's events (super brand days) go to brands.
  buffers_.timeline_events = timeline_.apply(tick_, params_, buffers_.events);
  profile_.time("brands_prepare", [&] { phases::brands_prepare(ctx, state_, buffers_); });  // budgets, ads, deals
  profile_.time("post", [&] { phases::creators_post(ctx, state_, buffers_); });
  profile_.time("recommend", [&] { phases::prepare_recommendation(ctx, state_, buffers_); });
  profile_.time("consume", [&] { phases::consume(ctx, state_, buffers_); });
  profile_.time("commit", [&] { phases::commit(ctx, state_, buffers_); });
  profile_.time("brands_settle", [&] { phases::settle_brands(ctx, state_, buffers_); });  // ads charged, creators paid
  profile_.time("creators", [&] { phases::creators_update(ctx, state_, buffers_); });
  profile_.time("adoption", [&] { phases::adopt(ctx, state_, buffers_); });
  std::sort(buffers_.events.begin(), buffers_.events.end());
  ++tick_;
}

}  // namespace fanflow::sim
