// Platform presets: named sets of parameter values (the choices of `platform.preset`), applied over the
// defaults before a scenario's own keys. The one table of their contents lives in presets.cpp.
#pragma once

#include <span>
#include <string_view>

#include "params/params.hpp"

namespace fanflow::params {

/// One value a preset sets: a parameter path and its value as it would be written in a scenario.
struct PresetSetting {
  std::string_view path;   ///< "section.name"
  std::string_view value;  ///< value text, checked like a scenario value
};

/// A named preset: one choice of `platform.preset`.
struct Preset {
  std::string_view name;                    ///< the choice, e.g. "follow_heavy"
  std::string_view doc;                     ///< the kind of platform it stands for
  std::span<const PresetSetting> settings;  ///< what it sets; empty for "none"
};

/// Every preset, "none" first, in the order of platform.preset's choices.
std::span<const Preset> all_presets();

/// The preset called `name`, or nullptr.
const Preset* find_preset(std::string_view name);

/// Sets every value of the preset `name` in `params` (nothing for "none"). Throws std::logic_error if the
/// preset is unknown or one of its values does not pass its parameter's checks (a bug in the table).
void apply_preset(Params& params, std::string_view name);

}  // namespace fanflow::params
