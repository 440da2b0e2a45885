// `fanflow facts RUN.h5 ...`: each stylized fact of a run beside its band and reference (engine/facts); with
// --reference, docs/facts.md (every fact's band and source, no run needed).
#include <cstdio>
#include <memory>

#include "app/command.hpp"
#include "core/error.hpp"
#include "facts/facts.hpp"

namespace fanflow::app {
namespace {

struct FactsCommandOptions {
  std::vector<std::string> runs;
  bool markdown = false;
  bool json = false;
  bool reference = false;
};

int print_facts(const FactsCommandOptions& o) {
  if (o.reference) {
    std::fputs(facts::facts_reference_markdown().c_str(), stdout);
    return 0;
  }
  if (o.runs.empty()) throw InputError("facts: give one or more run files (or --reference for the bands)");
  if (o.json && o.runs.size() != 1) throw InputError("facts --json: give exactly one run file");
  for (std::size_t k = 0; k < o.runs.size(); ++k) {
    const facts::RunData run = facts::read_run(o.runs[k]);
    const auto values = facts::compute_facts(run);
    const std::string text = o.json ? facts::facts_json(run, values) : facts::facts_table(run, values, o.markdown);
    std::fputs(((k ? "\n" : "") + text).c_str(), stdout);
  }
  return 0;
}

}  // namespace

Command add_facts_command(CLI::App& program) {
  auto o = std::make_shared<FactsCommandOptions>();
  CLI::App* command = program.add_subcommand(
      "facts",
      "Print a run's stylized facts (concentration, follower tail, survival, thresholds, channels, funnel) "
      "beside their bands and references");
  command->add_option("runs", o->runs, "Run files (HDF5) written by fanflow run");
  command->add_flag("--markdown", o->markdown, "Markdown tables");
  command->add_flag("--json", o->json, "One JSON object of one run's facts (for scripts and the run report)");
  command->add_flag("--reference", o->reference, "Print docs/facts.md: every fact's band, reference and source");
  return {command, [o] { return print_facts(*o); }};
}

}  // namespace fanflow::app
