// RunRecorder: the run file's layout, written incrementally.
#include "io/run_recorder.hpp"

#include <oneapi/tbb/version.h>
#include <CLI/Version.hpp>

#include <boost/version.hpp>
#include <ctime>
#include <vector>

#include "core/channel.hpp"
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

template <typename T>
std::span<const T> view(const std::vector<T>& values) {
  return {values.data(), values.size()};
}

}  // namespace

std::string library_versions() {
  std::string text = "boost " + std::to_string(BOOST_VERSION / 100000) + "." +
                     std::to_string(BOOST_VERSION / 100 % 1000) + "." + std::to_string(BOOST_VERSION % 100);
  text += std::string(", oneTBB ") + TBB_VERSION_STRING;
  text += ", HDF5 " + hdf5_version();
  text += std::string(", yaml-cpp ") + FANFLOW_YAML_CPP_VERSION;
  text += std::string(", CLI11 ") + CLI11_VERSION;
  text += ", Random123 Philox4x32-10";
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
  file_.write_text("/provenance/scenario", params::to_yaml(p), "fully resolved scenario (every parameter) as YAML");
  file_.set_attribute("/provenance", "scenario_source", std::string_view(scenario.source));
  file_.set_attribute("/provenance", "seed", p.run.seed);
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
  auto series = [&](const char* name, const char* unit, const char* description) {
    return file_.create_growing<std::uint64_t>(std::string("/timeseries/") + name, 1, {}, unit, description);
  };
  active_users_ = series("active_users", "users", "users who opened the app that day");
  share_deliveries_ = series("share_deliveries", "items", "items placed in friends' inboxes for the next day");
  items_posted_ = series("items_posted", "items/day", "items posted by creators that day");
  active_creators_ = series("active_creators", "creators", "creators who posted at least one item that day");
  follow_edges_ = series("follow_edges", "follows", "follow edges (user follows creator) at the end of the day");
  items_alive_ = series("items_alive", "items", "items still eligible for feeds at the end of the day");
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
  has_creators_ = state.creators.count > 0;
  if (has_creators_)
    creator_followers_ =
        file_.create_growing<std::uint32_t>("/creators/followers", state.creators.count, {}, "followers",
                                            "followers of each creator at the end of each day [tick x creator]");

  // Static tables: what was drawn at setup.
  file_.write_column("/creators/summary/topic", view(state.creators.topic), "topic", "the creator's topic");
  file_.write_column("/creators/summary/skill", view(state.creators.skill), "", "skill: mean item quality, in [0, 1]");
  file_.write_column("/creators/summary/posting_rate", view(state.creators.posting_rate), "items/day",
                     "expected items posted per day");
  file_.write_column("/brands/summary/topic", view(state.brands.topic), "topic", "the brand's product category");
  std::vector<std::uint16_t> top_interest(state.users.count);
  std::vector<std::uint32_t> degree(state.users.count);
  for (std::uint32_t u = 0; u < state.users.count; ++u) {
    top_interest[u] = state.users.topics_of(u)[0];
    degree[u] = state.friends.degree(u);
  }
  file_.write_column("/users/summary/top_interest", view(top_interest), "topic", "the user's most weighted topic");
  file_.write_column("/users/summary/attention", view(state.users.attention), "items/day",
                     "items the user sees on an active day");
  file_.write_column("/users/summary/friends", view(degree), "users", "degree in the social graph");
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
  auto one = [](GrowingDataset& dataset, std::uint64_t value) {
    dataset.append(std::span<const std::uint64_t>(&value, 1));
  };
  one(active_users_, m.active_users);
  one(share_deliveries_, m.share_deliveries);
  one(items_posted_, m.items_posted);
  one(active_creators_, m.active_creators);
  one(follow_edges_, m.follow_edges);
  one(items_alive_, m.items_alive);
  if (has_creators_) creator_followers_.append(view(state.creators.followers));
  file_.flush();
}

void RunRecorder::finish(const state::State& state, const sim::Profile& profile) {
  const auto& c = state.creators;
  file_.write_column("/creators/summary/followers", view(c.followers), "followers", "followers at the end of the run");
  file_.write_column("/creators/summary/items_posted", view(c.items_posted), "items", "items posted over the run");
  file_.write_column("/creators/summary/impressions", view(c.impressions), "impressions",
                     "impressions of the creator's items");
  file_.write_column("/creators/summary/views", view(c.views), "views", "views of the creator's items");
  file_.write_column("/creators/summary/likes", view(c.likes), "likes", "likes of the creator's items");
  file_.write_column("/creators/summary/shares", view(c.shares), "shares", "shares of the creator's items");
  const auto& u = state.users;
  std::vector<std::uint32_t> following(u.count);
  for (std::uint32_t user = 0; user < u.count; ++user)
    following[user] = static_cast<std::uint32_t>(state.follows.followed(user).size());
  file_.write_column("/users/summary/impressions", view(u.impressions), "impressions",
                     "items shown to the user over the run");
  file_.write_column("/users/summary/views", view(u.views), "views", "items the user viewed");
  file_.write_column("/users/summary/likes", view(u.likes), "likes", "items the user liked");
  file_.write_column("/users/summary/shares", view(u.shares), "shares", "items the user shared to friends");
  file_.write_column("/users/summary/active_days", view(u.active_days), "days", "days the user opened the app");
  file_.write_column("/users/summary/following", view(following), "creators", "creators the user follows at the end");

  std::vector<std::string> phases;
  std::vector<double> seconds;
  for (const auto& entry : profile.entries()) phases.push_back(entry.phase), seconds.push_back(entry.seconds);
  file_.write_strings("/provenance/profile/phase", phases, "phase of the tick pipeline, in order");
  file_.write_column("/provenance/profile/seconds", view(seconds), "s", "wall time spent in the phase over the run");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  file_.set_attribute("/provenance", "wall_time_s", wall);
  file_.set_attribute("/", "ticks", static_cast<std::int64_t>(impressions_.rows()));
  file_.set_attribute("/", "complete", std::int64_t{1});
  file_.commit();
}

}  // namespace fanflow::io
