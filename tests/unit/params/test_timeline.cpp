// Tests of the what-if timeline's reading and checking (every message with file:line:col), its schedule of
// changes, and of platform presets: their table, the order of resolution, --set and the resolved YAML.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/error.hpp"
#include "params/presets.hpp"
#include "params/scenario.hpp"
#include "support/scenario.hpp"

using namespace fanflow;
using namespace fanflow::params;

namespace {

std::string error_of(const std::string& yaml) { return testing::scenario_error(yaml); }

Scenario checked(const std::string& yaml) { return testing::make_scenario(yaml, ""); }

std::string value_of(const Params& params, std::string_view path) { return value_text(*find_spec(path), params); }

}  // namespace

TEST_CASE("timeline: entries with at, windows, labels and nested set are read", "[timeline]") {
  Scenario s = checked(
      "run: {days: 30}\n"
      "timeline:\n"
      "  - at: 5\n"
      "    label: no more shares\n"
      "    set: {engagement.share_rate: 0}\n"
      "  - from: 3\n"
      "    until: 6\n"
      "    set:\n"
      "      feed.private_share_max: 0.0\n"
      "  - at: 10\n"
      "    set:\n"
      "      recommendation: {explore_probability: 0.30, quality_exponent: 1}\n");
  REQUIRE(s.timeline.size() == 3);
  CHECK(s.timeline[0].from == 5);
  CHECK_FALSE(s.timeline[0].is_window());
  CHECK(s.timeline[0].label == "no more shares");
  REQUIRE(s.timeline[0].set.size() == 1);
  CHECK(s.timeline[0].set[0].path == "engagement.share_rate");
  CHECK(s.timeline[0].set[0].value == "0");
  CHECK(s.timeline[1].is_window());
  CHECK(s.timeline[1].from == 3);
  CHECK(s.timeline[1].until == 6);
  CHECK(s.timeline[1].label.empty());
  REQUIRE(s.timeline[2].set.size() == 2);
  CHECK(s.timeline[2].set[0].path == "recommendation.explore_probability");
  CHECK(s.timeline[2].set[0].value == "0.3");
  CHECK(s.timeline[2].set[1].path == "recommendation.quality_exponent");
  // The scenario's own parameters are untouched: the timeline acts during the run.
  CHECK(s.params.engagement.share_rate == Params{}.engagement.share_rate);
  CHECK(load_scenario_text("timeline:\n", "t.yaml", ".").timeline.empty());
}

TEST_CASE("timeline: structural mistakes are reported with position", "[timeline]") {
  CHECK(error_of("timeline: {at: 3}\n") ==
        "test.yaml:1:11: timeline: expected a list of entries, each with 'at' (or 'from' and 'until') and 'set' or "
        "'event', "
        "got a mapping");
  CHECK(error_of("timeline:\n  - 5\n") ==
        "test.yaml:2:5: timeline[0]: expected a mapping with 'at' (or 'from' and 'until') and 'set' or 'event', "
        "got a value");
  CHECK(error_of("timeline:\n  - at: 3\n") ==
        "test.yaml:2:5: timeline[0]: missing 'set' or 'event': the parameters to change, or the event to trigger");
  CHECK(error_of("timeline:\n  - at: 3\n    set:\n") ==
        "test.yaml:3:5: timeline[0]: missing 'set' or 'event': the parameters to change, or the event to trigger");
  CHECK(error_of("timeline:\n  - at: 3\n    set: [1]\n") ==
        "test.yaml:3:10: timeline[0].set: expected a mapping of parameter paths to values, got a list");
  CHECK(error_of("timeline:\n  - at: 3\n    set: {}\n") ==
        "test.yaml:3:10: timeline[0].set: sets nothing; expected at least one parameter");
  CHECK(error_of("timeline:\n  - set: {feed.private_share_max: 0}\n") ==
        "test.yaml:2:5: timeline[0]: missing 'at' (or 'from' and 'until'): when the change happens");
  CHECK(error_of("timeline:\n  - {at: 1, from: 1, until: 2, set: {feed.private_share_max: 0}}\n") ==
        "test.yaml:2:5: timeline[0]: give either 'at' or 'from' and 'until', not both");
  CHECK(error_of("timeline:\n  - {from: 1, set: {feed.private_share_max: 0}}\n") ==
        "test.yaml:2:5: timeline[0]: 'from' needs 'until': the tick the window ends on");
  CHECK(error_of("timeline:\n  - {at: 1, lable: x, set: {feed.private_share_max: 0}}\n") ==
        "test.yaml:2:13: timeline[0].lable: unknown key; did you mean 'label'?");
  CHECK(error_of("timeline:\n  - {at: 1, label: [x], set: {feed.private_share_max: 0}}\n") ==
        "test.yaml:2:20: timeline[0].label: expected text, got a list");
  CHECK(error_of("timeline:\n  - {at: soon, set: {feed.private_share_max: 0}}\n") ==
        "test.yaml:2:10: timeline[0].at: expected a tick (an integer of at least 0), got 'soon'");
  CHECK(error_of("timeline:\n  - {at: -1, set: {feed.private_share_max: 0}}\n") ==
        "test.yaml:2:10: timeline[0].at: expected a tick (an integer of at least 0), got '-1'");
}

TEST_CASE("timeline: ticks must lie in the run and windows must end after they start", "[timeline]") {
  CHECK(error_of("run: {days: 10}\ntimeline:\n  - {at: 10, set: {feed.private_share_max: 0}}\n") ==
        "test.yaml:3:10: timeline[0].at: expected a tick in [0, 9] (run.days is 10), got 10");
  CHECK(error_of("run: {days: 10}\ntimeline:\n  - {from: 12, until: 14, set: {feed.private_share_max: 0}}\n") ==
        "test.yaml:3:12: timeline[0].from: expected a tick in [0, 9] (run.days is 10), got 12");
  CHECK(error_of("run: {days: 10}\ntimeline:\n  - {from: 2, until: 11, set: {feed.private_share_max: 0}}\n") ==
        "test.yaml:3:22: timeline[0].until: expected a tick in [3, 10] (run.days is 10), got 11");
  CHECK(error_of("run: {days: 10}\ntimeline:\n  - {from: 4, until: 4, set: {feed.private_share_max: 0}}\n") ==
        "test.yaml:3:22: timeline[0].until: must be after from (4), got 4");
  CHECK(error_of("run: {days: 10}\ntimeline:\n  - {from: 4, until: 10, set: {feed.private_share_max: 0}}\n") == "");
  // run.days may come after the timeline in the file, or from --set: the range is checked against the final value.
  CHECK(error_of("timeline:\n  - {at: 50, set: {feed.private_share_max: 0}}\nrun: {days: 60}\n") == "");
  Scenario s = load_scenario_text("timeline:\n  - {at: 50, set: {feed.private_share_max: 0}}\n", "test.yaml", ".");
  apply_override(s, "run.days=20");
  CHECK_THROWS_WITH(check_consistency(s),
                    "test.yaml:2:10: timeline[0].at: expected a tick in [0, 19] (run.days is 20), got 50");
}

TEST_CASE("timeline: values are checked like scenario values", "[timeline]") {
  CHECK(error_of("timeline:\n  - at: 1\n    set: {recommendation.explor_probability: 0.3}\n") ==
        "test.yaml:3:11: timeline[0].set.recommendation.explor_probability: unknown key; did you mean "
        "'recommendation.explore_probability'?");
  CHECK(error_of("timeline:\n  - at: 1\n    set: {recommendation: {explor_probability: 0.3}}\n") ==
        "test.yaml:3:28: timeline[0].set.recommendation.explor_probability: unknown key; did you mean "
        "'recommendation.explore_probability'?");
  CHECK(error_of("timeline:\n  - at: 1\n    set: {feed.private_share_max: 1.5}\n") ==
        "test.yaml:3:35: timeline[0].set.feed.private_share_max: expected a number in [0, 1], got '1.5'");
  CHECK(error_of("timeline:\n  - at: 1\n  - at: 2\n    set:\n      engagement:\n        share_fanout: many\n") ==
        "test.yaml:2:5: timeline[0]: missing 'set' or 'event': the parameters to change, or the event to trigger");
  CHECK(error_of("timeline:\n  - {at: 1, set: {feed.private_share_max: 0}}\n  - at: 2\n    set:\n      engagement:\n"
                 "        share_fanout: many\n") ==
        "test.yaml:6:23: timeline[1].set.engagement.share_fanout: expected an integer in [1, 10000], got 'many'");
  CHECK(error_of("timeline:\n  - at: 1\n    set: {feed: 3}\n") ==
        "test.yaml:3:17: timeline[0].set.feed: expected a mapping of parameters, got a value");
  CHECK(error_of("timeline:\n  - at: 1\n    set: {feed.private_share_max: 0, feed: {private_share_max: 1}}\n") ==
        "test.yaml:3:45: timeline[0].set.feed.private_share_max: duplicate key");
  CHECK(error_of("timeline:\n  - at: 1\n    set: {platform.preset: follow_hevy}\n") ==
        "test.yaml:3:28: timeline[0].set.platform.preset: expected one of none, recommendation_heavy, follow_heavy, "
        "friend_share, got 'follow_hevy'; did you mean 'follow_heavy'?");
  CHECK(error_of("timelin:\n  - at: 1\n").find("did you mean 'timeline'?") != std::string::npos);
}

TEST_CASE("timeline: parameters drawn at setup cannot change during a run", "[timeline]") {
  CHECK(error_of("timeline:\n  - at: 1\n    set: {population.users: 5}\n") ==
        "test.yaml:3:11: timeline[0].set.population.users: population.users is drawn at setup and cannot change "
        "during a run");
  CHECK(error_of("timeline:\n  - at: 1\n    set: {creators: {skill_mean: 0.7}}\n") ==
        "test.yaml:3:22: timeline[0].set.creators.skill_mean: creators.skill_mean is drawn at setup and cannot change "
        "during a run");
  for (const char* path : {"run.days", "run.seed", "graph.mean_degree", "users.attention_mean",
                           "creators.posting_rate_mean", "creators.posting_rate_sigma", "creators.skill_concentration"})
    CHECK(is_setup_only(path));
  for (const char* path : {"users.daily_active_probability", "creators.quality_sd", "feed.private_share_max",
                           "engagement.share_rate", "recommendation.explore_probability", "platform.preset"})
    CHECK_FALSE(is_setup_only(path));
  CHECK(error_of("timeline:\n  - at: 1\n    set: {users.daily_active_probability: 0.2}\n") == "");
}

TEST_CASE("timeline: the setup-only declarations name known sections and parameters", "[timeline]") {
  for (std::string_view entry : setup_only_entries()) {
    INFO(entry);
    bool section = std::any_of(all_sections().begin(), all_sections().end(),
                               [&](const SectionSpec& s) { return s.name == entry; });
    CHECK((section || find_spec(entry) != nullptr));
  }
  for (std::string_view entry : changeable_in_run_entries()) {
    INFO(entry);
    CHECK(find_spec(entry) != nullptr);
    CHECK_FALSE(is_setup_only(entry));
  }
}

TEST_CASE("timeline: the schedule applies in tick order and windows restore what held before", "[timeline]") {
  Scenario s = checked(
      "run: {days: 30}\n"
      "feed: {private_share_max: 0.4}\n"
      "timeline:\n"
      "  - {from: 3, until: 10, set: {feed.private_share_max: 0.1}}\n"
      "  - {from: 5, until: 8, set: {feed.private_share_max: 0.2}}\n"
      "  - {at: 9, set: {feed.private_share_max: 0.9}}\n"
      "  - {at: 2, label: first, set: {engagement.share_rate: 0.02}}\n");
  auto changes = timeline_changes(s.timeline, s.params);
  std::vector<std::tuple<Tick, std::uint32_t, bool, std::string>> got;
  for (const auto& c : changes) got.emplace_back(c.tick, c.entry, c.applied, c.value);
  using Row = std::tuple<Tick, std::uint32_t, bool, std::string>;
  CHECK(got == std::vector<Row>{Row{2, 3, true, "0.02"}, Row{3, 0, true, "0.1"}, Row{5, 1, true, "0.2"},
                                Row{8, 1, false, "0.1"}, Row{9, 2, true, "0.9"},
                                // the permanent change at 9 outlives the window it was made in
                                Row{10, 0, false, "0.9"}});
  // Overlapping windows: when the first ends, the second's value still holds; then the scenario's returns.
  Scenario o = checked(
      "run: {days: 30}\n"
      "timeline:\n"
      "  - {from: 3, until: 8, set: {feed.private_share_max: 0.1}}\n"
      "  - {from: 5, until: 10, set: {feed.private_share_max: 0.2}}\n");
  auto overlap = timeline_changes(o.timeline, o.params);
  REQUIRE(overlap.size() == 4);
  CHECK(overlap[2].tick == 8);
  CHECK(overlap[2].value == "0.2");
  CHECK(overlap[3].tick == 10);
  CHECK(overlap[3].value == "0.5");
  // Back to back: the window that ends is undone before the next one starts on the same tick.
  Scenario b = checked(
      "run: {days: 30}\n"
      "timeline:\n"
      "  - {from: 6, until: 9, set: {feed.private_share_max: 0.2}}\n"
      "  - {from: 3, until: 6, set: {feed.private_share_max: 0.1}}\n");
  auto back = timeline_changes(b.timeline, b.params);
  REQUIRE(back.size() == 4);
  CHECK(back[1].tick == 6);
  CHECK_FALSE(back[1].applied);
  CHECK(back[2].tick == 6);
  CHECK(back[2].value == "0.2");
  CHECK(back[3].value == "0.5");
}

TEST_CASE("timeline: a preset in an entry sets the preset's values, and the entry's own keys win", "[timeline]") {
  Scenario s = checked(
      "run: {days: 30}\n"
      "timeline:\n"
      "  - at: 4\n"
      "    set: {platform.preset: follow_heavy, feed.private_share_max: 0.55}\n");
  auto settings = expanded_settings(s.timeline[0]);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& setting : settings) got.emplace_back(setting.path, setting.value);
  CHECK(got == std::vector<std::pair<std::string, std::string>>{{"engagement.follow_rate", "0.02"},
                                                                {"recommendation.creator_share_cap", "0.08"},
                                                                {"platform.preset", "follow_heavy"},
                                                                {"feed.private_share_max", "0.55"}});
}

TEST_CASE("timeline: the resolved YAML carries the timeline and reads back identically", "[timeline]") {
  Scenario s = checked(
      "run: {days: 30}\n"
      "platform: {preset: friend_share}\n"
      "engagement: {share_fanout: 2}\n"
      "timeline:\n"
      "  - {at: 5, label: \"cut: shares\", set: {engagement.share_rate: 0}}\n"
      "  - {from: 3, until: 6, set: {feed: {private_share_max: 0}, platform.preset: recommendation_heavy}}\n");
  const std::string text = to_yaml(s);
  CHECK(text.find("timeline:") != std::string::npos);
  Scenario again = checked(text);
  CHECK(to_yaml(again) == text);
  for (const Spec& spec : all_specs()) CHECK(value_text(spec, again.params) == value_text(spec, s.params));
  REQUIRE(again.timeline.size() == 2);
  CHECK(again.timeline[0].label == "cut: shares");
  CHECK(again.timeline[1].until == 6);
  auto a = timeline_changes(s.timeline, s.params), b = timeline_changes(again.timeline, again.params);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].path == b[i].path);
    CHECK(a[i].value == b[i].value);
    CHECK(a[i].tick == b[i].tick);
  }
  // --set leaves the timeline alone.
  apply_override(s, "engagement.share_rate=0.03");
  CHECK(to_yaml(s).substr(to_yaml(s).find("timeline:")) == text.substr(text.find("timeline:")));
}

TEST_CASE("timeline: a super brand day event is read, scheduled and written back", "[timeline]") {
  Scenario s = checked(
      "run: {days: 30}\n"
      "population: {brands: 4, creators: 50}\n"
      "timeline:\n"
      "  - {at: 10, label: big day, event: {kind: super_brand_day, brand: 2, creators: [7, 3]}}\n"
      "  - {from: 20, until: 22, event: {kind: super_brand_day, brand: 0, top_creators: 5},\n"
      "     set: {live.deposit_probability: 0.5}}\n");
  REQUIRE(s.timeline.size() == 2);
  REQUIRE(s.timeline[0].event.size() == 1);
  CHECK(s.timeline[0].set.empty());
  CHECK(s.timeline[0].event[0].brand == 2);
  CHECK(s.timeline[0].event[0].creators == std::vector<std::int64_t>{7, 3});
  CHECK(s.timeline[1].event[0].top_creators == 5);
  CHECK(describe(s.timeline[0].event[0]) == "brand 2, hosts 7 3");
  CHECK(describe(s.timeline[1].event[0]) == "brand 0, top 5 creators");
  // An `at` event fires on its tick; a window's on every tick of the window.
  CHECK(events_on(s.timeline, 9).empty());
  REQUIRE(events_on(s.timeline, 10).size() == 1);
  CHECK(events_on(s.timeline, 10)[0].entry == 0);
  CHECK(events_on(s.timeline, 11).empty());
  for (std::int64_t tick : {20, 21}) CHECK(events_on(s.timeline, tick).size() == 1);
  CHECK(events_on(s.timeline, 22).empty());
  // Events make no parameter changes of their own.
  CHECK(timeline_changes(s.timeline, s.params).size() == 2);  // the window's set and its restore
  const std::string text = to_yaml(s);
  Scenario again = checked(text);
  CHECK(to_yaml(again) == text);
  REQUIRE(again.timeline.size() == 2);
  CHECK(again.timeline[0].event[0].creators == s.timeline[0].event[0].creators);
  // A brand_strategy reads back the same too.
  Scenario strategy = checked(
      "run: {days: 30}\npopulation: {brands: 4}\ntimeline:\n"
      "  - {at: 3, event: {kind: brand_strategy, brand: 3, ad_share: 0.1, sponsorship_share: 0.2, content_share: 0,"
      " live_share: 0.6, budget: 250}}\n");
  const TimelineEvent& e = strategy.timeline[0].event[0];
  CHECK(e.shares == std::array<double, 4>{0.1, 0.2, 0, 0.6});
  CHECK(e.budget == 250);
  CHECK(describe(e) == "brand 3, shares ads 0.1, sponsorship 0.2, content 0, live 0.6, budget 250");
  CHECK(to_yaml(checked(to_yaml(strategy))) == to_yaml(strategy));
  CHECK(again.timeline[1].event[0].top_creators == 5);
}

TEST_CASE("timeline: mistakes in an event are reported with position", "[timeline]") {
  const std::string head = "run: {days: 30}\npopulation: {brands: 4, creators: 50}\ntimeline:\n";
  CHECK(error_of(head + "  - {at: 1, event: [1]}\n") ==
        "test.yaml:4:20: timeline[0].event: expected a mapping with 'kind' and its keys, got a list");
  CHECK(
      error_of(head + "  - {at: 1, event: {kind: super_brand_dya, brand: 0, top_creators: 1}}\n") ==
      "test.yaml:4:27: timeline[0].event.kind: expected one of: super_brand_day|brand_strategy|shift|scale_budget, got "
      "'super_brand_dya'; did you mean 'super_brand_day'?");
  CHECK(error_of(head + "  - {at: 1, event: {kind: super_brand_day, brand: 0, top: 1}}\n") ==
        "test.yaml:4:54: timeline[0].event.top: unknown key for super_brand_day");
  CHECK(error_of(head + "  - {at: 1, event: {kind: super_brand_day, top_creators: 1}}\n") ==
        "test.yaml:4:20: timeline[0].event: missing 'brand': the brand whose super brand day it is");
  CHECK(error_of(head + "  - {at: 1, event: {kind: super_brand_day, brand: 0}}\n") ==
        "test.yaml:4:20: timeline[0].event: give either 'creators' (a list of hosts) or 'top_creators' (how many), "
        "not both or neither");
  CHECK(error_of(head + "  - {at: 1, event: {kind: super_brand_day, brand: 4, top_creators: 1}}\n") ==
        "test.yaml:4:51: timeline[0].event.brand: expected a brand id in [0, 3] (population.brands is 4), got 4");
  CHECK(error_of(head + "  - {at: 1, event: {kind: super_brand_day, brand: -1, top_creators: 1}}\n") ==
        "test.yaml:4:51: timeline[0].event.brand: expected a brand id (an integer of at least 0), got '-1'");
  CHECK(error_of(head + "  - {at: 1, event: {kind: super_brand_day, brand: 0, creators: [1, 50]}}\n") ==
        "test.yaml:4:64: timeline[0].event.creators[1]: expected a creator id in [0, 49] (population.creators is "
        "50), got 50");
  CHECK(error_of(head + "  - {at: 1, event: {kind: super_brand_day, brand: 0, creators: [1, 1]}}\n") ==
        "test.yaml:4:68: timeline[0].event.creators[1]: creator 1 is named twice");
  CHECK(error_of(head + "  - {at: 1, event: {kind: super_brand_day, brand: 0, creators: []}}\n") ==
        "test.yaml:4:64: timeline[0].event.creators: expected a non-empty list of creator ids, got a list");
  CHECK(error_of(head + "  - {at: 1, event: {kind: super_brand_day, brand: 0, top_creators: 0}}\n") ==
        "test.yaml:4:68: timeline[0].event.top_creators: expected at least 1 creator, got 0");
  CHECK(error_of(head + "  - {at: 1, event: {kind: super_brand_day, brand: 0, top_creators: 51}}\n") ==
        "test.yaml:4:68: timeline[0].event.top_creators: expected at most population.creators (50), got 51");
  CHECK(error_of(head + "  - {at: 30, event: {kind: super_brand_day, brand: 0, top_creators: 1}}\n") ==
        "test.yaml:4:10: timeline[0].at: expected a tick in [0, 29] (run.days is 30), got 30");
  CHECK(error_of(head + "  - {at: 1, event: {brand: 0}}\n") ==
        "test.yaml:4:20: timeline[0].event: missing 'kind': the kind of event (super_brand_day, brand_strategy, shift "
        "or scale_budget)");
  // brand_strategy: all four shares, each in [0, 1], summing to at most 1; a budget of at least 0; `at` only.
  const std::string strategy =
      "  - {at: 1, event: {kind: brand_strategy, brand: 1, ad_share: 0.5, sponsorship_share: 0.2, "
      "content_share: 0.1";
  CHECK(error_of(head + strategy + "}}\n") ==
        "test.yaml:4:20: timeline[0].event: missing 'live_share': a brand_strategy gives all four budget shares");
  CHECK(error_of(head + strategy + ", live_share: 0.3}}\n") ==
        "test.yaml:4:20: timeline[0].event: the four shares must sum to at most 1, got 1.1");
  CHECK(error_of(head + strategy + ", live_share: 1.5}}\n") ==
        "test.yaml:4:124: timeline[0].event.live_share: expected a number in [0, 1], got '1.5'");
  CHECK(error_of(head + strategy + ", live_share: 0.1, budget: -5}}\n") ==
        "test.yaml:4:137: timeline[0].event.budget: expected a number in [0, 1e+12], got '-5'");
  CHECK(error_of(head + strategy + ", live_share: 0.1, top_creators: 2}}\n") ==
        "test.yaml:4:129: timeline[0].event.top_creators: unknown key for brand_strategy");
  CHECK(error_of(head + "  - {from: 1, until: 3, event: {kind: brand_strategy, brand: 1, ad_share: 1, "
                        "sponsorship_share: 0, content_share: 0, live_share: 0}}\n") ==
        "test.yaml:4:5: timeline[0].event: a brand_strategy holds from its tick on: give 'at', not a window");
}

TEST_CASE("presets: every preset names known keys with valid values, one per choice", "[presets]") {
  const Spec* preset_spec = find_spec("platform.preset");
  REQUIRE(preset_spec != nullptr);
  std::string choices;
  for (const Preset& preset : all_presets()) {
    INFO(preset.name);
    if (!choices.empty()) choices += "|";
    choices += preset.name;
    CHECK(!preset.doc.empty());
    for (const PresetSetting& setting : preset.settings) {
      INFO(setting.path);
      const Spec* spec = find_spec(setting.path);
      REQUIRE(spec != nullptr);
      CHECK(setting.path != "platform.preset");
      Params params;
      CHECK(assign_from_text(*spec, params, setting.value) == "");
    }
    Params params;
    CHECK_NOTHROW(apply_preset(params, preset.name));
  }
  CHECK(choices == preset_spec->choices);
  CHECK(all_presets()[0].settings.empty());
}

TEST_CASE("presets: every preset can be switched on by a timeline entry (no setup-only keys)", "[presets]") {
  for (const Preset& preset : all_presets()) {
    INFO(preset.name);
    CHECK_NOTHROW(
        checked("run: {days: 30}\ntimeline:\n  - {at: 5, set: {platform.preset: " + std::string(preset.name) + "}}\n"));
  }
}

TEST_CASE("presets: each preset changes its keys", "[presets]") {
  for (const Preset& preset : all_presets()) {
    INFO(preset.name);
    Scenario s = checked(std::string("platform:\n  preset: ").append(preset.name).append("\n"));
    CHECK(s.params.platform.preset == preset.name);
    for (const PresetSetting& setting : preset.settings) {
      Params expected;
      assign_from_text(*find_spec(setting.path), expected, setting.value);
      CHECK(value_of(s.params, setting.path) == value_of(expected, setting.path));
    }
  }
  Scenario heavy = checked("platform: {preset: recommendation_heavy}\n");
  CHECK(heavy.params.feed.private_share_max == 0.2);
  CHECK(heavy.params.recommendation.freshness_half_life_days == 1);
  Scenario follow = checked("platform: {preset: follow_heavy}\n");
  CHECK(follow.params.feed.private_share_max == 0.7);
  CHECK(follow.params.engagement.follow_rate == 0.02);
  CHECK(follow.params.recommendation.creator_share_cap == 0.08);
  Scenario friends = checked("platform: {preset: friend_share}\n");
  CHECK(friends.params.engagement.share_rate == 0.04);
  CHECK(friends.params.engagement.share_fanout == 5);
  CHECK(friends.params.feed.private_share_max == 0.6);
}

TEST_CASE("presets: the scenario's own keys win over the preset whatever their order", "[presets]") {
  for (const char* yaml : {"feed: {private_share_max: 0.33}\nplatform: {preset: recommendation_heavy}\n",
                           "platform: {preset: recommendation_heavy}\nfeed: {private_share_max: 0.33}\n"}) {
    INFO(yaml);
    Scenario s = checked(yaml);
    CHECK(s.params.feed.private_share_max == 0.33);
    CHECK(s.params.recommendation.freshness_half_life_days == 1);
  }
}

TEST_CASE("presets: --set platform.preset resolves again under the file's keys and earlier --set", "[presets]") {
  Scenario s = checked("feed: {private_share_max: 0.33}\nplatform: {preset: recommendation_heavy}\n");
  apply_override(s, "recommendation.creator_share_cap=0.3");
  apply_override(s, "platform.preset=follow_heavy");
  CHECK(s.params.platform.preset == "follow_heavy");
  CHECK(s.params.feed.private_share_max == 0.33);                // the file's key
  CHECK(s.params.recommendation.creator_share_cap == 0.3);       // an earlier --set
  CHECK(s.params.engagement.follow_rate == 0.02);                // the new preset
  CHECK(s.params.recommendation.freshness_half_life_days == 2);  // the old preset's value is gone
  apply_override(s, "recommendation.explore_probability=0.05");  // a later --set wins over the preset too
  CHECK(s.params.recommendation.explore_probability == 0.05);
  apply_override(s, "platform.preset=none");
  CHECK(s.params.recommendation.explore_probability == 0.05);
  CHECK(s.params.recommendation.creator_share_cap == 0.3);
  CHECK(s.params.feed.private_share_max == 0.33);
  CHECK_THROWS_WITH(apply_override(s, "platform.preset=tiktok"),
                    Catch::StartsWith("--set platform.preset=tiktok: platform.preset: expected one of none, "));
}

TEST_CASE("presets: the resolved YAML of a preset scenario reads back to the same parameters", "[presets]") {
  Scenario s = checked("platform: {preset: friend_share}\nengagement: {share_fanout: 2}\n");
  apply_override(s, "feed.private_share_max=0.45");
  Scenario again = checked(to_yaml(s));
  for (const Spec& spec : all_specs()) CHECK(value_text(spec, again.params) == value_text(spec, s.params));
  CHECK(again.params.engagement.share_fanout == 2);
  CHECK(again.params.engagement.share_rate == 0.04);
  CHECK(again.params.feed.private_share_max == 0.45);
}

TEST_CASE("timeline: --set timeline[i].KEY changes an entry's day or its event's amount", "[timeline]") {
  const std::string world =
      "run: {days: 60}\npopulation: {users: 500, creators: 20, brands: 3}\n"
      "actors: {brands: [{name: Acme}]}\n"
      "timeline:\n"
      "  - {at: 30, event: {kind: shift, brand: Acme, from: ads, to: sponsorship, fraction: 0.5}}\n"
      "  - {from: 10, until: 20, event: {kind: scale_budget, brand: 1, factor: 2}}\n";
  const Scenario s =
      testing::make_scenario(world, {"timeline[0].event.fraction=0.25", "timeline[0].at=45", "timeline[1].from=12",
                                     "timeline[1].until=40", "timeline[1].event.factor=3.5"});
  CHECK(s.timeline[0].event[0].fraction == 0.25);
  CHECK(s.timeline[0].from == 45);
  CHECK(s.timeline[1].from == 12);
  CHECK(s.timeline[1].until == 40);
  CHECK(s.timeline[1].event[0].factor == 3.5);
  // The resolved scenario holds the new values, so the run it records can be rerun.
  const Scenario again = checked(to_yaml(s));
  CHECK(again.timeline[0].event[0].fraction == 0.25);
  CHECK(again.timeline[1].until == 40);
  auto error = [&](std::string_view assignment) {
    try {
      testing::make_scenario(world, {assignment});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error("timeline[2].at=5") == "--set timeline[2].at=5: timeline[2].at: the scenario's timeline has 2 entries");
  CHECK(error("timeline[0].event.factor=2").find("the entry's event is a shift, which has no factor") !=
        std::string::npos);
  CHECK(error("timeline[0].event.fractoin=0.2").find("did you mean 'event.fraction'?") != std::string::npos);
  CHECK(error("timeline[0].event.fraction=1.5").find("expected a number in [0, 1], got '1.5'") != std::string::npos);
  CHECK(error("timeline[1].at=5").find("the entry is a window: set its from and until") != std::string::npos);
  CHECK(error("timeline[1].until=8").find("until must be after the window's from (10)") != std::string::npos);
  CHECK(error("timeline[0].at=60").find("expected a tick in [0, 59] (run.days is 60), got 60") != std::string::npos);
  CHECK(error("timeline[0].at=2.5").find("expected an integer in [0, 1e+09]") != std::string::npos);
}
