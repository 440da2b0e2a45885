// `fanflow report FILE`: the HTML report of a run, sweep or comparison file (written by the analysis package; see
// app/report.hpp).
#include <filesystem>
#include <memory>

#include "app/command.hpp"
#include "app/report.hpp"

namespace fanflow::app {
namespace {

struct ReportCommandOptions {
  std::string file;
  std::string output;
  std::vector<std::string> metrics;
  bool force = false;
};

}  // namespace

Command add_report_command(CLI::App& program) {
  auto o = std::make_shared<ReportCommandOptions>();
  CLI::App* report = program.add_subcommand(
      "report", "Write the HTML report of a run, sweep or comparison file (figures embedded; PNGs beside it)");
  report->add_option("file", o->file, "HDF5 file that fanflow run, sweep or compare wrote (its kind is read from it)")
      ->required();
  report->add_option("-o,--output", o->output, "HTML file to write (default: the file with .html)");
  report->add_option("--metric", o->metrics,
                     "Sweep files: a /summary metric for the pair heatmaps and sensitivity indices (repeatable)");
  report->add_flag("--force", o->force, "Replace an existing report");
  return {report, [o] {
            const std::string html = o->output.empty() ? default_report_path(o->file) : o->output;
            std::error_code ec;  // a report over its own input gets write_report's message instead
            if (!std::filesystem::equivalent(html, o->file, ec)) refuse_existing_output(html, o->force);
            return write_report(o->file, html, o->metrics);
          }};
}

}  // namespace fanflow::app
