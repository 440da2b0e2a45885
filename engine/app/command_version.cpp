// `fanflow version`: the version, the source revision and the libraries (also `fanflow --version`, shorter).
#include <cstdio>

#include "app/command.hpp"
#include "core/version.hpp"
#include "io/run_recorder.hpp"

namespace fanflow::app {

Command add_version_command(CLI::App& program) {
  CLI::App* version = program.add_subcommand("version", "Print the version, source revision and libraries");
  return {version, [] {
            std::printf("fanflow %s (%s)\n%s\n", kVersion, kGitRevision, io::library_versions().c_str());
            return 0;
          }};
}

}  // namespace fanflow::app
