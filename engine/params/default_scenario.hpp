// The default scenario (scenarios/default.yaml), built into the program so `fanflow run` needs no file.
#pragma once

namespace fanflow::params {
extern const char* const kDefaultScenarioYaml;  ///< text of scenarios/default.yaml at build time
}
