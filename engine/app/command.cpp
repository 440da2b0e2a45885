// What the commands of the `fanflow` command line share (app/command.hpp).
#include "app/command.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <new>

#include "core/error.hpp"
#include "sim/run.hpp"

namespace fanflow::app {

void print_error(std::string_view message) {
  // A terminal may be in the middle of a "\r  day 3/10" progress line.
  std::fprintf(stderr, "%sfanflow: error: %.*s\n", isatty(STDERR_FILENO) ? "\n" : "", static_cast<int>(message.size()),
               message.data());
}

int run_reporting_errors(const std::function<int()>& command) {
  try {
    return command();
  } catch (const Interrupted& error) {
    print_error(error.what());
    return kExitInterrupted;  // the shell's convention for a run stopped by Ctrl-C
  } catch (const InputError& error) {
    print_error(error.what());
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "fanflow: error: out of memory; reduce population.users or graph.mean_degree\n");
    return kExitUsage;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "fanflow: internal error: %s\n", error.what());
    return kExitInternal;
  }
}

namespace {
void on_interrupt(int) { sim::interrupt_requested.store(true); }
}  // namespace

void handle_interrupts() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

params::Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  params::Scenario scenario = path.empty() ? params::default_scenario() : params::load_scenario_file(path);
  for (const std::string& assignment : overrides) params::apply_override(scenario, assignment);
  params::check_consistency(scenario);
  return scenario;
}

std::string thousands(std::uint64_t value) {
  std::string digits = std::to_string(value), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void refuse_output_over_input(const std::string& input, const std::string& output) {
  std::error_code ec;
  if (!input.empty() && std::filesystem::equivalent(input, output, ec))
    throw InputError(output + ": is the scenario file itself; choose another output path");
}

void refuse_existing_output(const std::string& output, bool force) {
  std::error_code ec;
  if (!force && std::filesystem::exists(output, ec))
    throw InputError(output + ": exists; write to another -o, or give --force to replace it");
}

}  // namespace fanflow::app
