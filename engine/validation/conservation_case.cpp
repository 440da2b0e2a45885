// Cases "conservation" and "determinism": identities a run must keep exactly on every tick, and results that
// must not depend on the number of threads.
#include <oneapi/tbb/global_control.h>

#include <bit>
#include <cstring>
#include <numeric>
#include <span>

#include "core/channel.hpp"
#include "sim/simulation.hpp"
#include "validation/validation.hpp"

namespace fanflow::validation {

namespace {

/// Sums of both sides of an integer identity over the ticks, and the ticks on which the sides differed.
struct Identity {
  std::string setup;
  std::uint64_t left = 0, right = 0;
  std::uint32_t ticks_differing = 0;

  void add(std::uint64_t left_today, std::uint64_t right_today) {
    left += left_today, right += right_today;
    if (left_today != right_today) ++ticks_differing;
  }
  Row row(const std::string& case_name) const {
    Row r;
    r.case_name = case_name;
    r.setup = setup;
    r.measured = double(left);
    r.expected = double(right);
    r.exact = true;
    r.passed = ticks_differing == 0 && left == right;
    return r;
  }
};

template <typename T>
std::uint64_t sum_of(const std::vector<T>& values, std::size_t count) {
  return std::accumulate(values.begin(), values.begin() + std::ptrdiff_t(count), std::uint64_t{0});
}

/// FNV-1a over the bytes of values.
struct Hash {
  std::uint64_t value = 14695981039346656037ull;
  void bytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) value = (value ^ p[i]) * 1099511628211ull;
  }
  template <typename T>
  void add(const T& scalar) {
    bytes(&scalar, sizeof scalar);
  }
  template <typename T>
  void add(std::span<const T> values) {
    bytes(values.data(), values.size_bytes());
  }
};

/// A hash of one tick's metrics and of the state counters the tick changed.
std::uint64_t tick_hash(const sim::Simulation& simulation) {
  const phases::TickMetrics& m = simulation.last_metrics();
  const state::State& s = simulation.state();
  Hash h;
  for (const auto* per_channel :
       {&m.impressions, &m.views, &m.likes, &m.shares, &m.follows, &m.unfollows, &m.purchases})
    h.add(std::span<const std::uint64_t>(*per_channel));
  for (std::uint64_t v :
       {m.active_users, m.share_deliveries, m.items_posted, m.active_creators, m.follow_edges, m.true_fans,
        m.group_members, m.items_alive, m.creators_alive, m.creator_exits, m.creator_entrants, m.knowledge_sales})
    h.add(v);
  h.add(std::bit_cast<std::uint64_t>(m.creator_income));
  h.add(std::bit_cast<std::uint64_t>(m.creator_cost));
  const phases::BrandTotals& b = m.brands;
  for (Micros v : {b.ad_spend, b.sponsorship_spend, b.live_spend, b.content_spend, b.creator_brand_income,
                   b.platform_ad_revenue, b.platform_commission, b.revenue})
    h.add(v);
  h.add(std::span<const std::uint32_t>(s.users.impressions));
  h.add(std::span<const std::uint32_t>(s.users.likes));
  h.add(std::span<const std::uint32_t>(s.creators.followers.data(), s.creators.count));
  h.add(std::span<const std::uint64_t>(s.creators.impressions.data(), s.creators.count));
  return h.value;
}

std::string days_text(const params::Scenario& scenario) {
  const auto& p = scenario.params;
  return std::to_string(p.population.users) + " users, " + std::to_string(p.population.creators) + " creators, " +
         std::to_string(p.run.days) + " days";
}

}  // namespace

params::Scenario conservation_scenario() {
  return params::load_scenario_text(
      "run: {seed: 7, days: 10}\n"
      "population: {users: 4000, creators: 80, topics: 20}\n"
      "graph: {kind: barabasi_albert, mean_degree: 10}\n"
      "engagement: {share_rate: 0.05}\n"
      "marketplace: {min_followers: 10}\n"
      "timeline:\n"
      "  - {at: 5, event: {kind: super_brand_day, brand: 2, top_creators: 4}}\n",
      "validation-conservation.yaml", ".");
}

std::vector<Row> conservation_rows(const params::Scenario& scenario) {
  const std::string run = days_text(scenario);
  Identity shown{"impressions by channel = users' impressions (" + run + ")"};
  Identity items{"item impressions (recommendation, follow feed, friend share, group) = creators' impressions"};
  Identity ads{"ad impressions = brands' ad impressions"};
  Identity live{"live impressions = brands' live attendees"};
  Identity money{"brands' spend (ads + sponsorship + live) = creators' brand income + platform take (micro-money)"};
  sim::Simulation simulation(scenario);
  const state::State& s = simulation.state();
  std::uint64_t users_before = sum_of(s.users.impressions, s.users.count);
  std::uint64_t creators_before = sum_of(s.creators.impressions, s.creators.count);
  while (simulation.tick() < static_cast<Tick>(scenario.params.run.days)) {
    simulation.step();
    const phases::TickMetrics& m = simulation.last_metrics();
    const std::uint64_t all_channels = std::accumulate(m.impressions.begin(), m.impressions.end(), std::uint64_t{0});
    const std::uint64_t users_now = sum_of(s.users.impressions, s.users.count);
    const std::uint64_t creators_now = sum_of(s.creators.impressions, s.creators.count);
    shown.add(all_channels, users_now - users_before);
    std::uint64_t item_channels = 0;
    for (Channel c : {Channel::Recommendation, Channel::FollowFeed, Channel::FriendShare, Channel::Group})
      item_channels += m.impressions[index(c)];
    items.add(item_channels, creators_now - creators_before);
    const auto& acc = s.brand_accounts;
    ads.add(m.impressions[index(Channel::Ads)], sum_of(acc.ad_impressions, acc.ad_impressions.size()));
    live.add(m.impressions[index(Channel::Live)], sum_of(acc.live_attendees, acc.live_attendees.size()));
    const phases::BrandTotals& b = m.brands;
    money.add(static_cast<std::uint64_t>(b.brand_spend()),
              static_cast<std::uint64_t>(b.creator_brand_income + b.platform_take()));
    users_before = users_now, creators_before = creators_now;
  }
  std::vector<Row> rows;
  for (const Identity* identity : {&shown, &items, &ads, &live}) rows.push_back(identity->row("conservation"));
  rows.push_back(money.row("conservation"));
  return rows;
}

Row determinism_row(const params::Scenario& scenario, const std::vector<int>& thread_counts) {
  std::vector<std::uint64_t> first;
  std::uint32_t ticks_differing = 0;
  std::string counts;
  for (std::size_t k = 0; k < thread_counts.size(); ++k) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(thread_counts[k]));
    counts += (k ? (k + 1 == thread_counts.size() ? " and " : ", ") : "") + std::to_string(thread_counts[k]);
    sim::Simulation simulation(scenario);
    std::vector<std::uint64_t> hashes;
    while (simulation.tick() < static_cast<Tick>(scenario.params.run.days)) {
      simulation.step();
      hashes.push_back(tick_hash(simulation));
    }
    if (k == 0) {
      first = hashes;
      continue;
    }
    for (std::size_t t = 0; t < hashes.size(); ++t) ticks_differing += hashes[t] != first[t];
  }
  Row row;
  row.case_name = "determinism";
  row.setup = "ticks whose metrics and state counters differ from 1 thread's, at " + counts + " threads (" +
              days_text(scenario) + ")";
  row.measured = ticks_differing;
  row.expected = 0;
  row.exact = true;
  row.passed = ticks_differing == 0;
  return row;
}

}  // namespace fanflow::validation
