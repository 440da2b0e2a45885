// `fanflow params`: the reference table of every scenario parameter (docs/parameters.md is its --markdown form).
#include <cstdio>
#include <memory>

#include "app/command.hpp"
#include "params/params.hpp"

namespace fanflow::app {
namespace {

struct ParamsCommandOptions {
  bool markdown = false;
};

}  // namespace

Command add_params_command(CLI::App& program) {
  auto o = std::make_shared<ParamsCommandOptions>();
  CLI::App* command = program.add_subcommand("params", "Print the reference table of every scenario parameter");
  command->add_flag("--markdown", o->markdown, "Markdown, as in docs/parameters.md");
  return {command, [o] {
            std::fputs((o->markdown ? params::reference_markdown() : params::reference_text()).c_str(), stdout);
            return 0;
          }};
}

}  // namespace fanflow::app
