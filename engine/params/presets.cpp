// The table of platform presets. To add a key to a preset, add one {path, value} line below; the test
// "presets: every preset names known keys with valid values" checks it.
#include "params/presets.hpp"

#include <stdexcept>
#include <string>

namespace fanflow::params {
namespace {

// Public traffic dominates: little room for private traffic, a recommender that favours the freshest items.
const PresetSetting kRecommendationHeavy[] = {
    {"feed.private_share_max", "0.2"},
    {"recommendation.explore_probability", "0.1"},
    {"recommendation.freshness_half_life_days", "1"},
};

// Inclusive and follow-driven: most attention goes to the follow feed, and the recommender spreads traffic
// across topics and over items of modest quality.
const PresetSetting kFollowHeavy[] = {
    {"feed.private_share_max", "0.7"},
    {"recommendation.explore_probability", "0.25"},
    {"recommendation.quality_exponent", "1"},
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
     "a recommendation-heavy platform like Douyin: public traffic dominates and the recommender favours the "
     "freshest items",
     kRecommendationHeavy},
    {"follow_heavy",
     "a follow-heavy, \"inclusive\" platform like Kuaishou: most attention may go to the follow feed, and the "
     "recommender explores more and weighs quality less, spreading traffic to ordinary creators",
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
