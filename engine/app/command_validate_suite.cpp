// `fanflow validate-suite`: checks the engine against theory and exact identities (the cases of engine/validation,
// docs/validation.md); exit status 1 when a row is outside its tolerance. Not to be confused with `fanflow
// validate`, which checks a scenario file.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "app/command.hpp"
#include "core/error.hpp"
#include "validation/validation.hpp"

namespace fanflow::app {
namespace {

struct ValidateSuiteCommandOptions {
  std::string case_name;
  bool markdown = false;
  std::string data_dir;
};

int run_validation_suite(const ValidateSuiteCommandOptions& o) {
  validation::SuiteOptions options;
  if (!o.data_dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(o.data_dir, ec)) throw InputError(o.data_dir + ": --data: no such folder");
    options.data_dir = o.data_dir;
  } else if (const char* env = std::getenv("FANFLOW_DATA_DIR"); env && *env) {
    options.data_dir = env;
  }
  std::vector<validation::Row> rows;
  try {
    rows = validation::run_suite(o.case_name, options);
  } catch (const std::invalid_argument& error) {
    throw InputError(error.what());
  }
  std::fputs((o.markdown ? validation::table_markdown(rows) : validation::table_text(rows)).c_str(), stdout);
  if (validation::all_passed(rows)) return 0;
  std::size_t failed = 0;
  for (const validation::Row& row : rows) failed += !row.passed && !row.skipped;
  std::fprintf(stderr, "fanflow: validation failed: %zu of %zu rows outside their tolerance\n", failed, rows.size());
  return kExitFailed;
}

}  // namespace

Command add_validate_suite_command(CLI::App& program) {
  auto o = std::make_shared<ValidateSuiteCommandOptions>();
  CLI::App* suite = program.add_subcommand(
      "validate-suite",
      "Check the engine against theory and exact identities (the validation cases' table); validate checks a scenario");
  suite->add_option("--case", o->case_name, "Run only this case");
  suite->add_flag("--markdown", o->markdown, "Markdown, as in docs/validation.md");
  suite->add_option("--data", o->data_dir,
                    "Folder with external graphs (email-Enron.edges from scripts/fetch_email_enron.py; default: "
                    "$FANFLOW_DATA_DIR); rows without their data are skipped");
  return {suite, [o] { return run_validation_suite(*o); }};
}

}  // namespace fanflow::app
