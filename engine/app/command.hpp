// The `fanflow` command line: one file per command (command_<name>.cpp), each adding its CLI11 subcommand with its
// own options, and main.cpp, which builds the program from the list of them. This header holds what they share:
// the Command each file returns, the one-line error, scenario loading, number formatting and the output rules.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "params/scenario.hpp"

namespace fanflow::app {

/// A command of the program, as its `add_*_command` function added it to the program's CLI::App.
struct Command {
  CLI::App* cli = nullptr;   ///< its subcommand (chosen when `*cli` is true after parsing)
  std::function<int()> run;  ///< runs it with the parsed options; returns the exit status
  bool interruptible =
      false;  ///< SIGINT and SIGTERM set sim::interrupt_requested while it runs (it stops cleanly, 130)
};

/// Adds one command (its subcommand, options and help texts) to `program`.
using AddCommand = Command (*)(CLI::App& program);

// The commands, in the order `fanflow --help` lists them (main.cpp).
Command add_run_command(CLI::App& program);
Command add_report_command(CLI::App& program);
Command add_sweep_command(CLI::App& program);
Command add_compare_command(CLI::App& program);
Command add_calibrate_command(CLI::App& program);
Command add_validate_command(CLI::App& program);
Command add_params_command(CLI::App& program);
Command add_outputs_command(CLI::App& program);
Command add_facts_command(CLI::App& program);
Command add_version_command(CLI::App& program);
Command add_bench_command(CLI::App& program);
Command add_validate_suite_command(CLI::App& program);

/// Exit statuses: 0 done, 1 a check failed (validate-suite), 2 a mistake in the input (the command line, a file, a
/// value), 3 an internal error, 130 stopped by Ctrl-C or SIGTERM.
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInternal = 3;
inline constexpr int kExitInterrupted = 130;

/// Prints `fanflow: error: MESSAGE` on stderr, on its own line even after a progress line of a terminal.
void print_error(std::string_view message);

/// Runs `command`, turning what it throws into one error line and an exit status: InputError and out of memory 2,
/// Interrupted 130, anything else 3 ("internal error").
int run_reporting_errors(const std::function<int()>& command);

/// Makes SIGINT and SIGTERM set sim::interrupt_requested (the one place fanflow handles signals); main.cpp calls it
/// before an interruptible command.
void handle_interrupts();

/// Loads the scenario (the built-in default when `path` is empty), applies --set overrides, checks it.
params::Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides);

/// 1234567 as "1,234,567".
std::string thousands(std::uint64_t value);

/// Refuses (InputError) an output path that is the input file itself (a run's scenario): a command never replaces
/// what it reads. An output that exists otherwise is replaced, as a run file is written to OUTPUT.partial first and
/// renamed when complete; a sweep's own checks (its inputs, resuming) are in experiments/sweep.cpp.
void refuse_output_over_input(const std::string& input, const std::string& output);

/// Throws InputError when `output` exists and `force` is false: outputs are replaced only when asked (--force).
void refuse_existing_output(const std::string& output, bool force);

}  // namespace fanflow::app
