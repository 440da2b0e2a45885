// Memory estimate: bytes per user, per social edge and per item, from the layout of the state stores.
#include "sim/memory.hpp"

#include <oneapi/tbb/info.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "graph/generators.hpp"

namespace fanflow::sim {

namespace {

/// Bytes the vectors hold (their capacities).
template <typename... Vectors>
std::uint64_t held(const Vectors&... vectors) {
  return ((std::uint64_t(vectors.capacity()) * sizeof(typename Vectors::value_type)) + ... + 0);
}

}  // namespace

MemoryUse measure_memory(const state::State& s) {
  MemoryUse use;
  const auto& u = s.users;
  use.users_bytes = held(u.interest_topic, u.interest_weight, u.attention, u.sponsored_tolerance, u.impressions,
                         u.views, u.likes, u.shares, u.active_days) +
                    s.follows.memory_bytes() + s.groups.memory_bytes() + s.journeys.memory_bytes() +
                    held(s.inbox_offsets, s.inbox_items, s.inbox_channels, s.inbox_lineage, s.open_cascades);
  use.graph_bytes = s.friends.memory_bytes();
  const auto& c = s.creators;
  const auto& lc = s.lifecycle;
  const auto& i = s.items;
  use.content_bytes =
      held(c.topic, c.type, c.skill, c.posting_rate, c.packaging, c.followers, c.true_fans, c.sponsored_share,
           c.sells_live, c.sells_knowledge, c.items_posted, c.impressions, c.views, c.likes, c.shares) +
      held(lc.joined, lc.exit_tick, lc.exit_reason, lc.stage, lc.stage_tick, lc.skill_at_join, lc.morale,
           lc.feedback_signal, lc.income_signal, lc.days_below, lc.ema_engagement, lc.ema_items, lc.ema_income,
           lc.ema_cost, lc.income_pending, lc.income_by_source, lc.income_total, lc.cost_total, lc.income_today,
           lc.views_seen, lc.likes_seen, lc.shares_seen, lc.followers_seen) +
      held(i.creator, i.topic, i.quality, i.brand, i.posted, i.impressions, i.views, i.likes, i.shares,
           i.rec_impressions, i.tier, i.left_pool, i.tier_impressions, i.tier_likes) +
      held(s.group_members, s.posted_today_begin, s.deals.brand, s.deals.price, s.deals.made, s.deals.filled,
           s.deals.sponsored_posted);
  return use;
}

MemoryEstimate estimate_memory(const params::Scenario& scenario) {
  const params::Params& p = scenario.params;
  const double users = static_cast<double>(p.population.users);
  const double creators = static_cast<double>(p.population.creators) +
                          (p.brands.own_accounts ? static_cast<double>(p.population.brands) : 0.0);
  const double slots = static_cast<double>(std::min<std::int64_t>(p.users.interests_per_user, p.population.topics));
  // Follows a user may gather: one per viewed item at most follow_rate * 2.25 (the largest appeal).
  const double follows_per_user =
      std::min(creators, static_cast<double>(p.run.days) * p.users.daily_active_probability * p.users.attention_mean *
                             std::min(1.0, p.engagement.follow_rate * 2.25));
  // Purchase journeys a user may open: one per brand met, met at most on every branded impression (ad slots and
  // sponsored items), plus those it starts with (awareness of established brands).
  const double brands = static_cast<double>(p.population.brands);
  const double journeys_per_user =
      std::min(brands, static_cast<double>(p.run.days) * p.users.daily_active_probability * p.users.attention_mean *
                               std::min(1.0, p.platform.ad_load + p.creators.sponsored_share_mean) +
                           std::round(p.brands.established_share * brands) * p.brands.established_awareness);
  MemoryEstimate estimate;
  // Per user: interests (2 + 4 bytes a slot), attention, five totals, follow/inbox/graph/journey offsets, and
  // the follow relation and the purchase journeys (8 bytes each), held twice while a tick's changes are merged.
  const double per_user = slots * 6 + 2 + 5 * 4 + 4 * 8 + 2 * 4 * follows_per_user + 2 * 8 * journeys_per_user + 8;
  estimate.users_bytes = static_cast<std::uint64_t>(users * per_user);
  // Per undirected edge at build time: the edge list (8), both directions as pairs (16), CSR columns (8).
  const double edges =
      static_cast<double>(graph::expected_edge_count(scenario, static_cast<std::uint32_t>(p.population.users)));
  estimate.graph_bytes = static_cast<std::uint64_t>(edges * 32);
  // Creator slots: the initial creators and room for lifecycle.max_entrants, all of whom may post.
  const double creator_slots = creators + static_cast<double>(p.lifecycle.max_entrants);
  // Alive items: 44 bytes of columns (14 of them traffic pools) and 24 bytes of counters per thread and in
  // commit (8 of them recommendation counters).
  const double items =
      creator_slots * std::max(p.creators.posting_rate_mean, 0.0) * static_cast<double>(p.content.max_age_days) * 1.5;
  const double threads = static_cast<double>(tbb::info::default_concurrency());
  // Per creator slot: traits and totals (65 bytes), the lifecycle columns (state/lifecycle.hpp, 174), the
  // recorder's padded rows (24) and the day's paid-knowledge sales (4).
  estimate.content_bytes = static_cast<std::uint64_t>(creator_slots * 267 + items * (44 + 24 * (threads + 1) + 12));
  return estimate;
}

std::uint64_t memory_budget_bytes(const params::Params& params) {
  if (params.run.memory_limit_gib > 0) return static_cast<std::uint64_t>(params.run.memory_limit_gib * 1073741824.0);
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  while (meminfo >> key >> kib) {
    if (key == "MemAvailable:") return kib * 1024;
    meminfo.ignore(256, '\n');
  }
  return static_cast<std::uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<std::uint64_t>(sysconf(_SC_PAGE_SIZE));
}

std::string format_bytes(std::uint64_t bytes) {
  char text[64];
  if (bytes >= (1ull << 30))
    std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(1ull << 30));
  else if (bytes >= (1ull << 20))
    std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / double(1ull << 20));
  else
    std::snprintf(text, sizeof text, "%.1f KiB", double(bytes) / 1024.0);
  return text;
}

void check_memory(const params::Scenario& scenario) {
  const MemoryEstimate estimate = estimate_memory(scenario);
  const std::uint64_t budget = memory_budget_bytes(scenario.params);
  if (estimate.total() <= budget) return;
  std::string message = scenario.source + ": population needs about " + format_bytes(estimate.total());
  message += " (users " + format_bytes(estimate.users_bytes) + ", social graph " + format_bytes(estimate.graph_bytes);
  message += ", content " + format_bytes(estimate.content_bytes) + ") but only " + format_bytes(budget);
  message +=
      scenario.params.run.memory_limit_gib > 0 ? " is allowed by run.memory_limit_gib" : " of memory is available";
  message += "; reduce population.users or graph.mean_degree";
  throw InputError(message);
}

}  // namespace fanflow::sim
