// RunRecorder: the run file's layout, written incrementally.
#include "io/run_recorder.hpp"

#include <oneapi/tbb/version.h>
#include <CLI/Version.hpp>

#include <algorithm>
#include <boost/version.hpp>
#include <ctime>
#include <vector>

#include "core/channel.hpp"
#include "core/pools.hpp"
#include "core/version.hpp"

#ifndef FANFLOW_YAML_CPP_VERSION
#define FANFLOW_YAML_CPP_VERSION "unknown"
#endif

namespace fanflow::io {
namespace {

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

std::vector<std::string> channel_names() { return {kChannelNames.begin(), kChannelNames.end()}; }

/// A row of a [tick x creator] dataset: `values` (one per creator that exists) then `fill` up to `columns`
/// (every creator that can exist in the run, CreatorStore::capacity).
template <typename T, typename V = T>
std::vector<T> padded(const std::vector<V>& values, std::size_t columns, T fill) {
  std::vector<T> row(columns, fill);
  std::transform(values.begin(), values.begin() + std::min(values.size(), columns), row.begin(),
                 [](V v) { return static_cast<T>(v); });
  return row;
}

}  // namespace

std::string library_versions() {
  std::string text = "boost " + std::to_string(BOOST_VERSION / 100000) + "." +
                     std::to_string(BOOST_VERSION / 100 % 1000) + "." + std::to_string(BOOST_VERSION % 100);
  text += std::string(", oneTBB ") + TBB_VERSION_STRING;
  text += ", HDF5 " + hdf5_version();
  text += std::string(", yaml-cpp ") + FANFLOW_YAML_CPP_VERSION;
  text += std::string(", CLI11 ") + CLI11_VERSION;
  text += ", Random123 Philox4x64-10";
  return text;
}

RunRecorder::RunRecorder(const std::filesystem::path& path, const params::Scenario& scenario, const state::State& state,
                         int threads)
    : file_(path), started_(std::chrono::steady_clock::now()) {
  const params::Params& p = scenario.params;
  file_.set_attribute("/", "format", std::string_view("fanflow-run"));
  file_.set_attribute("/", "format_version", kRunFormatVersion);
  file_.set_attribute("/", "complete", std::int64_t{0});

  // Provenance: what produced this file.
  file_.write_text("/provenance/scenario", params::to_yaml(scenario),
                   "fully resolved scenario (every parameter, and the timeline) as YAML");
  file_.set_attribute("/provenance", "scenario_source", std::string_view(scenario.source));
  file_.set_attribute("/provenance", "seed", p.run.seed);
  file_.set_attribute("/provenance", "world_seed", static_cast<std::int64_t>(params::world_seed(p)));
  file_.set_attribute("/provenance", "fanflow_version", std::string_view(kVersion));
  file_.set_attribute("/provenance", "git_revision", std::string_view(kGitRevision));
  file_.set_attribute("/provenance", "threads", std::int64_t{threads});
  file_.set_attribute("/provenance", "libraries", std::string_view(library_versions()));
  file_.set_attribute("/provenance", "start_time", std::string_view(utc_now()));

  // Time series, one row per tick.
  const auto channels = channel_names();
  auto per_channel = [&](const char* name, const char* unit, const char* description) {
    return file_.create_growing<std::uint64_t>(std::string("/timeseries/") + name, kChannelCount, channels, unit,
                                               description);
  };
  impressions_ = per_channel("impressions", "impressions/day", "items shown to users, by channel");
  views_ = per_channel("views", "views/day", "items viewed, by the channel they were shown through");
  likes_ = per_channel("likes", "likes/day", "likes, by the channel of the liked impression");
  shares_ = per_channel("shares", "shares/day", "share actions (one per sharing viewer and item), by channel");
  follows_ = per_channel("follows", "follows/day", "new follows, by the channel of the item that won them");
  unfollows_ = per_channel("unfollows", "unfollows/day", "unfollows, by the channel of the item that lost them");
  auto series = [&](const char* name, const char* unit, const char* description) {
    return file_.create_growing<std::uint64_t>(std::string("/timeseries/") + name, 1, {}, unit, description);
  };
  active_users_ = series("active_users", "users", "users who opened the app that day");
  adopters_ = series("adopters", "users", "users on the platform at the end of the day (all without adoption)");
  new_adopters_ = series("new_adopters", "users/day", "users who joined the platform that day (adoption)");
  share_deliveries_ = series("share_deliveries", "items", "items placed in friends' inboxes for the next day");
  items_posted_ = series("items_posted", "items/day", "items posted by creators that day");
  active_creators_ = series("active_creators", "creators", "creators who posted at least one item that day");
  follow_edges_ = series("follow_edges", "follows", "follow edges (user follows creator) at the end of the day");
  starting_follows_ = series("starting_follows", "follows",
                             "follow edges big IPs brought when they joined (those of setup on the first day)");
  true_fans_ = series("true_fans", "follows", "follow edges with trust at least trust.true_fan_threshold");
  group_members_ = series("group_members", "members", "memberships of creators' chat groups at the end of the day");
  items_alive_ = series("items_alive", "items", "items still eligible for feeds at the end of the day");
  // Traffic pools and concentration of public traffic.
  const std::vector<std::string> tiers(kPoolTierNames.begin(), kPoolTierNames.end());
  items_by_tier_ = file_.create_growing<std::uint64_t>("/timeseries/items_by_tier", kPoolTiers, tiers, "items",
                                                       "alive items at the end of the day, by traffic pool");
  items_promoted_ = file_.create_growing<std::uint64_t>("/timeseries/items_promoted", kPoolTiers, tiers, "items/day",
                                                        "items that entered each traffic pool that day");
  items_left_pools_ = series("items_left_pools", "items/day", "items that failed a pool's threshold that day");
  top_creator_share_ = file_.create_growing<double>(
      "/timeseries/top_creator_recommendation_share", 1, {}, "",
      "share of the day's recommended impressions that went to the most recommended creator");
  // The event log: one row per event, in (tick, kind, subject) order.
  auto event_column = [&]<typename T>(const char* name, T, const char* unit, const char* description) {
    return file_.create_growing<T>(std::string("/events/") + name, 1, {}, unit, description);
  };
  event_tick_ = event_column("tick", std::uint32_t{}, "tick", "tick the event happened on");
  event_kind_ = event_column("kind", std::uint8_t{}, "", "kind of event; names in the attribute 'kinds'");
  event_subject_ =
      event_column("subject", std::uint32_t{}, "", "what the event is about: a creator id, or a timeline entry index");
  event_value_ = event_column("value", std::int64_t{}, "", "kind-specific value (see docs/output-format.md)");
  std::string kind_names;
  for (std::size_t k = 1; k < phases::kEventKindNames.size(); ++k)
    kind_names += std::to_string(k) + "=" + std::string(phases::kEventKindNames[k]) +
                  (k + 1 < phases::kEventKindNames.size() ? "," : "");
  file_.set_attribute("/events/kind", "kinds", std::string_view(kind_names));
  // [tick x creator] datasets have a column for every creator that can exist (initial + lifecycle.max_entrants);
  // creators that have not joined yet read 0.
  creator_columns_ = state.creators.capacity;
  has_creators_ = creator_columns_ > 0;
  if (has_creators_)
    creator_true_fans_ = file_.create_growing<std::uint32_t>(
        "/creators/true_fans", creator_columns_, {}, "followers",
        "followers of each creator with trust at least trust.true_fan_threshold, end of each day [tick x creator]");
  if (has_creators_)
    creator_followers_ =
        file_.create_growing<std::uint32_t>("/creators/followers", creator_columns_, {}, "followers",
                                            "followers of each creator at the end of each day [tick x creator]");
  creator_income_total_ = file_.create_growing<double>("/timeseries/creator_income", 1, {}, "money/day",
                                                       "income paid to creators that day, all sources");
  creator_cost_total_ = file_.create_growing<double>("/timeseries/creator_cost", 1, {}, "money/day",
                                                     "creators' cost of the items posted that day");
  creators_alive_ = series("creators_alive", "creators", "creators on the platform (joined, not exited) at day end");
  creator_exits_ = series("creator_exits", "creators/day", "creators who exited that day");
  creator_entrants_ = series("creator_entrants", "creators/day", "new creators who joined that day");
  knowledge_sales_ = series("knowledge_sales", "sales/day", "paid-knowledge items creators sold to their true fans");
  knowledge_revenue_ = file_.create_growing<double>(
      "/timeseries/knowledge_revenue", 1, {}, "money/day",
      "what customers paid for paid knowledge that day, knowledge.price per sale (customers' money)");
  platform_knowledge_commission_ =
      file_.create_growing<double>("/timeseries/platform_knowledge_commission", 1, {}, "money/day",
                                   "the platform's commission on paid knowledge; creators got the rest of the revenue");
  if (has_creators_) {
    creator_income_ = file_.create_growing<float>("/creators/income", creator_columns_, {}, "money/day",
                                                  "each creator's income that day, all sources [tick x creator]");
    creator_morale_ = file_.create_growing<float>("/creators/morale", creator_columns_, {}, "",
                                                  "each creator's morale at the end of the day, in [0, 1] "
                                                  "[tick x creator]");
    creator_stage_ = file_.create_growing<std::uint8_t>(
        "/creators/stage", creator_columns_, {}, "",
        "growth stage at the end of the day: 0 departure, 1 exploration, 2 harvest, 3 on the road [tick x creator]");
  }

  // Static tables: what was drawn at setup. (Creators' traits are written by finish(), with the entrants.)
  file_.write_column("/brands/summary/topic", state.brands.topic, "topic", "the brand's product category");
  brands_ = BrandRecorder(file_, state);
  std::vector<std::uint16_t> top_interest(state.users.count);
  std::vector<std::uint32_t> degree(state.users.count);
  for (std::uint32_t u = 0; u < state.users.count; ++u) {
    top_interest[u] = state.users.topics_of(u)[0];
    degree[u] = state.friends.degree(u);
  }
  file_.write_column("/users/summary/top_interest", top_interest, "topic", "the user's most weighted topic");
  file_.write_column("/users/summary/attention", state.users.attention, "items/day",
                     "items the user sees on an active day");
  file_.write_column("/users/summary/friends", degree, "users", "degree in the social graph");
  file_.write_column("/users/summary/sponsored_tolerance", state.users.sponsored_tolerance, "",
                     "share of sponsored items from a creator the user accepts before losing trust");
  file_.flush();
}

void RunRecorder::record(Tick, const phases::TickMetrics& m, const std::vector<phases::Event>& events,
                         const state::State& state) {
  for (const phases::Event& event : events) {
    const std::uint8_t kind = static_cast<std::uint8_t>(event.kind);
    event_tick_.append(std::span<const std::uint32_t>(&event.tick, 1));
    event_kind_.append(std::span<const std::uint8_t>(&kind, 1));
    event_subject_.append(std::span<const std::uint32_t>(&event.subject, 1));
    event_value_.append(std::span<const std::int64_t>(&event.value, 1));
  }
  impressions_.append(std::span<const std::uint64_t>(m.impressions));
  views_.append(std::span<const std::uint64_t>(m.views));
  likes_.append(std::span<const std::uint64_t>(m.likes));
  shares_.append(std::span<const std::uint64_t>(m.shares));
  follows_.append(std::span<const std::uint64_t>(m.follows));
  unfollows_.append(std::span<const std::uint64_t>(m.unfollows));
  auto one = [](GrowingDataset& dataset, std::uint64_t value) {
    dataset.append(std::span<const std::uint64_t>(&value, 1));
  };
  one(active_users_, m.active_users);
  one(adopters_, m.adopters);
  one(new_adopters_, m.new_adopters);
  one(share_deliveries_, m.share_deliveries);
  one(items_posted_, m.items_posted);
  one(active_creators_, m.active_creators);
  one(follow_edges_, m.follow_edges);
  one(true_fans_, m.true_fans);
  one(starting_follows_, m.starting_follows);
  one(group_members_, m.group_members);
  one(items_alive_, m.items_alive);
  items_by_tier_.append(std::span<const std::uint64_t>(m.items_by_tier));
  items_promoted_.append(std::span<const std::uint64_t>(m.items_promoted));
  one(items_left_pools_, m.items_left_pools);
  const std::uint64_t recommended = m.impressions[index(Channel::Recommendation)];
  const double top_share = recommended > 0 ? double(m.top_creator_recommended) / double(recommended) : 0.0;
  top_creator_share_.append(std::span<const double>(&top_share, 1));
  const double income = m.creator_income, cost = m.creator_cost;
  creator_income_total_.append(std::span<const double>(&income, 1));
  creator_cost_total_.append(std::span<const double>(&cost, 1));
  one(creators_alive_, m.creators_alive);
  one(creator_exits_, m.creator_exits);
  one(creator_entrants_, m.creator_entrants);
  one(knowledge_sales_, m.knowledge_sales);
  const double knowledge_revenue = to_money(m.knowledge_revenue),
               knowledge_commission = to_money(m.knowledge_commission);
  knowledge_revenue_.append(std::span<const double>(&knowledge_revenue, 1));
  platform_knowledge_commission_.append(std::span<const double>(&knowledge_commission, 1));
  if (has_creators_) {
    const auto& lc = state.lifecycle;
    creator_followers_.append(padded(state.creators.followers, creator_columns_, 0u));
    creator_true_fans_.append(padded(state.creators.true_fans, creator_columns_, 0u));
    creator_income_.append(padded(lc.income_today, creator_columns_, 0.0f));
    creator_morale_.append(padded(lc.morale, creator_columns_, 0.0f));
    creator_stage_.append(padded(lc.stage, creator_columns_, std::uint8_t{0}));
  }
  brands_.record(m, state);
  file_.flush();
}

void RunRecorder::write_timeline(const std::vector<sim::AppliedChange>& changes) {
  std::vector<std::uint32_t> ticks, entries;
  std::vector<std::string> keys, values, labels;
  for (const sim::AppliedChange& applied : changes) {
    ticks.push_back(applied.change.tick);
    entries.push_back(applied.change.entry);
    keys.push_back(applied.change.path);
    values.push_back(applied.change.value);
    labels.push_back(applied.label);
  }
  file_.write_column("/timeline/tick", ticks, "tick", "tick at whose start the parameter changed");
  file_.write_column("/timeline/entry", entries, "",
                     "index of the scenario's timeline entry (events of kind timeline_applied name it too)");
  file_.write_strings("/timeline/key", keys, "the parameter changed, section.name");
  file_.write_strings("/timeline/value", values,
                      "the value in force from this tick on: the entry's, or the one restored when its window ends");
  file_.write_strings("/timeline/label", labels, "the entry's label, or empty");  // strings: empty unit
}

void RunRecorder::write_lifecycle_summary(const state::State& state) {
  const auto& lc = state.lifecycle;
  const std::size_t n = lc.size();
  file_.write_column("/creators/summary/joined_tick", lc.joined, "tick",
                     "tick the creator joined (0 for the initial creators)");
  file_.write_column("/creators/summary/exit_tick", lc.exit_tick, "tick",
                     "tick the creator exited; 4294967295 if still on the platform");
  file_.write_column("/creators/summary/exit_reason", lc.exit_reason, "",
                     "why the creator exited: 0 did not, 1 feedback, 2 income (the weaker signal)");
  file_.write_column("/creators/summary/stage", lc.stage, "",
                     "growth stage at the end: 0 departure, 1 exploration, 2 harvest, 3 on the road");
  for (std::size_t stage = 1; stage < state::kStages; ++stage) {
    std::vector<Tick> ticks(n);
    for (std::size_t c = 0; c < n; ++c) ticks[c] = lc.stage_tick[c * state::kStages + stage];
    const std::string number = std::to_string(stage);
    file_.write_column(std::string("/creators/summary/stage_tick_").append(number), ticks, "tick",
                       std::string("tick stage ").append(number).append(" was reached; 4294967295 if never"));
  }
  file_.write_column("/creators/summary/income", lc.income_total, "money", "income over the run, all sources");
  for (std::size_t source = 0; source < state::kIncomeSources; ++source) {
    std::vector<double> income(n);
    for (std::size_t c = 0; c < n; ++c) income[c] = lc.income_by_source[c * state::kIncomeSources + source];
    const std::string name(state::kIncomeSourceNames[source]);
    file_.write_column(std::string("/creators/summary/income_").append(name), income, "money",
                       std::string("income over the run from source ").append(name));
  }
  file_.write_column("/creators/summary/cost", lc.cost_total, "money", "cost of the items posted over the run");
  file_.write_column("/creators/summary/morale", lc.morale, "", "morale at the end (or when the creator exited)");
  file_.write_column("/creators/summary/skill_final", state.creators.skill, "",
                     "skill at the end of the run (or at exit), after improvement with practice");
}

void RunRecorder::finish(const state::State& state, const sim::Profile& profile) {
  const auto& c = state.creators;
  // One entry per creator that exists at the end (initial creators, then entrants in joining order).
  file_.write_column("/creators/summary/topic", c.topic, "topic", "the creator's topic");
  file_.write_column("/creators/summary/skill", state.lifecycle.skill_at_join, "",
                     "skill when the creator joined (mean item quality, in [0, 1])");
  file_.write_column("/creators/summary/posting_rate", c.posting_rate, "items/day", "expected items posted per day");
  file_.write_column("/creators/summary/packaging", c.packaging, "",
                     "packaging lever: how much the creator's items draw the eye, in [0, 1]");
  file_.write_column("/creators/summary/type", c.type, "",
                     "creator type: 0 small IP (niche), 1 big IP (broad, starts with followers), 2 brand account");
  file_.write_column("/creators/summary/sponsored_share", c.sponsored_share, "",
                     "share of the creator's items that are sponsored (expected)");
  file_.write_column("/creators/summary/sells_live", c.sells_live, "",
                     "1 if the creator accepts brands' live-selling orders (monetization lever)");
  file_.write_column("/creators/summary/sells_knowledge", c.sells_knowledge, "",
                     "1 if the creator sells paid knowledge (courses, columns) to its true fans, else 0");
  write_lifecycle_summary(state);
  brands_.finish(file_, state);
  file_.write_column("/creators/summary/followers", c.followers, "followers", "followers at the end of the run");
  file_.write_column("/creators/summary/true_fans", c.true_fans, "followers", "true fans at the end of the run");
  std::vector<std::uint32_t> group_members(c.count, 0);
  std::copy_n(state.group_members.begin(), std::min<std::size_t>(c.count, state.group_members.size()),
              group_members.begin());
  file_.write_column("/creators/summary/group_members", group_members, "members",
                     "members of the creator's chat group at the end of the run");
  file_.write_column("/creators/summary/items_posted", c.items_posted, "items", "items posted over the run");
  file_.write_column("/creators/summary/impressions", c.impressions, "impressions",
                     "impressions of the creator's items");
  file_.write_column("/creators/summary/views", c.views, "views", "views of the creator's items");
  file_.write_column("/creators/summary/likes", c.likes, "likes", "likes of the creator's items");
  file_.write_column("/creators/summary/shares", c.shares, "shares", "shares of the creator's items");
  const auto& u = state.users;
  std::vector<std::uint32_t> following(u.count);
  for (std::uint32_t user = 0; user < u.count; ++user)
    following[user] = static_cast<std::uint32_t>(state.follows.followed(user).size());
  file_.write_column("/users/summary/impressions", u.impressions, "impressions",
                     "items shown to the user over the run");
  file_.write_column("/users/summary/views", u.views, "views", "items the user viewed");
  file_.write_column("/users/summary/likes", u.likes, "likes", "items the user liked");
  file_.write_column("/users/summary/shares", u.shares, "shares", "items the user shared to friends");
  file_.write_column("/users/summary/active_days", u.active_days, "days", "days the user opened the app");
  file_.write_column("/users/summary/following", following, "creators", "creators the user follows at the end");

  std::vector<std::string> phases;
  std::vector<double> seconds;
  for (const auto& entry : profile.entries()) phases.push_back(entry.phase), seconds.push_back(entry.seconds);
  file_.write_strings("/provenance/profile/phase", phases, "phase of the tick pipeline, in order");
  file_.write_column("/provenance/profile/seconds", seconds, "s", "wall time spent in the phase over the run");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  file_.set_attribute("/provenance", "wall_time_s", wall);
  file_.set_attribute("/", "ticks", static_cast<std::int64_t>(impressions_.rows()));
  file_.set_attribute("/", "complete", std::int64_t{1});
  file_.commit();
}

}  // namespace fanflow::io
