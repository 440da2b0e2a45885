// `fanflow outputs`: the tables of every dataset of the model that run, sweep and comparison files hold, from the
// output schema (engine/phases/outputs.def); docs/output-format.md's tables are its --markdown form.
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>

#include "app/command.hpp"
#include "io/output_schema.hpp"

namespace fanflow::app {

namespace {

/// The tables with a heading line per section instead of the Markdown comments that mark them in the doc.
std::string with_headings(const std::string& markdown) {
  std::istringstream lines(markdown);
  std::string out, line;
  const std::string marker = "<!-- outputs: ";
  while (std::getline(lines, line)) {
    if (line.rfind(marker, 0) == 0) line = "\n" + line.substr(marker.size(), line.size() - marker.size() - 4) + ":";
    out += line + "\n";
  }
  return out;
}

}  // namespace

Command add_outputs_command(CLI::App& program) {
  auto markdown = std::make_shared<bool>(false);
  CLI::App* command = program.add_subcommand(
      "outputs", "Print the tables of every dataset a run, sweep or comparison file holds of the model");
  command->add_flag("--markdown", *markdown, "Markdown, as in docs/output-format.md");
  return {command, [markdown] {
            const std::string tables = io::outputs_markdown();
            std::fputs((*markdown ? tables : with_headings(tables)).c_str(), stdout);
            return 0;
          }};
}

}  // namespace fanflow::app
