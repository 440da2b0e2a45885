// The table of platform presets. To add a key to a preset, add one {path, value} line below; the test
// "presets: every preset names known keys with valid values" checks it.
#include "params/presets.hpp"

#include <stdexcept>
#include <string>

namespace fanflow::params {
namespace {

// Public traffic dominates: little room for private traffic, a recommender that favours popular creators and the
// freshest items and explores little, and live commerce: more followers attend live sessions and viewers buy on
// the spot. (Every setting can change during a run, so the preset can also be switched on by a timeline entry.)
const PresetSetting kRecommendationHeavy[] = {
    {"feed.private_share_max", "0.2"},         {"recommendation.explore_probability", "0.03"},
    {"recommendation.follower_exponent", "2"}, {"recommendation.freshness_half_life_days", "1"},
    {"live.attend_probability", "0.3"},        {"live.impulse_probability", "0.1"},
};

// Inclusive and follow-driven: users follow more readily and most attention may go to the follow feed; the
// recommender caps any one creator's share of its traffic.
const PresetSetting kFollowHeavy[] = {
    {"feed.private_share_max", "0.7"},
    {"engagement.follow_rate", "0.02"},
    {"recommendation.creator_share_cap", "0.08"},
};

// Items travel through friends: users share more and to more friends, and private traffic has room.
const PresetSetting kFriendShare[] = {
    {"engagement.share_rate", "0.04"},
    {"engagement.share_fanout", "5"},
    {"feed.private_share_max", "0.6"},
};

const Preset kPresets[] = {
    {"none", "no preset: the defaults", {}},
    {"recommendation_heavy",
     "a recommendation-heavy platform like Douyin: public traffic dominates, the recommender favours popular "
     "creators and the freshest items, and live commerce is strong",
     kRecommendationHeavy},
    {"follow_heavy",
     "a follow-heavy, \"inclusive\" platform like Kuaishou: users follow more and most attention may go to the "
     "follow feed, and the recommender caps each creator's share, spreading traffic to ordinary creators",
     kFollowHeavy},
    {"friend_share",
     "a platform driven by shares between friends like WeChat Channels: users share more, to more friends, and "
     "private traffic has room",
     kFriendShare},
};

}  // namespace

std::span<const Preset> all_presets() { return kPresets; }

const Preset* find_preset(std::string_view name) {
  for (const Preset& preset : kPresets)
    if (preset.name == name) return &preset;
  return nullptr;
}

void apply_preset(Params& params, std::string_view name) {
  const Preset* preset = find_preset(name);
  if (!preset) throw std::logic_error(std::string("unknown platform preset '").append(name) + "'");
  for (const PresetSetting& setting : preset->settings) {
    const Spec* spec = find_spec(setting.path);
    if (!spec)
      throw std::logic_error(std::string("preset ").append(name) + ": unknown key " + std::string(setting.path));
    std::string message = assign_from_text(*spec, params, setting.value);
    if (!message.empty())
      throw std::logic_error(std::string("preset ").append(name) + ": " + std::string(setting.path) + ": " + message);
  }
}

}  // namespace fanflow::params
