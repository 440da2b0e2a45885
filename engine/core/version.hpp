// Version and source revision of this build (revision.cpp is generated at build time).
#pragma once

namespace fanflow {
extern const char* const kVersion;      ///< fanflow's semantic version, e.g. "0.1.0"
extern const char* const kGitRevision;  ///< `git describe` of the source tree, or "unknown"
}  // namespace fanflow
