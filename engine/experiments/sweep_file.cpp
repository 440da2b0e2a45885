// Writing and inspecting sweep files through the io layer (io/hdf5_file.hpp): written in place with the SWMR
// file format, per-run datasets of fixed size written row by row, SWMR writing started once all are created.
#include "experiments/sweep_file.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "core/version.hpp"
#include "io/output_schema.hpp"
#include "io/run_recorder.hpp"

namespace fanflow::experiments {
namespace {

/// Sweep files (format version 1) give their text datasets a description only.
constexpr io::TextUnit kTextUnit = io::TextUnit::Omitted;

/// Writes a [points x factors] matrix (row-major `values`) as a fixed-size dataset, one design point per row.
void write_matrix(io::OutputFile& file, const std::string& path, const std::vector<double>& values, std::uint64_t rows,
                  std::uint64_t columns, const std::string& description) {
  io::FixedDataset matrix = file.create_fixed<double>(path, {rows, columns}, 0.0, "", description);
  for (std::uint64_t r = 0; r < rows && columns > 0; ++r) {
    matrix.write_row(r, std::span<const double>(values.data() + r * columns, columns));
  }
}

}  // namespace

SweepFile::SweepFile(const std::filesystem::path& path, const SweepPlan& plan)
    : max_ticks_(plan.max_days), file_(path, io::WriteMode::InPlace) {
  const SweepDefinition& d = plan.definition;
  const std::uint64_t runs = plan.runs.size(), k = plan.factors(), points = plan.points();
  const auto integer = [](auto value) { return static_cast<std::int64_t>(value); };

  file_.set_attribute("/", "format_version", kSweepFormatVersion);
  file_.set_attribute("/", "format", std::string_view("fanflow-sweep"));
  file_.set_attribute("/", "fanflow_version", std::string_view(std::string(kVersion) + " (" + kGitRevision + ")"));
  file_.set_attribute("/", "fingerprint", std::string_view(fingerprint(plan.definition_text)));
  file_.set_attribute("/", "runs", integer(runs));
  file_.set_attribute("/", "points", integer(points));
  file_.set_attribute("/", "ticks", integer(plan.max_days));

  // /design: the contract with the analysis tools (docs/output-format.md).
  file_.set_attribute("/design", "kind", std::string_view(design_name(d.design)));
  std::vector<std::string> factors, scales;
  for (const Factor& f : d.factors) {
    factors.push_back(f.path);
    scales.push_back(!f.values.empty() ? "values" : f.scale == Scale::Log ? "log" : "linear");
  }
  file_.set_attribute("/design", "factors", factors);
  file_.set_attribute("/design", "scales", scales);
  file_.set_attribute("/design", "replicates", integer(d.replicates));
  file_.set_attribute("/design", "seed", integer(d.seed));
  file_.set_attribute("/design", "seeds", std::string_view(d.seeds == SeedMode::Shared ? "shared" : "independent"));
  if (d.design == DesignKind::Saltelli) file_.set_attribute("/design", "base_samples", integer(d.samples));
  if (d.design == DesignKind::Morris) {
    file_.set_attribute("/design", "trajectories", integer(d.trajectories));
    file_.set_attribute("/design", "levels", integer(d.levels));
  }
  if (d.design == DesignKind::Random || d.design == DesignKind::LatinHypercube || d.design == DesignKind::Sobol)
    file_.set_attribute("/design", "samples", integer(d.samples));
  write_matrix(file_, "/design/unit_points", plan.unit.coordinates, points, k,
               "design points in [0, 1] before mapping onto the factors' ranges");
  write_matrix(file_, "/design/points", plan.values, points, k, "the parameter values each design point used");
  std::vector<double> lo, hi;
  for (const Factor& f : d.factors) {
    lo.push_back(f.values.empty() ? f.lo : *std::min_element(f.values.begin(), f.values.end()));
    hi.push_back(f.values.empty() ? f.hi : *std::max_element(f.values.begin(), f.values.end()));
  }
  file_.write_column("/design/factor_lo", lo, "", "each factor's lowest value");
  file_.write_column("/design/factor_hi", hi, "", "each factor's highest value");

  // /runs: the parameter table and per-run provenance.
  std::vector<std::uint64_t> index(runs), point(runs), replicate(runs), seed(runs);
  std::vector<std::string> assignments(runs);
  for (std::uint64_t r = 0; r < runs; ++r) {
    index[r] = r;
    point[r] = plan.runs[r].point;
    replicate[r] = plan.runs[r].replicate;
    seed[r] = plan.runs[r].seed;
    std::string text;
    for (const std::string& a : plan.assignments(point[r])) text += a + " ";
    assignments[r] = text + "run.seed=" + std::to_string(seed[r]);
  }
  file_.write_column("/runs/run", index, "", "run index (= point * replicates + replicate)");
  file_.write_column("/runs/point", point, "", "design point (row of /design/points)");
  file_.write_column("/runs/replicate", replicate, "", "replicate of the design point");
  file_.write_column("/runs/seed", seed, "", "run.seed of the run");
  file_.write_strings("/runs/assignments", assignments,
                      "the run's scenario: the base scenario with these assignments (as fanflow run --set)", kTextUnit);
  for (std::size_t j = 0; j < k; ++j) {
    std::vector<double> column(runs);
    for (std::uint64_t r = 0; r < runs; ++r) column[r] = plan.value(point[r], j);
    file_.write_column("/runs/parameters/" + d.factors[j].path, column, "",
                       "value of " + d.factors[j].path + " in each run");
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  completed_ =
      file_.create_fixed<std::uint8_t>("/runs/completed", {runs}, 0, "", "1 once the run's results are in the file");
  wall_seconds_ =
      file_.create_fixed<double>("/runs/wall_seconds", {runs}, nan, "s", "wall time of the run (setup and ticks)");
  threads_ = file_.create_fixed<std::int32_t>("/runs/threads", {runs}, 0, "", "threads the run could use");

  // /series and /summary: filled run by run.
  for (const MetricInfo& m : series_metrics()) {
    series_.push_back(file_.create_fixed<double>("/series/" + m.name, {runs, max_ticks_}, nan, m.unit,
                                                 m.description + " [run x tick]"));
  }
  for (const MetricInfo& m : summary_metrics()) {
    summary_.push_back(file_.create_fixed<double>("/summary/" + m.name, {runs}, nan, m.unit, m.description + " [run]"));
  }
  // Each focal brand's own figures (actors.brands[].focal of the base scenario; factors cannot change actors).
  for (const params::NamedBrand* brand : d.base.actors.focal_brands())
    for (const io::FocalMetricSpec& m : io::focal_brand_metrics())
      focal_summary_.push_back(file_.create_fixed<double>("/summary/" + brand->name + "." + m.name, {runs}, nan,
                                                          std::string(m.unit),
                                                          brand->name + ": " + std::string(m.description) + " [run]"));

  file_.write_text("/provenance/base_scenario", params::to_yaml(d.base), "the base scenario, fully resolved",
                   kTextUnit);
  file_.write_text("/provenance/sweep_file", d.text, "the sweep file as written", kTextUnit);
  file_.write_text("/provenance/definition", plan.definition_text,
                   "canonical text of everything that decides the results; /fingerprint hashes it", kTextUnit);
  file_.set_attribute("/provenance", "sweep_source", std::string_view(d.source));
  file_.set_attribute("/provenance", "scenario_source", std::string_view(d.scenario_path.string()));
  file_.set_attribute("/provenance", "libraries", std::string_view(io::library_versions()));
  file_.start_swmr();
}

SweepFile::~SweepFile() {
  try {
    close();
  } catch (...) {  // a destructor must not throw; the file is closed as it is
  }
}

void SweepFile::write_run(std::uint64_t run, const RunMetrics& metrics) {
  std::vector<double> row(max_ticks_);
  for (std::size_t m = 0; m < series_.size(); ++m) {
    for (std::uint32_t t = 0; t < max_ticks_; ++t)
      row[t] = t < metrics.ticks ? metrics.series_value(m, t) : std::numeric_limits<double>::quiet_NaN();
    series_[m].write_row(run, row);
  }
  for (std::size_t m = 0; m < summary_.size(); ++m) {
    summary_[m].write_row(run, std::span<const double>(&metrics.summary[m], 1));
  }
  if (metrics.focal.size() != focal_summary_.size())
    throw std::logic_error("sweep file: a run's focal figures do not match the base scenario's focal brands");
  for (std::size_t m = 0; m < focal_summary_.size(); ++m)
    focal_summary_[m].write_row(run, std::span<const double>(&metrics.focal[m], 1));
  wall_seconds_.write_row(run, std::span<const double>(&metrics.wall_seconds, 1));
  const std::int32_t threads = metrics.threads;
  threads_.write_row(run, std::span<const std::int32_t>(&threads, 1));
  const std::uint8_t done = 1;
  completed_.write_row(run, std::span<const std::uint8_t>(&done, 1));  // last: the flag follows the data
}

void SweepFile::close() {
  series_.clear();
  summary_.clear();
  focal_summary_.clear();
  completed_ = {};
  wall_seconds_ = {};
  threads_ = {};
  file_.commit();
}

SweepFileStatus read_sweep_status(const std::filesystem::path& path) {
  SweepFileStatus status;
  try {
    const io::InputFile file(path);
    std::string definition = file.read_text("/provenance/definition");
    const std::vector<std::uint8_t> flags = file.read_column<std::uint8_t>("/runs/completed");
    status.definition_text = std::move(definition);
    status.runs = flags.size();
    for (const std::uint8_t flag : flags) status.completed += flag;
    status.is_sweep = true;
  } catch (const std::runtime_error&) {  // not readable as a sweep file (InputError included): is_sweep stays false
  }
  return status;
}

}  // namespace fanflow::experiments
