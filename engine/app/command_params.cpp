// `fanflow params`: the reference table of every scenario parameter (docs/parameters.md is its --markdown form),
// and with --presets the table of platform presets (docs/model.md, "Platform presets", is its --markdown form).
#include <cstdio>
#include <memory>
#include <string>

#include "app/command.hpp"
#include "params/params.hpp"
#include "params/presets.hpp"

namespace fanflow::app {
namespace {

struct ParamsCommandOptions {
  bool markdown = false;
  bool presets = false;
};

/// Each preset, what it stands for and what it sets, as a Markdown table or as plain text.
std::string presets_table(bool markdown) {
  std::string out = markdown ? "| preset | stands for | sets |\n|---|---|---|\n" : "";
  for (const params::Preset& preset : params::all_presets()) {
    std::string sets;
    for (const params::PresetSetting& setting : preset.settings) {
      if (!sets.empty()) sets += markdown ? ", " : "\n    ";
      sets += markdown ? "`" : "";
      sets.append(setting.path).append(" = ").append(setting.value);
      sets += markdown ? "`" : "";
    }
    if (sets.empty()) sets = "nothing";
    if (markdown)
      out.append("| `").append(preset.name).append("` | ").append(preset.doc).append(" | ").append(sets) += " |\n";
    else
      out.append(preset.name).append(": ").append(preset.doc).append("\n    ").append(sets) += "\n";
  }
  return out;
}

}  // namespace

Command add_params_command(CLI::App& program) {
  auto o = std::make_shared<ParamsCommandOptions>();
  CLI::App* command = program.add_subcommand("params", "Print the reference table of every scenario parameter");
  command->add_flag("--markdown", o->markdown, "Markdown, as in docs/parameters.md");
  command->add_flag("--presets", o->presets,
                    "The platform presets instead: what each stands for and sets (docs/model.md, with --markdown)");
  return {command, [o] {
            const std::string text = o->presets    ? presets_table(o->markdown)
                                     : o->markdown ? params::reference_markdown()
                                                   : params::reference_text();
            std::fputs(text.c_str(), stdout);
            return 0;
          }};
}

}  // namespace fanflow::app
