// The `fanflow` program: builds the command line from the list of commands (one file each, command_<name>.cpp),
// parses it and runs the chosen command. Every mistake on the command line is one line `fanflow: error: ...` on
// stderr and exit status 2; --help and --version print to stdout and exit 0.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "app/command.hpp"
#include "core/suggest.hpp"
#include "core/version.hpp"

namespace {

using namespace fanflow;

/// The commands, in the order `fanflow --help` lists them.
constexpr app::AddCommand kCommands[] = {
    app::add_run_command,       app::add_report_command,   app::add_sweep_command,  app::add_compare_command,
    app::add_calibrate_command, app::add_validate_command, app::add_params_command, app::add_outputs_command,
    app::add_facts_command,     app::add_version_command,  app::add_bench_command,  app::add_validate_suite_command,
};

constexpr const char* kSeeHelp = " (see fanflow --help)";

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

/// The usage error of a command line that does not start with a command or a program option (--help, --version),
/// or empty when it does (CLI11 parses the rest).
std::string command_name_error(int argc, char** argv, const std::vector<std::string>& names) {
  if (argc < 2) return "a subcommand is required: one of " + joined(names) + kSeeHelp;
  const std::string_view first = argv[1];
  if (first == "-h" || first == "--help" || first == "--version") return "";
  if (first.starts_with("-"))
    return "unknown option '" + std::string(first) + "'; a command's options go after it: fanflow COMMAND [OPTIONS]" +
           kSeeHelp;
  if (std::find(names.begin(), names.end(), first) != names.end()) return "";
  const std::string suggestion = did_you_mean(first, names);
  return "unknown command '" + std::string(first) + "'" + (suggestion.empty() ? kSeeHelp : suggestion);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App program{"fanflow: agent-based simulation of traffic and fan growth on content platforms"};
  program.require_subcommand(1);
  program.set_version_flag("--version", std::string(kVersion) + " (" + kGitRevision + ")");
  // Command-line mistakes get one line, like every other error.
  program.failure_message([](const CLI::App*, const CLI::Error& error) {
    std::string message = error.what();
    std::replace(message.begin(), message.end(), '\n', ' ');
    return "fanflow: error: " + message + kSeeHelp + "\n";
  });

  std::vector<app::Command> commands;
  std::vector<std::string> names;
  for (const app::AddCommand add : kCommands) {
    commands.push_back(add(program));
    names.push_back(commands.back().cli->get_name());
  }
  program.footer(  // after the commands, which would inherit it
      "Exit status: 0 done; 1 validate-suite found a row outside its tolerance; 2 a mistake in the command line or "
      "the input; 3 an internal error; 130 stopped by Ctrl-C or SIGTERM.");

  if (const std::string error = command_name_error(argc, argv, names); !error.empty()) {
    std::fprintf(stderr, "fanflow: error: %s\n", error.c_str());
    return app::kExitUsage;
  }
  try {
    program.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version are "errors" with status 0; every other one is a usage error, whatever CLI11's code.
    return program.exit(error) == 0 ? 0 : app::kExitUsage;
  }

  for (const app::Command& command : commands)
    if (*command.cli) {
      if (command.interruptible) app::handle_interrupts();
      return app::run_reporting_errors(command.run);
    }
  return 0;
}
